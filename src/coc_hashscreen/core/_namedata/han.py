"""Chinese personal names written in Han characters, and their pinyin.

The organizer's canonical form for a Han name is ``han_name``: the surname's
pinyin and the given name's pinyin joined into one token, lower-case ASCII
without tones.  What ``han_name`` returns is frozen with normalization
profile v2: the same word gives the same pair in every later release, so
none of the tables it reads (``COMPOUND_SURNAMES``, ``SURNAME_READINGS``,
``_CHAR_READINGS``) may change once released.  ``han_variants`` serves only
the committee and may grow.

Sources: readings are unidecode's per-character Mandarin transliterations
(the ``unidecode`` package) except where the tables here override them;
the compound surnames, the surname readings, the corrections to unidecode
and the Latin spellings of surnames (Wade–Giles as used in Taiwan, Hong Kong
Cantonese, Hokkien and Teochew as used in Singapore and Malaysia, i.e. the
usual passport spellings) were compiled by hand.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Final

from unidecode import unidecode

MAX_VARIANTS: Final = 32

# Code point ranges of the CJK Unified Ideographs and their extensions
# A to I.  Compatibility ideographs are not listed: NFKC maps all but a
# dozen onto these, and unidecode has no reading for those dozen.
_HAN_RANGES: Final = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2EE5F),
    (0x30000, 0x323AF),
)

# (simplified, traditional, pinyin).  Only the well-known compounds: every
# entry makes ``han_name`` split three- and four-character names after two
# characters, and that split is frozen.
_COMPOUNDS: Final = (
    ("欧阳", "歐陽", "ouyang"),
    ("司马", "司馬", "sima"),
    ("上官", "上官", "shangguan"),
    ("诸葛", "諸葛", "zhuge"),
    ("东方", "東方", "dongfang"),
    ("皇甫", "皇甫", "huangfu"),
    ("尉迟", "尉遲", "yuchi"),
    ("公孙", "公孫", "gongsun"),
    ("慕容", "慕容", "murong"),
    ("令狐", "令狐", "linghu"),
    ("长孙", "長孫", "zhangsun"),
    ("宇文", "宇文", "yuwen"),
    ("司徒", "司徒", "situ"),
    ("夏侯", "夏侯", "xiahou"),
    ("端木", "端木", "duanmu"),
    ("轩辕", "軒轅", "xuanyuan"),
    ("独孤", "獨孤", "dugu"),
    ("南宫", "南宮", "nangong"),
    ("西门", "西門", "ximen"),
    ("百里", "百里", "baili"),
    ("呼延", "呼延", "huyan"),
    ("万俟", "萬俟", "moqi"),
    ("澹台", "澹臺", "tantai"),
    ("公冶", "公冶", "gongye"),
    ("太史", "太史", "taishi"),
    ("申屠", "申屠", "shentu"),
    ("闻人", "聞人", "wenren"),
    ("赫连", "赫連", "helian"),
    ("钟离", "鍾離", "zhongli"),
    ("宗政", "宗政", "zongzheng"),
    ("濮阳", "濮陽", "puyang"),
    ("淳于", "淳于", "chunyu"),
    ("单于", "單于", "chanyu"),
    ("第五", "第五", "diwu"),
    ("拓跋", "拓跋", "tuoba"),
    ("乐正", "樂正", "yuezheng"),
    ("司空", "司空", "sikong"),
)

COMPOUND_SURNAMES: Final[frozenset[str]] = frozenset(
    form for simplified, traditional, _ in _COMPOUNDS for form in (simplified, traditional)
)

# Single characters read differently as a surname than in other words (or
# than unidecode reads them).  (characters, pinyin).
_SURNAME_CHARS: Final = (
    ("单單", "shan"),
    ("曾", "zeng"),
    ("解", "xie"),
    ("区區", "ou"),
    ("仇", "qiu"),
    ("查", "zha"),
    ("朴", "piao"),
    ("盖蓋", "ge"),
    ("乐樂", "yue"),
    ("覃", "qin"),
    ("翟", "zhai"),
    ("缪繆", "miao"),
    ("种種", "chong"),
    ("秘", "bi"),
    ("员員", "yun"),
    ("隗", "wei"),
    ("燕", "yan"),
    ("柏", "bai"),
    ("贲賁", "ben"),
    ("宓", "mi"),
    ("沈", "shen"),
    ("阚闞", "kan"),
    ("纪紀", "ji"),
    ("祭", "zhai"),
    ("召", "shao"),
    ("洗", "xian"),
    ("折", "she"),
    ("句", "gou"),
    ("重", "chong"),
    ("乜", "nie"),
    ("繁", "po"),
    ("能", "nai"),
)

SURNAME_READINGS: Final[Mapping[str, str]] = MappingProxyType(
    {char: pinyin for chars, pinyin in _SURNAME_CHARS for char in chars}
    | {
        form: pinyin
        for simplified, traditional, pinyin in _COMPOUNDS
        for form in (simplified, traditional)
    }
)

# Characters common in names for which unidecode gives an archaic or rare
# reading (mostly simplified forms that merged with an older character):
# 宁 is ning, not zhu; 万 wan, not mo; 叶 ye, not xie.
_CHAR_READINGS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "娜": "na",
        "宁": "ning",
        "寧": "ning",
        "万": "wan",
        "叶": "ye",
        "葉": "ye",
        "洁": "jie",
        "乾": "qian",
        "广": "guang",
        "价": "jia",
        "厂": "chang",
        "术": "shu",
        "适": "shi",
        "晟": "sheng",
    }
)

# Latin spellings of surnames other than pinyin: Wade–Giles (Taiwan),
# Cantonese (Hong Kong), Hokkien and Teochew (Singapore, Malaysia).
# (characters, spellings); the pinyin is always a variant as well.
_LATIN_SPELLINGS: Final = (
    ("王", ("wong", "ong")),
    ("陈陳", ("chan", "chen", "tan")),
    ("张張", ("chang", "cheung", "teo")),
    ("李", ("lee",)),
    ("黄黃", ("wong", "ng", "wee")),
    ("刘劉", ("lau",)),
    ("林", ("lim", "lam")),
    ("吴吳", ("wu", "ng", "goh")),
    ("郑鄭", ("cheng", "tay")),
    ("周", ("chou", "chow")),
    ("徐", ("hsu", "tsui")),
    ("谢謝", ("hsieh", "tse", "chia")),
    ("许許", ("hsu", "hui", "koh")),
    ("杨楊", ("yeung", "yeo")),
    ("赵趙", ("chao", "chiu")),
    ("孙孫", ("suen",)),
    ("蔡", ("tsai", "choi", "chua")),
    ("邓鄧", ("teng", "tang")),
    ("曾", ("tseng", "tsang")),
    ("萧蕭", ("hsiao", "siu")),
    ("郭", ("kuo", "kwok")),
    ("何", ("ho",)),
    ("梁", ("leung",)),
    ("宋", ("sung",)),
    ("罗羅", ("lo", "law")),
    ("叶葉", ("yeh", "yip")),
    ("钟鍾", ("chung",)),
    ("胡", ("wu",)),
    ("朱", ("chu",)),
    ("高", ("kao", "ko")),
    ("马馬", ("mah",)),
    ("蒋蔣", ("chiang",)),
    ("江", ("chiang", "kong")),
    ("洪", ("hung", "ang")),
    ("董", ("tung",)),
    ("潘", ("poon",)),
    ("袁", ("yuen",)),
    ("冯馮", ("fung",)),
    ("关關", ("kuan", "kwan")),
    ("苏蘇", ("so",)),
    ("钱錢", ("chien", "chin")),
    ("崔", ("tsui", "chui")),
    ("曹", ("tsao", "tso")),
    ("杜", ("tu", "to")),
    ("卢盧", ("lo",)),
    ("莫", ("mok",)),
    ("麦麥", ("mak",)),
    ("黎", ("lai",)),
    ("邝鄺", ("kwong",)),
    ("区區", ("au",)),
    ("韩韓", ("hon",)),
    ("邱", ("chiu", "yau")),
    ("吕呂", ("lyu", "lui")),
    ("石", ("shih", "shek")),
    ("庄莊", ("chuang", "chong")),
    ("唐", ("tong",)),
    ("陆陸", ("luk",)),
)

_COMPOUND_SPELLINGS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "欧阳": ("auyeung",),
        "歐陽": ("auyeung",),
        "司徒": ("szeto",),
        "上官": ("shangkuan",),
    }
)

_SPELLINGS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {char: spellings for chars, spellings in _LATIN_SPELLINGS for char in chars}
    | dict(_COMPOUND_SPELLINGS)
)


def _is_han(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _HAN_RANGES)


def _pinyin(char: str) -> str:
    """One character's reading, or "" where unidecode has none."""
    reading = _CHAR_READINGS.get(char)
    if reading is None:
        reading = "".join(c for c in unidecode(char).lower() if "a" <= c <= "z")
    return reading


def word_pinyin(word: str) -> str:
    """A Han word of a name written in several words, read as one word.

    A one-character word is read as a surname where its surname reading
    differs ("曾" zeng, "单" shan: a surname stands alone when a name comes
    in given and family fields); other characters by the corrected table,
    then unidecode.  Frozen with profile v2.
    """
    chars = unicodedata.normalize("NFKC", word)
    if len(chars) == 1 and chars in SURNAME_READINGS:
        return SURNAME_READINGS[chars]
    return "".join(_pinyin(c) for c in chars if _is_han(c))


def _surname_pinyin(surname: str) -> str:
    reading = SURNAME_READINGS.get(surname)
    if reading is None:
        reading = _pinyin(surname) if len(surname) == 1 else ""
    return reading


def _han_chars(word: str) -> str | None:
    chars = unicodedata.normalize("NFKC", word)
    if not 2 <= len(chars) <= 4 or not all(_is_han(c) for c in chars):
        return None
    return chars


def _split(chars: str) -> tuple[str, str]:
    """Surname and given name; a two-character word is always one of each."""
    if len(chars) >= 3 and chars[:2] in COMPOUND_SURNAMES:
        return chars[:2], chars[2:]
    return chars[:1], chars[1:]


def _readings(surname: str, given: str) -> tuple[str, tuple[str, ...]] | None:
    """Pinyin of the surname and of each given-name character, or None if one is unknown."""
    family = _surname_pinyin(surname)
    syllables = tuple(_pinyin(c) for c in given)
    if not family or not all(syllables):
        return None
    return family, syllables


def han_name(word: str) -> tuple[str, str] | None:
    """(surname pinyin, given name pinyin as one token) of a 2–4 character Han word.

    None for anything else, and for characters unidecode cannot read (so
    that an unread character never silently shortens a given name).
    """
    chars = _han_chars(word)
    if chars is None:
        return None
    readings = _readings(*_split(chars))
    if readings is None:
        return None
    family, syllables = readings
    return family, "".join(syllables)


def _given_forms(syllables: tuple[str, ...]) -> list[tuple[str, ...]]:
    # A hyphenated given name ("Xiao-ming") collapses to the joined form.
    forms: list[tuple[str, ...]] = [("".join(syllables),)]
    if len(syllables) > 1:
        forms.append(syllables)
    return forms


def _surname_forms(surname: str, family: str) -> list[tuple[str, ...]]:
    forms: list[tuple[str, ...]] = [(family,)]
    forms.extend((spelling,) for spelling in _SPELLINGS.get(surname, ()))
    if len(surname) == 2:
        # "Ou Yang" for 欧阳, next to "Ouyang" and "Ou-yang".
        forms.append(tuple(_pinyin(c) for c in surname))
    return forms


def _splits(chars: str) -> Iterator[tuple[str, str]]:
    yield _split(chars)
    if len(chars) >= 3 and chars[:2] in COMPOUND_SURNAMES:
        # The compound may be a one-character surname and a given name
        # that happens to start with the second character (乐正华: 乐 正华).
        yield chars[:1], chars[1:]


def _variants(chars: str) -> Iterator[tuple[str, ...]]:
    for surname, given in _splits(chars):
        readings = _readings(surname, given)
        if readings is None:
            continue
        family, syllables = readings
        for surname_form in _surname_forms(surname, family):
            for given_form in _given_forms(syllables):
                yield surname_form + given_form


def han_variants(word: str) -> frozenset[tuple[str, ...]]:
    """Token tuples a person might write in Latin script for a Han name (committee side).

    Surname first, then the given name joined or split into syllables;
    the surname in pinyin or in one of its usual non-pinyin spellings.
    Includes ``han_name``'s pair; empty where ``han_name`` is None; at most
    ``MAX_VARIANTS`` tuples, the most usual first when cut.
    """
    chars = _han_chars(word)
    if chars is None or han_name(chars) is None:
        return frozenset()
    found: dict[tuple[str, ...], None] = {}
    for variant in _variants(chars):
        found.setdefault(variant)
        if len(found) == MAX_VARIANTS:
            break
    return frozenset(found)
