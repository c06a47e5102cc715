"""coc_hashscreen: privacy-preserving screening against a Code of Conduct register.

The committee publishes a signed list of keyed, memory-hard hashes of the
identifiers of flagged and banned people; organizers holding the epoch's key
screen their attendee and speaker lists locally.  See README.md and docs/.
"""

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
from ._hashing import KDF_PROFILES, Argon2Params, KeyedHash, KeyedHasher, keyed_hash
from ._normalize import KINDS, PROFILE, STRONG_KINDS, canonical, variants
from ._version import __version__

__all__ = [
    "KDF_PROFILES",
    "KINDS",
    "PROFILE",
    "STRONG_KINDS",
    "Argon2Params",
    "CocHashscreenError",
    "ExpiredError",
    "FileTooLarge",
    "FormatError",
    "InputError",
    "InvalidIdentifier",
    "InvalidParameters",
    "KeyFileError",
    "KeyedHash",
    "KeyedHasher",
    "MismatchError",
    "NotYetValidError",
    "PolicyError",
    "RegisterError",
    "ReportError",
    "RollbackError",
    "UnknownKind",
    "UnknownProfile",
    "UnsupportedFormat",
    "UntrustedSigner",
    "VerificationError",
    "WrongFileType",
    "WrongKeyError",
    "__version__",
    "canonical",
    "keyed_hash",
    "variants",
]
