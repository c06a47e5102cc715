"""Normalization profile v1: every rule, and the properties it must keep."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coc_hashscreen import core
from coc_hashscreen.core import KINDS
from coc_hashscreen.core._normalize import HONORIFICS, MAX_INPUT_CHARS
from coc_hashscreen.errors import CocHashscreenError, InvalidIdentifier, UnknownKind, UnknownProfile

from ..strategies import identifiers


# This file is profile v1's: every call names it (v2 is the default now).
def canonical(kind: str, value: str, *, profile: str = "v1") -> str:
    return core.canonical(kind, value, profile=profile)


def variants(kind: str, value: str, *, profile: str = "v1") -> frozenset[str]:
    return core.variants(kind, value, profile=profile)


# ---------------------------------------------------------------------------
# The "done when" examples


def test_done_when_name() -> None:
    assert canonical("name", "  Dr. GARCÍA, José ") == canonical("name", "José García")


def test_done_when_email() -> None:
    assert canonical("email", "Jose.Garcia+dcus@GoogleMail.com") == canonical(
        "email", "josegarcia@gmail.com"
    )


# ---------------------------------------------------------------------------
# Must be equal

SAME = [
    # case
    ("name", "JOSÉ GARCÍA", "josé garcía"),
    # diacritics
    ("name", "José García", "Jose Garcia"),
    ("name", "Zoë Brontë", "Zoe Bronte"),
    ("name", "Łukasz Żółć", "Lukasz Zolc"),
    # NFKC compatibility forms: fullwidth letters, ligatures, ideographic space
    ("name", "Ｊｏｈｎ　Ｓｍｉｔｈ", "John Smith"),
    ("name", "Ruﬁno Giﬀord", "Rufino Gifford"),
    # decomposed and precomposed accents
    ("name", "Jose\u0301 Garci\u0301a", "José García"),
    # format characters anywhere: zero-width, bidi, soft hyphen, word joiner, BOM
    ("name", "Jo\u200bhn Sm\u200cith", "John Smith"),
    ("name", "\u202eJohn\u202c Smith\u200e", "John Smith"),
    ("name", "Jo\u00adhn Smi\u2060th\ufeff", "John Smith"),
    ("name", "J\U000e0041ohn Smith", "John Smith"),
    # Cyrillic and Greek look-alikes inside Latin names
    ("name", "Jоhn Ѕmith", "John Smith"),  # Cyrillic о, Ѕ
    ("name", "Аlice Сooper", "Alice Cooper"),  # Cyrillic А, С
    ("name", "Νick Κent", "Nick Kent"),  # Greek Ν, Κ
    ("name", "Вob Smith", "Bob Smith"),  # Cyrillic В in a Latin word
    # a word in another script beside a Latin one keeps its own script
    ("name", "Пётр Ivanov", "Пётр Иванов"),
    ("name", "Αλέξανδρος Papadopoulos", "Alexandros Papadopoulos"),
    # other scripts versus their transliteration
    ("name", "Пётр Иванов", "Piotr Ivanov"),
    ("name", "Ελένη Παπαδοπούλου", "Elene Papadopoulou"),
    ("name", "김민준", "gimminjun"),
    # "Last, First" versus "First Last"
    ("name", "García, José", "José García"),
    ("name", "García López, José María", "José María García López"),
    # honorifics and suffixes
    ("name", "Dr. José García", "José García"),
    ("name", "Prof. Dr. Ada Lovelace, PhD", "Ada Lovelace"),
    ("name", "Mr John Smith Jr.", "John Smith"),
    ("name", "Ms. Jane Doe", "Jane Doe"),
    ("name", "Mx. Sam Lee", "Sam Lee"),
    ("name", "Martin Luther King, Jr.", "Martin Luther King"),
    ("name", "John Smith III", "John Smith"),
    # whitespace and punctuation
    ("name", "  John \t\n Smith  ", "John Smith"),
    ("name", "John\u00a0Smith", "John Smith"),
    ("name", "Jean-Luc Picard", "Jean Luc Picard"),
    ("name", "John (Johnny) Smith", "John Johnny Smith"),
    # apostrophes
    ("name", "Seán O'Brien", "Sean OBrien"),
    ("name", "Seán O’Brien", "Sean OBrien"),
    ("name", "D`Angelo", "DAngelo"),
    # e-mail case and +tags
    ("email", "Jane.Doe@Example.COM", "jane.doe@example.com"),
    ("email", "jane+pycon@example.com", "jane@example.com"),
    ("email", "jane+a+b@example.com", "jane@example.com"),
    # Gmail dots and googlemail
    ("email", "j.a.n.e@gmail.com", "jane@gmail.com"),
    ("email", "jane@googlemail.com", "jane@gmail.com"),
    ("email", "J.Ane+x@GoogleMail.com.", "jane@gmail.com"),
    # IDN domains: Unicode = punycode
    ("email", "user@bücher.de", "user@xn--bcher-kva.de"),
    ("email", "user@BÜCHER.DE", "user@XN--BCHER-KVA.DE"),
    ("email", "user@пример.рф", "user@xn--e1afmkfd.xn--p1ai"),
    # wrappers and invisible characters
    ("email", "<jane@example.com>", "jane@example.com"),
    ("email", "mailto:jane@example.com", "jane@example.com"),
    ("email", " jane\u200b@example.com ", "jane@example.com"),
    ("email", "ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "jane@example.com"),
    # handles with or without @, as profile URLs
    ("github", "@Octocat", "octocat"),
    ("github", "https://github.com/octocat/", "octocat"),
    ("github", "http://www.github.com/octocat?tab=repositories", "octocat"),
    ("github", "github.com/octocat", "octocat"),
    ("twitter", "@Jack", "jack"),
    ("twitter", "https://x.com/jack", "jack"),
    ("twitter", "x.com/jack", "jack"),
    ("twitter", "https://twitter.com/jack/", "jack"),
    ("twitter", "https://mobile.twitter.com/jack#top", "jack"),
    ("twitter", "www.x.com/@jack", "jack"),
    ("mastodon", "@Gargron@mastodon.social", "gargron@mastodon.social"),
    ("mastodon", "gargron@Mastodon.Social", "gargron@mastodon.social"),
    ("mastodon", "https://mastodon.social/@Gargron", "gargron@mastodon.social"),
    ("mastodon", "https://mastodon.social/users/gargron", "gargron@mastodon.social"),
    ("mastodon", "acct:gargron@mastodon.social", "gargron@mastodon.social"),
    ("github", "@оctocat", "octocat"),  # Cyrillic о in a handle
]


@pytest.mark.parametrize(("kind", "a", "b"), SAME)
def test_equal(kind: str, a: str, b: str) -> None:
    assert canonical(kind, a) == canonical(kind, b)


# ---------------------------------------------------------------------------
# Must stay distinct

DISTINCT = [
    ("name", "John Smith", "John Smyth"),  # surname
    ("name", "John Smith", "Jane Smith"),  # given name
    ("name", "Ann Lee", "Anne Lee"),  # one extra letter
    ("name", "José García", "José Garcías"),
    ("name", "John Smith", "John Smith Smith"),
    ("email", "jane.doe@example.com", "janedoe@example.com"),  # dots outside Gmail
    ("email", "jane@example.com", "jane@example.org"),  # domain
    ("email", "jane@example.com", "jane@mail.example.com"),
    ("email", "jane@gmail.com", "jane@gmail.co"),
    ("github", "octocat", "octocats"),
    ("github", "octo-cat", "octocat"),
    ("twitter", "jack", "jack_"),
    ("mastodon", "gargron@mastodon.social", "gargron@mastodon.online"),
    ("mastodon", "gargron@mastodon.social", "gargr0n@mastodon.social"),
]


@pytest.mark.parametrize(("kind", "a", "b"), DISTINCT)
def test_distinct(kind: str, a: str, b: str) -> None:
    assert canonical(kind, a) != canonical(kind, b)


# ---------------------------------------------------------------------------
# Exact outputs of single rules


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("name", "José García", "garcia jose"),
        ("name", "O'Brien, Seán", "obrien sean"),
        ("name", "J. R. R. Tolkien", "j r r tolkien"),
        ("name", "John Smith 2", "2 john smith"),
        ("name", "北京", "bei jing"),
        ("name", "محمد", "mhmd"),
        ("email", "Jose.Garcia+dcus@GoogleMail.com", "josegarcia@gmail.com"),
        ("email", "José@Example.com", "josé@example.com"),
        ("email", "user@xn--BCHER-kva.de", "user@xn--bcher-kva.de"),
        ("email", "straße@straße.de", "strasse@strasse.de"),
        ("github", "https://github.com/Octo-Cat", "octo-cat"),
        ("twitter", "https://x.com/Jack_Dorsey", "jack_dorsey"),
        ("mastodon", "https://fosstodon.org/@Alice.B", "alice.b@fosstodon.org"),
    ],
)
def test_canonical_output(kind: str, value: str, expected: str) -> None:
    assert canonical(kind, value) == expected


def test_every_honorific_is_dropped() -> None:
    for word in HONORIFICS:
        assert canonical("name", f"{word.upper()}. Ada Lovelace") == "ada lovelace"


def test_honorifics_do_not_include_real_names() -> None:
    # "Ma" is a surname, "Don" a given name, "M" an initial.
    assert canonical("name", "Don Ma") == "don ma"
    assert canonical("name", "M Smith") == "m smith"


# ---------------------------------------------------------------------------
# Refusals say which rule failed and never echo the value

INVALID = [
    ("name", "", "no letters or digits"),
    ("name", "  ,.;  ", "no letters or digits"),
    ("name", "Dr. Jr.", "no letters or digits"),
    ("name", "\u200b\u200b", "no letters or digits"),
    ("name", "🙂🙂", "no letters or digits"),
    ("name", "x" * (MAX_INPUT_CHARS + 1), "longer than"),
    ("email", "", "empty"),
    ("email", "jane.example.com", "no @"),
    ("email", "@example.com", "nothing before the @"),
    ("email", "+tag@example.com", "nothing before the +tag"),
    ("email", "jane@", "domain is empty"),
    ("email", "jane@localhost", "at least one dot"),
    ("email", "jane@example..com", "empty label"),
    ("email", "jane@exa_mple.com", "domain label"),
    ("email", "jane@-example.com", "domain label"),
    ("email", "jane@[127.0.0.1]", "IP-address"),
    ("email", "jane@127.0.0.1", "IP-address"),
    ("email", "jane doe@example.com", "no spaces"),
    ("email", '"jane"@example.com', "quoted"),
    ("email", ".jane@example.com", "dots in the local part"),
    ("email", "ja..ne@example.com", "dots in the local part"),
    ("email", "ja(ne@example.com", "character not allowed"),
    ("email", "j" * 65 + "@example.com", "longer than 64 bytes"),
    ("email", "jane@xn--zzzz-.com", "internationalized domain"),
    ("email", "jane@" + "a" * 64 + ".com", "domain label"),
    ("email", "jane@" + ("a" * 60 + ".") * 5 + "com", "longer than 253"),
    ("github", "", "empty"),
    ("github", "-octocat", "not a valid user name"),
    ("github", "octo_cat", "not a valid user name"),
    ("github", "a" * 40, "not a valid user name"),
    ("github", "https://github.com/octocat/hello-world", "exactly one path segment"),
    ("github", "https://github.com/", "exactly one path segment"),
    ("github", "https://gitlab.com/octocat", "not this service"),
    ("github", "octo cat", "no spaces"),
    ("twitter", "jack-dorsey", "not a valid user name"),
    ("twitter", "a" * 16, "not a valid user name"),
    ("twitter", "https://x.com/jack/status/1", "exactly one path segment"),
    ("twitter", "https://github.com/jack", "not this service"),
    ("mastodon", "gargron", "user@host or a profile URL"),
    ("mastodon", "@gargron", "user@host or a profile URL"),
    ("mastodon", "https://mastodon.social/", "user@host or a profile URL"),
    ("mastodon", "https://mastodon.social/about/more", "profile URL is"),
    ("mastodon", "garg ron@mastodon.social", "no spaces"),
    ("mastodon", "gar!ron@mastodon.social", "not a valid Mastodon user name"),
    ("mastodon", "gargron@localhost", "at least one dot"),
]


@pytest.mark.parametrize(("kind", "value", "rule"), INVALID)
def test_invalid(kind: str, value: str, rule: str) -> None:
    with pytest.raises(InvalidIdentifier) as info:
        canonical(kind, value)
    assert rule in str(info.value)
    assert info.value.kind == kind
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, CocHashscreenError)
    if len(value) > 3:
        assert value not in str(info.value)


@pytest.mark.parametrize("value", [None, b"jane@example.com", 42])
def test_non_text_is_invalid(value: object) -> None:
    for kind in KINDS:
        with pytest.raises(InvalidIdentifier, match="expected text"):
            canonical(kind, value)  # type: ignore[arg-type]


def test_unknown_kind() -> None:
    with pytest.raises(UnknownKind, match="the kinds are: name, email"):
        canonical("phone", "+1 555 0100")
    with pytest.raises(UnknownKind):
        variants("phone", "+1 555 0100")


def test_unknown_profile() -> None:
    with pytest.raises(UnknownProfile, match="upgrade"):
        canonical("name", "Jane Doe", profile="v3")


# ---------------------------------------------------------------------------
# variants


def test_variants_always_include_canonical() -> None:
    for kind, a, _ in SAME:
        assert canonical(kind, a) in variants(kind, a)


def test_name_variants_first_and_last() -> None:
    assert variants("name", "José María García") == {"garcia jose maria", "garcia jose"}
    # "Last, First Middle" is reordered before the middle names are dropped.
    assert variants("name", "García, José María") == {"garcia jose maria", "garcia jose"}
    assert variants("name", "José García") == {"garcia jose"}


def test_organizer_spelling_matches_a_committee_variant() -> None:
    assert canonical("name", "Jose Garcia") in variants("name", "Dr. José María García")


def test_other_kinds_have_one_variant() -> None:
    assert variants("email", "J.Ane@gmail.com") == {"jane@gmail.com"}
    assert variants("github", "@octocat") == {"octocat"}


# ---------------------------------------------------------------------------
# Properties

# Characters that carry no visible content and must never change a match.
FORMAT_CHARS = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\U000e0001\U000e0041"
)

any_text = st.text(max_size=200)
kinds = st.sampled_from(KINDS)


def _outcome(kind: str, value: str) -> str | None:
    try:
        return canonical(kind, value)
    except InvalidIdentifier:
        return None


@given(kinds, any_text)
def test_total_on_arbitrary_text(kind: str, value: str) -> None:
    # A string or InvalidIdentifier, nothing else, whatever the input.
    try:
        result = canonical(kind, value)
    except InvalidIdentifier:
        return
    assert isinstance(result, str)
    assert result


@given(identifiers())
def test_idempotent(pair: tuple[str, str]) -> None:
    kind, value = pair
    result = _outcome(kind, value)
    assume(result is not None)
    assert result is not None
    assert canonical(kind, result) == result
    assert canonical(kind, result) in variants(kind, result)


@given(any_text)
def test_name_output_shape(value: str) -> None:
    result = _outcome("name", value)
    assume(result is not None)
    assert result is not None
    assert re.fullmatch(r"[a-z0-9]+( [a-z0-9]+)*", result)
    assert result.split() == sorted(result.split())


@given(identifiers(), st.sampled_from(["upper", "lower", "swapcase", "title"]))
def test_invariant_under_case_changes(pair: tuple[str, str], change: str) -> None:
    kind, value = pair
    changed = getattr(value, change)()
    # A case mapping that Unicode caseless matching does not undo changes
    # the letter, not its case (Turkish dotless ı upper-cases to I).
    assume(changed.casefold() == value.casefold())
    assume(len(changed) <= MAX_INPUT_CHARS)
    assert _outcome(kind, changed) == _outcome(kind, value)


@given(identifiers(), st.lists(st.tuples(st.integers(0, 200), st.sampled_from(FORMAT_CHARS))))
def test_invariant_under_format_characters(
    pair: tuple[str, str], inserts: list[tuple[int, str]]
) -> None:
    kind, value = pair
    changed = value
    for position, char in inserts:
        position %= len(changed) + 1
        changed = changed[:position] + char + changed[position:]
    assume(len(changed) <= MAX_INPUT_CHARS)
    assert _outcome(kind, changed) == _outcome(kind, value)


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@given(identifiers(), st.sampled_from(["NFC", "NFD", "NFKC", "NFKD", "fullwidth"]))
def test_invariant_under_compatibility_forms(pair: tuple[str, str], form: str) -> None:
    kind, value = pair
    changed = (
        _fullwidth(value) if form == "fullwidth" else unicodedata.normalize(form, value)  # type: ignore[arg-type]
    )
    assume(len(changed) <= MAX_INPUT_CHARS)
    assert _outcome(kind, changed) == _outcome(kind, value)


_LOOKALIKES = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і"}
latin_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=40)


@given(latin_names, st.data())
def test_invariant_under_cyrillic_lookalikes(value: str, data: st.DataObject) -> None:
    # Look-alikes are read as Latin in a word that keeps a Latin letter; a
    # word whose every letter is swapped is Cyrillic ("Пётр Ivanov").
    def swap(word: str) -> str:
        mask = [c in _LOOKALIKES and data.draw(st.booleans()) for c in word]
        if word and all(mask):
            return word
        return "".join(_LOOKALIKES[c] if m else c for c, m in zip(word, mask, strict=True))

    swapped = " ".join(swap(word) for word in value.split(" "))
    assert _outcome("name", swapped) == _outcome("name", value)


_TOKENS = st.from_regex(r"[A-Z][a-z]{1,8}", fullmatch=True).filter(
    lambda t: t.lower() not in HONORIFICS
)


@given(st.lists(_TOKENS, min_size=2, max_size=4))
def test_name_token_order_does_not_matter(tokens: list[str]) -> None:
    assert canonical("name", " ".join(tokens)) == canonical("name", " ".join(reversed(tokens)))
    # "Last, First ..." is the same person as "First ... Last".
    assert canonical("name", f"{tokens[-1]}, {' '.join(tokens[:-1])}") == canonical(
        "name", " ".join(tokens)
    )


@given(identifiers())
def test_variants_contain_canonical(pair: tuple[str, str]) -> None:
    kind, value = pair
    result = _outcome(kind, value)
    assume(result is not None)
    assert result in variants(kind, value)


@given(st.sampled_from(["email", "github", "twitter", "mastodon"]), st.text(max_size=60))
def test_split_values_splits_addresses_and_handles_on_separators_only(kind: str, text: str) -> None:
    from coc_hashscreen.core import split_values

    parts = split_values(kind, text)
    assert all(part and not any(c.isspace() or c in ",;" for c in part) for part in parts)
    assert "".join(parts) == "".join(c for c in text if not (c.isspace() or c in ",;"))


@given(st.text(max_size=60))
def test_split_values_keeps_a_name_whole(text: str) -> None:
    from coc_hashscreen.core import split_values

    assert split_values("name", text) == ([text.strip()] if text.strip() else [])
