"""The committee's side of the online mode: the service directory it keeps up to date.

The service (`coc_hashscreen.service`) reads one directory and nothing else
of the committee's: ``<committee dir>/service`` holds the current online
epoch's seed (``oprf-seed.json``, 0600) and the token database
(``tokens.sqlite``).  The committee writes the seed whenever its current
epoch changes, deletes it when the committee goes offline, adds a token row
with each online grant, and revokes and tops up rows (ADR 0025).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

from ..core import resolve_now
from ..errors import CocHashscreenError, InputError, RegisterError
from ..formats import (
    SEED_FILE,
    TOKENS_FILE,
    AccessToken,
    ServiceSeed,
    TokenStore,
    read_seed,
    write_seed,
)
from ._register import Register

__all__ = [
    "DEFAULT_QUOTA",
    "QuotaChange",
    "QuotaOrder",
    "ServiceDirectory",
    "ServicePaths",
    "quota_for",
]

# Evaluations a grant allows when the committee names no figure: a
# 1,500-person event's names and e-mail addresses (3,000, padded to 4,096),
# and as much again for late registrations, re-grants and re-screens.
DEFAULT_QUOTA: Final = 8192
# A quota is a number of evaluations; more than this is a typo, not a policy.
MAX_QUOTA: Final = 10_000_000


def check_quota(quota: int) -> int:
    if type(quota) is not int or not 1 <= quota <= MAX_QUOTA:
        raise InputError(f"a quota is a number of evaluations from 1 to {MAX_QUOTA:,}")
    return quota


def quota_for(attendees: int, *, kinds: int = 2) -> int:
    """The quota for an event of *attendees*: each screened by *kinds* identifiers, with a
    quarter more for late changes, then doubled for the padding to a power of two."""
    if attendees < 1:
        raise InputError("an event has at least one attendee")
    return check_quota(2 * -(-attendees * kinds * 5 // 4))


@dataclass(frozen=True)
class ServicePaths:
    """Where the service directory keeps its files."""

    directory: Path

    @property
    def seed(self) -> Path:
        return self.directory / SEED_FILE

    @property
    def tokens(self) -> Path:
        return self.directory / TOKENS_FILE

    def open_tokens(self, *, create: bool = False) -> TokenStore:
        if create:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        return TokenStore.open(self.tokens, create=create)


def sync_service(register: Register, series: bytes, paths: ServicePaths) -> bool:
    """Make the service directory serve the register's current epoch; whether it is online.

    An online epoch's seed is written (0600), and the token database made,
    if missing; an offline epoch (or none) leaves no seed behind, so a
    service left running refuses every request instead of answering under
    a key the register has destroyed.
    """
    epoch = register.epochs.current()
    if epoch is None or not epoch.online or epoch.oprf_seed is None:
        with contextlib.suppress(FileNotFoundError):
            paths.seed.unlink()
        return False
    seed = epoch.service_seed(series)
    paths.open_tokens(create=True).close()
    if _current_seed(paths) != seed:
        write_seed(paths.seed, seed)
    return True


def _current_seed(paths: ServicePaths) -> ServiceSeed | None:
    try:
        return read_seed(paths.seed)
    except (OSError, CocHashscreenError):  # missing or unreadable: rewritten
        return None


@dataclass(frozen=True)
class QuotaOrder:
    """A change to a quota: *add* evaluations to it, or *set_to* a figure (then add)."""

    add: int = 0
    set_to: int | None = None

    def __post_init__(self) -> None:
        if self.set_to is not None:
            check_quota(self.set_to)
        if self.add:
            check_quota(self.add)
        if not self.add and self.set_to is None:
            raise InputError("say how much to add to the quota, or what to set it to")


@dataclass(frozen=True)
class QuotaChange:
    """A quota the committee changed: the token's row after the change."""

    name: str
    token: AccessToken


def change_quota(
    register: Register,
    paths: ServicePaths,
    organizer: bytes,
    order: QuotaOrder,
    *,
    now: datetime,
) -> QuotaChange:
    """Top up (*add*) or set the quota of an organizer's grant in the current epoch.

    The figure is also kept for the organizer's grants in later epochs.
    """
    epoch = register.epochs.current()
    if epoch is None or not epoch.online:
        raise RegisterError("the current epoch is not online; quotas belong to online grants")
    name = next(o.name for o in register.organizers.all() if o.key_id == organizer)
    with paths.open_tokens() as tokens:
        token = tokens.top_up(organizer, epoch.number, add=order.add, set_to=order.set_to)
    register.organizers.set_quota(organizer, token.quota, now=now)
    return QuotaChange(name, token)


@dataclass(frozen=True)
class ServiceDirectory:
    """A committee's service directory seen from its register (`Committee.service`)."""

    register: Register
    series: bytes
    paths: ServicePaths

    def sync(self) -> bool:
        """Serve the register's current epoch (see `sync_service`); whether it is online."""
        return sync_service(self.register, self.series, self.paths)

    def revoke(self, organizer: bytes, *, now: datetime | None = None) -> bool:
        """Revoke an organizer: no grant from the next rotation, and no service access now.

        Returns whether the service held tokens of the organizer (an online
        committee), which it refuses from now on.
        """
        now = resolve_now(now)
        self.register.organizers.revoke(organizer, now=now)
        # Every token of the organizer, of earlier epochs too; what it held
        # in the current epoch is what the caller is told about.
        revoked = self.refuse_tokens(organizer, now=now)
        epoch = self.register.epochs.current()
        return revoked > 0 and epoch is not None and epoch.online

    def change_quota(
        self, organizer: bytes, order: QuotaOrder, *, now: datetime | None = None
    ) -> QuotaChange:
        """Top up or set an organizer's quota in the current online epoch (`change_quota`)."""
        return change_quota(self.register, self.paths, organizer, order, now=resolve_now(now))

    def refuse_tokens(self, organizer: bytes, *, now: datetime | None = None) -> int:
        """Refuse the organizer's tokens at the service again: after a token database
        was restored from a copy older than the revocation.  How many were refused."""
        if not self.paths.tokens.exists():
            return 0
        with self.paths.open_tokens() as tokens:
            return tokens.revoke(organizer, now=resolve_now(now))

    def tokens(self) -> list[AccessToken]:
        """The token rows of the current epoch: quota, use and expiry per organizer."""
        epoch = self.register.epochs.current()
        if epoch is None or not epoch.online or not self.paths.tokens.exists():
            return []
        with self.paths.open_tokens() as tokens:
            return tokens.tokens(epoch=epoch.number)
