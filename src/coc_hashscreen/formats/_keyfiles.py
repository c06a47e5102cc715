"""Key files: small JSON documents holding one key, its purpose and its owner's name.

Private key files are written atomically with mode 0600 and refused when
group or others can read them (docs/formats.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Final

from ..core import HpkePrivateKey, HpkePublicKey, KeyPurpose, SigningKey, Suite
from ..errors import FormatError, KeyFileError
from . import _wire
from ._files import check_private_mode, read_limited, write_atomic

__all__ = [
    "PublicKeyFile",
    "load_private_key",
    "load_public_key",
    "load_signing_key",
    "save_private_key",
    "save_public_key",
    "save_signing_key",
]

KEY_FILE_LIMIT: Final = 16 * 2**10

_PRIVATE_TYPE: Final = "coc-hashscreen private key"
_PUBLIC_TYPE: Final = "coc-hashscreen public key"
_ED25519: Final = "ed25519"


def _purpose(fields: _wire.Fields) -> KeyPurpose:
    try:
        return KeyPurpose(fields.text("purpose", max_length=40))
    except ValueError:
        raise FormatError(f"the {fields.what} has an unknown purpose") from None


def _read_key_document(path: str | os.PathLike[str], what: str, expected_type: str) -> _wire.Fields:
    data = read_limited(path, KEY_FILE_LIMIT, what)
    try:
        fields = _wire.load_json(data, what)
    except FormatError:
        raise KeyFileError(f"{os.fspath(path)!r} is not a coc-hashscreen key file") from None
    if fields.has("type") and fields.raw()["type"] != expected_type:
        other = "public" if expected_type == _PRIVATE_TYPE else "private"
        raise KeyFileError(f"{os.fspath(path)!r} is a {other} key file; the {what} is needed")
    return fields


def _private_document(algorithm: str, purpose: KeyPurpose, name: str, raw: bytes) -> bytes:
    return (
        _wire.dump_json(
            {
                "type": _PRIVATE_TYPE,
                "format": 1,
                "algorithm": algorithm,
                "purpose": purpose.value,
                "name": name,
                "private": raw.hex(),
            }
        )
        + b"\n"
    )


def save_signing_key(path: str | os.PathLike[str], key: SigningKey, *, name: str) -> None:
    write_atomic(
        path,
        _private_document(_ED25519, KeyPurpose.COMMITTEE_SIGNING, name, key.private_bytes()),
        private=True,
    )


def save_private_key(
    path: str | os.PathLike[str], key: HpkePrivateKey, *, purpose: KeyPurpose, name: str
) -> None:
    write_atomic(
        path, _private_document(key.suite.value, purpose, name, key.private_bytes()), private=True
    )


def _load_private(
    path: str | os.PathLike[str], purpose: KeyPurpose
) -> tuple[_wire.Fields, str, bytes]:
    what = f"{purpose.value.replace('-', ' ')} private key"
    # The type is read first so that a public key file passed by mistake is
    # named as such instead of drawing advice about its mode.
    fields = _read_key_document(path, what, _PRIVATE_TYPE)
    check_private_mode(path, what)
    try:
        fields.expect({"type", "format", "algorithm", "purpose", "name", "private"})
        fields.format_version("format", 1)
        found = _purpose(fields)
        algorithm = fields.text("algorithm", max_length=40)
        raw = fields.bytes_hex("private", max_size=256)
        fields.name("name")
    except FormatError as exc:
        raise KeyFileError(f"{os.fspath(path)!r}: {exc}") from None
    if found is not purpose:
        raise KeyFileError(
            f"{os.fspath(path)!r} is the {found.value} key, not the {purpose.value} key; "
            "check which file you passed"
        )
    return fields, algorithm, raw


def load_signing_key(path: str | os.PathLike[str]) -> SigningKey:
    _, algorithm, raw = _load_private(path, KeyPurpose.COMMITTEE_SIGNING)
    if algorithm != _ED25519:
        raise KeyFileError(f"{os.fspath(path)!r} is not an Ed25519 key")
    return SigningKey.from_private_bytes(raw)


def load_private_key(path: str | os.PathLike[str], *, purpose: KeyPurpose) -> HpkePrivateKey:
    _, algorithm, raw = _load_private(path, purpose)
    try:
        suite = Suite.parse(algorithm)
    except FormatError as exc:
        raise KeyFileError(f"{os.fspath(path)!r}: {exc}") from None
    return HpkePrivateKey.from_raw(suite, raw)


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
    fields = _read_key_document(path, what, _PUBLIC_TYPE)
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
