"""Bounded sets of Latin spellings, built from one word's units and their alternatives.

The script modules (``cyrillic``, ``greek``) cut a word into units (a letter,
or a digraph a scheme writes as one) and render every unit once per
romanization scheme: each scheme gives a *column*, one string per unit.  The
spellings a committee publishes are those columns joined, then spellings
that swap one unit (later two) for another scheme's rendering or a popular
alternative, because people mix schemes within one name ("Yevgeny" takes
"ye" from BGN/PCGN and "y" from English usage).

Every variant is one more key the committee publishes, so the set is
bounded and the cut is deterministic: what must be there comes first, whole
scheme outputs next, then single swaps taken in turn from each column, then
double swaps, until the bound.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence

BOUND = 64

_NOT_LETTER = re.compile("[^a-z]+")


def letters_only(text: str) -> str:
    """``text`` lower-cased with everything but the ASCII letters a–z removed."""
    return _NOT_LETTER.sub("", text.lower())


def bounded_spellings(
    required: Iterable[str],
    columns: Sequence[Sequence[str]],
    extras: Sequence[Sequence[str]],
    bound: int = BOUND,
) -> frozenset[str]:
    """At most ``bound`` non-empty spellings, ``required`` ones first.

    ``columns`` are the schemes' renderings unit by unit; ``extras[i]`` are
    further spellings of unit ``i`` that no whole scheme uses.  The renderings
    must already be ASCII letters: only empty spellings are dropped here.
    """
    found: dict[str, None] = {}
    bases = list(dict.fromkeys(tuple(column) for column in columns))
    alternatives = [
        tuple(dict.fromkeys([*(base[i] for base in bases), *extras[i]])) for i in range(len(extras))
    ]
    whole = ("".join(base) for base in bases)
    swapped = (
        _round_robin([_swaps(base, alternatives, depth) for base in bases]) for depth in (1, 2)
    )
    for spelling in itertools.chain(required, whole, *swapped):
        if spelling:
            found[spelling] = None
            if len(found) >= bound:
                break
    return frozenset(found)


def _swaps(
    base: tuple[str, ...], alternatives: Sequence[tuple[str, ...]], depth: int
) -> Iterator[str]:
    """``base`` with ``depth`` of its units spelled another way, lazily, in a fixed order."""
    movable = [i for i, choices in enumerate(alternatives) if len(choices) > 1]
    for positions in itertools.combinations(movable, depth):
        others = [[a for a in alternatives[i] if a != base[i]] for i in positions]
        for picked in itertools.product(*others):
            parts = list(base)
            for position, spelling in zip(positions, picked, strict=True):
                parts[position] = spelling
            yield "".join(parts)


def _round_robin(iterators: list[Iterator[str]]) -> Iterator[str]:
    """One item from each iterator in turn, so no one scheme's swaps fill the bound alone."""
    pending = iterators
    while pending:
        still = []
        for iterator in pending:
            item = next(iterator, None)
            if item is not None:
                yield item
                still.append(iterator)
        pending = still
