"""The committee directory: its register, its keys and its trust file, opened together.

Layout of a committee directory (`CommitteePaths`)::

    register.sqlite3   the register (mode 0600: holds the current epoch key)
    signing.key        Ed25519 signing key (mode 0600; encrypted under a passphrase)
    report.key         HPKE key that organizers seal incident reports to (0600; the same)
    committee.trust    the trust file organizers pin; public
    retired-report-keys/  report keys replaced by 'rotate-key --report-key' (0600)
    grants/epoch-N/    grants issued at rotations, one per active organizer
    service/           what the online mode's service reads (ADR 0025): the
                       current epoch's seed (0600) and the token database

`Committee` publishes lists (`_publish`), issues grants (`_grants`), takes
in sealed reports, expunges, and replaces its signing key.  The register
knows nothing of files or keys other than the epoch secret.  The private
keys are read only when a command needs one (`Authority`, `report_key`),
so that only those commands ask for the passphrase.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from ..core import (
    Closing,
    HpkePrivateKey,
    KeyPurpose,
    SigningKey,
    Suite,
    display_name,
    resolve_now,
    short_id,
)
from ..errors import InputError, KeyFileError, RegisterError, WrongPassphrase
from ..formats import (
    DEFAULT_TRUST_VALIDITY,
    Grant,
    KeyFileInfo,
    KeyProtection,
    PassphraseSource,
    Random,
    TrustContent,
    TrustFile,
    load_private_key,
    load_signing_key,
    make_trust,
    parse_trust,
    private_key_info,
    read_trust,
    save_private_key,
    save_signing_key,
    sign_receipt,
    write_atomic,
)
from ._authority import Authority
from ._grants import GrantContext, GrantRequest, grant
from ._keyrotation import (
    KeyRotation,
    finish_rotation,
    open_report,
    renew_trust,
    retired_report_keys,
    rotate_keys,
)
from ._publish import PublishOptions, PublishResult, publish
from ._records import RecordChange
from ._register import ExpungeResult, Register, UpdateResult
from ._reports import StoredReport
from ._service import ServiceDirectory, ServicePaths

__all__ = ["Committee", "CommitteePaths", "IntakeResult"]

K = TypeVar("K")


@dataclass(frozen=True)
class CommitteePaths:
    """Where a committee directory keeps each of its files."""

    directory: Path

    @property
    def register(self) -> Path:
        return self.directory / "register.sqlite3"

    @property
    def signing_key(self) -> Path:
        return self.directory / "signing.key"

    @property
    def pending_signing_key(self) -> Path:
        """The next signing key while a rotation is under way."""
        return self.directory / "signing.key.next"

    @property
    def report_key(self) -> Path:
        return self.directory / "report.key"

    @property
    def pending_report_key(self) -> Path:
        """The next report key while a rotation is under way."""
        return self.directory / "report.key.next"

    @property
    def retired_report_keys(self) -> Path:
        """Old report keys, kept to open reports sealed to them."""
        return self.directory / "retired-report-keys"

    @property
    def trust(self) -> Path:
        return self.directory / "committee.trust"

    @property
    def grants(self) -> Path:
        return self.directory / "grants"

    @property
    def service(self) -> Path:
        return self.directory / "service"


@dataclass(frozen=True)
class IntakeResult:
    """A received report: its receipt, and how it was recorded."""

    receipt: bytes = field(repr=False)
    report: StoredReport
    duplicate: bool


class Committee(Closing):
    """An open committee directory.  Use `init` or `open`, as a context manager."""

    def __init__(
        self,
        directory: Path,
        register: Register,
        authority: Authority,
        passphrase: PassphraseSource | None = None,
    ) -> None:
        self.paths = CommitteePaths(directory)
        self.register = register
        self._authority = authority
        self._passphrase = passphrase

    def __repr__(self) -> str:
        return f"Committee({os.fspath(self.directory)!r}, series={short_id(self.series)}…)"

    # -- setting up -----------------------------------------------------------

    @classmethod
    def init(
        cls,
        directory: str | os.PathLike[str],
        *,
        name: str,
        report_suite: Suite = Suite.X25519,
        now: datetime | None = None,
        protection: KeyProtection | None = None,
    ) -> Committee:
        """Create a committee directory: register, keys and trust file.

        The private keys are encrypted under *protection*'s passphrase, or
        stored in clear if it is None (the command line asks for a
        passphrase unless told ``--no-passphrase``).
        """
        now = resolve_now(now)
        name = display_name(name, "the committee's name")
        paths = CommitteePaths(Path(directory))
        paths.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if paths.register.exists():
            raise RegisterError(
                f"{os.fspath(paths.directory)!r} already holds a committee; a committee "
                "directory is initialized once"
            )
        for existing in (paths.signing_key, paths.report_key, paths.trust):
            if existing.exists():
                # Never overwrite a key: the register may only have been moved.
                raise RegisterError(
                    f"{os.fspath(existing)!r} exists but the register does not: an "
                    "earlier init was interrupted, or the register was moved. If nothing "
                    "was ever published from this directory, remove it and run init again"
                )
        signing_key = SigningKey.generate()
        report_key = HpkePrivateKey.generate(report_suite)
        save_signing_key(paths.signing_key, signing_key, name=name, protection=protection)
        save_private_key(
            paths.report_key,
            report_key,
            purpose=KeyPurpose.COMMITTEE_REPORTS,
            name=name,
            protection=protection,
        )
        trust = make_trust(
            TrustContent(name, signing_key.key_id, report_key.public_key),
            signing_key=signing_key,
            now=now,
        )
        write_atomic(paths.trust, trust)
        # The register last: its presence marks a complete directory.
        register = Register.create(paths.register)
        authority = Authority.of(signing_key, parse_trust(trust))
        return cls(paths.directory, register, authority, _source_of(protection))

    @classmethod
    def open(
        cls,
        directory: str | os.PathLike[str],
        *,
        passphrase: PassphraseSource | None = None,
        actor: str | None = None,
    ) -> Committee:
        """Open a committee directory.

        *passphrase* is called only when an encrypted private key is first
        needed (to sign, or to open a report), and may be called once per key.
        *actor* names the committee member making changes, in the register's
        audit trail (default: `default_actor`).
        """
        paths = CommitteePaths(Path(directory))
        if not paths.register.is_file():
            raise RegisterError(
                f"{os.fspath(paths.directory)!r} is not a committee directory; create one "
                "with 'committee init'"
            )
        # Its own format-1 file is read, so that it can be renewed (ADR 0012).
        trust = read_trust(paths.trust, legacy=True)
        finish_rotation(paths, trust)
        # Checked now, from the public half every key file shows, so that a
        # mismatched pair is named before anything else is done.
        if _signing_info(paths.signing_key).public != trust.signing_key:
            raise KeyFileError(
                "signing.key does not match the key in committee.trust; restore the "
                "matching pair from your backup"
            )
        authority = Authority(
            trust, lambda: load_signing_key(paths.signing_key, passphrase=passphrase)
        )
        register = Register.open(paths.register, actor=actor)
        return cls(paths.directory, register, authority, passphrase)

    def close(self) -> None:
        self.register.close()

    # -- identity -------------------------------------------------------------

    @property
    def directory(self) -> Path:
        return self.paths.directory

    @property
    def trust(self) -> TrustFile:
        return self._authority.trust

    @property
    def series(self) -> bytes:
        return self._authority.series

    @property
    def name(self) -> str:
        return self._authority.name

    def report_key(self) -> HpkePrivateKey:
        return load_private_key(
            self.paths.report_key,
            purpose=KeyPurpose.COMMITTEE_REPORTS,
            passphrase=self._passphrase,
        )

    # -- the private keys at rest ---------------------------------------------

    def key_files(self) -> tuple[KeyFileInfo, KeyFileInfo]:
        """What signing.key and report.key say of themselves (encrypted or not)."""
        return (
            _signing_info(self.paths.signing_key),
            private_key_info(self.paths.report_key, purpose=KeyPurpose.COMMITTEE_REPORTS),
        )

    def unlock(self) -> None:
        """Unlock the signing key now rather than at the first signature.

        Checks the passphrase before a long command starts, or before a new
        passphrase is asked for.
        """
        _ = self._authority.signing_key

    def change_passphrase(self, new: KeyProtection | None) -> None:
        """Write every private key again under *new*, or in clear if it is None.

        That is the signing key, the report key and the retired report keys
        (a thief of the disk must not find an old one under the old
        passphrase).  Every key is opened before any is written, so a wrong
        passphrase changes nothing; each file is replaced atomically.  A
        crash part way leaves some under each passphrase: run this again
        with the same passphrases, and a file that already opens with the
        new one is left as it is.
        """
        report_paths = [self.paths.report_key, *retired_report_keys(self.paths)]
        reports = [
            (path, _reopen(_report_key_loader(path), self._passphrase, new))
            for path in report_paths
        ]
        signing = _reopen(
            lambda source: load_signing_key(self.paths.signing_key, passphrase=source),
            self._passphrase,
            new,
        )
        for path, report in reports:
            if report is not None:
                save_private_key(
                    path,
                    report,
                    purpose=KeyPurpose.COMMITTEE_REPORTS,
                    name=self.name,
                    protection=new,
                )
        if signing is not None:
            save_signing_key(self.paths.signing_key, signing, name=self.name, protection=new)
        self._passphrase = _source_of(new)
        self._authority = Authority(
            self.trust,
            lambda: load_signing_key(self.paths.signing_key, passphrase=self._passphrase),
        )

    # -- lists, grants, reports ----------------------------------------------------

    def publish(
        self,
        output: str | os.PathLike[str],
        options: PublishOptions = PublishOptions(),
        *,
        now: datetime | None = None,
    ) -> PublishResult:
        """Build, sign and write the list of every published record (see `_publish`).

        Grants for a new epoch go to *options.grants_dir*, by default the
        directory's ``grants``.  An organizer that cannot be granted does not
        stop the others: check ``grant_failures`` in the result.
        """
        if options.grants_dir is None:
            options = replace(options, grants_dir=self.paths.grants)
        if options.service_dir is None:
            options = replace(options, service_dir=self.paths.service)
        # What can fail for want of the passphrase or a place to write fails
        # before an epoch starts (wiping the old key) or a version is taken.
        target = Path(output).parent.resolve()
        if not target.is_dir() or not os.access(target, os.W_OK):
            raise InputError(
                f"cannot write the list into {os.fspath(target)!r}: not a directory this "
                "user may write to"
            )
        self.unlock()
        return publish(self.register, self._authority, Path(output), options, now=resolve_now(now))

    def grant(
        self,
        request: GrantRequest,
        output: str | os.PathLike[str],
        *,
        now: datetime | None = None,
    ) -> Grant:
        """Register an organizer as vetted and write it a grant for the current epoch.

        Both or neither: a grant that cannot be made or written leaves no
        organizer registered (see `_grants.grant`).
        """
        context = GrantContext(ServicePaths(self.paths.service), resolve_now(now))
        return grant(self.register, self._authority, request, Path(output), context=context)

    def intake(
        self,
        sealed: bytes,
        *,
        actor: str = "intake",
        now: datetime | None = None,
    ) -> IntakeResult:
        """Open, validate and record a sealed report; return a signed receipt.

        The same sealed file received twice gives the same report id and the
        same receipt, and is stored once.
        """
        now = resolve_now(now)
        report = open_report(self.paths, sealed, self.report_key(), passphrase=self._passphrase)
        stored, duplicate = self.register.reports.store(
            report, sealed=sealed, received_at=now, actor=actor
        )
        receipt = sign_receipt(
            committee=self.name,
            series=self.series,
            sealed=sealed,
            received_at=stored.received_at,
            signer=self._authority.signing_key,
        )
        return IntakeResult(receipt=receipt, report=stored, duplicate=duplicate)

    # -- expunge and key rotation -----------------------------------------------

    def expunge(self, *, now: datetime | None = None, rng: Random = os.urandom) -> ExpungeResult:
        """Delete expired records and reports, and retired epoch keys, for good.

        A report goes with every record it is linked to.  When an expired
        record was listed in the current epoch, a new epoch starts (its key
        from *rng*) and the old key is wiped: `publish` next, which grants
        the new epoch to every active organizer.
        """
        return self._serving(lambda: self.register.expunge(now=now, rng=rng))

    def remove_record(
        self, record_id: int, *, now: datetime | None = None, rng: Random = os.urandom
    ) -> ExpungeResult:
        """Remove a record for good, with every report linked to it (see `expunge`)."""
        return self._serving(lambda: self.register.remove_record(record_id, now=now, rng=rng))

    def update_record(
        self,
        record_id: int,
        change: RecordChange,
        *,
        now: datetime | None = None,
        rng: Random = os.urandom,
    ) -> UpdateResult:
        """Change a record; an identifier taken off, or a record lowered to minor, is un-listed.

        When the record was listed in the current epoch, an un-listing
        change starts a new epoch and wipes the old key, as `remove_record`
        does (see `Register.update_record`): `publish` next.
        """
        return self._serving(
            lambda: self.register.update_record(record_id, change, now=now, rng=rng)
        )

    def _serving(self, change: Callable[[], K]) -> K:
        """Run *change*; if it started a new epoch, the service moves to it at once.

        A deletion that rotates wipes the epoch's VOPRF seed from the
        register; the service's copy goes with it, so the old key answers
        no one after the record is gone.
        """
        before = self.register.epochs.current()
        try:
            return change()
        finally:
            after = self.register.epochs.current()
            if after is not None and (before is None or after.number != before.number):
                self.service.sync()

    @property
    def service(self) -> ServiceDirectory:
        """The online mode's service directory: tokens, quotas, revocations (`_service`)."""
        return ServiceDirectory(self.register, self.series, ServicePaths(self.paths.service))

    def rotate_signing_key(
        self,
        *,
        now: datetime | None = None,
        report_key: bool = False,
        compromised: bool = False,
        report_suite: Suite | None = None,
    ) -> TrustFile:
        """Replace the signing key; the new trust file carries the old key's statement.

        With *report_key* the report key is replaced too (the old one is
        kept in ``retired-report-keys/``); *compromised* declares the old
        signing key stolen, so organizers forget the list marks it set.
        Crash-safe (see `_keyrotation`).
        """
        new_report_key = None
        if report_key:
            new_report_key = HpkePrivateKey.generate(report_suite or self.trust.report_key.suite)
        # Unlocked before anything is written, so a wrong passphrase changes
        # nothing; the new keys are then kept as the old one was: under the
        # same passphrase and Argon2 cost, or in clear.
        _ = self._authority.signing_key
        rotation = KeyRotation(
            resolve_now(now),
            new_report_key=new_report_key,
            protection=self._protection_of_signing_key(),
            compromised=compromised,
        )
        self._authority = rotate_keys(self.paths, self._authority, rotation)
        return self._authority.trust

    def renew_trust(
        self, *, now: datetime | None = None, validity: timedelta = DEFAULT_TRUST_VALIDITY
    ) -> TrustFile:
        """Re-issue the trust file with a fresh validity (same generation, same fingerprint)."""
        self._authority = renew_trust(
            self.paths, self._authority, now=resolve_now(now), validity=validity
        )
        return self._authority.trust

    def _protection_of_signing_key(self) -> KeyProtection | None:
        """How the keys are protected: their passphrase (from the source) and Argon2 cost.

        Both keys must agree: after a passphrase change interrupted between
        the two files, new keys written "as signing.key is" could put a new
        report key in clear beside an encrypted one.
        """
        kdfs = {info.kdf for info in self.key_files()}
        if len(kdfs) > 1:
            raise KeyFileError(
                "signing.key and report.key are not under the same passphrase (a passphrase "
                "change was interrupted): run 'committee passphrase' again first"
            )
        (kdf,) = kdfs
        if kdf is None or self._passphrase is None:
            return None
        return KeyProtection(self._passphrase(), kdf=kdf)


def _source_of(protection: KeyProtection | None) -> PassphraseSource | None:
    if protection is None:
        return None
    passphrase = protection.passphrase
    return lambda: passphrase


def _report_key_loader(path: Path) -> Callable[[PassphraseSource | None], HpkePrivateKey]:
    def load(source: PassphraseSource | None) -> HpkePrivateKey:
        return load_private_key(path, purpose=KeyPurpose.COMMITTEE_REPORTS, passphrase=source)

    return load


def _signing_info(path: Path) -> KeyFileInfo:
    return private_key_info(path, purpose=KeyPurpose.COMMITTEE_SIGNING)


def _reopen(
    load: Callable[[PassphraseSource | None], K],
    current: PassphraseSource | None,
    new: KeyProtection | None,
) -> K | None:
    """A key to write under *new*, or None if its file already opens with *new*'s passphrase."""
    try:
        return load(current)
    except WrongPassphrase:
        if new is None or not _opens(load, new):
            raise
        return None


def _opens(load: Callable[[PassphraseSource | None], object], protection: KeyProtection) -> bool:
    try:
        load(_source_of(protection))
    except WrongPassphrase:
        return False
    return True
