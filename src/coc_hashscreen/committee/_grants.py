"""Grants: the current epoch's key, sealed to one vetted organizer.

A grant file is named by the organizer's key id (``<16 hex digits>.grant``),
never by its name: file names show in directory listings, mail attachments
and backups that the grant's sealed content is kept from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from ..core import HpkePublicKey, display_name, short_id
from ..errors import CocHashscreenError, InputError, RegisterError
from ..formats import Grant, GrantTerms, issue_grant, parse_grant, write_atomic
from ._authority import Authority
from ._epochs import Epoch
from ._organizers import Organizer
from ._register import Register

__all__ = ["DEFAULT_GRANT_VALIDITY", "GrantFailure", "GrantRequest"]

DEFAULT_GRANT_VALIDITY: Final = timedelta(days=90)


@dataclass(frozen=True)
class GrantRequest:
    """An organizer to grant the current epoch to: its key, its name, and for how long.

    *reinstate* grants an organizer that was revoked: revocation is a
    decision that a new grant must not undo by accident.
    """

    organizer: HpkePublicKey
    name: str
    valid_for: timedelta = DEFAULT_GRANT_VALIDITY
    reinstate: bool = False

    def __post_init__(self) -> None:
        if self.valid_for <= timedelta(0):
            raise InputError("a grant must be valid for a positive time")


@dataclass(frozen=True)
class GrantFailure:
    """An active organizer that a publish could not grant, and why.

    The other organizers were granted all the same; the committee decides
    what to do about this one (usually: revoke it, and grant its holder's
    new key).
    """

    key_id: bytes
    name: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"key_id": self.key_id.hex(), "name": self.name, "reason": self.reason}


def grant_file_name(organizer_key_id: bytes) -> str:
    """The file name of a grant to this organizer key: its short key id, never its name."""
    return f"{short_id(organizer_key_id)}.grant"


def current_epoch(register: Register) -> Epoch:
    epoch = register.epochs.current()
    if epoch is None:
        raise RegisterError("there is no epoch yet; publish a list first")
    return epoch


def grant(
    register: Register, authority: Authority, request: GrantRequest, output: Path, *, now: datetime
) -> Grant:
    """Register the organizer as vetted and write it a grant for the current epoch, together.

    The grant is built first; then one transaction registers the organizer,
    records the grant and writes the file.  So a grant that cannot be made
    or written leaves no organizer registered, and one refused (no epoch
    yet, or a revoked organizer not reinstated) leaves no file.
    """
    issuer = _Issuer(register, authority, current_epoch(register), now)
    name = display_name(request.name, "the organizer's name")
    data, issued = issuer.build(request.organizer, name, request.valid_for)
    register.organizers.add(
        request.organizer,
        name,
        grant=issued,
        deliver=lambda: write_atomic(output, data, mtime=now),
        reinstate=request.reinstate,
    )
    return issued


def grant_missing(
    register: Register,
    authority: Authority,
    directory: Path,
    *,
    valid_for: timedelta,
    now: datetime,
) -> tuple[tuple[Path, ...], tuple[GrantFailure, ...]]:
    """A grant for the current epoch, in *directory*, to every active organizer without one.

    One organizer that cannot be granted (an invalid key an older release
    registered, a file that cannot be written) does not stop the others:
    it is returned among the failures, and the next publish tries again.
    """
    issuer = _Issuer(register, authority, current_epoch(register), now)
    granted = {
        g.organizer_key_id for g in register.organizers.grants() if g.epoch == issuer.epoch.number
    }
    paths: list[Path] = []
    failures: list[GrantFailure] = []
    for organizer in register.organizers.all(active_only=True):
        if organizer.key_id in granted:
            continue
        path = directory / grant_file_name(organizer.key_id)
        try:
            issuer.grant_registered(organizer, path, valid_for)
        except (CocHashscreenError, OSError) as exc:
            failures.append(GrantFailure(organizer.key_id, organizer.name, _reason(exc)))
        else:
            paths.append(path)
    return tuple(paths), tuple(failures)


@dataclass(frozen=True)
class _Issuer:
    """Issues the grants of one epoch, all at one time."""

    register: Register
    authority: Authority
    epoch: Epoch
    now: datetime

    def build(
        self, organizer: HpkePublicKey, name: str, valid_for: timedelta
    ) -> tuple[bytes, Grant]:
        """The signed grant's bytes, and the grant as an organizer will verify it."""
        terms = GrantTerms(
            self.authority.series, self.epoch.number, name, self.now, self.now + valid_for
        )
        data = issue_grant(
            terms,
            epoch_key=self.epoch.key.secret,
            organizer=organizer,
            signer=self.authority.signing_key,
        )
        return data, parse_grant(data, self.authority.trusted_keys())

    def grant_registered(self, organizer: Organizer, path: Path, valid_for: timedelta) -> None:
        """Grant an organizer already registered; the file is written as the grant is recorded."""
        if organizer.public_key is None:
            raise RegisterError(
                "its registered public key is not one that can be sealed to (an older "
                "release accepted it)"
            )
        data, issued = self.build(organizer.public_key, organizer.name, valid_for)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.register.organizers.record_grant(
            issued, deliver=lambda: write_atomic(path, data, mtime=self.now)
        )


def _reason(exc: CocHashscreenError | OSError) -> str:
    if isinstance(exc, OSError):
        return f"the grant file could not be written ({exc.strerror or exc})"
    return str(exc)
