"""Time as the library sees it: aware UTC datetimes, stored as Unix seconds.

Every operation that checks validity reads the clock once (or takes an
injected ``now``) and uses that one reading for every check it makes, so a
check cannot pass at one instant and another fail a moment later.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

from ._errors import InvalidParameters

__all__ = ["CLOCK_SKEW", "from_timestamp", "resolve_now", "timestamp"]

# Allowance for clocks that disagree: a file issued up to this far in the
# future is accepted, and a file stays usable this long past its expiry.
CLOCK_SKEW: Final = timedelta(minutes=5)


def resolve_now(now: datetime | None) -> datetime:
    """*now* if given (it must be timezone-aware), else the current UTC time."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidParameters("a time must be timezone-aware (use datetime.now(UTC))")
    return now.astimezone(UTC)


def timestamp(when: datetime) -> int:
    """Whole Unix seconds of an aware datetime."""
    return int(resolve_now(when).timestamp())


def from_timestamp(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
