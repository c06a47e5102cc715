"""Normalization profiles: identifiers to canonical forms.

Pure functions, no I/O.  The output of a profile for a given input must never
change once released: the committee hashes canonical forms into a published
list and organizers must compute the very same strings.  A change of output is
a new profile, with its own frozen vectors in ``tests/vectors/``.  Profile
``v1`` is this module's; ``v2`` (the default for new lists, ADR 0020) takes
its names from `_names_v2` and its variants from `_variants_v2`, and reads
e-mail addresses and handles as v1 does after its own cleaning.

The rules, with examples and known limits, are in ``docs/normalization.md``.
"""

from __future__ import annotations

import encodings.idna
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Final

from unidecode import unidecode

from ..errors import InvalidIdentifier, UnknownKind
from . import _names_v2, _variants_v2
from ._namedata import japanese

__all__ = [
    "KINDS",
    "PROFILE",
    "PROFILES",
    "STRONG_KINDS",
    "canonical",
    "check_kind",
    "check_profile",
    "explain_variants",
    "has_mixed_scripts",
    "split_values",
    "variant_notes",
    "variants",
]

PROFILE: Final = "v2"
PROFILES: Final = frozenset({"v1", "v2"})
KINDS: Final = ("name", "email", "github", "twitter", "mastodon")
# A match on one of these identifies an account, not a string that many
# people may share; a match on a name alone is "name-only".
STRONG_KINDS: Final = frozenset({"email", "github", "twitter", "mastodon"})

# Longest input we look at.  Real identifiers are far shorter; the bound keeps
# hostile input from costing more than a few milliseconds.
MAX_INPUT_CHARS: Final = 1024

# Honorifics, post-nominal letters and generational suffixes dropped from
# names.  Closed and part of profile v1: changing it changes canonical forms.
# Real given names and surnames are kept out on purpose ("ma" is a surname,
# "don" a given name, "m" an initial).
HONORIFICS: Final = frozenset(
    {
        "dr", "prof", "mr", "mrs", "ms", "mx", "miss", "mstr", "sir", "dame",
        "rev", "mme", "mlle", "herr", "frau", "jr", "sr", "ii", "iii", "iv",
        "phd", "md", "dphil", "msc", "bsc", "esq",
    }
)  # fmt: skip

# Cyrillic and Greek letters that look like a Latin letter (after Unicode's
# confusables.txt), keyed by their case-folded form so that the mapping
# commutes with case changes.  Where the capital and the small letter imitate
# different Latin letters (Greek Ν/ν, Η/η, Υ/υ, Μ/μ), the capital's look wins:
# names begin with a capital.  Applied only to words that also contain a
# Latin letter; other words are transliterated.
_CONFUSABLES: Final = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i",
        "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ү": "y", "һ": "h", "ӏ": "l",
        # Greek
        "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "h", "ι": "i", "κ": "k",
        "μ": "m", "ν": "n", "ο": "o", "ρ": "p", "τ": "t", "υ": "y", "χ": "x",
        "ϲ": "c",
    }
)  # fmt: skip

_DROPPED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_SPACE_CATEGORIES: Final = frozenset({"Zs", "Zl", "Zp"})
_NOT_ALNUM: Final = re.compile(r"[^a-z0-9]+")
_APOSTROPHES: Final = re.compile(r"['`]")


def _fail(kind: str, rule: str) -> InvalidIdentifier:
    return InvalidIdentifier(kind, rule)


def check_kind(kind: str) -> str:
    """Return *kind* if it is a known identifier kind, else raise `UnknownKind`."""
    if kind not in KINDS:
        raise UnknownKind(
            f"unknown identifier kind {kind[:40]!r}; the kinds are: {', '.join(KINDS)}"
        )
    return kind


_VALUE_SEPARATORS: Final = re.compile(r"[\s,;]+")


def split_values(kind: str, text: str) -> list[str]:
    """The identifiers one cell or argument holds: a name whole; e-mail addresses and
    handles, which hold no spaces, commas or semicolons, split on them.

    What `screen` reads from a cell of two addresses, `committee add`
    takes from one ``--email`` value: one rule for both.
    """
    text = text.strip()
    if not text:
        return []
    if kind in ("name", "given", "family"):
        return [text]
    return [part for part in _VALUE_SEPARATORS.split(text) if part]


def check_profile(profile: str) -> str:
    """Return *profile* if this release implements it.

    Raises `UnknownProfile` otherwise: a list hashed under a profile we do not
    know would silently match nobody.
    """
    from ..errors import UnknownProfile

    if profile not in PROFILES:
        raise UnknownProfile(
            f"normalization profile {profile[:20]!r} is not known to this release "
            f"(known: {', '.join(sorted(PROFILES))}); upgrade coc-hashscreen"
        )
    return profile


def _clean(kind: str, value: str, profile: str = "v1") -> str:
    """NFKC, then drop invisible characters and unify whitespace (v2: `_names_v2.clean`).

    Format characters (zero-width space and joiners, bidi controls, soft
    hyphen, tag characters), controls, surrogates, private-use and unassigned
    code points are dropped wherever they are; every kind of whitespace
    becomes one ASCII space.
    """
    if profile != "v1":
        return _names_v2.clean(kind, value)
    if not isinstance(value, str):
        raise _fail(kind, f"expected text, got {type(value).__name__}")
    if len(value) > MAX_INPUT_CHARS:
        raise _fail(kind, f"longer than {MAX_INPUT_CHARS} characters")
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", value):
        if ch.isspace():
            out.append(" ")
            continue
        category = unicodedata.category(ch)
        if category in _SPACE_CATEGORIES:
            out.append(" ")
        elif category not in _DROPPED_CATEGORIES:
            out.append(ch)
    return "".join(out)


def _fold(text: str) -> str:
    # casefold() can leave text that is no longer NFKC ("ǰ" -> "ǰ"); fold
    # until stable so that the function is idempotent.
    folded = unicodedata.normalize("NFKC", text.casefold())
    return unicodedata.normalize("NFKC", folded.casefold())


def _has_latin_letter(text: str) -> bool:
    for ch in text:
        if ch.isascii():
            if ch.isalpha():
                return True
        elif ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN "):
            return True
    return False


def _unconfuse(text: str) -> str:
    """Map case-folded Cyrillic/Greek look-alikes to Latin, word by word.

    Only in a word that also contains a Latin letter: "Jоhn" (Cyrillic о)
    is an attempt to look like "John", while "Пётр Ivanov" is a Russian
    given name beside a Latin surname, and "Вера" a real name that happens
    to be all look-alikes.
    """
    return " ".join(
        word.translate(_CONFUSABLES) if _has_latin_letter(word) else word
        for word in text.split(" ")
    )


# ---------------------------------------------------------------------------
# name


def _name_tokens(kind: str, value: str) -> list[list[str]]:
    """Split a name into comma-separated parts of ASCII tokens, honorifics dropped.

    Parts keep reading order; `canonical` sorts them away, `variants` needs
    them to find the first and the last name.
    """
    text = _unconfuse(_fold(_clean(kind, value)))
    ascii_text = unidecode(text).lower()
    ascii_text = _APOSTROPHES.sub("", ascii_text)
    parts: list[list[str]] = []
    for chunk in ascii_text.split(","):
        tokens = [t for t in _NOT_ALNUM.split(chunk) if t and t not in HONORIFICS]
        if tokens:
            parts.append(tokens)
    if not parts:
        raise _fail(kind, "no letters or digits left after normalization")
    return parts


def _reading_order(parts: list[list[str]]) -> list[str]:
    # "García López, José María" is surname(s), given name(s): exactly two
    # non-empty comma parts are swapped.  Any other shape keeps its order.
    if len(parts) == 2:
        return parts[1] + parts[0]
    return [token for part in parts for token in part]


def _join(tokens: Iterable[str]) -> str:
    return " ".join(sorted(tokens))


def _canonical_name(value: str) -> str:
    return _join(t for part in _name_tokens("name", value) for t in part)


def _name_variants(value: str) -> frozenset[str]:
    tokens = _reading_order(_name_tokens("name", value))
    keys = {_join(tokens)}
    if len(tokens) >= 3:
        # First and last name without the middle names: "José María García"
        # is often listed as "José García".
        keys.add(_join((tokens[0], tokens[-1])))
    return frozenset(keys)


# ---------------------------------------------------------------------------
# domains (e-mail and mastodon)

_LDH_LABEL: Final = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def _domain(kind: str, text: str) -> str:
    """Lower-case ASCII (IDNA) form of a domain name; Unicode = punycode."""
    text = text.rstrip(".")
    if not text:
        raise _fail(kind, "the domain is empty")
    if text.startswith("["):
        raise _fail(kind, "IP-address domains are not supported")
    labels = text.split(".")
    if len(labels) < 2:
        raise _fail(kind, "the domain needs at least one dot")
    out: list[str] = []
    for label in labels:
        if not label:
            raise _fail(kind, "the domain has an empty label (two dots in a row)")
        try:
            if label.isascii() and not label.startswith("xn--"):
                ascii_label = label
            else:
                # A punycode label is decoded and re-encoded, so that a
                # Unicode spelling and its punycode compare equal.
                unicode_label = (
                    encodings.idna.ToUnicode(label.encode("ascii")) if label.isascii() else label
                )
                unicode_label = _fold(unicode_label)
                ascii_label = encodings.idna.ToASCII(unicode_label).decode("ascii")
        except (UnicodeError, ValueError):
            raise _fail(kind, "the domain is not a valid internationalized domain name") from None
        ascii_label = ascii_label.lower()
        if not _LDH_LABEL.fullmatch(ascii_label):
            raise _fail(kind, "a domain label has characters other than letters, digits and -")
        out.append(ascii_label)
    if out[-1].isdigit():
        raise _fail(kind, "IP-address domains are not supported")
    domain = ".".join(out)
    if len(domain) > 253:
        raise _fail(kind, "the domain is longer than 253 characters")
    return domain


# ---------------------------------------------------------------------------
# email

_GMAIL_DOMAINS: Final = frozenset({"gmail.com", "googlemail.com"})
_LOCAL_SPECIALS: Final = frozenset("!#$%&'*/=?^_`{|}~-.")


def _canonical_email(value: str, profile: str = "v1") -> str:
    kind = "email"
    text = _fold(_clean(kind, value, profile)).strip()
    if text.startswith("mailto:"):
        text = text[len("mailto:") :]
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    if not text:
        raise _fail(kind, "empty")
    if " " in text:
        raise _fail(kind, "an address contains no spaces")
    local, at, domain = text.rpartition("@")
    if not at:
        raise _fail(kind, "no @ between the local part and the domain")
    if not local:
        raise _fail(kind, "nothing before the @")
    if '"' in local or "@" in local:
        raise _fail(kind, "quoted local parts are not supported")
    if local.startswith(".") or local.endswith(".") or ".." in local:
        raise _fail(kind, "dots in the local part must separate non-empty pieces")
    for ch in local:
        if not (ch.isalnum() or ch in _LOCAL_SPECIALS or ch == "+"):
            raise _fail(kind, "the local part has a character not allowed in addresses")
    local = local.partition("+")[0]
    if not local:
        raise _fail(kind, "nothing before the +tag")
    domain = _domain(kind, domain)
    if domain in _GMAIL_DOMAINS:
        # Gmail ignores dots in the local part and serves both domains.
        local = local.replace(".", "")
        domain = "gmail.com"
    if len(local.encode("utf-8")) > 64:
        raise _fail(kind, "the local part is longer than 64 bytes")
    return f"{local}@{domain}"


# ---------------------------------------------------------------------------
# handles

_URL: Final = re.compile(r"(?:https?://)?(?P<host>[^/?#]+)(?P<path>/[^?#]*)?(?:[?#].*)?")


def _handle_text(kind: str, value: str, profile: str) -> str:
    # Handles are ASCII on every service we know, so a look-alike letter
    # can only mean the Latin letter it imitates: v1 knows 36 of them, v2
    # Unicode's whole table.
    if profile == "v1":
        text = _fold(_clean(kind, value)).translate(_CONFUSABLES).strip()
    else:
        text = _fold(_names_v2.unconfuse_handle(_clean(kind, value, profile))).strip()
    if not text:
        raise _fail(kind, "empty")
    if " " in text:
        raise _fail(kind, "a handle contains no spaces")
    return text


def _profile_path(kind: str, text: str, hosts: frozenset[str]) -> str | None:
    """The single path segment of a profile URL on one of *hosts*, if *text* is one."""
    match = _URL.fullmatch(text)
    if match is None or "." not in match["host"]:
        return None
    host = match["host"].removeprefix("www.")
    if host not in hosts:
        if "://" in text or match["path"]:
            raise _fail(kind, "a profile URL on a host that is not this service")
        return None
    segments = [s for s in (match["path"] or "").split("/") if s]
    if len(segments) != 1:
        raise _fail(kind, "a profile URL has exactly one path segment: the user name")
    return segments[0]


def _handle(
    kind: str, value: str, hosts: frozenset[str], syntax: re.Pattern[str], profile: str
) -> str:
    text = _handle_text(kind, value, profile)
    user = _profile_path(kind, text, hosts)
    if user is None:
        user = text
    user = user.removeprefix("@")
    if not syntax.fullmatch(user):
        raise _fail(kind, "not a valid user name on this service")
    return user


_GITHUB_HOSTS: Final = frozenset({"github.com"})
# 1-39 of letters, digits and hyphens, not starting with one.  GitHub no
# longer allows a trailing or double hyphen but old accounts still have them.
_GITHUB_USER: Final = re.compile(r"[a-z0-9][a-z0-9-]{0,38}")
_TWITTER_HOSTS: Final = frozenset({"twitter.com", "x.com", "mobile.twitter.com", "mobile.x.com"})
_TWITTER_USER: Final = re.compile(r"[a-z0-9_]{1,15}")
# Mastodon's own USERNAME_RE.
_MASTODON_USER: Final = re.compile(r"[a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?")


def _canonical_github(value: str, profile: str = "v1") -> str:
    return _handle("github", value, _GITHUB_HOSTS, _GITHUB_USER, profile)


def _canonical_twitter(value: str, profile: str = "v1") -> str:
    return _handle("twitter", value, _TWITTER_HOSTS, _TWITTER_USER, profile)


def _canonical_mastodon(value: str, profile: str = "v1") -> str:
    kind = "mastodon"
    text = _handle_text(kind, value, profile).removeprefix("acct:")
    if "/" not in text:
        user, at, host = text.removeprefix("@").partition("@")
        if not at:
            raise _fail(kind, "a Mastodon handle is user@host or a profile URL")
    else:
        match = _URL.fullmatch(text)
        segments = [s for s in ((match and match["path"]) or "").split("/") if s]
        if match is None or not segments:
            raise _fail(kind, "a Mastodon handle is user@host or a profile URL")
        host = match["host"]
        if len(segments) == 1 and segments[0].startswith("@"):
            user = segments[0][1:]
        elif len(segments) == 2 and segments[0] == "users":
            user = segments[1]
        else:
            raise _fail(kind, "a Mastodon profile URL is https://host/@user")
    if len(user) > 64 or not _MASTODON_USER.fullmatch(user):
        raise _fail(kind, "not a valid Mastodon user name")
    return f"{user}@{_domain(kind, host)}"


# ---------------------------------------------------------------------------
# public entry points


def _canonical_name_of(value: str, profile: str = "v1") -> str:
    if profile == "v1":
        return _canonical_name(value)
    return _names_v2.canonical_name(value)


_CANONICAL: Final[dict[str, Callable[[str, str], str]]] = {
    "name": _canonical_name_of,
    "email": _canonical_email,
    "github": _canonical_github,
    "twitter": _canonical_twitter,
    "mastodon": _canonical_mastodon,
}


def canonical(kind: str, value: str, *, profile: str = PROFILE) -> str:
    """The one canonical form of an identifier: what an organizer hashes.

    >>> canonical("name", "  Dr. GARCÍA, José ")
    'garcia jose'
    >>> canonical("email", "Jose.Garcia+dcus@GoogleMail.com")
    'josegarcia@gmail.com'

    Raises `UnknownKind` for a kind not in `KINDS`, `UnknownProfile` for a
    profile this release does not implement, and `InvalidIdentifier` when
    nothing usable is left or the syntax is wrong for the kind.
    """
    check_profile(profile)
    return _CANONICAL[check_kind(kind)](value, profile)


def variants(kind: str, value: str, *, profile: str = PROFILE) -> frozenset[str]:
    """Every key the committee publishes for one of a record's identifiers.

    Always contains ``canonical(kind, value, profile=profile)``.  Under v1,
    names of three or more tokens add first + last name without the middle
    names; under v2, names get the spellings of `_variants_v2` (each key
    with the rule that made it: `explain_variants`).  Other kinds have
    exactly one key.  Variants exist on the committee side only, so that an
    organizer still pays one Argon2 call per identifier.
    """
    check_profile(profile)
    if check_kind(kind) != "name":
        return frozenset({_CANONICAL[kind](value, profile)})
    if profile == "v1":
        return _name_variants(value)
    return frozenset(_variants_v2.name_variants(value))


def has_mixed_scripts(value: str) -> bool:
    """Whether a name still mixes Latin with another script once look-alikes read as Latin.

    Such a name ("Jоhn" with a letter no table maps) may be an attempt to
    dodge screening: worth a look by a person.  Profile v2's rule.
    """
    return _names_v2.has_mixed_scripts(value)


def variant_notes(kind: str, value: str, *, profile: str = PROFILE) -> tuple[str, ...]:
    """What the committee should know about an identifier's variants, one line each.

    A name whose spellings reach `MAX_NAME_KEYS` publishes only the first of
    them; a name in Han characters gets no Japanese readings without the
    ``japanese`` extra.  Empty for other kinds and for profile v1.
    """
    check_profile(profile)
    if check_kind(kind) != "name" or profile == "v1":
        return ()
    notes = []
    if len(_variants_v2.name_variants(value)) >= _variants_v2.MAX_NAME_KEYS:
        notes.append(
            f"a name has more spellings than the {_variants_v2.MAX_NAME_KEYS} keys published "
            "for it; the most likely ones are published"
        )
    if _names_v2.has_han(value) and not japanese.available():
        notes.append(
            "a name in Han characters is published without its Japanese readings; install "
            "coc-hashscreen[japanese] to add them"
        )
    return tuple(notes)


def explain_variants(kind: str, value: str, *, profile: str = PROFILE) -> dict[str, str]:
    """`variants`, each key with the rule that made it ("canonical" for the organizer's form)."""
    check_profile(profile)
    if check_kind(kind) == "name" and profile != "v1":
        return dict(_variants_v2.name_variants(value))
    found = variants(kind, value, profile=profile)
    first = canonical(kind, value, profile=profile)
    return {key: "canonical" if key == first else "first and last name" for key in found}
