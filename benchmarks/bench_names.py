"""Name matching per normalization profile: recall on labelled pairs, false matches, cost.

    python benchmarks/bench_names.py [--json] [--holdout] [--seeds 5] [--register 300]
                                     [--attendees 10000]

An attendee name A matches a register name R under profile P when
``canonical("name", A, profile=P) in variants("name", R, profile=P)``; an
`InvalidIdentifier` from either call means no match.  Printed per profile
(v1, and v2 once this release implements it):

- recall on `names_corpus` (pairs a careful human screener would flag as
  one person), per category and overall; with ``--holdout``, on
  `_names_holdout` instead, pairs written without sight of the corpus or of
  the v2 rules;
- false name-only matches per 10,000 attendees: a Faker population of
  unrelated people from 21 locales, a register of --register names and
  --attendees other people, averaged over --seeds seeds, with the spread;
- keys the committee publishes per register name (mean, max), for the
  population's registers and for the corpus's register spellings;
- the time to compute one canonical form, v1 as the baseline and v2 as a
  ratio to it, measured in the same run.

Everything but the time is deterministic.  ``--json`` prints the same
figures as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Iterable, Sequence
from typing import Any

from _names_holdout import HOLDOUT
from _names_population import LOCALES, Population, population
from coc_hashscreen.core import canonical, variants
from coc_hashscreen.errors import InvalidIdentifier, UnknownProfile
from names_corpus import CATEGORIES, PAIRS, Pair

PROFILES = ("v1", "v2")
TIMING_ROUNDS = 3

Figures = dict[str, Any]


def unavailable(profile: str) -> str | None:
    """Why this release cannot run *profile*, or None when it can."""
    try:
        canonical("name", "Ada Lovelace", profile=profile)
        variants("name", "Ada Lovelace", profile=profile)
    except UnknownProfile as error:
        return str(error)
    return None


def _canonical(name: str, profile: str) -> str | None:
    try:
        return canonical("name", name, profile=profile)
    except InvalidIdentifier:
        return None


def _variants(name: str, profile: str) -> frozenset[str]:
    try:
        return variants("name", name, profile=profile)
    except InvalidIdentifier:
        return frozenset()


def _share(matched: int, total: int) -> Figures:
    return {"matched": matched, "total": total, "percent": round(100 * matched / total, 1)}


def recall(profile: str, pairs: Sequence[Pair] = PAIRS) -> Figures:
    """Matched pairs of the corpus, per category and overall."""
    matched = dict.fromkeys(CATEGORIES, 0)
    total = dict.fromkeys(CATEGORIES, 0)
    for pair in pairs:
        total[pair.category] += 1
        if _canonical(pair.attendee, profile) in _variants(pair.register, profile):
            matched[pair.category] += 1
    return {
        "by_category": {c: _share(matched[c], total[c]) for c in CATEGORIES},
        "overall": _share(sum(matched.values()), len(pairs)),
    }


def _keys(names: Iterable[str], profile: str) -> Figures:
    counts = [len(_variants(name, profile)) for name in names]
    return {"mean": round(statistics.fmean(counts), 3), "max": max(counts)}


def false_matches(people: Population, profile: str) -> int:
    """Attendees whose canonical form is among the keys of any register name."""
    published: set[str] = set()
    for name in people.register:
        published |= _variants(name, profile)
    return sum(1 for name in people.attendees if _canonical(name, profile) in published)


def _spread(per_10000: Sequence[float]) -> Figures:
    return {
        "mean": round(statistics.fmean(per_10000), 2),
        "min": round(min(per_10000), 2),
        "max": round(max(per_10000), 2),
        "stdev": round(statistics.pstdev(per_10000), 2),
    }


def _seconds_per_name(names: Sequence[str], profile: str) -> float:
    start = time.perf_counter()
    for name in names:
        _canonical(name, profile)
    return (time.perf_counter() - start) / len(names)


def canonical_time(names: Sequence[str], profiles: Sequence[str]) -> dict[str, float]:
    """Best seconds per canonical form for each profile, rounds interleaved."""
    best = dict.fromkeys(profiles, float("inf"))
    for _ in range(TIMING_ROUNDS):
        for profile in profiles:
            best[profile] = min(best[profile], _seconds_per_name(names, profile))
    return best


def measure(seeds: int, register: int, attendees: int, *, holdout: bool = False) -> Figures:
    """Every figure the benchmark prints, as one JSON-ready structure.

    With *holdout*, recall and the corpus's keys are on `HOLDOUT`.
    """
    pairs = HOLDOUT if holdout else PAIRS
    reasons = {profile: unavailable(profile) for profile in PROFILES}
    running = [profile for profile in PROFILES if reasons[profile] is None]
    populations = [population(seed, register, attendees) for seed in range(seeds)]
    profiles: Figures = {}
    for profile in PROFILES:
        if profile not in running:
            profiles[profile] = {"available": False, "reason": reasons[profile]}
            continue
        counts = [false_matches(people, profile) for people in populations]
        profiles[profile] = {
            "available": True,
            "recall": recall(profile, pairs),
            "false_matches": {
                "by_seed": counts,
                "per_10000": _spread([10_000 * n / attendees for n in counts]),
            },
            "keys_per_register_name": {
                "population": _keys((n for p in populations for n in p.register), profile),
                "corpus": _keys((pair.register for pair in pairs), profile),
            },
        }
    seconds = canonical_time(populations[0].attendees, running)
    baseline = seconds.get("v1")
    return {
        "corpus": {
            "name": "holdout" if holdout else "names_corpus",
            "pairs": len(pairs),
            "categories": list(CATEGORIES),
        },
        "population": {
            "seeds": list(range(seeds)),
            "register": register,
            "attendees": attendees,
            "locales": list(LOCALES),
        },
        "profiles": profiles,
        "canonical_time": {
            "v1_microseconds": None if baseline is None else round(baseline * 1e6, 2),
            "ratio_v2_v1": (
                round(seconds["v2"] / baseline, 2) if baseline and "v2" in seconds else None
            ),
        },
    }


def _cell(share: Figures) -> str:
    return f"{share['matched']:>3}/{share['total']:<3} {share['percent']:5.1f}%"


def _print_recall(running: Sequence[Figures], names: Sequence[str], corpus: Figures) -> None:
    which = "held-out " if corpus["name"] == "holdout" else ""
    print(f"Recall on {corpus['pairs']} {which}labelled pairs ({len(CATEGORIES)} categories):")
    print(f"  {'category':<22}" + "".join(f"  {name:<16}" for name in names))
    for category in CATEGORIES:
        cells = "".join(f"  {_cell(p['recall']['by_category'][category])}" for p in running)
        print(f"  {category:<22}{cells}")
    print(f"  {'overall':<22}" + "".join(f"  {_cell(p['recall']['overall'])}" for p in running))


def _print_population(running: Sequence[Figures], names: Sequence[str], figures: Figures) -> None:
    setup = figures["population"]
    print(
        f"\nFalse name-only matches per 10,000 attendees ({setup['register']} register names, "
        f"{setup['attendees']:,} other people, {len(setup['locales'])} locales, "
        f"{len(setup['seeds'])} seeds):"
    )
    for name, profile in zip(names, running, strict=True):
        spread = profile["false_matches"]["per_10000"]
        print(
            f"  {name}  mean {spread['mean']:6.2f}   min {spread['min']:6.2f}   "
            f"max {spread['max']:6.2f}   sd {spread['stdev']:5.2f}   "
            f"(attendees matched per seed: {profile['false_matches']['by_seed']})"
        )
    print("\nPublished keys per register name (mean, max):")
    for name, profile in zip(names, running, strict=True):
        keys = profile["keys_per_register_name"]
        print(
            f"  {name}  population {keys['population']['mean']:.2f}, {keys['population']['max']}"
            f"   corpus {keys['corpus']['mean']:.2f}, {keys['corpus']['max']}"
        )


def report(figures: Figures) -> None:
    """The figures as a plain-text table."""
    profiles = figures["profiles"]
    names = [name for name in PROFILES if profiles[name]["available"]]
    running = [profiles[name] for name in names]
    for name in PROFILES:
        if not profiles[name]["available"]:
            print(f"profile {name} is unavailable: {profiles[name]['reason']}")
    _print_recall(running, names, figures["corpus"])
    _print_population(running, names, figures)
    timing = figures["canonical_time"]
    ratio = timing["ratio_v2_v1"]
    print(
        f"\nTime per canonical form: v1 {timing['v1_microseconds']} µs (baseline); "
        f"v2/v1 {'unavailable' if ratio is None else f'{ratio:.2f}'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--holdout", action="store_true", help="measure recall on the held-out pairs"
    )
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--register", type=int, default=300)
    parser.add_argument("--attendees", type=int, default=10_000)
    args = parser.parse_args()
    figures = measure(args.seeds, args.register, args.attendees, holdout=args.holdout)
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        report(figures)


if __name__ == "__main__":
    main()
