"""Time: one clock reading per operation, and the clock-skew allowance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from coc_hashscreen.committee import GrantRequest, NewRecord, PublishOptions
from coc_hashscreen.core import CLOCK_SKEW, Identifier, Status, _clock
from coc_hashscreen.errors import ExpiredError, NotYetValidError
from coc_hashscreen.formats import parse_grant, seal_report

from ..conftest import World
from ..helpers import NOW, sample_report


class _Clock:
    """A clock that moves one second forward at every reading."""

    def __init__(self) -> None:
        self.readings = 0

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        clock = self

        class Moving(datetime):
            @classmethod
            def now(cls, tz: object = None) -> Moving:
                clock.readings += 1
                return cls.fromtimestamp(NOW.timestamp() + clock.readings, UTC)

        monkeypatch.setattr(_clock, "datetime", Moving)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> _Clock:
    moving = _Clock()
    moving.install(monkeypatch)
    return moving


def test_one_reading_per_operation(world: World, clock: _Clock) -> None:
    committee = world.committee
    operations: dict[str, Callable[[], object]] = {
        "screener load": lambda: world.screener(now=None),
        "publish": lambda: committee.publish(world.tmp / "n.list"),
        "rotate": lambda: committee.publish(world.tmp / "r.list", PublishOptions(rotate=True)),
        "grant": lambda: committee.grant(
            GrantRequest(world.organizer.public_key, "x"), world.tmp / "n.grant"
        ),
        "add record": lambda: committee.register.records.add(
            NewRecord(status=Status.BANNED, identifiers=[Identifier("github", "clock")])
        ),
        "intake": lambda: committee.intake(seal_report(sample_report(), trust=committee.trust)),
        "expunge": lambda: committee.expunge(),
        "rotate signing key": lambda: committee.rotate_signing_key(),
    }
    for name, operation in operations.items():
        before = clock.readings
        operation()
        assert clock.readings - before == 1, name


def test_skew_allowance_for_grants(world: World) -> None:
    grant = parse_grant(world.grant_path.read_bytes(), world.committee.trust.trusted_keys())
    second = timedelta(seconds=1)
    grant.check_validity(grant.issued_at - CLOCK_SKEW)
    with pytest.raises(NotYetValidError):
        grant.check_validity(grant.issued_at - CLOCK_SKEW - second)
    grant.check_validity(grant.expires_at + CLOCK_SKEW - second)
    with pytest.raises(ExpiredError):
        grant.check_validity(grant.expires_at + CLOCK_SKEW)


def test_skew_allowance_for_lists_through_the_screener(world: World) -> None:
    second = timedelta(seconds=1)
    expires = world.screener().info.expires_at
    world.screener(now=NOW - CLOCK_SKEW)
    with pytest.raises(NotYetValidError):
        world.screener(now=NOW - CLOCK_SKEW - second)
    world.screener(now=expires + CLOCK_SKEW - second)
    with pytest.raises(ExpiredError):
        world.screener(now=expires + CLOCK_SKEW)


def test_naive_times_are_refused(world: World) -> None:
    from coc_hashscreen.errors import InvalidParameters

    with pytest.raises(InvalidParameters, match="timezone-aware"):
        world.screener(now=datetime(2026, 1, 15, 12, 0))
