"""The committee side: a directory holding the register, keys and trust file.

Layout of a committee directory::

    register.sqlite3   the register (mode 0600: holds the current epoch key)
    signing.key        Ed25519 signing key (mode 0600)
    report.key         HPKE key that organizers seal incident reports to (0600)
    committee.trust    the trust file organizers pin; public
    grants/epoch-N/    grants issued at rotations, one per active organizer

`Committee` builds, signs and publishes lists, rotates epochs, issues grants,
expunges, and replaces its signing key.  It reads the register; the register
knows nothing of files or keys other than the epoch secret.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from ..core import (
    DEFAULT_MEMORY_BUDGET,
    EPOCH_KEY_SIZE,
    KDF_PROFILES,
    PROFILE,
    SALT_SIZE,
    Argon2Params,
    Closing,
    HashingOptions,
    HpkePrivateKey,
    HpkePublicKey,
    KeyedHasher,
    KeyPurpose,
    Progress,
    SigningKey,
    Strength,
    Suite,
    display_name,
    key_check,
    resolve_now,
    short_id,
    variants,
)
from ..errors import InputError, KeyFileError, RegisterError, ScrubPending
from ..formats import (
    EntryPayload,
    Grant,
    GrantTerms,
    ListHeader,
    Random,
    TrustContent,
    TrustFile,
    bucket_size,
    build_list,
    fsync_directory,
    issue_grant,
    load_private_key,
    load_signing_key,
    make_rotation,
    make_trust,
    open_sealed_report,
    parse_grant,
    parse_trust,
    read_trust,
    report_id_for,
    save_private_key,
    save_signing_key,
    sign_receipt,
    write_atomic,
)
from ._register import Epoch, ExpungeResult, Record, Register, StoredReport

__all__ = ["Committee", "IntakeResult", "PublishResult", "merge_entries"]

REGISTER_FILE: Final = "register.sqlite3"
SIGNING_KEY_FILE: Final = "signing.key"
REPORT_KEY_FILE: Final = "report.key"
TRUST_FILE: Final = "committee.trust"
GRANTS_DIR: Final = "grants"
_NEXT_SUFFIX: Final = ".next"

DEFAULT_LIST_VALIDITY: Final = timedelta(days=30)
DEFAULT_GRANT_VALIDITY: Final = timedelta(days=90)


@dataclass(frozen=True)
class IntakeResult:
    """A received report: its receipt, and how it was recorded."""

    receipt: bytes = field(repr=False)
    report: StoredReport
    duplicate: bool


@dataclass(frozen=True)
class PublishResult:
    """What a publish produced."""

    path: Path
    header: ListHeader
    records: int
    real_entries: int
    rotated: bool
    capped_by_record_expiry: bool
    grants: tuple[Path, ...] = field(default=())
    # True when a rotation could not yet scrub the old epoch key from the
    # register's files (another program holds it open): run expunge later.
    scrub_pending: bool = False


def merge_entries(
    records: list[Record], *, profile: str = PROFILE
) -> dict[tuple[str, str], EntryPayload]:
    """Every (kind, key) the list must hold, with the payload it reveals.

    Each identifier contributes all of its variants.  Where several records
    share a key the most severe status wins, and among equals the smallest
    case reference, so the result does not depend on the register's order.
    """
    merged: dict[tuple[str, str], EntryPayload] = {}
    for record in records:
        if not record.status.published:
            raise InputError("minor records are never published")
        for identifier in record.identifiers:
            strength = Strength.of_kind(identifier.kind)
            for key in variants(identifier.kind, identifier.value, profile=profile):
                candidate = EntryPayload(record.status, strength, record.case_ref)
                current = merged.get((identifier.kind, key))
                if current is None or (-candidate.status.severity, candidate.case_ref) < (
                    -current.status.severity,
                    current.case_ref,
                ):
                    merged[(identifier.kind, key)] = candidate
    return merged


def _safe_file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")[:40] or "organizer"


class Committee(Closing):
    """An open committee directory.  Use `init` or `open`, as a context manager."""

    def __init__(
        self, directory: Path, register: Register, signing_key: SigningKey, trust: TrustFile
    ) -> None:
        self.directory = directory
        self.register = register
        self._signing_key = signing_key
        self._trust = trust

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
    ) -> Committee:
        """Create a committee directory: register, keys and trust file."""
        now = resolve_now(now)
        name = display_name(name, "the committee's name")
        path = Path(directory)
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if (path / REGISTER_FILE).exists():
            raise RegisterError(
                f"{os.fspath(path)!r} already holds a committee; a committee directory is "
                "initialized once"
            )
        for existing in (SIGNING_KEY_FILE, REPORT_KEY_FILE, TRUST_FILE):
            if (path / existing).exists():
                # Never overwrite a key: the register may only have been moved.
                raise RegisterError(
                    f"{os.fspath(path / existing)!r} exists but the register does not: an "
                    "earlier init was interrupted, or the register was moved. If nothing "
                    "was ever published from this directory, remove it and run init again"
                )
        signing_key = SigningKey.generate()
        report_key = HpkePrivateKey.generate(report_suite)
        save_signing_key(path / SIGNING_KEY_FILE, signing_key, name=name)
        save_private_key(
            path / REPORT_KEY_FILE, report_key, purpose=KeyPurpose.COMMITTEE_REPORTS, name=name
        )
        trust = make_trust(
            TrustContent(name, signing_key.key_id, report_key.public_key),
            signing_key=signing_key,
            now=now,
        )
        write_atomic(path / TRUST_FILE, trust)
        # The register last: its presence marks a complete directory.
        register = Register.create(path / REGISTER_FILE)
        return cls(path, register, signing_key, parse_trust(trust))

    @classmethod
    def open(cls, directory: str | os.PathLike[str]) -> Committee:
        path = Path(directory)
        if not (path / REGISTER_FILE).is_file():
            raise RegisterError(
                f"{os.fspath(path)!r} is not a committee directory; create one with "
                "'committee init'"
            )
        trust = read_trust(path / TRUST_FILE)
        cls._finish_key_rotation(path, trust)
        signing_key = load_signing_key(path / SIGNING_KEY_FILE)
        if signing_key.public_bytes != trust.signing_key:
            raise KeyFileError(
                "signing.key does not match the key in committee.trust; restore the "
                "matching pair from your backup"
            )
        return cls(path, Register.open(path / REGISTER_FILE), signing_key, trust)

    @staticmethod
    def _finish_key_rotation(path: Path, trust: TrustFile) -> None:
        """Complete or undo a signing-key rotation that a crash interrupted."""
        pending = path / (SIGNING_KEY_FILE + _NEXT_SUFFIX)
        if not pending.exists():
            return
        new_key = load_signing_key(pending)
        if new_key.public_bytes == trust.signing_key:
            os.replace(pending, path / SIGNING_KEY_FILE)
        else:
            pending.unlink()
        fsync_directory(path)

    def close(self) -> None:
        self.register.close()

    # -- identity -------------------------------------------------------------

    @property
    def trust(self) -> TrustFile:
        return self._trust

    @property
    def series(self) -> bytes:
        return self._trust.series

    @property
    def name(self) -> str:
        return self._trust.committee

    @property
    def trust_path(self) -> Path:
        return self.directory / TRUST_FILE

    def report_key(self) -> HpkePrivateKey:
        return load_private_key(
            self.directory / REPORT_KEY_FILE, purpose=KeyPurpose.COMMITTEE_REPORTS
        )

    # -- publishing -----------------------------------------------------------

    def _epoch_for_publish(
        self,
        *,
        rotate: bool,
        kdf: Argon2Params | None,
        min_epoch: int,
        now: datetime,
        rng: Random,
    ) -> tuple[Epoch, bool]:
        epoch = self.register.current_epoch()
        if epoch is not None and not rotate:
            if kdf is not None and kdf != epoch.kdf:
                raise InputError(
                    "the Argon2 parameters are fixed for an epoch; rotate to change them"
                )
            if min_epoch > epoch.number:
                raise InputError("a higher epoch number needs a new epoch; rotate")
            return epoch, False
        params = kdf or (epoch.kdf if epoch is not None else KDF_PROFILES["default"])
        secret, salt = rng(EPOCH_KEY_SIZE), rng(SALT_SIZE)
        # If the scrub is blocked, the new epoch stands all the same: the
        # publish goes on and tries the scrub again at its end.
        with contextlib.suppress(ScrubPending):
            self.register.start_epoch(params, secret=secret, salt=salt, at_least=min_epoch, now=now)
        started = self.register.current_epoch()
        assert started is not None
        return started, True

    def publish(
        self,
        output: str | os.PathLike[str],
        *,
        valid_for: timedelta = DEFAULT_LIST_VALIDITY,
        rotate: bool = False,
        kdf: Argon2Params | None = None,
        grants_dir: str | os.PathLike[str] | None = None,
        grant_validity: timedelta = DEFAULT_GRANT_VALIDITY,
        min_version: int = 1,
        min_epoch: int = 1,
        now: datetime | None = None,
        rng: Random = os.urandom,
        workers: int | None = None,
        memory_budget: int = DEFAULT_MEMORY_BUDGET,
        progress: Progress | None = None,
    ) -> PublishResult:
        """Build, sign and write the list of every published record.

        The first publish starts epoch 1; ``rotate=True`` starts a new epoch
        (new key, new salt, optionally new Argon2 parameters) and issues a
        fresh grant to every active organizer.  The list expires after
        *valid_for*, or earlier when a listed record's expiry comes first,
        so a record is never reported after its retention ends.

        *min_version* and *min_epoch* serve a register restored from a
        backup: organizers refuse versions and epochs older than the ones
        they have seen, so the next ones must skip past them.

        If another program holds the register open, a rotation still
        completes but cannot scrub the old epoch key from the register's
        files yet: ``scrub_pending`` is then true, and `expunge` scrubs
        once that program is closed.
        """
        now = resolve_now(now)
        if valid_for <= timedelta(0):
            raise InputError("a list must be valid for a positive time")
        epoch, rotated = self._epoch_for_publish(
            rotate=rotate, kdf=kdf, min_epoch=min_epoch, now=now, rng=rng
        )
        scrub_pending = False
        records = self.register.published_records(now)
        merged = merge_entries(records, profile=epoch.profile)
        items = sorted(merged)
        expires_at = now + valid_for
        first_expiry = min(
            (r.expires_at for r in records if r.expires_at is not None), default=None
        )
        capped = first_expiry is not None and first_expiry < expires_at
        if first_expiry is not None and capped:
            expires_at = first_expiry
        count = bucket_size(len(items))
        # The version comes first: tags depend on it.
        version = self.register.record_publication(
            epoch=epoch.number,
            issued_at=now,
            expires_at=expires_at,
            entry_count=count,
            real_entries=len(items),
            at_least=min_version,
        )
        hashing = HashingOptions(workers=workers, memory_budget=memory_budget)
        with KeyedHasher(epoch.key, version=version, options=hashing) as hasher:
            hashes = hasher.hash_many(items, progress=progress)
        header = ListHeader(
            series=self.series,
            epoch=epoch.number,
            version=version,
            issued_at=now,
            expires_at=expires_at,
            kdf=epoch.kdf,
            salt=epoch.salt,
            key_check=key_check(epoch.key, series=self.series, epoch=epoch.number),
            entry_count=count,
            profile=epoch.profile,
        )
        data = build_list(
            header, zip(hashes, (merged[i] for i in items), strict=True), self._signing_key, rng=rng
        )
        path = Path(output)
        write_atomic(path, data)
        # Every active organizer without a grant for this epoch gets one: after
        # a rotation, all of them; after a rotation that was interrupted before
        # its grants were written, the ones it missed.
        target = Path(grants_dir) if grants_dir else self.directory / GRANTS_DIR
        grants = self.grant_all(
            target / f"epoch-{epoch.number}", valid_for=grant_validity, missing_only=True, now=now
        )
        if rotated:
            try:
                self.register.scrub()
            except ScrubPending:
                scrub_pending = True
        return PublishResult(
            path=path,
            header=header,
            records=len(records),
            real_entries=len(items),
            rotated=rotated,
            capped_by_record_expiry=capped,
            grants=grants,
            scrub_pending=scrub_pending,
        )

    # -- grants ---------------------------------------------------------------

    def _current_epoch(self) -> Epoch:
        epoch = self.register.current_epoch()
        if epoch is None:
            raise RegisterError("there is no epoch yet; publish a list first")
        return epoch

    def grant(
        self,
        organizer: HpkePublicKey,
        output: str | os.PathLike[str],
        *,
        name: str,
        valid_for: timedelta = DEFAULT_GRANT_VALIDITY,
        reinstate: bool = False,
        now: datetime | None = None,
    ) -> Grant:
        """Register *organizer* as vetted and write it a grant for the current epoch.

        Refused before anything is recorded when there is no epoch yet, or
        when the organizer was revoked and *reinstate* is false.
        """
        now = resolve_now(now)
        self._current_epoch()  # before anything is recorded
        registered = self.register.add_organizer(organizer, name, reinstate=reinstate, now=now)
        return self._issue(organizer, registered.name, Path(output), valid_for=valid_for, now=now)

    def grant_all(
        self,
        directory: str | os.PathLike[str],
        *,
        valid_for: timedelta = DEFAULT_GRANT_VALIDITY,
        missing_only: bool = False,
        now: datetime | None = None,
    ) -> tuple[Path, ...]:
        """A grant for the current epoch to every active organizer, in *directory*.

        With *missing_only*, only to those that have none for this epoch yet.
        """
        now = resolve_now(now)
        target = Path(directory)
        epoch = self._current_epoch()
        granted = {g.organizer_key_id for g in self.register.grants() if g.epoch == epoch.number}
        paths = []
        for organizer in self.register.organizers(active_only=True):
            if missing_only and organizer.key_id in granted:
                continue
            target.mkdir(parents=True, exist_ok=True)
            file_name = f"{_safe_file_name(organizer.name)}-{short_id(organizer.key_id)}.grant"
            path = target / file_name
            self._issue(organizer.public_key, organizer.name, path, valid_for=valid_for, now=now)
            paths.append(path)
        return tuple(paths)

    def _issue(
        self,
        organizer: HpkePublicKey,
        name: str,
        output: Path,
        *,
        valid_for: timedelta,
        now: datetime,
    ) -> Grant:
        epoch = self._current_epoch()
        if valid_for <= timedelta(0):
            raise InputError("a grant must be valid for a positive time")
        expires_at = now + valid_for
        terms = GrantTerms(self.series, epoch.number, name, now, expires_at)
        data = issue_grant(
            terms, epoch_key=epoch.key.secret, organizer=organizer, signer=self._signing_key
        )
        self.register.record_grant(
            epoch=epoch.number,
            organizer_key_id=organizer.key_id,
            issued_at=now,
            expires_at=expires_at,
        )
        write_atomic(output, data)
        return parse_grant(data, self._trust.trusted_keys())

    # -- incident reports -----------------------------------------------------------

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
        report = open_sealed_report(sealed, self.report_key())
        stored, duplicate = self.register.store_report(
            report_id=report_id_for(sealed),
            sealed_sha256=hashlib.sha256(sealed).digest(),
            received_at=now,
            report=report,
            actor=actor,
        )
        receipt = sign_receipt(
            committee=self.name,
            series=self.series,
            sealed=sealed,
            received_at=stored.received_at,
            signer=self._signing_key,
        )
        return IntakeResult(receipt=receipt, report=stored, duplicate=duplicate)

    # -- expunge and key rotation -----------------------------------------------

    def expunge(self, *, now: datetime | None = None) -> ExpungeResult:
        """Delete expired records and minor reports, and retired epoch keys, for good."""
        return self.register.expunge(now=now)

    def rotate_signing_key(self, *, now: datetime | None = None) -> TrustFile:
        """Replace the signing key; the new trust file carries the old key's statement.

        Crash-safe: the new key is written beside the old one, then the new
        trust file replaces the old, then the new key replaces the old key.
        `open` completes or undoes an interrupted rotation by comparing the
        pending key with the trust file.
        """
        now = resolve_now(now)
        new_key = SigningKey.generate()
        generation = self._trust.generation + 1
        statement = make_rotation(
            series=self.series,
            generation=generation,
            old=self._signing_key,
            new_public=new_key.public_bytes,
            now=now,
        )
        content = self._trust.content
        trust = make_trust(
            replace(content, rotations=(*content.rotations, statement)),
            signing_key=new_key,
            now=now,
        )
        pending = self.directory / (SIGNING_KEY_FILE + _NEXT_SUFFIX)
        save_signing_key(pending, new_key, name=self.name)
        write_atomic(self.trust_path, trust)
        os.replace(pending, self.directory / SIGNING_KEY_FILE)
        fsync_directory(self.directory)
        self._signing_key = new_key
        self._trust = parse_trust(trust)
        return self._trust
