"""Common names in Arabic script and the Latin spellings they usually have.

unidecode reads Arabic letter by letter and drops the short vowels, which
the script does not write: محمد becomes "mhmd", which no Latin register
holds.  `ARABIC_NAMES` gives some 190 common personal names and name
elements their usual Latin spellings instead, first the one most used in
English-language registers (or the ALA-LC-like one where usage is split),
then the Egyptian, Levantine, Gulf, Maghrebi (French), Persian, Urdu and
Turkish habits.

The table was compiled by hand from knowledge of how these names are
usually romanized, not copied from a dataset, and is committee data to be
reviewed by readers of Arabic, Persian and Urdu; only `arabic_name_key`,
the first spelling of each name, is meant to be frozen with a profile.

Words are compared after `_fold_arabic`: short vowels and other marks and
the tatweel dropped, hamza forms of alif and the other seats read as the
bare letter, alif maqsura as ya and ta marbuta as ha, so that أحمد, احمد
and أَحْمَد are one name.  Persian and Urdu letters (ی ک ہ ھ ۃ ے) are kept
so that Persian spellings can have their own entries (حسین: hossein first),
and are read as their Arabic counterparts only when a word is not listed
as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

__all__ = [
    "ARABIC_NAMES",
    "MAX_SPELLINGS",
    "arabic_name_key",
    "arabic_spellings",
    "is_arabic",
]

MAX_SPELLINGS: Final = 16

# fmt: off
ARABIC_NAMES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    # Particles and name elements.
    "ال": ("al", "el"),
    "بن": ("bin", "ben"),
    "ابن": ("ibn",),
    "بنت": ("bint",),
    "عبد": ("abd", "abdul", "abdel"),
    "أبو": ("abu", "abou"),
    "أم": ("umm", "um", "oum"),
    # Men's names.
    "محمد": ("muhammad", "mohammed", "mohamed", "mohammad", "mohamad", "muhammed"),
    "أحمد": ("ahmad", "ahmed"),
    "محمود": ("mahmoud", "mahmud", "mahmood"),
    "مصطفى": ("mustafa", "mostafa", "moustafa", "mustapha"),
    "علي": ("ali",),
    "حسن": ("hassan", "hasan"),
    "حسين": ("hussein", "hussain", "husain", "hossein", "husein"),
    "عمر": ("omar", "umar"),
    "عثمان": ("uthman", "othman", "osman", "usman"),
    "خالد": ("khalid", "khaled"),
    "يوسف": ("yusuf", "youssef", "yousef", "yousif"),
    "إبراهيم": ("ibrahim", "ebrahim", "ibraheem", "brahim"),
    "إسماعيل": ("ismail", "ismael", "esmail"),
    "إسحاق": ("ishaq", "ishak"),
    "يعقوب": ("yaqub", "yacoub", "yaqoob"),
    "موسى": ("musa", "moussa", "mousa"),
    "عيسى": ("issa", "isa", "eissa"),
    "هارون": ("harun", "haroun", "haroon"),
    "أيوب": ("ayoub", "ayub", "ayyub"),
    "يحيى": ("yahya", "yahia", "yehia"),
    "يونس": ("yunus", "younes", "younis"),
    "إلياس": ("ilyas", "elias", "ilias"),
    "إدريس": ("idris", "idriss", "edris"),
    "سليمان": ("sulaiman", "suleiman", "sulayman", "soliman", "slimane"),
    "داود": ("dawud", "daoud", "dawood", "daud"),
    "نوح": ("nuh", "nouh"),
    "صالح": ("salih", "saleh"),
    "زكريا": ("zakaria", "zakariya", "zakariyya"),
    "عبدالله": ("abdullah", "abdallah", "abdulla", "abdalla", "abdellah"),
    "عبدالرحمن": ("abdulrahman", "abdelrahman", "abdurrahman", "abderrahmane"),
    "عبدالعزيز": ("abdulaziz", "abdelaziz"),
    "عبدالقادر": ("abdulqadir", "abdelkader", "abdulkadir"),
    "عبدالكريم": ("abdulkarim", "abdelkarim"),
    "عبدالرحيم": ("abdulrahim", "abdelrahim", "abderrahim"),
    "عبدالحميد": ("abdulhamid", "abdelhamid"),
    "عبدالسلام": ("abdulsalam", "abdessalam", "abdelsalam"),
    "سعيد": ("saeed", "said", "saied"),
    "سعد": ("saad",),
    "سالم": ("salem", "salim"),
    "سليم": ("salim", "saleem", "selim"),
    "سامي": ("sami", "samy"),
    "سمير": ("samir", "sameer"),
    "سامر": ("samer",),
    "طارق": ("tariq", "tarek", "tareq", "tarik"),
    "وليد": ("walid", "waleed"),
    "حمزة": ("hamza", "hamzah", "hamzeh"),
    "بلال": ("bilal", "belal"),
    "جمال": ("jamal", "gamal", "djamel"),
    "جميل": ("jamil", "jameel", "gamil"),
    "نبيل": ("nabil", "nabeel"),
    "عادل": ("adel", "adil"),
    "فيصل": ("faisal", "faysal", "feisal"),
    "فهد": ("fahd", "fahad"),
    "ماجد": ("majid", "majed"),
    "حامد": ("hamid", "hamed"),
    "حميد": ("hamid", "hameed"),
    "زيد": ("zaid", "zayd", "zeid"),
    "أنور": ("anwar", "anouar"),
    "أمين": ("amin", "ameen", "amine"),
    "أيمن": ("ayman", "aiman"),
    "عمران": ("imran", "emran", "omran"),
    "هاشم": ("hashim", "hashem", "hachem"),
    "حكيم": ("hakim", "hakeem"),
    "كمال": ("kamal", "kamel"),
    "كريم": ("karim", "kareem"),
    "رحيم": ("rahim", "raheem"),
    "رشيد": ("rashid", "rasheed", "rachid"),
    "راشد": ("rashid", "rashed"),
    "ناصر": ("nasser", "nasir", "naser", "nacer"),
    "منير": ("munir", "mounir", "muneer"),
    "حبيب": ("habib", "habeeb"),
    "هشام": ("hisham", "hesham", "hicham"),
    "حازم": ("hazem", "hazim"),
    "مروان": ("marwan",),
    "منصور": ("mansour", "mansur", "mansoor"),
    "جلال": ("jalal", "galal", "djalal"),
    "حسام": ("hussam", "hossam", "houssam"),
    "رمضان": ("ramadan", "ramadhan"),
    "فوزي": ("fawzi", "fawzy", "fouzi"),
    "فتحي": ("fathi", "fathy", "fethi"),
    "حمدي": ("hamdi", "hamdy"),
    "مجدي": ("majdi", "magdi", "magdy"),
    "رامي": ("rami", "ramy"),
    "هاني": ("hani", "hany"),
    "محسن": ("mohsen", "muhsin", "mohsin"),
    "نجيب": ("najib", "naguib", "najeeb"),
    "شريف": ("sharif", "sherif", "cherif"),
    "أسامة": ("osama", "usama", "oussama"),
    "مهدي": ("mahdi", "mehdi"),
    "رضا": ("reda", "rida", "ridha", "reza"),
    "جعفر": ("jafar", "jaafar", "djafar"),
    "عباس": ("abbas",),
    "حيدر": ("haider", "haidar", "hayder", "hyder"),
    "قاسم": ("qasim", "qasem", "kassem", "kacem"),
    "طاهر": ("tahir", "taher", "tahar"),
    "بشير": ("bashir", "basheer", "bachir"),
    "شهيد": ("shahid", "shaheed"),
    "وحيد": ("wahid", "waheed"),
    "عارف": ("arif", "aref"),
    "كاظم": ("kazem", "kadhim", "kazim"),
    "مرتضى": ("murtada", "mortada", "murtaza", "morteza"),
    "نعيم": ("naeem", "naim"),
    "عماد": ("imad", "emad"),
    "عمار": ("ammar",),
    "أنس": ("anas",),
    "معاذ": ("muadh", "moaz", "muaz"),
    "مازن": ("mazen", "mazin"),
    "ماهر": ("maher", "mahir"),
    "فراس": ("firas", "feras"),
    "رياض": ("riyad", "riad", "riyadh"),
    "زياد": ("ziad", "ziyad"),
    "وائل": ("wael", "wail"),
    "عصام": ("issam", "essam"),
    "هيثم": ("haitham", "haytham"),
    "غسان": ("ghassan",),
    "مالك": ("malik", "malek"),
    "نادر": ("nader", "nadir"),
    "خليل": ("khalil",),
    "عزيز": ("aziz",),
    "مسعود": ("masoud", "masud", "masood"),
    "جواد": ("jawad", "javad"),
    "أمير": ("amir", "ameer"),
    "هادي": ("hadi", "hady"),
    "إسلام": ("islam",),
    "سيد": ("sayed", "syed", "sayyid", "seyed"),
    "قريشي": ("qureshi", "quraishi"),
    "صديقي": ("siddiqui", "siddiqi"),
    "خان": ("khan",),
    "شاه": ("shah",),
    "رحمن": ("rahman", "rehman"),
    "غلام": ("ghulam", "gholam", "golam"),
    "نصرالله": ("nasrallah", "nasrullah"),
    # Women's names.
    "فاطمة": ("fatima", "fatimah", "fatma", "fatemeh"),
    "عائشة": ("aisha", "ayesha", "aysha", "aicha"),
    "خديجة": ("khadija", "khadijah", "khadidja"),
    "زينب": ("zainab", "zaynab", "zeinab"),
    "مريم": ("maryam", "mariam", "meryem"),
    "ليلى": ("layla", "leila", "laila", "leyla"),
    "نور": ("nour", "noor", "nur"),
    "هدى": ("huda", "houda", "hoda"),
    "سارة": ("sara", "sarah"),
    "ياسمين": ("yasmin", "yasmine", "yasmeen"),
    "أمينة": ("amina", "aminah", "ameena"),
    "آمنة": ("amna", "amina", "aminah"),
    "سلمى": ("salma",),
    "رانيا": ("rania", "ranya"),
    "نادية": ("nadia", "nadya", "nadiya"),
    "سميرة": ("samira", "sameera"),
    "منى": ("mona", "muna"),
    "هند": ("hind",),
    "دينا": ("dina",),
    "رنا": ("rana",),
    "ريم": ("reem", "rim"),
    "أسماء": ("asma", "asmaa"),
    "حنان": ("hanan",),
    "جميلة": ("jamila", "jameela", "djamila"),
    "سعاد": ("souad", "suad"),
    "وفاء": ("wafa", "wafaa"),
    "سلوى": ("salwa",),
    "نجلاء": ("najla", "naglaa"),
    "شيماء": ("shaimaa", "chaima"),
    "إيمان": ("iman", "eman", "imane"),
    "حفصة": ("hafsa", "hafsah"),
    "سمية": ("sumaya", "sumayyah", "soumaya"),
    "رقية": ("ruqaya", "ruqayyah", "roqaya"),
    "زهراء": ("zahraa", "zahra"),
    "زهرة": ("zahra", "zohra"),
    # Persian and Urdu spellings (Persian ye and kaf, Urdu heh).
    "حسین": ("hossein", "hussain", "hosein", "husain"),
    "حسینی": ("hosseini", "husseini"),
    "موسوی": ("mousavi", "musavi"),
    "رضایی": ("rezaei", "rezaee", "rezaie"),
    "پرویز": ("parviz", "parvez", "pervez"),
    "پروین": ("parvin", "parveen"),
    "نسرین": ("nasrin", "nasreen"),
    "شیرین": ("shirin", "shireen"),
    "فرهاد": ("farhad",),
    "کوروش": ("kourosh", "kurosh"),
    "داریوش": ("dariush", "daryoush"),
    "جهانگیر": ("jahangir", "jehangir"),
    "جاوید": ("javed", "javid", "jawed"),
    "صدیقی": ("siddiqui", "siddiqi"),
    "قریشی": ("qureshi", "quraishi"),
    "چودھری": ("chaudhry", "chaudhary", "choudhury", "chowdhury"),
})
# fmt: on

# Short vowels, shadda, sukun, tanwin, dagger alif, Quranic marks; tatweel;
# spaces and zero-width joiners, so "عبد الله" is "عبدالله".
_DROPPED: Final = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\\s\u200c\u200d]")
_ARABIC_FOLD: Final = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)
# Persian and Urdu letters as their Arabic counterparts: a second chance
# for a word not listed as written.
_PERSIAN_FOLD: Final = str.maketrans(
    {"ی": "ي", "ے": "ي", "ک": "ك", "ہ": "ه", "ھ": "ه", "ۃ": "ه", "ۀ": "ه"}
)
_PARTICLES: Final = frozenset({"ال", "بن", "ابن", "بنت", "ابو", "ام", "عبد"})
_ARTICLE: Final = "ال"


def _fold_arabic(word: str) -> str:
    """*word* without marks, tatweel or spaces, hamza seats, alif maqsura and ta marbuta folded."""
    return _DROPPED.sub("", unicodedata.normalize("NFKC", word)).translate(_ARABIC_FOLD)


def _folded_table() -> tuple[Mapping[str, tuple[str, ...]], Mapping[str, tuple[str, ...]]]:
    """The names by folded spelling, and by folded spelling with Persian letters read as Arabic."""
    exact: dict[str, tuple[str, ...]] = {}
    loose: dict[str, tuple[str, ...]] = {}
    for name, spellings in ARABIC_NAMES.items():
        folded = _fold_arabic(name)
        exact.setdefault(folded, spellings)
        loose.setdefault(folded.translate(_PERSIAN_FOLD), spellings)
    return MappingProxyType(exact), MappingProxyType(loose)


_EXACT, _LOOSE = _folded_table()


def is_arabic(word: str) -> bool:
    """Whether *word* is written in Arabic script (Persian and Urdu letters included).

    Every character must be an Arabic letter or mark (or the tatweel), and
    one at least a letter; Arabic-Indic digits and punctuation are not.
    """
    has_letter = False
    for ch in word:
        category = unicodedata.category(ch)
        if not unicodedata.name(ch, "").startswith("ARABIC ") or category[0] not in "LM":
            return False
        has_letter = has_letter or category == "Lo"  # not the tatweel (Lm)
    return has_letter


def _listed(folded: str) -> tuple[str, ...] | None:
    """The spellings of a folded word as written, or with Persian letters read as Arabic."""
    found = _EXACT.get(folded)
    if found is None:
        found = _LOOSE.get(folded.translate(_PERSIAN_FOLD))
    return found


def arabic_spellings(word: str) -> frozenset[str]:
    """The usual Latin spellings of one Arabic-script word, lower-case ASCII.

    A listed name gives its spellings; the article joined to a listed name
    (الحسن) gives the name's spellings alone, then with "al" and with "el"
    before them.  At most `MAX_SPELLINGS`, taken in that order; empty for
    a word that is not listed.
    """
    folded = _fold_arabic(word)
    listed = _listed(folded)
    if listed is not None:
        return frozenset(listed[:MAX_SPELLINGS])
    rest = folded.removeprefix(_ARTICLE)
    if rest == folded or rest in _PARTICLES:
        return frozenset()
    names = _listed(rest)
    if names is None:
        return frozenset()
    found = [*names, *("al" + n for n in names), *("el" + n for n in names)]
    return frozenset(found[:MAX_SPELLINGS])


def arabic_name_key(word: str) -> str | None:
    """The first listed Latin spelling of one Arabic-script word, None if it is not listed.

    Deliberately simple, to be frozen with a profile: the article joined
    to a name (الحسن) is not listed, so gives None.
    """
    listed = _listed(_fold_arabic(word))
    return listed[0] if listed else None
