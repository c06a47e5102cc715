"""Grants: the current epoch's key, sealed to one vetted organizer.

In an online epoch no key leaves the committee: the grant seals a fresh
random access token to the service instead, and the token database gets
its hash, the organizer, the epoch, the quota and the expiry (ADR 0025).

A grant file is named by the organizer's key id (``<16 hex digits>.grant``),
never by its name: file names show in directory listings, mail attachments
and backups that the grant's sealed content is kept from.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from ..core import HpkePublicKey, display_name, short_id
from ..errors import CocHashscreenError, InputError, RegisterError
from ..formats import (
    TOKEN_SIZE,
    AccessToken,
    Grant,
    GrantTerms,
    Random,
    issue_grant,
    issue_online_grant,
    parse_grant,
    token_hash,
    write_atomic,
)
from ._authority import Authority
from ._epochs import Epoch
from ._organizers import Organizer
from ._register import Register
from ._service import DEFAULT_QUOTA, ServicePaths, check_quota

__all__ = ["DEFAULT_GRANT_VALIDITY", "GrantContext", "GrantFailure", "GrantRequest"]

DEFAULT_GRANT_VALIDITY: Final = timedelta(days=90)


@dataclass(frozen=True)
class GrantRequest:
    """An organizer to grant the current epoch to: its key, its name, and for how long.

    *reinstate* grants an organizer that was revoked: revocation is a
    decision that a new grant must not undo by accident.  *quota* is the
    evaluations an online grant allows (kept for the organizer's later
    grants; None: what it had, else `DEFAULT_QUOTA`).
    """

    organizer: HpkePublicKey
    name: str
    valid_for: timedelta = DEFAULT_GRANT_VALIDITY
    reinstate: bool = False
    quota: int | None = None

    def __post_init__(self) -> None:
        if self.valid_for <= timedelta(0):
            raise InputError("a grant must be valid for a positive time")
        if self.quota is not None:
            check_quota(self.quota)


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


@dataclass(frozen=True)
class GrantContext:
    """What grants draw on: the service directory, the time they are issued, randomness."""

    service: ServicePaths
    now: datetime
    rng: Random = field(default=os.urandom, compare=False)


def grant(
    register: Register,
    authority: Authority,
    request: GrantRequest,
    output: Path,
    *,
    context: GrantContext,
) -> Grant:
    """Register the organizer as vetted and write it a grant for the current epoch, together.

    The grant is built first; then one transaction registers the organizer,
    records the grant and writes the file.  So a grant that cannot be made
    or written leaves no organizer registered, and one refused (no epoch
    yet, or a revoked organizer not reinstated) leaves no file.
    """
    issuer = _Issuer(register, authority, current_epoch(register), context)
    name = display_name(request.name, "the organizer's name")
    kept = [o.quota for o in register.organizers.all() if o.key_id == request.organizer.key_id]
    quota = _quota(request.quota, kept[0] if kept else None)
    built = issuer.build(request.organizer, name, request.valid_for, quota)
    register.organizers.add(
        request.organizer,
        name,
        grant=built.grant,
        deliver=built.deliver(output),
        reinstate=request.reinstate,
    )
    if request.quota is not None:
        # Kept for the organizer's grants in later epochs.
        register.organizers.set_quota(request.organizer.key_id, request.quota, now=context.now)
    return built.grant


def grant_missing(
    register: Register,
    authority: Authority,
    directory: Path,
    *,
    valid_for: timedelta,
    context: GrantContext,
) -> tuple[tuple[Path, ...], tuple[GrantFailure, ...]]:
    """A grant for the current epoch, in *directory*, to every active organizer without one.

    One organizer that cannot be granted (an invalid key an older release
    registered, a file that cannot be written) does not stop the others:
    it is returned among the failures, and the next publish tries again.
    """
    issuer = _Issuer(register, authority, current_epoch(register), context)
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
class _Built:
    """A grant made and not yet delivered: its bytes, and its token's row if online."""

    data: bytes
    grant: Grant
    token: AccessToken | None
    service: ServicePaths
    now: datetime

    def deliver(self, path: Path) -> Callable[[], None]:
        """What the register runs last in its transaction: the token's row, then the file.

        The row goes first: a file whose token the service does not know
        would be refused.  A file that cannot be written after the row was
        added leaves a row whose token nobody holds.
        """

        def run() -> None:
            if self.token is not None:
                with self.service.open_tokens(create=True) as tokens:
                    tokens.add(self.token)
            write_atomic(path, self.data, mtime=self.now)

        return run


@dataclass(frozen=True)
class _Issuer:
    """Issues the grants of one epoch, all at one time."""

    register: Register
    authority: Authority
    epoch: Epoch
    context: GrantContext

    def build(
        self, organizer: HpkePublicKey, name: str, valid_for: timedelta, quota: int
    ) -> _Built:
        """The signed grant, as an organizer will verify it, and its token's row if online."""
        now = self.context.now
        terms = GrantTerms(self.authority.series, self.epoch.number, name, now, now + valid_for)
        token: AccessToken | None = None
        if self.epoch.endpoint is None:
            data = issue_grant(
                terms,
                epoch_key=self.epoch.key.secret,
                organizer=organizer,
                signer=self.authority.signing_key,
            )
        else:
            secret = self.context.rng(TOKEN_SIZE)
            data = issue_online_grant(
                terms,
                access_token=secret,
                endpoint=self.epoch.endpoint,
                organizer=organizer,
                signer=self.authority.signing_key,
            )
            token = AccessToken(
                token_hash(secret), organizer.key_id, self.epoch.number, quota, 0,
                terms.issued_at, terms.expires_at,
            )  # fmt: skip
        issued = parse_grant(data, self.authority.trusted_keys())
        return _Built(data, issued, token, self.context.service, now)

    def grant_registered(self, organizer: Organizer, path: Path, valid_for: timedelta) -> None:
        """Grant an organizer already registered; the file is written as the grant is recorded."""
        if organizer.public_key is None:
            raise RegisterError(
                "its registered public key is not one that can be sealed to (an older "
                "release accepted it)"
            )
        quota = _quota(None, organizer.quota)
        built = self.build(organizer.public_key, organizer.name, valid_for, quota)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.register.organizers.record_grant(built.grant, deliver=built.deliver(path))


def _quota(requested: int | None, kept: int | None) -> int:
    """An online grant's quota: the figure asked for, else the organizer's kept one, else
    `DEFAULT_QUOTA`; one rule for a grant and for the grants a rotation issues."""
    return requested or kept or DEFAULT_QUOTA


def _reason(exc: CocHashscreenError | OSError) -> str:
    if isinstance(exc, OSError):
        return f"the grant file could not be written ({exc.strerror or exc})"
    return str(exc)
