"""Grants: an epoch key sealed to one organizer, signed by the committee.

Payload of the "grant" envelope: a JSON object (docs/formats.md).  Its
``sealed`` field is an HPKE base-mode ciphertext, sealed to the organizer's
public key with an info string that binds it to the series, the epoch and
the organizer key id, so a grant opens only for that organizer, and only as
the key of that epoch of that series, even if the signed JSON around it
were ignored.

Format 2 (written by this release) seals the organizer's name with the
epoch key, padded to a fixed length, so a grant shows no name to whoever
sees it pass::

    info      = "coc-hashscreen/v1 grant-2" 0x00 || series (32) || epoch (8)
                || organizer key id (32)
    plaintext = epoch key (32) || name length n (2) || name (n, UTF-8)
                || zero bytes to 834

Format 3 is a grant to an online list (issue 16, ADR 0025): no epoch key
leaves the committee, and the sealed 32 bytes are a random access token to
the committee's service instead; the signed JSON adds ``endpoint``, the
service's address.  Its info string starts ``"coc-hashscreen/v2 grant-3"``.

Format 1 carried the name in the clear as ``organizer_name`` and sealed the
32-byte epoch key alone, with info ``"coc-hashscreen/v1 grant" 0x00 || …``.
It is still read, so grants already issued keep working until they expire
(docs/adr/0014-organizer-keys-grants-and-list-metadata.md).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..core import (
    EPOCH_KEY_SIZE,
    MAX_NAME,
    HpkePrivateKey,
    HpkePublicKey,
    Suite,
    Validity,
    from_timestamp,
    is_fit_name,
    short_id,
    timestamp,
)
from ..errors import FormatError, MismatchError, UnsupportedFormat
from . import _wire
from ._envelope import Signer, open_envelope, read_envelope, sign_envelope
from ._service import MAX_ENDPOINT, TOKEN_SIZE, check_endpoint

__all__ = [
    "Grant",
    "GrantTerms",
    "grant_info",
    "issue_grant",
    "issue_online_grant",
    "parse_grant",
    "read_grant",
]

FORMAT: Final = 2
ONLINE_FORMAT: Final = 3
READABLE_FORMATS: Final = (1, 2, 3)
GRANT_INFO: Final = {
    1: b"coc-hashscreen/v1 grant\x00",
    2: b"coc-hashscreen/v1 grant-2\x00",
    3: b"coc-hashscreen/v2 grant-3\x00",
}
# Room for the longest name in UTF-8, so every sealed name has one length.
NAME_ROOM: Final = 4 * MAX_NAME
SEALED_PLAINTEXT: Final = EPOCH_KEY_SIZE + 2 + NAME_ROOM
_COMMON_FIELDS: Final = frozenset(
    {"format", "series", "epoch", "organizer", "suite", "issued_at", "expires_at", "sealed"}
)


def grant_info(
    series: bytes, epoch: int, organizer_key_id: bytes, *, format: int = FORMAT
) -> bytes:
    return GRANT_INFO[format] + series + epoch.to_bytes(8, "big") + organizer_key_id


def _seal_plaintext(epoch_key: bytes, name: str) -> bytes:
    encoded = name.encode("utf-8")
    if len(encoded) > NAME_ROOM:  # pragma: no cover - names are checked before
        raise FormatError("the organizer's name is too long for a grant")
    return (epoch_key + len(encoded).to_bytes(2, "big") + encoded).ljust(SEALED_PLAINTEXT, b"\0")


def _open_plaintext(plaintext: bytes) -> tuple[bytes, str]:
    """The epoch key and the organizer's name from a format-2 sealed plaintext."""
    if len(plaintext) != SEALED_PLAINTEXT:
        raise FormatError("the grant's sealed part is not the length format 2 gives it")
    key, rest = plaintext[:EPOCH_KEY_SIZE], plaintext[EPOCH_KEY_SIZE:]
    n = int.from_bytes(rest[:2], "big")
    if n > NAME_ROOM or any(rest[2 + n :]):
        raise FormatError("the grant's sealed name is malformed")
    try:
        name = rest[2 : 2 + n].decode("utf-8")
    except UnicodeDecodeError:
        raise FormatError("the grant's sealed name is not UTF-8") from None
    if not is_fit_name(name):
        raise FormatError("the grant's sealed name is not a name fit to print")
    return key, name


@dataclass(frozen=True)
class Grant(Validity):
    """A verified grant.  The sealed key (and, from format 2, the name) is opened only by `open`.

    ``organizer_name`` is what a format-1 grant showed in the clear; a
    format-2 grant keeps it sealed (None here; see `open_name`).
    """

    _what: ClassVar[str] = "the grant"
    _renew: ClassVar[str] = "ask the committee for a new one"

    series: bytes
    epoch: int
    organizer: bytes
    organizer_name: str | None
    suite: Suite
    issued_at: datetime
    expires_at: datetime
    sealed: bytes = field(repr=False)
    format: int = FORMAT
    # The service's address, for a grant to an online list (format 3) only.
    endpoint: str | None = None

    @property
    def online(self) -> bool:
        """Whether this grant opens to an access token to the service, not to an epoch key."""
        return self.format == ONLINE_FORMAT

    def __repr__(self) -> str:
        return (
            f"Grant(series={short_id(self.series)}…, epoch={self.epoch}, "
            f"organizer={short_id(self.organizer)}…, expires_at={self.expires_at:%Y-%m-%d})"
        )

    def to_dict(self) -> dict[str, object]:
        """The verified fields as plain data (times in ISO 8601); what is sealed is left out."""
        fields: dict[str, object] = {
            "format": self.format,
            "series": self.series.hex(),
            "epoch": self.epoch,
            "organizer": self.organizer.hex(),
            "suite": self.suite.value,
            "issued_at": self.issued_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
        }
        if self.organizer_name is not None:
            fields["organizer_name"] = self.organizer_name
        if self.endpoint is not None:
            fields["endpoint"] = self.endpoint
        return fields

    def open(self, organizer_key: HpkePrivateKey) -> bytes:
        """The epoch key, if this grant was sealed to *organizer_key*."""
        if self.online:
            raise MismatchError(
                "this grant is for an online list: it holds an access to the committee's "
                "service, not an epoch key"
            )
        return self._open(organizer_key)[0]

    def open_token(self, organizer_key: HpkePrivateKey) -> bytes:
        """The access token to the service, if this online grant is for *organizer_key*."""
        if not self.online:
            raise MismatchError(
                "this grant is for an offline list; get the online list's grant from the committee"
            )
        return self._open(organizer_key)[0]

    def open_name(self, organizer_key: HpkePrivateKey) -> str:
        """The organizer's name as the committee registered it, sealed or (format 1) not."""
        return self._open(organizer_key)[1]

    def _open(self, organizer_key: HpkePrivateKey) -> tuple[bytes, str]:
        if organizer_key.key_id != self.organizer:
            raise MismatchError(
                f"this grant is for organizer key {short_id(self.organizer)}…, not for your "
                f"key {short_id(organizer_key.key_id)}…; ask the committee for a grant "
                "for your key"
            )
        if organizer_key.suite is not self.suite:
            raise MismatchError("this grant was sealed for another kind of key than yours")
        info = grant_info(self.series, self.epoch, self.organizer, format=self.format)
        plaintext = organizer_key.open(self.sealed, info=info, what="grant")
        if self.format == 1:
            key, name = plaintext, self.organizer_name or ""
        else:
            key, name = _open_plaintext(plaintext)
        if len(key) != EPOCH_KEY_SIZE:
            raise FormatError("the grant does not hold a 32-byte epoch key")
        return key, name


@dataclass(frozen=True)
class GrantTerms:
    """What a grant states: the epoch of which series, for whom, until when.

    The organizer's name is sealed with the epoch key; the rest is in the clear.
    """

    series: bytes
    epoch: int
    organizer_name: str
    issued_at: datetime
    expires_at: datetime


def issue_grant(
    terms: GrantTerms, *, epoch_key: bytes, organizer: HpkePublicKey, signer: Signer
) -> bytes:
    """Seal *epoch_key* and the organizer's name to *organizer* under *terms*; sign the grant."""
    return _issue(terms, epoch_key, organizer, signer, endpoint=None)


def issue_online_grant(
    terms: GrantTerms,
    *,
    access_token: bytes,
    endpoint: str,
    organizer: HpkePublicKey,
    signer: Signer,
) -> bytes:
    """Seal an access token to the service at *endpoint* and the organizer's name; sign."""
    if len(access_token) != TOKEN_SIZE:
        raise FormatError(f"an access token is {TOKEN_SIZE} bytes")
    return _issue(terms, access_token, organizer, signer, endpoint=check_endpoint(endpoint))


def _issue(
    terms: GrantTerms,
    secret: bytes,
    organizer: HpkePublicKey,
    signer: Signer,
    *,
    endpoint: str | None,
) -> bytes:
    if not is_fit_name(terms.organizer_name):
        raise FormatError("the organizer's name is not a name fit to print")
    version = FORMAT if endpoint is None else ONLINE_FORMAT
    info = grant_info(terms.series, terms.epoch, organizer.key_id, format=version)
    plaintext = _seal_plaintext(secret, terms.organizer_name)
    document: dict[str, object] = {
        "format": version,
        "series": terms.series.hex(),
        "epoch": terms.epoch,
        "organizer": organizer.key_id.hex(),
        "suite": organizer.suite.value,
        "issued_at": timestamp(terms.issued_at),
        "expires_at": timestamp(terms.expires_at),
        "sealed": _wire.b64(organizer.seal(plaintext, info=info)),
    }
    if endpoint is not None:
        document["endpoint"] = endpoint
    return sign_envelope("grant", _wire.dump_json(document), signer)


def parse_grant(data: bytes, trusted: Mapping[bytes, Ed25519PublicKey]) -> Grant:
    """Verify a grant signed by one of *trusted*, then parse it (format 1 or 2)."""
    fields = _wire.load_json(open_envelope(data, "grant", trusted).payload, "grant")
    version = _format(fields)
    extra = {1: {"organizer_name"}, 2: set(), 3: {"endpoint"}}[version]
    fields.expect(set(_COMMON_FIELDS | extra))
    issued_at = from_timestamp(_wire.timestamp_field(fields, "issued_at"))
    expires_at = from_timestamp(_wire.timestamp_field(fields, "expires_at"))
    if not issued_at < expires_at:
        raise FormatError("the grant expires before it is issued")
    return Grant(
        series=fields.bytes_hex("series", size=32),
        epoch=fields.integer("epoch", minimum=1),
        organizer=fields.bytes_hex("organizer", size=32),
        organizer_name=fields.name("organizer_name") if version == 1 else None,
        suite=Suite.parse(fields.text("suite", max_length=40)),
        issued_at=issued_at,
        expires_at=expires_at,
        sealed=fields.bytes_b64("sealed", max_size=4096),
        format=version,
        endpoint=(
            check_endpoint(fields.text("endpoint", max_length=MAX_ENDPOINT))
            if version == ONLINE_FORMAT
            else None
        ),
    )


def _format(fields: _wire.Fields) -> int:
    if not fields.has("format"):
        raise FormatError("the grant lacks the field(s) format")
    version = fields.integer("format", minimum=1)
    if version not in READABLE_FORMATS:
        raise UnsupportedFormat(
            f"the grant has format version {version}; this release reads versions "
            f"{', '.join(map(str, READABLE_FORMATS))}: use a matching release of coc-hashscreen"
        )
    return version


def read_grant(path: str | os.PathLike[str], trusted: Mapping[bytes, Ed25519PublicKey]) -> Grant:
    """Read a grant file within its size limit, then verify and parse it."""
    return parse_grant(read_envelope(path, "grant"), trusted)
