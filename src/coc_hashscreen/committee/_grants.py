"""Grants: the current epoch's key, sealed to one vetted organizer."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from ..core import HpkePublicKey, short_id
from ..errors import InputError, RegisterError
from ..formats import Grant, GrantTerms, issue_grant, parse_grant, write_atomic
from ._authority import Authority
from ._epochs import Epoch
from ._register import Register

__all__ = ["DEFAULT_GRANT_VALIDITY", "GrantRequest"]

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


def current_epoch(register: Register) -> Epoch:
    epoch = register.epochs.current()
    if epoch is None:
        raise RegisterError("there is no epoch yet; publish a list first")
    return epoch


def grant(
    register: Register, authority: Authority, request: GrantRequest, output: Path, *, now: datetime
) -> Grant:
    """Register the organizer as vetted and write it a grant for the current epoch.

    Refused before anything is recorded when there is no epoch yet, or when
    the organizer was revoked and the request does not reinstate it.
    """
    current_epoch(register)
    registered = register.organizers.add(
        request.organizer, request.name, reinstate=request.reinstate, now=now
    )
    return _issue(register, authority, replace(request, name=registered.name), output, now=now)


def grant_missing(
    register: Register,
    authority: Authority,
    directory: Path,
    *,
    valid_for: timedelta,
    now: datetime,
) -> tuple[Path, ...]:
    """A grant for the current epoch, in *directory*, to every active organizer without one."""
    epoch = current_epoch(register)
    granted = {g.organizer_key_id for g in register.organizers.grants() if g.epoch == epoch.number}
    paths = []
    for organizer in register.organizers.all(active_only=True):
        if organizer.key_id in granted:
            continue
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{_safe_file_name(organizer.name)}-{short_id(organizer.key_id)}.grant"
        request = GrantRequest(organizer.public_key, organizer.name, valid_for)
        _issue(register, authority, request, path, now=now)
        paths.append(path)
    return tuple(paths)


def _issue(
    register: Register, authority: Authority, request: GrantRequest, output: Path, *, now: datetime
) -> Grant:
    epoch = current_epoch(register)
    terms = GrantTerms(authority.series, epoch.number, request.name, now, now + request.valid_for)
    data = issue_grant(
        terms, epoch_key=epoch.key.secret, organizer=request.organizer, signer=authority.signing_key
    )
    issued = parse_grant(data, authority.trusted_keys())
    register.organizers.record_grant(issued)
    write_atomic(output, data)
    return issued


def _safe_file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")[:40] or "organizer"
