"""The pure core: normalization, keyed hashing, keys, time and value types.

No file I/O happens here.  Functions that depend on time take it as an
argument (``now``; `resolve_now` reads the clock only when given None);
only fresh keys (`SigningKey.generate`, `HpkePrivateKey.generate`) draw on
the operating system's randomness directly.  Every other package builds on
this one.
"""

from ._clock import (
    CLOCK_SKEW,
    Validity,
    from_timestamp,
    resolve_now,
    timestamp,
)
from ._closing import (
    Closing,
)
from ._hashing import (
    DEFAULT_MEMORY_BUDGET,
    EPOCH_KEY_SIZE,
    KDF_PROFILES,
    SALT_SIZE,
    TAG_SIZE,
    Argon2,
    Argon2Params,
    EpochKey,
    HashingOptions,
    KeyedHash,
    KeyedHasher,
    Progress,
    argon2id,
    available_cpus,
    key_check,
    keyed_hash,
    pepper,
    worker_count,
)
from ._keys import (
    HpkePrivateKey,
    HpkePublicKey,
    KeyPurpose,
    SigningKey,
    Suite,
    ed25519_public,
    fingerprint,
    key_id,
    short_id,
)
from ._model import (
    CASE_REF_PATTERN,
    Identifier,
    Status,
    Strength,
    check_case_ref,
)
from ._normalize import (
    KINDS,
    PROFILE,
    PROFILES,
    STRONG_KINDS,
    canonical,
    check_kind,
    check_profile,
    variants,
)
from ._text import (
    MAX_NAME,
    NAME_RULE,
    check_text,
    clean_text,
    display_name,
    escape_unsafe,
    has_unsafe_characters,
    is_fit_name,
)

__all__ = [
    "CASE_REF_PATTERN",
    "CLOCK_SKEW",
    "DEFAULT_MEMORY_BUDGET",
    "EPOCH_KEY_SIZE",
    "KDF_PROFILES",
    "KINDS",
    "MAX_NAME",
    "NAME_RULE",
    "PROFILE",
    "PROFILES",
    "SALT_SIZE",
    "STRONG_KINDS",
    "TAG_SIZE",
    "Argon2",
    "Argon2Params",
    "Closing",
    "EpochKey",
    "HashingOptions",
    "HpkePrivateKey",
    "HpkePublicKey",
    "Identifier",
    "KeyPurpose",
    "KeyedHash",
    "KeyedHasher",
    "Progress",
    "SigningKey",
    "Status",
    "Strength",
    "Suite",
    "Validity",
    "argon2id",
    "available_cpus",
    "canonical",
    "check_case_ref",
    "check_kind",
    "check_profile",
    "check_text",
    "clean_text",
    "display_name",
    "ed25519_public",
    "escape_unsafe",
    "fingerprint",
    "from_timestamp",
    "has_unsafe_characters",
    "is_fit_name",
    "key_check",
    "key_id",
    "keyed_hash",
    "pepper",
    "resolve_now",
    "short_id",
    "timestamp",
    "variants",
    "worker_count",
]
