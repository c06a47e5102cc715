"""coc_hashscreen: privacy-preserving screening against a Code of Conduct register.

The committee publishes a signed list of keyed, memory-hard hashes of the
identifiers of flagged and banned people; organizers holding the epoch's key
screen their attendee and speaker lists locally.  See README.md and docs/.
"""

from ._clock import CLOCK_SKEW
from ._committee import Committee, PublishResult
from ._csvinput import ColumnPlan, CsvSource, read_csv
from ._errors import (
    CocHashscreenError,
    ExpiredError,
    FileTooLarge,
    FormatError,
    InputError,
    InvalidIdentifier,
    InvalidParameters,
    KeyFileError,
    MismatchError,
    NotYetValidError,
    PolicyError,
    RegisterError,
    ReportError,
    RollbackError,
    UnknownKind,
    UnknownProfile,
    UnsupportedFormat,
    UntrustedSigner,
    VerificationError,
    WrongFileType,
    WrongKeyError,
)
from ._grant import Grant, parse_grant
from ._hashing import KDF_PROFILES, Argon2Params, KeyedHash, KeyedHasher, keyed_hash
from ._keys import (
    HpkePrivateKey,
    HpkePublicKey,
    KeyPurpose,
    Suite,
    load_private_key,
    load_public_key,
)
from ._listfile import EntryPayload, HashedList, ListHeader, parse_list
from ._model import Identifier, Status, Strength
from ._normalize import KINDS, PROFILE, STRONG_KINDS, canonical, variants
from ._organizer import OrganizerKeys, init_organizer, load_organizer_key
from ._output import report_to_csv, report_to_dict, report_to_json, report_to_table
from ._register import ExpungeResult, Record, Register
from ._screen import (
    Hit,
    InvalidValue,
    ListInfo,
    Match,
    RecordRef,
    Screener,
    ScreeningReport,
    ScreenRecord,
    load_trust,
)
from ._state import FileState, MemoryState, StateStore
from ._trust import TrustFile, parse_trust
from ._version import __version__

__all__ = [
    "CLOCK_SKEW",
    "KDF_PROFILES",
    "KINDS",
    "PROFILE",
    "STRONG_KINDS",
    "Argon2Params",
    "CocHashscreenError",
    "ColumnPlan",
    "Committee",
    "CsvSource",
    "EntryPayload",
    "ExpiredError",
    "ExpungeResult",
    "FileState",
    "FileTooLarge",
    "FormatError",
    "Grant",
    "HashedList",
    "Hit",
    "HpkePrivateKey",
    "HpkePublicKey",
    "Identifier",
    "InputError",
    "InvalidIdentifier",
    "InvalidParameters",
    "InvalidValue",
    "KeyFileError",
    "KeyPurpose",
    "KeyedHash",
    "KeyedHasher",
    "ListHeader",
    "ListInfo",
    "Match",
    "MemoryState",
    "MismatchError",
    "NotYetValidError",
    "OrganizerKeys",
    "PolicyError",
    "PublishResult",
    "Record",
    "RecordRef",
    "Register",
    "RegisterError",
    "ReportError",
    "RollbackError",
    "ScreenRecord",
    "Screener",
    "ScreeningReport",
    "StateStore",
    "Status",
    "Strength",
    "Suite",
    "TrustFile",
    "UnknownKind",
    "UnknownProfile",
    "UnsupportedFormat",
    "UntrustedSigner",
    "VerificationError",
    "WrongFileType",
    "WrongKeyError",
    "__version__",
    "canonical",
    "init_organizer",
    "keyed_hash",
    "load_organizer_key",
    "load_private_key",
    "load_public_key",
    "load_trust",
    "parse_grant",
    "parse_list",
    "parse_trust",
    "read_csv",
    "report_to_csv",
    "report_to_dict",
    "report_to_json",
    "report_to_table",
    "variants",
]
