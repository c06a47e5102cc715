"""How long the register keeps what it holds: the rules every expiry follows.

Pure functions: the stores and the review workflow call them before they
write anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final

from ..core import Status, resolve_now
from ..errors import InputError

__all__ = [
    "DEFAULT_MINOR_RETENTION",
    "DEFAULT_REPORT_RETENTION",
    "check_future",
    "report_expiry",
    "retention_for",
]

# Minor incidents are never published and are expunged after this long
# unless the committee sets another date.
DEFAULT_MINOR_RETENTION: Final = timedelta(days=730)

# An incident report is kept this long after it is received unless its
# assessment says otherwise; and never longer than a record it is linked to.
DEFAULT_REPORT_RETENTION: Final = timedelta(days=730)


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


def report_expiry(
    *, own: datetime | None, received_at: datetime, linked: Sequence[datetime | None]
) -> datetime | None:
    """When a report is expunged: its own retention, and never after a record it is linked to.

    *own* is the report's own retention (set at intake, replaced by its
    assessment; None after a flagged or banned assessment without an
    expiry, which keeps the report as long as its records); *linked* holds
    the expiry of each record the report is linked to (None: that record has
    none).  The earliest wins.  A report linked to no record always ends:
    without its own retention it ends `DEFAULT_REPORT_RETENTION` after it
    was received.  Deleting a linked record deletes the report as well (a
    trigger in the register), so a report never outlives a person it names.
    """
    ends = [end for end in (own, *linked) if end is not None]
    if own is None and not linked:
        ends.append(received_at + DEFAULT_REPORT_RETENTION)
    return min(ends, default=None)
