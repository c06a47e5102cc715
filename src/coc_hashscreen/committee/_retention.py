"""How long the register keeps what it holds: the rules every expiry follows.

Pure functions: the stores and the review workflow call them before they
write anything.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from ..core import Status, resolve_now
from ..errors import InputError

__all__ = ["DEFAULT_MINOR_RETENTION", "check_future", "retention_for"]

# Minor incidents are never published and are expunged after this long
# unless the committee sets another date.
DEFAULT_MINOR_RETENTION: Final = timedelta(days=730)


def check_future(expires_at: datetime | None, now: datetime) -> None:
    """Refuse an expiry that is not in the future: a date the committee gives is a deadline."""
    if expires_at is not None and resolve_now(expires_at) <= now:
        raise InputError("the expiry date must be in the future")


def retention_for(status: Status, expires_at: datetime | None, now: datetime) -> datetime | None:
    """The expiry of a record or report of *status*: the one given, checked, or the default.

    A minor incident always has one (`DEFAULT_MINOR_RETENTION` from *now*);
    flagged and banned ones keep theirs, or none.
    """
    check_future(expires_at, now)
    if expires_at is None and status is Status.MINOR:
        return now + DEFAULT_MINOR_RETENTION
    return expires_at
