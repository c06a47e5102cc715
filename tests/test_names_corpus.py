"""The labelled name corpus of benchmarks/bench_names.py stays honest.

Shape only: what the profiles achieve on it is the benchmark's business.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

import coc_hashscreen

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

# The categories the corpus documents (names_corpus.py's docstring), in order.
DOCUMENTED = (
    "formatting", "case", "accents", "word_order", "honorifics", "homoglyphs",
    "english_nicknames", "hypocorisms", "special_letters", "middle_names",
    "compound_surnames", "hyphenation", "chinese", "korean", "japanese",
    "cyrillic", "greek", "arabic", "indian_initials", "particles", "o_mac",
    "polish_feminine", "typos", "unicode_normalization", "mojibake",
)  # fmt: skip


def _corpus(name: str = "names_corpus") -> ModuleType:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module(name)


def test_the_categories_are_exactly_the_documented_ones() -> None:
    corpus = _corpus()
    assert corpus.CATEGORIES == DOCUMENTED
    in_docstring = re.findall(r"^([a-z_]+)$", corpus.__doc__ or "", re.MULTILINE)
    assert tuple(in_docstring) == DOCUMENTED
    assert {pair.category for pair in corpus.PAIRS} == set(DOCUMENTED)


def test_every_category_has_at_least_20_pairs_and_the_corpus_500() -> None:
    pairs = _corpus().PAIRS
    sizes = Counter(pair.category for pair in pairs)
    assert min(sizes.values()) >= 20, sizes
    assert len(pairs) >= 500


def test_no_pair_is_two_identical_strings_and_none_repeats() -> None:
    pairs = _corpus().PAIRS
    assert [p for p in pairs if p.register == p.attendee] == []
    assert [p for p in pairs if not p.register.strip() or not p.attendee.strip()] == []
    spellings = Counter((p.register, p.attendee) for p in pairs)
    assert [pair for pair, count in spellings.items() if count > 1] == []


def test_mojibake_pairs_are_utf8_read_as_windows_1252() -> None:
    for pair in _corpus().PAIRS:
        if pair.category == "mojibake":
            assert pair.attendee == pair.register.encode("utf-8").decode("cp1252"), pair


def test_the_holdout_has_12_pairs_per_category_none_identical_none_from_the_corpus() -> None:
    # Held out means disjoint: no spelling of the holdout is one of the
    # corpus's, on either side, so that nothing tuned on the corpus fits it
    # by coincidence.  Moving a holdout pair into the corpus fails here.
    holdout = _corpus("_names_holdout").HOLDOUT
    sizes = Counter(pair.category for pair in holdout)
    assert tuple(sizes) == DOCUMENTED
    assert min(sizes.values()) >= 12, sizes
    assert len(holdout) >= 300
    assert [p for p in holdout if p.register == p.attendee] == []
    assert [p for p in holdout if not p.register.strip() or not p.attendee.strip()] == []
    spellings = Counter((p.register, p.attendee) for p in holdout)
    assert [pair for pair, count in spellings.items() if count > 1] == []
    seen = {spelling for p in _corpus().PAIRS for spelling in (p.register, p.attendee)}
    assert [p for p in holdout if p.register in seen or p.attendee in seen] == []


def test_holdout_mojibake_is_utf8_read_as_windows_1252_once_or_twice() -> None:
    def garbled(text: str) -> str:
        return text.encode("utf-8").decode("cp1252")

    for pair in _corpus("_names_holdout").HOLDOUT:
        if pair.category == "mojibake":
            once = garbled(pair.register)
            assert pair.attendee in (once, garbled(once)), pair


@pytest.mark.parametrize(("flags", "corpus"), [([], "names_corpus"), (["--holdout"], "holdout")])
def test_the_json_mode_returns_every_figure(flags: list[str], corpus: str) -> None:
    # The package under test, not whichever one the child would find first.
    package_root = Path(coc_hashscreen.__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(package_root), str(BENCHMARKS)])}
    small = ["--seeds", "2", "--register", "20", "--attendees", "200"]
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_names.py"), "--json", *flags, *small],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert set(figures) == {"corpus", "population", "profiles", "canonical_time"}
    assert figures["corpus"]["categories"] == list(DOCUMENTED)
    assert figures["corpus"]["name"] == corpus
    assert figures["population"]["seeds"] == [0, 1]
    assert set(figures["profiles"]) == {"v1", "v2"}
    assert set(figures["canonical_time"]) == {"v1_microseconds", "ratio_v2_v1"}
    for name, profile in figures["profiles"].items():
        if not profile["available"]:
            assert name != "v1"
            assert profile["reason"]
            assert figures["canonical_time"]["ratio_v2_v1"] is None
            continue
        recall = profile["recall"]
        assert list(recall["by_category"]) == list(DOCUMENTED)
        assert recall["overall"]["total"] == figures["corpus"]["pairs"]
        for share in [*recall["by_category"].values(), recall["overall"]]:
            assert set(share) == {"matched", "total", "percent"}
            assert 0 <= share["matched"] <= share["total"]
        assert len(profile["false_matches"]["by_seed"]) == 2
        assert set(profile["false_matches"]["per_10000"]) == {"mean", "min", "max", "stdev"}
        for keys in profile["keys_per_register_name"].values():
            assert keys["max"] >= 1
            assert keys["mean"] > 0


# ---------------------------------------------------------------------------
# what profile v2 is for: the goals, measured as the benchmark does


def test_v2_matches_nine_in_ten_pairs_a_careful_person_would_flag() -> None:
    bench = _corpus("bench_names")
    holdout = _corpus("_names_holdout")
    for pairs in (_corpus().PAIRS, holdout.HOLDOUT):
        v1, v2 = bench.recall("v1", pairs), bench.recall("v2", pairs)
        assert v2["overall"]["percent"] >= 90
        # No category does worse than under v1.
        for category, figures in v2["by_category"].items():
            assert figures["matched"] >= v1["by_category"][category]["matched"], category


def test_v2_gives_no_more_false_name_matches_than_v1() -> None:
    bench = _corpus("bench_names")
    people = [bench.population(seed, 300, 10_000) for seed in range(2)]
    v1 = sum(bench.false_matches(p, "v1") for p in people)
    v2 = sum(bench.false_matches(p, "v2") for p in people)
    assert v2 <= v1
