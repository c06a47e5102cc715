"""A population of unrelated people for the false-match figures of bench_names.py.

Names come from Faker, seeded, so every run with the same seed draws the same
people.  Each person's locale is drawn uniformly from `LOCALES`; Faker's
``name()`` for that locale gives the name as an export of that country would
hold it, honorifics and script included.
"""

from __future__ import annotations

import random
from typing import Final, NamedTuple

from faker import Faker

LOCALES: Final = (
    "en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "es_MX", "pt_BR", "it_IT",
    "pl_PL", "ru_RU", "uk_UA", "el_GR", "zh_CN", "zh_TW", "ja_JP", "ko_KR",
    "ar_AA", "hi_IN", "tr_TR", "nl_NL", "cs_CZ",
)  # fmt: skip


class Population(NamedTuple):
    """A register and an attendee list of distinct people."""

    register: list[str]
    attendees: list[str]


def population(seed: int, register: int, attendees: int) -> Population:
    """*register* names, then *attendees* names of other people, all drawn with *seed*.

    Two people never share an entry, but they may share a name: an attendee
    whose name is exactly a register name's string is dropped (the same
    string is the same person as far as a screener can tell) and another
    drawn in its place.
    """
    chooser = random.Random(seed)
    fakers: dict[str, Faker] = {}
    for index, locale in enumerate(LOCALES):
        fake = Faker(locale)
        fake.seed_instance(seed * 1000 + index)
        fakers[locale] = fake

    def draw() -> str:
        return fakers[chooser.choice(LOCALES)].name()

    names = [draw() for _ in range(register)]
    taken = set(names)
    others: list[str] = []
    while len(others) < attendees:
        name = draw()
        if name not in taken:
            others.append(name)
    return Population(names, others)
