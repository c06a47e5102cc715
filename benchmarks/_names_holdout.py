"""A held-out labelled corpus of name pairs, to measure recall fairly.

Same shape and categories as `names_corpus`: each `Pair` is how a Code of
Conduct committee's register wrote a person and how a ticketing export
spelled the same person, a pair a careful human screener would flag.  These
pairs were written by someone who had seen neither `names_corpus`'s pairs
nor the v2 normalization rules and their data, so recall on them says how
well the rules generalize rather than how well they fit the pairs they were
tuned on.  Do not tune the rules against this file; when it has been used
for tuning, it is no longer held out.

    python benchmarks/bench_names.py --holdout

The people are invented.  The tables live in `_names_holdout_latin` and
`_names_holdout_world` to keep each module short.
"""

from __future__ import annotations

from typing import Final

from _names_holdout_latin import TABLES as _LATIN
from _names_holdout_world import TABLES as _WORLD
from names_corpus import CATEGORIES, Pair

__all__ = ["HOLDOUT"]


def _pairs() -> tuple[Pair, ...]:
    tables = {**_LATIN, **_WORLD}
    if len(tables) != len(_LATIN) + len(_WORLD) or set(tables) != set(CATEGORIES):
        raise RuntimeError("the holdout tables do not hold exactly the corpus's categories")
    return tuple(
        Pair(register, attendee, category)
        for category in CATEGORIES
        for register, attendee in tables[category]
    )


HOLDOUT: Final = _pairs()
