"""Finding a record as screening would: every normalization rule, committee variants, aliases.

The query is read as an organizer reads an attendee (one canonical form),
the records as the committee publishes them (`published_keys`, the one
function `merge_entries` also uses).  Each rule of the profile gets a case
here, after docs/normalization.md and the frozen vectors.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.committee import (
    NewRecord,
    Record,
    Register,
    SearchIndex,
    current_profile,
    find,
    merge_entries,
    published_keys,
)
from coc_hashscreen.core import (
    PROFILE,
    Argon2Params,
    EpochKey,
    Identifier,
    Status,
    canonical,
    check_kind,
)
from coc_hashscreen.errors import CocHashscreenError

from ..helpers import NOW, raw_database
from ..strategies import PLAUSIBLE

VECTORS = Path(__file__).parent.parent / "vectors"


def _record(*identifiers: Identifier, status: Status = Status.BANNED, rid: int = 1) -> Record:
    return Record(
        id=rid,
        status=status,
        case_ref=f"CASE-{rid}",
        created_at=NOW,
        updated_at=NOW,
        expires_at=None,
        identifiers=identifiers,
    )


# (rule, kind, the record's spelling, the spelling searched for): the
# organizer's normalization makes both the same canonical form.
CANONICAL_RULES = [
    ("case", "name", "Jane Doe", "JANE doe"),
    ("whitespace", "name", "Jane Doe", "  Jane\u3000\tDoe "),
    ("diacritics", "name", "José García", "Jose Garcia"),
    ("fullwidth (NFKC)", "name", "John Smith", "Ｊｏｈｎ Ｓｍｉｔｈ"),
    ("ligatures (NFKC)", "name", "Rufino Gifford", "Ruﬁno Giﬀord"),
    ("invisible characters", "name", "John Smith", "Jo\u200bhn\xad Sm\u202eith"),
    ("mojibake", "name", "José García", "JosÃ© GarcÃ\xada"),
    ("look-alike letters", "name", "John Smith", "Jоhn Ѕmith"),
    ("Cyrillic transliteration", "name", "Пётр Иванов", "Petr Ivanov"),
    ("Greek transliteration", "name", "Ελένη Παπαδοπούλου", "Eleni Papadopoulou"),
    ("Han romanization", "name", "王小明", "Wang Xiaoming"),
    ("Hangul romanization", "name", "김민준", "Kim Minjun"),
    ("kana romanization", "name", "さとう ゆうこ", "Sato Yuko"),
    ("bracketed text", "name", "Matteo Ricci", "Matteo Ricci (he/him)"),
    ("apostrophes", "name", "Seán O'Brien", "Sean OBrien"),
    ("hyphens joined", "name", "Jean-Luc Picard", "Jeanluc Picard"),
    ("placeholders", "name", "Rahman Khan", "FNU Rahman Khan"),
    ("titles and suffixes", "name", "Ada Lovelace", "Prof. Dr. Ada Lovelace, PhD"),
    ("doubled letters", "name", "Phillip Lloyd", "Philip Loyd"),
    ("particles", "name", "Ursula von der Leyen", "Ursula Leyen"),
    ("initials", "name", "Robert J. Smith", "Robert Smith"),
    ("name order", "name", "José García", "García José"),
    ("surname first, comma", "name", "José García", "García, José"),
    ("e-mail case", "email", "jane.doe@example.com", "Jane.Doe@EXAMPLE.com"),
    ("e-mail plus tag", "email", "jane@example.com", "jane+pycon@example.com"),
    ("Gmail dots and domain", "email", "josegarcia@gmail.com", "Jose.Garcia@GoogleMail.com"),
    ("mailto:", "email", "jane@example.com", "mailto:jane@example.com"),
    ("internationalized domain", "email", "user@xn--bcher-kva.de", "user@Bücher.de"),
    ("e-mail invisible characters", "email", "john@example.com", "Jo\u17b4hn@example.com"),
    ("GitHub @", "github", "octocat", "@Octocat"),
    ("GitHub URL", "github", "octocat", "https://github.com/Octocat/"),
    ("GitHub look-alikes", "github", "john-dev", "Ꭻohn-dev"),
    ("Twitter @", "twitter", "jack_dorsey", "@Jack_Dorsey"),
    ("Twitter URL (x.com)", "twitter", "jack", "https://x.com/jack?lang=en"),
    ("Twitter URL (twitter.com)", "twitter", "jack", "twitter.com/Jack"),
    ("Mastodon @user@host", "mastodon", "gargron@mastodon.social", "@Gargron@mastodon.social"),
    ("Mastodon URL", "mastodon", "gargron@mastodon.social", "https://mastodon.social/@Gargron"),
    ("Mastodon users URL", "mastodon", "gargron@mastodon.social", "mastodon.social/users/gargron"),
]

# (rule, the record's name, the spelling searched for, the rule the
# committee's keys name): only a committee variant makes them meet.
VARIANT_RULES = [
    ("nickname", "William Turner", "Bill Turner", "nickname"),
    ("familiar form", "José García", "Pepe García", "nickname"),
    ("umlaut spelled out", "Robert Müller", "Robert Mueller", "special letters"),
    ("sub-name", "José María García López", "José García", "sub-name"),
    ("middle name as first", "Joseph Anthony Ruiz", "Anthony Ruiz", "sub-name"),
    ("Cyrillic scheme", "Пётр Иванов", "Pyotr Ivanov", "cyrillic romanization"),
    ("Polish surname", "Anna Kowalska", "Anna Kowalski", "polish surname"),
    ("spelling family", "Mohammed Ali", "Muhammad Ali", "spelling variant"),
    ("particle joined", "Ludwig van Beethoven", "Ludwig Vanbeethoven", "words joined"),
    ("Mc/Mac", "John McDonald", "John MacDonald", "mc/mac"),
    ("initials joined", "K. S. Ramesh", "KS Ramesh", "words joined"),
    ("Han spelling", "王小明", "Wang Xiao Ming", "han spelling"),
    ("hyphen split", "Seán O'Brien", "Sean O Brien", "hyphen or apostrophe split"),
]


@pytest.mark.parametrize(
    ("kind", "stored", "query"),
    [case[1:] for case in CANONICAL_RULES],
    ids=[case[0] for case in CANONICAL_RULES],
)
def test_search_finds_a_record_through_each_rule_of_the_canonical_form(
    kind: str, stored: str, query: str
) -> None:
    record = _record(Identifier("name", "Someone Else"), Identifier(kind, stored))
    (match,) = find([record], kind, query)
    assert match.record is record
    assert match.identifier == Identifier(kind, stored)
    assert match.rule == "canonical"
    assert match.how == f"the record's {kind}, same canonical form"


@pytest.mark.parametrize(
    ("stored", "query", "rule"),
    [case[1:] for case in VARIANT_RULES],
    ids=[case[0] for case in VARIANT_RULES],
)
def test_search_finds_a_record_through_each_committee_variant(
    stored: str, query: str, rule: str
) -> None:
    # The organizer's form differs: only the committee's published keys meet.
    assert canonical("name", query) != canonical("name", stored)
    record = _record(Identifier("name", stored))
    (match,) = find([record], "name", query)
    assert rule in match.rule
    assert "through a committee variant" in match.how


def test_an_alias_is_found_and_said_to_be_one() -> None:
    record = _record(Identifier("name", "Jane Doe"), Identifier("name", "Janet Roe", alias=True))
    (match,) = find([record], "name", "Roe, Janet")
    assert match.identifier.alias
    assert match.how == "an alias, same canonical form"
    # An alias gets its variants as the record's name does.
    (match,) = find([record], "name", "Jan Roe")
    assert match.identifier.alias
    assert match.rule != "canonical"


def _vector_cases() -> Iterator[Any]:
    data = json.loads((VECTORS / "normalization-v2.json").read_text(encoding="utf-8"))
    assert data["profile"] == PROFILE
    for case in data["cases"]:
        if case.get("canonical") is None:
            continue
        # Every vector, mojibake included: a stored value keeps what the
        # profile needs to repair it (the soft hyphen of "í").
        yield (case["kind"], case["input"], case["canonical"], case.get("variants_include", []))


@pytest.mark.parametrize(("kind", "stored", "form", "keys"), list(_vector_cases()))
def test_search_finds_every_vector_by_its_canonical_form_and_published_keys(
    kind: str, stored: str, form: str, keys: list[str]
) -> None:
    record = _record(Identifier(kind, stored))
    index = SearchIndex.of([record])
    # The spelling itself, as screening would read it in a cell.
    assert [m.rule for m in index.find(kind, stored)] == ["canonical"]
    # A spelling whose canonical form is a published key: the key itself
    # where it reads back as itself (most do).
    for key in [form, *keys]:
        try:
            Identifier(kind, key)
        except CocHashscreenError:
            continue
        if canonical(kind, key) == key:
            assert [m.record for m in index.find(kind, key)] == [record], key


@given(st.sampled_from(sorted(PLAUSIBLE)).flatmap(lambda k: st.tuples(st.just(k), PLAUSIBLE[k])))
def test_a_records_own_spelling_always_finds_it(pair: tuple[str, str]) -> None:
    kind, value = pair
    try:
        identifier = Identifier(check_kind(kind), value)
    except CocHashscreenError:
        return
    record = _record(identifier)
    assert [(m.record, m.rule) for m in find([record], kind, identifier.value)] == [
        (record, "canonical")
    ]


def test_search_keeps_to_the_kind_and_misses_strangers() -> None:
    record = _record(Identifier("github", "octocat"), Identifier("name", "Jane Doe"))
    assert find([record], "twitter", "octocat") == []
    assert find([record], "name", "John Smith") == []
    assert find([record], "email", "octocat@example.com") == []


def test_each_record_once_oldest_first_the_canonical_match_preferred() -> None:
    first = _record(Identifier("name", "Bill Turner"), Identifier("name", "William Turner"), rid=1)
    second = _record(Identifier("name", "William Turner"), rid=2)
    other = _record(Identifier("name", "Somebody Else"), rid=3)
    matches = find([second, other, first], "name", "Will Turner")
    assert [m.record.id for m in matches] == [1, 2]
    matches = find([first], "name", "William Turner")
    assert [(m.identifier.value, m.rule) for m in matches] == [("William Turner", "canonical")]


def test_the_keys_searched_are_the_keys_published() -> None:
    records = [
        _record(Identifier("name", "José María García López"), Identifier("email", "j@x.org")),
        _record(
            Identifier("name", "Пётр Иванов"), Identifier("name", "Bob Roe", alias=True), rid=2
        ),
    ]
    for profile in ("v1", "v2"):
        published = set(merge_entries(records, profile=profile))
        searched = set(SearchIndex.of(records, profile=profile).keys)
        assert searched == published
        assert published == {
            (i.kind, key)
            for r in records
            for i in r.identifiers
            for key in published_keys(i, profile=profile)
        }


def test_search_reads_the_query_under_the_lists_profile() -> None:
    record = _record(Identifier("name", "José María García"))
    # v1 publishes first and last name without the middle names; it knows no nicknames.
    (match,) = find([record], "name", "José García", profile="v1")
    assert match.rule == "first and last name"
    assert find([record], "name", "Pepe García", profile="v1") == []
    assert find([record], "name", "Pepe García", profile="v2")


def test_minor_and_expired_records_are_found_and_marked() -> None:
    minor = Record(
        id=1, status=Status.MINOR, case_ref="MINOR-1", created_at=NOW, updated_at=NOW,
        expires_at=NOW + timedelta(days=30), identifiers=(Identifier("email", "m@example.org"),),
    )  # fmt: skip
    expired = Record(
        id=2, status=Status.BANNED, case_ref="OLD-1", created_at=NOW, updated_at=NOW,
        expires_at=NOW - timedelta(days=1), identifiers=(Identifier("email", "m@example.org"),),
    )  # fmt: skip
    listed = _record(Identifier("email", "m@example.org"), rid=3)
    found: dict[int, dict[str, Any]] = {
        m.record.id: m.to_dict(NOW)
        for m in find([minor, expired, listed], "email", "M@Example.org")
    }
    assert {rid: (d["expired"], d["listed"]) for rid, d in found.items()} == {
        1: (False, False),
        2: (True, False),
        3: (False, True),
    }
    assert found[3]["matched"] == {
        "kind": "email", "value": "m@example.org", "alias": False, "rule": "canonical"
    }  # fmt: skip


def test_the_profile_is_the_current_epochs_else_the_default(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    with Register.create(path) as register:
        assert current_profile(register) == PROFILE
        register.epochs.start(EpochKey(b"k" * 32, b"s" * 16, Argon2Params(1, 8, 1)), now=NOW)
        assert current_profile(register) == PROFILE
        register.records.add(
            NewRecord(Status.BANNED, [Identifier("name", "José María García")], case_ref="A-1"),
            now=NOW,
        )
    # A committee whose lists are still of profile v1 (it has not rotated since).
    with raw_database(path) as db:
        db.execute("UPDATE epochs SET profile = 'v1'")
    with Register.open(path) as register:
        profile = current_profile(register)
        records = register.records.all()
    assert profile == "v1"
    (match,) = find(records, "name", "José García", profile=profile)
    assert match.rule == "first and last name"
    assert find(records, "name", "Pepe García", profile=profile) == []
