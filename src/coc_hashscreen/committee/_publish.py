"""Publishing: from the register's records to a signed, hashed list.

The first publish starts epoch 1; a rotation starts a new epoch (new key,
new salt, optionally new Argon2 parameters) and issues a fresh grant to
every active organizer.  An online epoch (``endpoint``; ADR 0025) hashes
with its VOPRF key instead of the HMAC pepper, names the service in the
list's header, and keeps the service directory's seed current.  The list
expires after its validity, or earlier
when a listed record's expiry comes first, so a record is never reported
after its retention ends.

What a list shows beyond its size bucket is kept independent of the
register (docs/adr/0014-organizer-keys-grants-and-list-metadata.md): its
``issued_at`` is read once, before the hashing, and every file the publish
writes carries that time as its modification time, so no timestamp shows
how long hashing took; and a record's expiry shows only as the start of
its week (Monday 00:00 UTC), from which the record is no longer listed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from ..core import (
    PROFILE,
    Argon2Params,
    HashingOptions,
    Identifier,
    KeyedHasher,
    Progress,
    Strength,
    explain_variants,
    key_check,
    variant_notes,
)
from ..errors import InputError, ScrubPending
from ..formats import (
    EntryPayload,
    ListHeader,
    Random,
    build_list,
    check_endpoint,
    write_atomic,
)
from ._authority import Authority
from ._epochs import Epoch, Publication
from ._grants import DEFAULT_GRANT_VALIDITY, GrantContext, GrantFailure, grant_missing
from ._records import Record
from ._register import Register
from ._service import ServicePaths, sync_service

__all__ = [
    "DEFAULT_LIST_VALIDITY",
    "PublishOptions",
    "PublishResult",
    "list_expiry",
    "listed_records",
    "merge_entries",
    "published_keys",
]

DEFAULT_LIST_VALIDITY: Final = timedelta(days=30)


@dataclass(frozen=True)
class PublishOptions:
    """How to publish: validity, rotation, where grants go, and how hashing runs.

    *min_version* and *min_epoch* serve a register restored from a backup:
    organizers refuse versions and epochs older than the ones they have
    seen, so the next ones must skip past them.  *grants_dir* defaults to
    the committee directory's ``grants``, *service_dir* to its ``service``.
    *endpoint* makes the list online, served at that address (a new
    epoch: with *rotate*, unless the current epoch is online there
    already); *offline* rotates an online committee back to offline
    lists.  Neither: the current epoch's mode.  *rng* is where keys, salts,
    nonces and decoys come from (a seeded source in tests); *progress* is
    called with (keys hashed, keys to hash).
    """

    valid_for: timedelta = DEFAULT_LIST_VALIDITY
    rotate: bool = False
    kdf: Argon2Params | None = None
    grants_dir: Path | None = None
    service_dir: Path | None = None
    endpoint: str | None = None
    offline: bool = False
    grant_validity: timedelta = DEFAULT_GRANT_VALIDITY
    min_version: int = 1
    min_epoch: int = 1
    hashing: HashingOptions = field(default_factory=HashingOptions)
    progress: Progress | None = field(default=None, compare=False)
    rng: Random = field(default=os.urandom, compare=False)

    def __post_init__(self) -> None:
        # A path given as text is converted; "" means the default, as None does.
        object.__setattr__(self, "grants_dir", Path(self.grants_dir) if self.grants_dir else None)
        object.__setattr__(
            self, "service_dir", Path(self.service_dir) if self.service_dir else None
        )
        if self.endpoint is not None:
            if self.offline:
                raise InputError("a list is online or offline, not both")
            object.__setattr__(self, "endpoint", check_endpoint(self.endpoint))
        if self.valid_for <= timedelta(0):
            raise InputError("a list must be valid for a positive time")
        if self.grant_validity <= timedelta(0):
            raise InputError("a grant must be valid for a positive time")


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
    # Active organizers that got no grant (the others did); the next
    # publish tries them again.
    grant_failures: tuple[GrantFailure, ...] = field(default=())
    # True when a rotation could not yet scrub the old epoch key from the
    # register's files (another program holds it open): run expunge later.
    scrub_pending: bool = False
    # What the committee should know about its records' published names
    # ("CASE-1: a name has more spellings than ..."), case references only.
    name_notes: tuple[str, ...] = field(default=())


def published_keys(identifier: Identifier, *, profile: str = PROFILE) -> dict[str, str]:
    """Every key a list of *profile* holds for one of a record's identifiers, with its rule.

    The rule is "canonical" for the key an organizer computes from the same
    spelling, else the variant rule that made it (a nickname, a name
    order, a transliteration...).  `merge_entries` publishes these keys and
    `committee search` looks them up: one function for both, so that a
    search answers what screening would.
    """
    return explain_variants(identifier.kind, identifier.value, profile=profile)


def merge_entries(
    records: Sequence[Record], *, profile: str = PROFILE
) -> dict[tuple[str, str], EntryPayload]:
    """Every (kind, key) the list must hold, with the payload it reveals.

    Each identifier contributes all of its variants.  Where several records
    share a key the most severe status wins, and among equals the smallest
    case reference, so the result does not depend on the register's order.
    """
    merged: dict[tuple[str, str], EntryPayload] = {}
    # Per name key: the records sharing it, and whether every one of them
    # marked its name common (profile v2 only; a v1 list is what v1 reads).
    sharing: dict[tuple[str, str], set[str]] = {}
    all_common: dict[tuple[str, str], bool] = {}
    for record in records:
        if not record.status.published:
            raise InputError("minor records are never published")
        for identifier in record.identifiers:
            candidate = EntryPayload(
                record.status, Strength.of_kind(identifier.kind), record.case_ref
            )
            for key in published_keys(identifier, profile=profile):
                where = (identifier.kind, key)
                current = merged.get(where)
                if current is None or _precedes(candidate, current):
                    merged[where] = candidate
                if identifier.kind == "name" and profile != "v1":
                    sharing.setdefault(where, set()).add(record.case_ref)
                    all_common[where] = all_common.get(where, True) and record.common_name
    for where, refs in sharing.items():
        merged[where] = replace(merged[where], common_name=all_common[where], shared=len(refs) > 1)
    return merged


def name_notes(records: Sequence[Record], *, profile: str = PROFILE) -> tuple[str, ...]:
    """`variant_notes` for every listed name, each after its record's case reference."""
    return tuple(
        f"{record.case_ref}: {note}"
        for record in records
        for identifier in record.identifiers
        for note in variant_notes(identifier.kind, identifier.value, profile=profile)
    )


def _precedes(candidate: EntryPayload, current: EntryPayload) -> bool:
    return (-candidate.status.severity, candidate.case_ref) < (
        -current.status.severity,
        current.case_ref,
    )


def _week_start(when: datetime) -> datetime:
    """Monday 00:00 UTC of the week *when* falls in."""
    day = when.astimezone(UTC) - timedelta(days=when.astimezone(UTC).weekday())
    return day.replace(hour=0, minute=0, second=0, microsecond=0)


def listed_records(records: Sequence[Record], now: datetime) -> list[Record]:
    """The published *records* that a list issued at *now* holds.

    A record is left out from the start (Monday 00:00 UTC) of the week in
    which its retention ends: a list capped at its exact expiry would tell
    every organizer the date one record's retention ends.
    """
    return [r for r in records if r.expires_at is None or _week_start(r.expires_at) > now]


def list_expiry(
    records: Sequence[Record], now: datetime, valid_for: timedelta
) -> tuple[datetime, bool]:
    """When a list of *records* published at *now* expires, and whether a record's expiry set it.

    The list expires after *valid_for*, or at the start of the week in which
    the first record's retention ends, if that comes first; *records* are
    those `listed_records` keeps, so that start is after *now*.
    """
    expires_at = now + valid_for
    first = min((r.expires_at for r in records if r.expires_at is not None), default=None)
    if first is None:
        return expires_at, False
    cap = _week_start(first)
    if cap <= now:
        raise InputError("a record whose retention ends this week is no longer listed")
    if cap < expires_at:
        return cap, True
    return expires_at, False


def publish(
    register: Register,
    authority: Authority,
    output: Path,
    options: PublishOptions,
    *,
    now: datetime,
) -> PublishResult:
    """Build, sign and write the list of every published record; grant what a rotation missed.

    An active organizer that cannot be granted does not stop the others: it
    is returned in ``grant_failures``, after the list and every other grant
    are written.  If another program holds the register open, a rotation still completes
    but cannot scrub the old epoch key from the register's files yet:
    ``scrub_pending`` is then true, and `Register.expunge` scrubs once that
    program is closed.
    """
    if options.grants_dir is None or options.service_dir is None:
        raise ValueError("publish needs options.grants_dir and service_dir; Committee sets them")
    service = ServicePaths(options.service_dir)
    epoch, rotated = _epoch_for_publish(register, options, now)
    # The service answers under this epoch's key from now on (or, offline,
    # not at all), before the hashing: a rotation has just destroyed the old
    # seed in the register, and a publish that stops later (interrupted, a
    # disk full) must not leave the service answering under it.
    sync_service(register, authority.series, service)
    records = listed_records(register.records.published(now), now)
    merged = merge_entries(records, profile=epoch.profile)
    items = sorted(merged)
    expires_at, capped = list_expiry(records, now, options.valid_for)
    # Marked before anything is written: deleting a record listed in the
    # current epoch rotates it, and a crash here only costs a rotation.
    register.records._mark_listed([record.id for record in records], epoch.number)
    # The version comes first: tags depend on it.
    publication = register.epochs.record_publication(
        epoch.number,
        issued_at=now,
        expires_at=expires_at,
        real_entries=len(items),
        at_least=max(options.min_version, register.settings.floor().version),
    )
    key = epoch.hash_key(authority.series)
    with KeyedHasher(key, version=publication.version, options=options.hashing) as hasher:
        hashes = hasher.hash_many(items, progress=options.progress)
    header = _header(authority.series, epoch, publication)
    entries = zip(hashes, (merged[i] for i in items), strict=True)
    # The file shows the time the list states it was issued, not when the
    # hashing ended, which would tell how many real keys it holds.
    write_atomic(
        output,
        build_list(header, entries, authority.signing_key, rng=options.rng),
        mtime=publication.issued_at,
    )
    # Every active organizer without a grant for this epoch gets one: after
    # a rotation, all of them; after a rotation that was interrupted before
    # its grants were written, the ones it missed.
    grants, failures = grant_missing(
        register,
        authority,
        options.grants_dir / f"epoch-{epoch.number}",
        valid_for=options.grant_validity,
        context=GrantContext(service, now, options.rng),
    )
    scrub_pending = False
    if rotated:
        try:
            register.scrub()
        except ScrubPending:
            scrub_pending = True
    return PublishResult(
        path=output,
        header=header,
        records=len(records),
        real_entries=len(items),
        rotated=rotated,
        capped_by_record_expiry=capped,
        grants=grants,
        grant_failures=failures,
        scrub_pending=scrub_pending,
        name_notes=name_notes(records, profile=epoch.profile),
    )


def _epoch_for_publish(
    register: Register, options: PublishOptions, now: datetime
) -> tuple[Epoch, bool]:
    """The epoch to publish in, and whether it was started for this publish."""
    epoch = register.epochs.current()
    if epoch is not None and not options.rotate:
        if options.kdf is not None and options.kdf != epoch.kdf:
            raise InputError("the Argon2 parameters are fixed for an epoch; rotate to change them")
        if (options.endpoint is not None and options.endpoint != epoch.endpoint) or (
            options.offline and epoch.online
        ):
            raise InputError(
                "an epoch is online or offline, at one service address, for its whole life; "
                "rotate to change that"
            )
        if options.min_epoch > epoch.number:
            raise InputError("a higher epoch number needs a new epoch; rotate")
        return epoch, False
    key = register.epochs.next_key(rng=options.rng, kdf=options.kdf)
    # If the scrub is blocked, the new epoch stands all the same: the
    # publish goes on and tries the scrub again at its end.
    with contextlib.suppress(ScrubPending):
        floor = max(options.min_epoch, register.settings.floor().epoch)
        online = register.epochs.next_online(
            rng=options.rng, endpoint=options.endpoint, offline=options.offline
        )
        register.epochs.start(key, at_least=floor, now=now, online=online)
    started = register.epochs.current()
    assert started is not None
    return started, True


def _header(series: bytes, epoch: Epoch, publication: Publication) -> ListHeader:
    return ListHeader(
        series=series,
        epoch=epoch.number,
        version=publication.version,
        issued_at=publication.issued_at,
        expires_at=publication.expires_at,
        kdf=epoch.kdf,
        salt=epoch.salt,
        key_check=b"" if epoch.online else key_check(epoch.key, series=series, epoch=epoch.number),
        entry_count=publication.entry_count,
        profile=epoch.profile,
        online=epoch.online_service(series),
    )
