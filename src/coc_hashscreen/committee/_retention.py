"""How long the register keeps what it holds: the rules every expiry follows.

Pure functions: the stores and the review workflow call them before they
write anything.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from ..core import Status, resolve_now
from ..errors import InputError, RetentionEnded

__all__ = [
    "DEFAULT_MINOR_RETENTION",
    "DEFAULT_POLICY",
    "DEFAULT_REPORT_RETENTION",
    "Period",
    "RetentionPolicy",
    "check_decided",
    "check_future",
    "record_expiry",
    "report_expiry",
    "retention_for",
]

# Minor incidents are never published and are expunged after this long
# unless the committee sets another date.
DEFAULT_MINOR_RETENTION: Final = timedelta(days=730)

# An incident report is kept this long after it is received unless its
# assessment says otherwise; and never longer than a record it is linked to.
DEFAULT_REPORT_RETENTION: Final = timedelta(days=730)


_PERIOD: Final = re.compile(r"(?:(\d{1,3})y)?(?:(\d{1,4})m)?(?:(\d{1,5})d)?")


@dataclass(frozen=True, order=True)
class Period:
    """A retention period in calendar years, months and days: "2y", "18m", "1y6m", "90d".

    Years and months are calendar ones (a decision on 29 February kept one
    year ends on 28 February), so that "2 years from the decision" means
    what the committee's policy says.
    """

    years: int = 0
    months: int = 0
    days: int = 0

    def __post_init__(self) -> None:
        if min(self.years, self.months, self.days) < 0 or not (
            self.years or self.months or self.days
        ):
            raise InputError("a retention period is a positive number of years, months or days")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read "2y", "18m", "730d" or a combination such as "1y6m" (in that order)."""
        match = _PERIOD.fullmatch(text.strip().lower())
        if match is None or not any(match.groups()):
            raise InputError(
                "a retention period is written like 2y, 18m, 730d or 1y6m (years, months, days)"
            )
        years, months, days = (int(g) if g else 0 for g in match.groups())
        return cls(years, months, days)

    def after(self, start: datetime) -> datetime:
        """The end of this period begun at *start*."""
        months = start.month - 1 + self.months + 12 * self.years
        year, month = start.year + months // 12, months % 12 + 1
        last = calendar.monthrange(year, month)[1]
        return start.replace(year=year, month=month, day=min(start.day, last)) + timedelta(
            days=self.days
        )

    def __str__(self) -> str:
        return "".join(
            f"{n}{unit}"
            for n, unit in ((self.years, "y"), (self.months, "m"), (self.days, "d"))
            if n
        )

    def describe(self) -> str:
        """In words: "2 years", "1 year 6 months", "730 days"."""
        parts = [
            f"{n} {unit}{'s' if n != 1 else ''}"
            for n, unit in ((self.years, "year"), (self.months, "month"), (self.days, "day"))
            if n
        ]
        return " ".join(parts)


@dataclass(frozen=True)
class RetentionPolicy:
    """How long the register keeps a record of each status, from the committee's decision.

    None keeps records of that status until the committee sets an expiry
    or removes them.  A minor incident is never published and always ends:
    its period cannot be None.  The committee sets its own policy
    (``committee retention``); a record given an explicit expiry keeps it.
    """

    minor: Period = field(default_factory=lambda: Period(days=730))
    flagged: Period | None = None
    banned: Period | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.minor, Period):
            raise InputError("minor records always have a retention period")

    def period(self, status: Status) -> Period | None:
        return {Status.MINOR: self.minor, Status.FLAGGED: self.flagged, Status.BANNED: self.banned}[
            Status.parse(status)
        ]

    def to_dict(self) -> dict[str, Any]:
        return {s.value: (str(p) if (p := self.period(s)) else None) for s in Status}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RetentionPolicy:
        def read(name: str) -> Period | None:
            value = data.get(name)
            return Period.parse(value) if isinstance(value, str) else None

        return cls(
            minor=read("minor") or Period(days=730),
            flagged=read("flagged"),
            banned=read("banned"),
        )


DEFAULT_POLICY: Final = RetentionPolicy()


def check_decided(decided_at: datetime | None, now: datetime, *, where: str = "") -> None:
    """Refuse a decision date in the future: the decision is being recorded, so it was taken.

    *where* names the date's place for the message ("column 'Decided'").
    """
    if decided_at is not None and resolve_now(decided_at) > now:
        place = f" in {where}" if where else ""
        raise InputError(f"the decision date{place} is in the future; give the day it was decided")


def record_expiry(
    status: Status,
    *,
    decided_at: datetime,
    expires_at: datetime | None,
    now: datetime,
    policy: RetentionPolicy = DEFAULT_POLICY,
) -> datetime | None:
    """When a record decided at *decided_at* ends: the expiry given, or the policy's.

    Raises `RetentionEnded` when that end has passed: the record must not
    be entered, and whatever source still holds it should delete it.
    """
    end = expires_at
    if end is None:
        period = policy.period(status)
        end = None if period is None else period.after(decided_at)
    if end is not None and resolve_now(end) <= now:
        raise RetentionEnded(
            f"its retention ended on {end:%Y-%m-%d} ({_why(status, expires_at, policy)}), so "
            "it must not be kept: delete it from the source instead of adding it here"
        )
    return end


def _why(status: Status, expires_at: datetime | None, policy: RetentionPolicy) -> str:
    if expires_at is not None:
        return "the expiry given"
    period = policy.period(status)
    assert period is not None
    return f"{status.value} records are kept {period.describe()} from the decision"


def check_future(expires_at: datetime | None, now: datetime) -> None:
    """Refuse an expiry that is not in the future: a date the committee gives is a deadline."""
    if expires_at is not None and resolve_now(expires_at) <= now:
        raise InputError("the expiry date must be in the future")


def retention_for(
    status: Status,
    expires_at: datetime | None,
    now: datetime,
    policy: RetentionPolicy = DEFAULT_POLICY,
) -> datetime | None:
    """The expiry of a record or report of *status* decided now: the one given, or the policy's.

    A date given must lie in the future.  A minor incident always has one;
    flagged and banned ones follow the policy (by default none).
    """
    check_future(expires_at, now)
    return record_expiry(status, decided_at=now, expires_at=expires_at, now=now, policy=policy)


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
