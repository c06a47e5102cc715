"""The committee's backup file: a tar archive of its directory, encrypted in the age format.

A member opens one with standard tools (docs/adr/0022-backups-in-age-format.md)::

    age -d -i key.txt committee.backup | tar x

which gives ``coc-hashscreen-backup/``: ``MANIFEST.json`` first, then the
register snapshot and the key and trust files as the committee directory
holds them.  The manifest states what the backup knew (the latest version
and epoch published, the schema version), when it must be deleted, and the
SHA-256 of every other member.

Encryption is age's: to X25519 recipients (``age1…``) and SSH public keys,
or to a passphrase (scrypt) alone, as age allows.  Age authenticates every
64 KiB chunk and the end of the stream, so a backup decrypted with the
wrong key, cut short or altered anywhere is refused as one opaque
`VerificationError`; a file that does not start as an age file is a
`FormatError`.  The manifest's hashes are checked too, so a tar assembled
by hand from other files is refused.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tarfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Final

import pyrage

from ..core import from_timestamp, timestamp
from ..errors import FormatError, InputError, UnsupportedFormat, VerificationError
from ._keycrypt import Passphrase

__all__ = [
    "BACKUP_FORMAT",
    "BACKUP_MEMBERS",
    "MAX_BACKUP_SIZE",
    "BackupIdentity",
    "BackupManifest",
    "BackupRecipients",
    "decrypt_backup",
    "encrypt_backup",
    "pack_backup",
    "unpack_backup",
]

BACKUP_FORMAT: Final = "coc-hashscreen-backup"
_VERSION: Final = 1
_PREFIX: Final = "coc-hashscreen-backup/"
_MANIFEST: Final = "MANIFEST.json"
# Every file a backup may hold, by its name in the committee directory.
BACKUP_MEMBERS: Final = ("register.sqlite3", "signing.key", "report.key", "committee.trust")
_RETIRED: Final = re.compile(r"retired-report-keys/report-[0-9a-f]{16}\.key")
# The register with every attachment it may hold; the limit guards memory.
MAX_BACKUP_SIZE: Final = 4 * 2**30
_AGE_MAGIC: Final = b"age-encryption.org/v1\n"
_AGE_ARMOR: Final = b"-----BEGIN AGE ENCRYPTED FILE-----"


@dataclass(frozen=True)
class BackupManifest:
    """What a backup says of itself; ``files`` maps each member's name to its SHA-256."""

    created_at: datetime
    expires_at: datetime
    committee: str
    series: bytes
    schema_version: int
    latest_version: int
    latest_epoch: int
    files: Mapping[str, bytes] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": BACKUP_FORMAT,
            "version": _VERSION,
            "created_at": timestamp(self.created_at),
            "expires_at": timestamp(self.expires_at),
            "committee": self.committee,
            "series": self.series.hex(),
            "schema_version": self.schema_version,
            "latest_version": self.latest_version,
            "latest_epoch": self.latest_epoch,
            "files": {name: digest.hex() for name, digest in sorted(self.files.items())},
        }

    @classmethod
    def from_json(cls, data: bytes) -> BackupManifest:
        try:
            document = json.loads(data)
            if document.get("format") != BACKUP_FORMAT:
                raise FormatError("the archive is not a coc-hashscreen backup")
            if document.get("version") != _VERSION:
                raise UnsupportedFormat(
                    f"the backup is format version {document.get('version')!r}; this release "
                    f"reads version {_VERSION}: use a matching release of coc-hashscreen"
                )
            return cls(
                created_at=from_timestamp(int(document["created_at"])),
                expires_at=from_timestamp(int(document["expires_at"])),
                committee=str(document["committee"]),
                series=bytes.fromhex(document["series"]),
                schema_version=int(document["schema_version"]),
                latest_version=int(document["latest_version"]),
                latest_epoch=int(document["latest_epoch"]),
                files={str(k): bytes.fromhex(v) for k, v in document["files"].items()},
            )
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError):
            raise FormatError("the backup's manifest is malformed") from None


def _allowed(name: str) -> bool:
    return name in BACKUP_MEMBERS or _RETIRED.fullmatch(name) is not None


def pack_backup(manifest: BackupManifest, files: Mapping[str, bytes]) -> bytes:
    """A tar archive of *files*, the manifest first with each file's SHA-256 filled in.

    Every member is a regular file, mode 0600, dated at the backup's
    creation and owned by nobody in particular, so two backups of the same
    state differ only in what they hold.
    """
    for name in files:
        if not _allowed(name):
            raise ValueError(f"{name!r} does not belong in a backup")
    digests = {name: hashlib.sha256(data).digest() for name, data in files.items()}
    manifest_json = json.dumps(replace(manifest, files=digests).to_dict(), indent=2).encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name, data in [(_MANIFEST, manifest_json), *sorted(files.items())]:
            info = tarfile.TarInfo(_PREFIX + name)
            info.size = len(data)
            info.mode = 0o600
            info.mtime = timestamp(manifest.created_at)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def unpack_backup(data: bytes) -> tuple[BackupManifest, dict[str, bytes]]:
    """The manifest and files of a decrypted backup, every hash checked.

    Refuses anything but regular files under the backup's own folder, a
    name that is not a committee file, a file twice, a file missing or
    extra, and a file whose hash is not the manifest's.
    """
    files: dict[str, bytes] = {}
    manifest_json: bytes | None = None
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
            for info in archive:
                name = info.name.removeprefix(_PREFIX)
                first = manifest_json is None and not files
                if not info.isreg() or not info.name.startswith(_PREFIX):
                    raise FormatError("the backup holds an entry that is not a committee file")
                if first and name != _MANIFEST:
                    raise FormatError("the backup does not start with its manifest")
                if not first and (not _allowed(name) or name in files):
                    raise FormatError("the backup holds an unexpected or repeated file")
                handle = archive.extractfile(info)
                assert handle is not None  # a regular file
                if first:
                    manifest_json = handle.read()
                else:
                    files[name] = handle.read()
    except tarfile.TarError:
        raise FormatError("the decrypted backup is not a readable tar archive") from None
    if manifest_json is None:
        raise FormatError("the backup is empty")
    manifest = BackupManifest.from_json(manifest_json)
    digests = {name: hashlib.sha256(content).digest() for name, content in files.items()}
    if digests != dict(manifest.files) or not set(BACKUP_MEMBERS) <= set(files):
        raise FormatError("the backup's files do not match its manifest")
    return manifest, files


# -- encryption ------------------------------------------------------------------

_Recipient = pyrage.x25519.Recipient | pyrage.ssh.Recipient
_Identity = pyrage.x25519.Identity | pyrage.ssh.Identity


def _recipient(text: str) -> _Recipient:
    text = text.strip()
    try:
        if text.startswith("age1"):
            return pyrage.x25519.Recipient.from_str(text)
        if text.startswith(("ssh-ed25519 ", "ssh-rsa ")):
            return pyrage.ssh.Recipient.from_str(text)
    except pyrage.RecipientError:
        raise InputError("a backup recipient is not a valid age or SSH public key") from None
    raise InputError(
        "a backup recipient must be an age public key (age1…) or an SSH public key "
        "(ssh-ed25519 or ssh-rsa)"
    )


@dataclass(frozen=True)
class BackupRecipients:
    """Who can open a backup: age and SSH public keys, or one passphrase alone.

    Each of *keys* is an ``age1…`` public key or an OpenSSH public key line
    (``ssh-ed25519 …`` or ``ssh-rsa …``); age allows a passphrase only as
    the single recipient.
    """

    keys: tuple[str, ...] = ()
    passphrase: Passphrase | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if bool(self.keys) == (self.passphrase is not None):
            raise InputError(
                "a backup is encrypted to one or more public keys, or to a passphrase alone"
            )
        for key in self.keys:
            _recipient(key)

    @classmethod
    def from_lines(cls, text: str) -> tuple[str, ...]:
        """The recipients in a recipients file, as age's ``-R`` reads it: one a line, # comments."""
        return tuple(
            line.strip()
            for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        )


@dataclass(frozen=True)
class BackupIdentity:
    """What opens a backup: an identity file (age keys, or an SSH private key), or a passphrase."""

    file: bytes | None = field(default=None, repr=False)
    passphrase: Passphrase | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if (self.file is None) == (self.passphrase is None):
            raise InputError("a backup is opened with an identity file or with a passphrase")

    def _identities(self) -> Sequence[_Identity]:
        """The age or SSH identities in the file (an unencrypted OpenSSH key, or age keys)."""
        assert self.file is not None
        try:
            if self.file.lstrip().startswith(b"-----BEGIN OPENSSH PRIVATE KEY-----"):
                return [pyrage.ssh.Identity.from_buffer(self.file)]
            text = self.file.decode("utf-8")
            keys = [
                pyrage.x25519.Identity.from_str(line.strip())
                for line in text.splitlines()
                if line.strip() and not line.lstrip().startswith("#")
            ]
        except (pyrage.IdentityError, UnicodeDecodeError, ValueError):
            raise InputError(
                "the identity file holds no usable key: give an age identity file "
                "(from age-keygen) or an unencrypted OpenSSH private key"
            ) from None
        if not keys:
            raise InputError("the identity file holds no key")
        return keys


def encrypt_backup(plain: bytes, to: BackupRecipients) -> bytes:
    """*plain* encrypted in the age format to *to*'s keys, or to its passphrase."""
    if to.passphrase is not None:
        return pyrage.passphrase.encrypt(plain, to.passphrase.secret.decode("utf-8"))
    return pyrage.encrypt(plain, [_recipient(key) for key in to.keys])


def decrypt_backup(data: bytes, identity: BackupIdentity) -> bytes:
    """Decrypt an age-encrypted backup; any failure of the key or the file is one error."""
    if data.startswith(_AGE_ARMOR):
        raise FormatError("the backup is ASCII-armored: remove the armor with 'age -d' first")
    if not data.startswith(_AGE_MAGIC):
        raise FormatError("this is not an age-encrypted file, so it cannot be a backup")
    try:
        if identity.passphrase is not None:
            return pyrage.passphrase.decrypt(data, identity.passphrase.secret.decode("utf-8"))
        return pyrage.decrypt(data, identity._identities())
    except pyrage.DecryptError:
        raise VerificationError("backup") from None
