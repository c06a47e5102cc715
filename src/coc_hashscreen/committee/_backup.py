"""Backups of a committee directory, and restoring one (docs/adr/0022-backups-in-age-format.md).

`backup_committee` takes a consistent snapshot of the register (SQLite's
backup API, in memory) with the key and trust files as they are stored,
the private keys still under their passphrase, and writes them as one
age-encrypted tar (`formats.pack_backup`, `formats.encrypt_backup`).

A backup must be deleted when the first record or report in it reaches
the end of its retention, and within `DEFAULT_BACKUP_VALIDITY` at most: its
``expires_at`` says when.  One is refused while anything in the register
is already past its retention: expunge first.

`restore_committee` checks the whole backup before it writes anything,
builds the directory beside its target and renames it into place.  The
restored register then publishes above everything the backup knew (and
above the lists given as ``latest_lists``), in a new epoch: the restored
epoch key is wiped, as the committee may have wiped it after the backup.
What is past its retention by then is expunged at once.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final

from ..core import resolve_now
from ..errors import (
    ExpiredError,
    InputError,
    KeyFileError,
    MismatchError,
    RegisterError,
    UnsupportedFormat,
)
from ..formats import (
    MAX_BACKUP_SIZE,
    BackupIdentity,
    BackupManifest,
    BackupRecipients,
    ListHeader,
    PassphraseSource,
    Random,
    TrustFile,
    decrypt_backup,
    encrypt_backup,
    fsync_directory,
    pack_backup,
    parse_list,
    parse_trust,
    read_envelope,
    read_limited,
    unpack_backup,
    write_atomic,
)
from ._committee import Committee
from ._db import SCHEMA_VERSION
from ._keyrotation import retired_report_keys
from ._register import ExpungeResult, Register
from ._settings import PublishFloor

__all__ = [
    "DEFAULT_BACKUP_VALIDITY",
    "BackupResult",
    "RestoreOptions",
    "RestoreResult",
    "backup_committee",
    "restore_committee",
]

# The longest a backup is kept, however far its records' retention runs:
# it carries the current epoch key and every report.
DEFAULT_BACKUP_VALIDITY: Final = timedelta(days=90)
_PUBLIC: Final = frozenset({"committee.trust"})


@dataclass(frozen=True)
class BackupResult:
    """A backup written: where, and what its manifest says (its ``expires_at`` above all)."""

    path: Path
    manifest: BackupManifest
    size: int


def _expiry(register: Register, now: datetime, valid_for: timedelta) -> datetime:
    """When a backup of *register* taken at *now* must be deleted (see the module)."""
    plan = register.expunge_plan(now=now)
    if plan.case_refs or plan.reports:
        raise RegisterError(
            "records or reports past their retention are waiting to be deleted: run "
            "'committee expunge' first, so that the backup does not carry them"
        )
    ends = [r.expires_at for r in register.records.all() if r.expires_at is not None]
    ends += [r.expires_at for r in register.reports.all() if r.expires_at is not None]
    return min([now + valid_for, *ends])


def _directory_files(committee: Committee) -> dict[str, bytes]:
    """The committee's files as stored, by their names in the backup; the register first."""
    paths = committee.paths
    files = {"register.sqlite3": committee.register.snapshot()}
    for path in (paths.signing_key, paths.report_key, paths.trust):
        files[path.name] = path.read_bytes()
    for path in retired_report_keys(paths):
        files[f"{paths.retired_report_keys.name}/{path.name}"] = path.read_bytes()
    return files


def backup_committee(
    committee: Committee,
    output: str | os.PathLike[str],
    to: BackupRecipients,
    *,
    now: datetime | None = None,
    valid_for: timedelta = DEFAULT_BACKUP_VALIDITY,
) -> BackupResult:
    """Write an encrypted backup of *committee* to *output* (mode 0600, atomically).

    *output* may not lie in the committee directory: a backup written over
    the register, or beside it where a restore would carry it, is no backup.
    """
    now = resolve_now(now).replace(microsecond=0)  # as the manifest states it
    if valid_for <= timedelta(0):
        raise InputError("a backup must be valid for a positive time")
    target = Path(output).resolve()
    if target.is_relative_to(committee.directory.resolve()):
        raise InputError(
            "the backup would be written inside the committee directory; write it elsewhere "
            "(another disk, or a folder the backup tool copies)"
        )
    if not target.parent.is_dir():
        raise InputError(f"{os.fspath(target.parent)!r} is not a directory; create it first")
    if target.is_dir():
        raise InputError(f"{os.fspath(target)!r} is a directory; name a file in it")
    register = committee.register
    expires_at = _expiry(register, now, valid_for)
    files = _directory_files(committee)
    publications = register.epochs.publications()
    epoch = register.epochs.current()
    floor = register.settings.floor()
    manifest = BackupManifest(
        created_at=now,
        expires_at=expires_at,
        committee=committee.name,
        series=committee.series,
        schema_version=register.schema_version,
        # What the backup knew: a register restored from a backup knows its floor too.
        latest_version=max(publications[-1].version if publications else 0, floor.version - 1),
        latest_epoch=max(epoch.number if epoch else 0, floor.epoch - 1),
    )
    data = encrypt_backup(pack_backup(manifest, files), to)
    write_atomic(output, data, private=True)
    return BackupResult(Path(output), manifest, len(data))


# -- restoring -------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreOptions:
    """How to restore: lists published after the backup, an expired backup, the new key.

    *latest_lists* are list files the committee published later than the
    backup (organizers keep copies): the next publish goes above them too.
    *accept_expired* restores a backup past its ``expires_at`` (what is
    past its retention is expunged all the same).  *fingerprint* is the
    committee's published trust (or series) fingerprint, or its first 16
    bytes or more: age does not say who made a backup (anyone with a
    recipient's public key can), so a backup holding another trust file is
    refused before anything is written.  *rng* makes the new epoch's key.
    """

    latest_lists: tuple[Path, ...] = ()
    accept_expired: bool = False
    fingerprint: bytes | None = None
    # The committee's key passphrase: the restore opens both private keys
    # and checks them against the trust file (asked for only if encrypted).
    passphrase: PassphraseSource | None = field(default=None, compare=False)
    rng: Random = field(default=os.urandom, compare=False)


@dataclass(frozen=True)
class RestoreResult:
    """A restored directory: the backup's manifest, the floor of the next publish, what went.

    ``epoch`` is the epoch started to wipe the restored key (None if the
    backup had none); ``expunged`` is what was past its retention at the
    restore and deleted at once.
    """

    directory: Path
    manifest: BackupManifest
    trust: TrustFile
    floor_version: int
    floor_epoch: int
    epoch: int | None
    expunged: ExpungeResult

    def to_dict(self) -> dict[str, Any]:
        return {
            "directory": os.fspath(self.directory),
            "backup_created_at": self.manifest.created_at.isoformat(),
            "backup_expires_at": self.manifest.expires_at.isoformat(),
            "committee": self.manifest.committee,
            "series": self.manifest.series.hex(),
            "trust_fingerprint": self.trust.fingerprint.hex(),
            "floor_version": self.floor_version,
            "floor_epoch": self.floor_epoch,
            "epoch": self.epoch,
            "expunged": self.expunged.to_dict(),
        }


def _check_manifest(manifest: BackupManifest, trust: TrustFile) -> None:
    if manifest.series != trust.series:
        raise MismatchError("the backup's manifest and its trust file name different committees")
    if manifest.schema_version > SCHEMA_VERSION:
        raise UnsupportedFormat(
            f"the backup's register has schema version {manifest.schema_version}, newer than "
            f"this release's {SCHEMA_VERSION}; restore it with a newer coc-hashscreen"
        )


def _check_fingerprint(trust: TrustFile, expected: bytes | None) -> None:
    if expected is None:
        return
    if not (trust.fingerprint.startswith(expected) or trust.series.startswith(expected)):
        raise MismatchError(
            "the backup holds another committee directory than the fingerprint given: it "
            "was not made from your committee; do not restore it"
        )


def _check_private_keys(committee: Committee) -> None:
    """Both private keys open and are the trust file's: the backup holds the committee's keys.

    The trust file and the keys' public halves are public: a backup built
    from them around a register of someone else's making passes every
    other check.  Only the private keys, under the committee's passphrase,
    tell the committee's own directory from such a forgery.
    """
    committee.unlock()
    if committee.report_key().public_key != committee.trust.report_key:
        raise KeyFileError(
            "report.key in the backup is not the key in its committee.trust: this is not a "
            "backup of your committee; do not restore it"
        )


def _check_expiry(manifest: BackupManifest, now: datetime, options: RestoreOptions) -> None:
    if now >= manifest.expires_at and not options.accept_expired:
        raise ExpiredError(
            f"the backup expired on {manifest.expires_at:%Y-%m-%d}: it should have been "
            "deleted. If it is the only copy left, restore it with --expired; what is past "
            "its retention is deleted at once"
        )


def _later_lists(paths: Sequence[Path], trust: TrustFile) -> list[ListHeader]:
    """The headers of lists published after the backup, verified against its trust file."""
    headers = []
    for path in paths:
        header = parse_list(read_envelope(path, "list"), trust.trusted_keys()).header
        if header.series != trust.series:
            raise MismatchError("a list given with --latest-list is another committee's")
        headers.append(header)
    return headers


def _floor(manifest: BackupManifest, later: Sequence[ListHeader]) -> PublishFloor:
    """Above every version and epoch the backup or a later list knew."""
    version = max([manifest.latest_version, *(h.version for h in later)])
    epoch = max([manifest.latest_epoch, *(h.epoch for h in later)])
    return PublishFloor(version + 1, epoch + 1)


def _check_target(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise RegisterError(
            f"{os.fspath(target)!r} exists and is not empty: a backup is restored into a "
            "new directory, never over a committee"
        )


def _write_files(directory: Path, files: dict[str, bytes]) -> None:
    for name, content in files.items():
        path = directory / name
        path.parent.mkdir(mode=0o700, exist_ok=True)
        write_atomic(path, content, private=name not in _PUBLIC)


def restore_committee(
    backup: str | os.PathLike[str],
    directory: str | os.PathLike[str],
    identity: BackupIdentity,
    options: RestoreOptions = RestoreOptions(),
    *,
    now: datetime | None = None,
) -> RestoreResult:
    """Check a backup whole, then restore it into the new *directory*.

    Nothing is written unless the backup decrypts, every file matches its
    manifest, and the register and trust file open as a committee.  The
    directory is built beside *directory* and renamed into place.
    """
    now = resolve_now(now)
    target = Path(directory)
    _check_target(target)
    data = read_limited(backup, MAX_BACKUP_SIZE, "backup")
    manifest, files = unpack_backup(decrypt_backup(data, identity))
    trust = parse_trust(files["committee.trust"], legacy=True)
    _check_manifest(manifest, trust)
    _check_fingerprint(trust, options.fingerprint)
    _check_expiry(manifest, now, options)
    floor = _floor(manifest, _later_lists(options.latest_lists, trust))
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.restoring-", dir=target.parent))
    try:
        _write_files(staging, files)
        with Committee.open(staging, passphrase=options.passphrase) as committee:
            _check_private_keys(committee)
            details = {"backup_created_at": manifest.created_at.isoformat()}
            epoch = committee.register._after_restore(
                floor, now=now, rng=options.rng, details=details
            )
            expunged = committee.expunge(now=now, rng=options.rng)
            floor = committee.register.settings.floor()
        _check_target(target)
        os.replace(staging, target)
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging)
        raise
    fsync_directory(target.parent)
    return RestoreResult(target, manifest, trust, floor.version, floor.epoch, epoch, expunged)
