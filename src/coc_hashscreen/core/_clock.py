"""Time as the library sees it: aware UTC datetimes, stored as Unix seconds.

Every operation that checks validity reads the clock once (or takes an
injected ``now``) and uses that one reading for every check it makes, so a
check cannot pass at one instant and another fail a moment later.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import ClassVar, Final

from ..errors import ExpiredError, InvalidParameters, NotYetValidError

__all__ = ["CLOCK_SKEW", "Validity", "from_timestamp", "resolve_now", "timestamp"]

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


class Validity:
    """The validity period of a signed file, checked with `CLOCK_SKEW`.

    A mixin for frozen dataclasses with ``issued_at`` and ``expires_at``;
    subclasses name themselves and say how to get a fresh file.
    """

    issued_at: datetime
    expires_at: datetime
    _what: ClassVar[str]
    _renew: ClassVar[str]

    def is_expired(self, reference_time: datetime, skew: timedelta = CLOCK_SKEW) -> bool:
        return reference_time >= self.expires_at + skew

    def is_not_yet_valid(self, reference_time: datetime, skew: timedelta = CLOCK_SKEW) -> bool:
        return reference_time < self.issued_at - skew

    def check_validity(self, reference_time: datetime) -> None:
        """Refuse an expired file (freeze) and one issued in the future (bad clock)."""
        if self.is_not_yet_valid(reference_time):
            raise NotYetValidError(
                f"{self._what} is valid only from {self.issued_at:%Y-%m-%d %H:%M} UTC; check "
                "this computer's clock"
            )
        if self.is_expired(reference_time):
            raise ExpiredError(
                f"{self._what} expired on {self.expires_at:%Y-%m-%d %H:%M} UTC; {self._renew}"
            )
