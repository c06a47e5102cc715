"""Key files: small JSON documents holding one key, its purpose and its owner's name.

Private key files are written atomically with mode 0600 and refused when
group or others can read them.  Format 1 holds the private key in clear;
format 2 holds it encrypted under a passphrase (`_keycrypt`), with the
public key in clear so that a committee can check which key a file holds
without asking for the passphrase.  Both are read (docs/formats.md,
docs/adr/0015).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Final

from ..core import HpkePrivateKey, HpkePublicKey, KeyPurpose, SigningKey, Suite
from ..errors import FormatError, KeyFileError, WrongPassphrase
from . import _wire
from ._files import check_private_mode, read_limited, write_atomic
from ._keycrypt import (
    AEAD_NAME,
    NONCE_SIZE,
    SALT_SIZE,
    KeyProtection,
    PassphraseKdf,
    PassphraseSource,
    SealedKey,
    open_private_bytes,
    seal_private_bytes,
)

__all__ = [
    "KeyFileInfo",
    "PublicKeyFile",
    "load_private_key",
    "load_public_key",
    "load_signing_key",
    "private_key_info",
    "save_private_key",
    "save_public_key",
    "save_signing_key",
]

KEY_FILE_LIMIT: Final = 16 * 2**10

_PRIVATE_TYPE: Final = "coc-hashscreen private key"
_PUBLIC_TYPE: Final = "coc-hashscreen public key"
_ED25519: Final = "ed25519"
_PLAIN, _ENCRYPTED = 1, 2
_V1_FIELDS: Final = frozenset({"type", "format", "algorithm", "purpose", "name", "private"})
_V2_FIELDS: Final = frozenset(
    {"type", "format", "algorithm", "purpose", "name", "public", "kdf", "aead", "salt", "nonce"}
)

PrivateKey = SigningKey | HpkePrivateKey


def _purpose(fields: _wire.Fields) -> KeyPurpose:
    try:
        return KeyPurpose(fields.text("purpose", max_length=40))
    except ValueError:
        raise FormatError(f"the {fields.what} has an unknown purpose") from None


def _read_key_document(
    path: str | os.PathLike[str], what: str, expected_type: str
) -> tuple[bytes, _wire.Fields]:
    data = read_limited(path, KEY_FILE_LIMIT, what)
    try:
        fields = _wire.load_json(data, what)
    except FormatError:
        raise KeyFileError(f"{os.fspath(path)!r} is not a coc-hashscreen key file") from None
    found = fields.raw().get("type")
    if fields.has("type") and found != expected_type:
        if found not in (_PRIVATE_TYPE, _PUBLIC_TYPE):
            raise KeyFileError(f"{os.fspath(path)!r} is not a coc-hashscreen key file")
        other = "public" if expected_type == _PRIVATE_TYPE else "private"
        raise KeyFileError(f"{os.fspath(path)!r} is a {other} key file; the {what} is needed")
    return data, fields


def _public_of(key: PrivateKey) -> bytes:
    return key.public_bytes if isinstance(key, SigningKey) else key.public_key.raw


def _algorithm_of(key: PrivateKey) -> str:
    return _ED25519 if isinstance(key, SigningKey) else key.suite.value


def _private_document(
    key: PrivateKey, purpose: KeyPurpose, name: str, protection: KeyProtection | None
) -> bytes:
    document: dict[str, object] = {
        "type": _PRIVATE_TYPE,
        "algorithm": _algorithm_of(key),
        "purpose": purpose.value,
        "name": name,
    }
    if protection is None:
        document |= {"format": _PLAIN, "private": key.private_bytes().hex()}
        return _wire.dump_json(document) + b"\n"
    document |= {
        "format": _ENCRYPTED,
        "public": _public_of(key).hex(),
        "kdf": protection.kdf.to_dict(),
        "aead": AEAD_NAME,
    }

    def header(salt: bytes, nonce: bytes) -> bytes:
        return _wire.dump_json({**document, "salt": salt.hex(), "nonce": nonce.hex()})

    salt, nonce, ciphertext = seal_private_bytes(key.private_bytes(), protection, header)
    document |= {"salt": salt.hex(), "nonce": nonce.hex(), "ciphertext": ciphertext.hex()}
    return _wire.dump_json(document) + b"\n"


def save_signing_key(
    path: str | os.PathLike[str],
    key: SigningKey,
    *,
    name: str,
    protection: KeyProtection | None = None,
) -> None:
    """Write the committee's signing key; encrypted when *protection* is given."""
    document = _private_document(key, KeyPurpose.COMMITTEE_SIGNING, name, protection)
    write_atomic(path, document, private=True)


def save_private_key(
    path: str | os.PathLike[str],
    key: HpkePrivateKey,
    *,
    purpose: KeyPurpose,
    name: str,
    protection: KeyProtection | None = None,
) -> None:
    """Write an HPKE private key; encrypted when *protection* is given."""
    write_atomic(path, _private_document(key, purpose, name, protection), private=True)


@dataclass(frozen=True)
class KeyFileInfo:
    """What a private key file says about itself, read without its passphrase."""

    purpose: KeyPurpose
    algorithm: str
    name: str
    public: bytes = field(repr=False)
    kdf: PassphraseKdf | None  # None: the key is stored in clear (format 1)

    @property
    def encrypted(self) -> bool:
        return self.kdf is not None

    def to_dict(self) -> dict[str, object]:
        return {
            "purpose": self.purpose.value,
            "algorithm": self.algorithm,
            "name": self.name,
            "public": self.public.hex(),
            "kdf": self.kdf.to_dict() if self.kdf else None,
        }


@dataclass(frozen=True)
class _PrivateFile:
    """A private key file as read, before its key is: its bytes, its fields, its format."""

    path: str
    what: str
    data: bytes = field(repr=False)
    fields: _wire.Fields = field(repr=False)
    version: int


def _what(purpose: KeyPurpose) -> str:
    return f"{purpose.value.replace('-', ' ')} private key"


def _read_private(path: str | os.PathLike[str], purpose: KeyPurpose) -> _PrivateFile:
    what = _what(purpose)
    # The type is read first so that a public key file passed by mistake is
    # named as such instead of drawing advice about its mode.
    data, fields = _read_key_document(path, what, _PRIVATE_TYPE)
    check_private_mode(path, what)
    try:
        # A file without "format" is read as format 1, which names what it lacks.
        version = fields.integer("format", minimum=1) if fields.has("format") else _PLAIN
    except FormatError as exc:
        raise KeyFileError(f"{os.fspath(path)!r}: {exc}") from None
    try:
        found = _purpose(fields) if fields.has("purpose") else None
    except FormatError as exc:
        if version != _ENCRYPTED:
            raise KeyFileError(f"{os.fspath(path)!r}: {exc}") from None
        found = None  # refused with every other defect of an encrypted file
    if version not in (_PLAIN, _ENCRYPTED):
        raise KeyFileError(
            f"{os.fspath(path)!r}: the {what} has format version {version}; this release "
            "reads versions 1 and 2: use a matching release of coc-hashscreen"
        )
    if found is not None and found is not purpose:
        raise KeyFileError(
            f"{os.fspath(path)!r} is the {found.value} key, not the {purpose.value} key; "
            "check which file you passed"
        )
    return _PrivateFile(os.fspath(path), what, data, fields, version)


def _key_from_raw(algorithm: str, raw: bytes) -> PrivateKey:
    if algorithm == _ED25519:
        return SigningKey.from_private_bytes(raw)
    return HpkePrivateKey.from_raw(Suite.parse(algorithm), raw)


def _plain_key(file: _PrivateFile) -> PrivateKey:
    fields = file.fields
    try:
        fields.expect(set(_V1_FIELDS))
        _purpose(fields)
        algorithm = fields.text("algorithm", max_length=40)
        raw = fields.bytes_hex("private", max_size=256)
        fields.name("name")
        return _key_from_raw(algorithm, raw)
    except FormatError as exc:
        raise KeyFileError(f"{file.path!r}: {exc}") from None


def _sealed_info(file: _PrivateFile) -> tuple[KeyFileInfo, SealedKey]:
    """The header and sealed key of a format-2 file; FormatError if anything is off."""
    fields = file.fields
    fields.expect(set(_V2_FIELDS | {"ciphertext"}))
    kdf = PassphraseKdf.from_dict(fields.obj("kdf").raw())
    info = KeyFileInfo(
        purpose=_purpose(fields),
        algorithm=fields.text("algorithm", max_length=40),
        name=fields.name("name"),
        public=fields.bytes_hex("public", max_size=2048),
        kdf=kdf,
    )
    if fields.raw()["aead"] != AEAD_NAME:
        raise FormatError(f"the {file.what} names an AEAD this release does not know")
    sealed = SealedKey(
        kdf=kdf,
        salt=fields.bytes_hex("salt", size=SALT_SIZE),
        nonce=fields.bytes_hex("nonce", size=NONCE_SIZE),
        ciphertext=fields.bytes_hex("ciphertext", max_size=256 + 16),
        header=_wire.dump_json({k: v for k, v in fields.raw().items() if k != "ciphertext"}),
    )
    # Only the canonical encoding is accepted, so that every byte of the
    # file is covered: a change that leaves the values as they were (case of
    # a hex digit, spacing) is refused as firmly as one that does not.
    if _wire.dump_json(fields.raw()) + b"\n" != file.data:
        raise FormatError(f"the {file.what} is not in its canonical form")
    return info, sealed


def _unlock(file: _PrivateFile, passphrase: PassphraseSource | None) -> PrivateKey:
    if passphrase is None:
        raise KeyFileError(
            f"the {file.what} {file.path!r} is encrypted under a passphrase; give the "
            "passphrase to open it"
        )
    secret = passphrase()
    # From here on every failure is the same error: whether the passphrase
    # or a byte of the file is wrong is what the AEAD cannot tell, and no
    # one should learn it from us.
    try:
        info, sealed = _sealed_info(file)
        raw = open_private_bytes(sealed, secret)
        if raw is not None:
            key = _key_from_raw(info.algorithm, raw)
            if _public_of(key) == info.public:
                return key
    except (FormatError, KeyFileError):
        pass
    raise WrongPassphrase(file.what, file.path)


def _load(
    path: str | os.PathLike[str], purpose: KeyPurpose, passphrase: PassphraseSource | None
) -> PrivateKey:
    file = _read_private(path, purpose)
    if file.version == _PLAIN:
        return _plain_key(file)
    return _unlock(file, passphrase)


def private_key_info(path: str | os.PathLike[str], *, purpose: KeyPurpose) -> KeyFileInfo:
    """Whose key a private key file holds, and whether it is encrypted; no passphrase needed."""
    file = _read_private(path, purpose)
    if file.version == _PLAIN:
        key = _plain_key(file)
        name = file.fields.name("name")
        return KeyFileInfo(purpose, _algorithm_of(key), name, _public_of(key), None)
    try:
        return _sealed_info(file)[0]
    except FormatError as exc:
        raise KeyFileError(
            f"{file.path!r} is damaged ({exc}); restore it from your backup"
        ) from None


def load_signing_key(
    path: str | os.PathLike[str], *, passphrase: PassphraseSource | None = None
) -> SigningKey:
    """The committee's signing key; *passphrase* is asked only if the file is encrypted."""
    key = _load(path, KeyPurpose.COMMITTEE_SIGNING, passphrase)
    if not isinstance(key, SigningKey):
        raise KeyFileError(f"{os.fspath(path)!r} is not an Ed25519 key")
    return key


def load_private_key(
    path: str | os.PathLike[str],
    *,
    purpose: KeyPurpose,
    passphrase: PassphraseSource | None = None,
) -> HpkePrivateKey:
    """An HPKE private key; *passphrase* is asked only if the file is encrypted."""
    key = _load(path, purpose, passphrase)
    if not isinstance(key, HpkePrivateKey):
        raise KeyFileError(f"{os.fspath(path)!r} is not an HPKE key")
    return key


def save_public_key(
    path: str | os.PathLike[str], key: HpkePublicKey, *, purpose: KeyPurpose, name: str
) -> None:
    document = {
        "type": _PUBLIC_TYPE,
        "format": 1,
        "algorithm": key.suite.value,
        "purpose": purpose.value,
        "name": name,
        "public": key.raw.hex(),
    }
    write_atomic(path, _wire.dump_json(document) + b"\n")


@dataclass(frozen=True)
class PublicKeyFile:
    """A public key file as read: the key, what it is for, and whose it is."""

    key: HpkePublicKey
    purpose: KeyPurpose
    name: str


def load_public_key(
    path: str | os.PathLike[str], *, purpose: KeyPurpose | None = None
) -> PublicKeyFile:
    what = "public key file"
    _, fields = _read_key_document(path, what, _PUBLIC_TYPE)
    try:
        fields.expect({"type", "format", "algorithm", "purpose", "name", "public"})
        fields.format_version("format", 1)
        found = _purpose(fields)
        suite = Suite.parse(fields.text("algorithm", max_length=40))
        key = HpkePublicKey.from_raw(suite, fields.bytes_hex("public", max_size=2048))
        name = fields.name("name")
    except FormatError as exc:
        raise KeyFileError(f"{os.fspath(path)!r}: {exc}") from None
    if purpose is not None and found is not purpose:
        raise KeyFileError(
            f"{os.fspath(path)!r} is the {found.value} public key, not the {purpose.value} one"
        )
    return PublicKeyFile(key, found, name)
