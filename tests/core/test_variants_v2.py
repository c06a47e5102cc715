"""The committee's keys under profile v2: each family of spellings, the cap and the order."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coc_hashscreen.core import canonical, explain_variants, variant_notes, variants
from coc_hashscreen.core._namedata import japanese
from coc_hashscreen.core._variants_v2 import MAX_NAME_KEYS
from coc_hashscreen.errors import InvalidIdentifier


def keys(name: str) -> frozenset[str]:
    return variants("name", name, profile="v2")


def v2(name: str) -> str:
    return canonical("name", name, profile="v2")


@pytest.mark.parametrize(
    ("register", "attendee"),
    [
        ("José María García López", "José García"),
        ("José María García López", "José López"),
        ("Luis Fernández de Córdoba", "Luis Fernández"),
        ("Luis Fernández de Córdoba", "Luis Córdoba"),
        ("Carmen Ruiz de la Vega", "Carmen Ruiz"),
        ("Edward James Kirk", "James Kirk"),
        ("William Turner", "Bill Turner"),
        ("Aleksandr Volkov", "Sasha Volkov"),
        ("Anna Kowalska", "Anna Kowalski"),
        ("Siobhan McAllister", "Siobhan MacAllister"),
        ("Güneş Yıldız", "Guenes Yildiz"),
        ("Çağrı Kılıç", "Chagri Kilich"),
        ("Pieter van der Berg", "Pieter Vanderberg"),
        ("Пётр Соколов", "Pyotr Sokolov"),
        ("Gim Hyeonu", "Kim Hyeonu"),
        ("K. S. Ramesh", "KS Ramesh"),
    ],
)
def test_spellings_a_careful_person_would_flag_are_published(register: str, attendee: str) -> None:
    assert v2(attendee) in keys(register)


def test_han_names_get_no_sub_names() -> None:
    # 王淑英 without 淑 is another person: v1's first + last key was the main
    # source of false matches.
    assert v2("王英") not in keys("王淑英")
    assert v2("Wang Shuying") in keys("王淑英")


@pytest.mark.skipif(not japanese.available(), reason="the japanese extra is not installed")
def test_kanji_names_are_read_in_japanese_in_every_word_at_once() -> None:
    assert v2("Daisuke Nakamura") in keys("中村 大輔")
    assert v2("Satou Hanako") in keys("佐藤花子")


def test_every_key_comes_with_its_rule_canonical_first() -> None:
    explained = explain_variants("name", "Robert Müller", profile="v2")
    first, rule = next(iter(explained.items()))
    assert (first, rule) == (v2("Robert Müller"), "canonical")
    assert explained[v2("Bob Mueller")] == "special letters, nickname"
    assert set(explained) == keys("Robert Müller")


def test_keys_are_capped_and_the_cap_is_noted() -> None:
    name = "Ágnès-Çağla Øyvindsdóttir-Şükür Ñúñez-Müller Söderström Kowalska"
    assert len(keys(name)) == MAX_NAME_KEYS
    assert any("more spellings than" in note for note in variant_notes("name", name))
    assert variant_notes("name", "Ana Lima") == ()


def test_the_same_register_publishes_the_same_keys_in_any_process() -> None:
    code = (
        "from coc_hashscreen.core import explain_variants;"
        "print(list(explain_variants('name', 'Ágnès Çağla Øyvind Müller-Kowalska')))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(outputs) == 1


_NAMES = st.text(st.characters(categories=("L", "M", "Zs", "Pd", "Po")), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(_NAMES)
def test_keys_are_bounded_ascii_and_hold_the_canonical_form(name: str) -> None:
    try:
        found = explain_variants("name", name, profile="v2")
    except InvalidIdentifier:
        return
    assert 1 <= len(found) <= MAX_NAME_KEYS
    assert v2(name) in found
    assert all(key and key.isascii() for key in found)


@pytest.mark.skipif(not japanese.available(), reason="the japanese extra is not installed")
@pytest.mark.parametrize("name", ["孙丽娟", "王晓红", "张伟明", "吴建国"])
def test_a_japanese_reading_must_cover_the_whole_name(name: str) -> None:
    # pykakasi skips simplified characters it cannot read; a fragment of
    # a reading ("ken", "o") would match anyone listed by a first name.
    found = keys(name)
    assert all(len(key.split(" ")) >= 2 or key == v2(name) for key in found)
    assert not {"ken", "o", "mei", "kuni"} & found
