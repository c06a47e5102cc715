"""Korean personal names written in Hangul, and their romanizations.

The organizer's canonical form for a Hangul name is ``hangul_name``: the
surname's usual spelling and the given name in Revised Romanization, joined
into one token.  What ``hangul_name`` (and so ``romanize_rr`` and the first
spelling of each ``SURNAMES`` entry) returns is frozen with normalization
profile v2.  ``hangul_variants`` serves only the committee and may grow.

Sources: Revised Romanization of Korean, Ministry of Culture and Tourism
notice 2000-8 (7 July 2000), applied syllable by syllable without the sound
changes between syllables, as its rule for personal names allows; the
McCune–Reischauer (1939) and popular spellings of given names, without
diacritics or apostrophes, as commonly written in passports; surname
spellings: the usual passport spellings, compiled by hand.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Final

MAX_VARIANTS: Final = 32

_FIRST: Final = 0xAC00
_LAST: Final = 0xD7A3
_MEDIALS: Final = 21
_FINALS: Final = 28

# In the Unicode order of the syllable block's initials, medials and finals.
_RR_INITIALS: Final = (
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s",
    "ss", "", "j", "jj", "ch", "k", "t", "p", "h",
)  # fmt: skip
_RR_MEDIALS: Final = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae",
    "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i",
)  # fmt: skip
# Finals are romanized as pronounced at the end of a syllable: the seven
# sounds k, n, t, l, m, p, ng (RR section 2, note 2).
_RR_FINALS: Final = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l",
    "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
)  # fmt: skip

# McCune–Reischauer without breves or apostrophes: ŏ, ŭ are o, u.
_MR_INITIALS: Final = (
    "k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s",
    "ss", "", "ch", "tch", "ch", "k", "t", "p", "h",
)  # fmt: skip
_MR_MEDIALS: Final = (
    "a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae",
    "oe", "yo", "u", "wo", "we", "wi", "yu", "u", "ui", "i",
)  # fmt: skip
# MR voices k, t, p, ch after a vowel or n, m, ng, l (지훈 Chi-hun but
# 대중 Tae-jung).
_MR_VOICED: Final[Mapping[str, str]] = MappingProxyType({"k": "g", "t": "d", "p": "b", "ch": "j"})
_VOICING_FINALS: Final = frozenset({"", "n", "m", "ng", "l"})

_I_EUNG: Final = 11  # the silent initial ㅇ
_G: Final = 0  # ㄱ
_H: Final = 18  # ㅎ
_S: Final = 9  # ㅅ
_NG: Final = 21  # the final ㅇ

# Medials the popular spellings write differently from RR: ㅓ u (정 jung),
# ㅕ yu (현 hyun), ㅜ oo (준 joon), ㅠ yu; and by initial below.
_POPULAR_MEDIALS: Final[Mapping[int, str]] = MappingProxyType({4: "u", 6: "yu", 13: "oo"})

SURNAMES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "김": ("kim", "gim"),
        "이": ("lee", "yi", "rhee", "ree", "i"),
        "박": ("park", "bak", "pak"),
        "최": ("choi", "choe"),
        "정": ("jung", "jeong", "chung", "joung"),
        "강": ("kang", "gang"),
        "조": ("cho", "jo", "joe"),
        "윤": ("yoon", "yun"),
        "장": ("jang", "chang"),
        "임": ("lim", "im", "yim"),
        "한": ("han",),
        "오": ("oh", "o"),
        "서": ("seo", "suh"),
        "신": ("shin", "sin"),
        "권": ("kwon", "gwon"),
        "황": ("hwang",),
        "안": ("ahn", "an"),
        "송": ("song",),
        # 柳 and 劉 are written 류 or 유; whoever writes 류 usually spells Ryu.
        "류": ("ryu", "yoo", "yu", "you", "rhyu"),
        "유": ("yoo", "yu", "you", "ryu"),
        "전": ("jeon", "jun", "chun"),
        "홍": ("hong",),
        "고": ("ko", "go"),
        "문": ("moon", "mun"),
        "양": ("yang",),
        "손": ("son", "sohn"),
        "배": ("bae", "bai", "pae"),
        "백": ("baek", "paik", "back"),
        "허": ("heo", "hur", "huh"),
        "남": ("nam",),
        "심": ("shim", "sim"),
        "노": ("noh", "roh", "no"),
        "하": ("ha",),
        "곽": ("kwak", "gwak"),
        "성": ("sung", "seong"),
        "차": ("cha",),
        "주": ("joo", "ju", "chu"),
        "우": ("woo", "u"),
        "구": ("koo", "gu", "ku"),
        "민": ("min",),
        "진": ("jin", "chin"),
        "나": ("na", "ra"),
        "지": ("ji", "chi"),
        "엄": ("eom", "um", "uhm"),
        "채": ("chae",),
        "원": ("won",),
        "천": ("cheon", "chun"),
        "방": ("bang",),
        "공": ("kong", "gong"),
        "현": ("hyun", "hyeon"),
        "함": ("ham",),
        "변": ("byun", "byeon"),
        "염": ("yeom", "yum"),
        "여": ("yeo", "yoh"),
        "추": ("choo", "chu"),
        "도": ("do", "doh"),
        "소": ("so",),
        "석": ("seok", "suk"),
        "선": ("sun", "seon"),
        "설": ("seol", "sul"),
        "마": ("ma",),
        "길": ("gil", "kil"),
        "연": ("yeon", "yon"),
        "위": ("wi", "wee"),
        "표": ("pyo",),
        "명": ("myung", "myeong"),
        "기": ("ki", "gi"),
        "반": ("ban",),
        "왕": ("wang",),
        "금": ("keum", "geum"),
        "옥": ("ok",),
        "육": ("yuk",),
        "인": ("in",),
        "맹": ("maeng",),
        "제": ("je",),
        "모": ("mo",),
        "탁": ("tak",),
        "국": ("kook", "guk"),
        "어": ("eo",),
        "은": ("eun",),
        "편": ("pyeon",),
        "용": ("yong",),
        "경": ("kyung", "gyeong"),
        "봉": ("bong",),
        "태": ("tae",),
        "남궁": ("namgung", "namkoong"),
        "황보": ("hwangbo",),
        "제갈": ("jegal",),
        "선우": ("sunwoo", "seonu"),
        "독고": ("dokgo",),
        "사공": ("sagong",),
        "서문": ("seomun",),
    }
)


def is_hangul(word: str) -> bool:
    """Whether the word is non-empty and only precomposed Hangul syllables."""
    return bool(word) and all(_FIRST <= ord(c) <= _LAST for c in word)


def _jamo(syllable: str) -> tuple[int, int, int]:
    index = ord(syllable) - _FIRST
    return index // (_MEDIALS * _FINALS), index // _FINALS % _MEDIALS, index % _FINALS


def _rr(syllable: str) -> str:
    initial, medial, final = _jamo(syllable)
    return _RR_INITIALS[initial] + _RR_MEDIALS[medial] + _RR_FINALS[final]


def romanize_rr(syllables: str) -> str:
    """Revised Romanization, syllable by syllable; "" unless ``is_hangul``."""
    if not is_hangul(syllables):
        return ""
    return "".join(_rr(s) for s in syllables)


def _mr(syllable: str, voiced: bool) -> str:
    initial, medial, final = _jamo(syllable)
    onset = _MR_INITIALS[initial]
    if voiced and initial in (0, 3, 7, 12):  # ㄱ ㄷ ㅂ ㅈ, not ㅊ
        onset = _MR_VOICED[onset]
    if initial == _S and medial in (20, 16):  # 시 shi, 쉬 shwi
        onset = "sh"
    return onset + _MR_MEDIALS[medial] + _RR_FINALS[final]


def _mr_syllables(given: str) -> tuple[str, ...]:
    out: list[str] = []
    for index, syllable in enumerate(given):
        voiced = index > 0 and _RR_FINALS[_jamo(given[index - 1])[2]] in _VOICING_FINALS
        out.append(_mr(syllable, voiced))
    return tuple(out)


def _popular_medial(initial: int, medial: int, final: int) -> str:
    if initial == _I_EUNG:
        # 영 young (but 연 yun), 우 woo, 유 yoo, 의 eui.
        young = "you" if final == _NG else "yu"
        special = {6: young, 13: "woo", 17: "yoo", 19: "eui"}.get(medial)
        if special is not None:
            return special
    if initial == _H and medial == 19:  # 희 hee
        return "ee"
    return _POPULAR_MEDIALS.get(medial, _RR_MEDIALS[medial])


def _popular(syllable: str) -> str:
    initial, medial, final = _jamo(syllable)
    onset = "k" if initial == _G else _RR_INITIALS[initial]
    return onset + _popular_medial(initial, medial, final) + _RR_FINALS[final]


def _split(word: str) -> tuple[str, str]:
    """Surname and given name; a two-syllable surname needs a given name after it."""
    if len(word) >= 3 and word[:2] in SURNAMES:
        return word[:2], word[2:]
    return word[:1], word[1:]


def _surname_spellings(surname: str) -> tuple[str, ...]:
    return SURNAMES.get(surname, (romanize_rr(surname),))


def hangul_name(word: str) -> tuple[str, str] | None:
    """(surname's usual spelling, given name in RR) of a 2–4 syllable Hangul word, else None."""
    if not is_hangul(word) or not 2 <= len(word) <= 4:
        return None
    surname, given = _split(word)
    return _surname_spellings(surname)[0], romanize_rr(given)


def _given_spellings(given: str) -> Iterator[tuple[str, ...]]:
    styles = (
        tuple(_rr(s) for s in given),
        tuple(_popular(s) for s in given),
        _mr_syllables(given),
    )
    for syllables in styles:
        # Hyphenated ("Seo-yeon") collapses to the joined form.
        yield ("".join(syllables),)
        if len(syllables) > 1:
            yield syllables


def _surname_forms(surname: str) -> tuple[str, ...]:
    spellings = _surname_spellings(surname)
    rr = romanize_rr(surname)
    return spellings if rr in spellings else (*spellings, rr)


def _variants(word: str) -> Iterator[tuple[str, ...]]:
    surname, given = _split(word)
    for given_form in _given_spellings(given):
        for spelling in _surname_forms(surname):
            yield (spelling, *given_form)
    if len(surname) == 2:
        # 선우진 may also be 선 and 우진.
        yield (_surname_spellings(word[0])[0], romanize_rr(word[1:]))


def hangul_variants(word: str) -> frozenset[tuple[str, ...]]:
    """Token tuples a person might write in Latin script for a Hangul name (committee side).

    Surname first, then the given name joined or split into syllables, in
    RR, popular and McCune–Reischauer spellings.  Includes ``hangul_name``'s
    pair; empty where it is None; at most ``MAX_VARIANTS``, the most usual
    first when cut.
    """
    canonical = hangul_name(word)
    if canonical is None:
        return frozenset()
    found: dict[tuple[str, ...], None] = {canonical: None}
    for variant in _variants(word):
        if len(found) == MAX_VARIANTS:
            break
        found.setdefault(variant)
    return frozenset(found)
