"""What an organizer directory holds, what is missing, and what the screen command uses.

`home_status` reads every committee's filed files again, verifies them, and
says for each whether it is ready to screen and, if not, what to do; it
warns of anything that expires within `EXPIRY_WARNING`.  `screen_sources`
gives, per committee that is ready, the files `Screener.load` takes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from ..core import HpkePublicKey, KeyPurpose, Suite, Validity, resolve_now
from ..errors import CocHashscreenError, InputError
from ..formats import (
    FILE_TYPE_NAMES,
    MAX_SIZES,
    Grant,
    ListHeader,
    TrustFile,
    parse_grant,
    parse_list,
    parse_trust,
    private_key_info,
    read_limited,
)
from ._home import CommitteeFiles, OrganizerHome
from ._state import check_trust

__all__ = [
    "EXPIRY_WARNING",
    "CommitteeStatus",
    "HomeStatus",
    "KeyStatus",
    "ScreenSources",
    "home_status",
    "screen_sources",
]

EXPIRY_WARNING: Final = timedelta(days=14)


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


@dataclass(frozen=True)
class KeyStatus:
    """The directory's organizer key, as its file shows it without a passphrase."""

    key_id: bytes
    name: str
    suite: str
    encrypted: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "key_id": self.key_id.hex(),
            "name": self.name,
            "suite": self.suite,
            "encrypted": self.encrypted,
        }


@dataclass(frozen=True)
class CommitteeStatus:
    """One committee's filed files, and whether they are enough to screen.

    *problems* say what keeps it from being ready, each with what to do;
    *warnings* name what expires within `EXPIRY_WARNING`.
    """

    committee: str
    series: bytes
    files: CommitteeFiles
    trust_generation: int
    trust_expires_at: datetime
    list_epoch: int | None = None
    list_version: int | None = None
    list_profile: str | None = None
    list_expires_at: datetime | None = None
    grant_epoch: int | None = None
    grant_expires_at: datetime | None = None
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, object]:
        listed = None
        if self.list_epoch is not None:
            listed = {
                "epoch": self.list_epoch,
                "version": self.list_version,
                "profile": self.list_profile,
                "expires_at": _when(self.list_expires_at),
            }
        grant = None
        if self.grant_epoch is not None:
            grant = {"epoch": self.grant_epoch, "expires_at": _when(self.grant_expires_at)}
        return {
            "committee": self.committee,
            "series": self.series.hex(),
            "files": self.files.to_dict(),
            "trust": {
                "generation": self.trust_generation,
                "expires_at": _when(self.trust_expires_at),
            },
            "list": listed,
            "grant": grant,
            "ready": self.ready,
            "problems": list(self.problems),
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class HomeStatus:
    """What an organizer directory holds (`home_status`)."""

    directory: Path
    key: KeyStatus | None
    committees: tuple[CommitteeStatus, ...]
    problems: tuple[str, ...] = ()

    @property
    def ready(self) -> tuple[CommitteeStatus, ...]:
        """The committees ready to screen with (none without an organizer key)."""
        return tuple(c for c in self.committees if c.ready) if self.key is not None else ()

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(w for c in self.committees for w in c.warnings)

    def to_dict(self) -> dict[str, object]:
        return {
            "directory": os.fspath(self.directory),
            "key": self.key.to_dict() if self.key is not None else None,
            "committees": [c.to_dict() for c in self.committees],
            "problems": list(self.problems),
            "warnings": list(self.warnings),
            "ready": [c.series.hex() for c in self.ready],
        }


def _key_status(home: OrganizerHome) -> tuple[KeyStatus | None, tuple[str, ...]]:
    if not home.private_key.exists():
        return None, ("there is no organizer key here: run 'organizer init' first",)
    try:
        info = private_key_info(home.private_key, purpose=KeyPurpose.ORGANIZER)
    except CocHashscreenError as exc:
        return None, (str(exc),)
    key_id = HpkePublicKey.from_raw(Suite.parse(info.algorithm), info.public).key_id
    return KeyStatus(key_id, info.name, info.algorithm, info.encrypted), ()


class _Review:
    """The findings about one committee while its files are read."""

    def __init__(self, name: str, now: datetime) -> None:
        self.name = name
        self.now = now
        self.problems: list[str] = []
        self.warnings: list[str] = []

    def validity(self, item: Validity, what: str, renew: str) -> bool:
        """Note *item* expired, not yet valid, or expiring soon; whether it is usable now."""
        if item.is_expired(self.now):
            self.problems.append(f"{what} expired on {item.expires_at:%Y-%m-%d %H:%M} UTC: {renew}")
            return False
        if item.is_not_yet_valid(self.now):
            self.problems.append(
                f"{what} is valid only from {item.issued_at:%Y-%m-%d %H:%M} UTC: check this "
                "computer's clock"
            )
            return False
        left = item.expires_at - self.now
        if left < EXPIRY_WARNING:
            self.warnings.append(
                f"{self.name}: {what} expires on {item.expires_at:%Y-%m-%d} (in "
                f"{max(left.days, 0)} day(s)): {renew}"
            )
        return True


def _read_list(files: CommitteeFiles, trust: TrustFile, review: _Review) -> ListHeader | None:
    if not files.hashed_list.exists():
        review.problems.append("no list yet: add the committee's list ('organizer add LIST')")
        return None
    try:
        data = read_limited(files.hashed_list, MAX_SIZES["list"], FILE_TYPE_NAMES["list"])
        header = parse_list(data, trust.trusted_keys()).header
    except CocHashscreenError:
        review.problems.append(
            "the list filed does not verify with the committee's current key: add the "
            "committee's current list"
        )
        return None
    review.validity(header, "the list", "add the committee's current list")
    return header


def _read_grant(
    files: CommitteeFiles, trust: TrustFile, epoch: int, key: KeyStatus | None, review: _Review
) -> Grant | None:
    path = files.grant(epoch)
    ask = f"ask the committee for a grant for epoch {epoch}"
    if not path.exists():
        review.problems.append(f"no grant for epoch {epoch}: {ask}")
        return None
    try:
        grant = parse_grant(
            read_limited(path, MAX_SIZES["grant"], FILE_TYPE_NAMES["grant"]),
            trust.trusted_keys(),
        )
    except CocHashscreenError:
        review.problems.append(
            f"the grant for epoch {epoch} does not verify with the committee's current key: {ask}"
        )
        return None
    if key is not None and grant.organizer != key.key_id:
        review.problems.append(
            f"the grant for epoch {epoch} is for another organizer key: {ask}, for the key "
            "in organizer.pub"
        )
    review.validity(grant, f"the grant for epoch {epoch}", ask)
    return grant


def _committee_status(
    home: OrganizerHome, files: CommitteeFiles, key: KeyStatus | None, now: datetime
) -> CommitteeStatus | str:
    """The status of the committee filed in *files*, or what is wrong with its trust file."""
    try:
        trust = parse_trust(read_limited(files.trust, MAX_SIZES["trust"], "trust file"))
        check_trust(home.state(), trust)
    except CocHashscreenError as exc:
        return f"{os.fspath(files.trust)!r} cannot be used: {exc}"
    review = _Review(trust.committee, now)
    review.validity(
        trust,
        "the trust file",
        "add the committee's current trust file (it writes one with 'committee renew-trust')",
    )
    header = _read_list(files, trust, review)
    grant = _read_grant(files, trust, header.epoch, key, review) if header else None
    return CommitteeStatus(
        committee=trust.committee,
        series=trust.series,
        files=files,
        trust_generation=trust.generation,
        trust_expires_at=trust.expires_at,
        list_epoch=header.epoch if header else None,
        list_version=header.version if header else None,
        list_profile=header.profile if header else None,
        list_expires_at=header.expires_at if header else None,
        grant_epoch=grant.epoch if grant else None,
        grant_expires_at=grant.expires_at if grant else None,
        problems=tuple(review.problems),
        warnings=tuple(review.warnings),
    )


def home_status(home: OrganizerHome, *, now: datetime | None = None) -> HomeStatus:
    """What *home* holds, verified again: its key, and per committee its files and gaps."""
    now = resolve_now(now)
    key, problems = _key_status(home)
    committees: list[CommitteeStatus] = []
    found = list(problems)
    for files in home.committee_dirs():
        status = _committee_status(home, files, key, now)
        if isinstance(status, str):
            found.append(status)
        else:
            committees.append(status)
    if not committees:
        found.append(
            "no committee's files are here yet: add its trust file, list and grant "
            "('organizer add FILE…')"
        )
    return HomeStatus(home.directory, key, tuple(committees), tuple(found))


@dataclass(frozen=True)
class ScreenSources:
    """The files to screen with one committee's list, all from one organizer directory."""

    committee: str
    series: bytes
    trust: Path
    hashed_list: Path
    grant: Path
    organizer_key: Path
    state: Path

    def to_dict(self) -> dict[str, object]:
        return {
            "committee": self.committee,
            "series": self.series.hex(),
            "trust": os.fspath(self.trust),
            "list": os.fspath(self.hashed_list),
            "grant": os.fspath(self.grant),
            "organizer_key": os.fspath(self.organizer_key),
            "state": os.fspath(self.state),
        }


def screen_sources(
    home: OrganizerHome, *, now: datetime | None = None
) -> tuple[ScreenSources, ...]:
    """Per committee ready to screen, its files; refused if none is ready, saying why.

    The files are verified here, and `Screener.load` verifies them again
    (with the rollback checks) before screening.
    """
    status = home_status(home, now=now)
    if not status.ready:
        gaps = list(status.problems[:1] if status.key is None else status.problems)
        gaps += [f"{c.committee}: {'; '.join(c.problems)}" for c in status.committees]
        raise InputError(
            f"the organizer directory {os.fspath(home.directory)!r} has nothing ready to "
            f"screen with: {'; '.join(gaps)}"
        )
    return tuple(
        ScreenSources(
            committee=c.committee,
            series=c.series,
            trust=c.files.trust,
            hashed_list=c.files.hashed_list,
            grant=c.files.grant(c.list_epoch or 0),
            organizer_key=home.private_key,
            state=home.state_path,
        )
        for c in status.ready
    )
