"""A list's times show nothing of the register beyond its size bucket.

Before: ``issued_at`` was read before hashing and the file written after,
so the file's timestamp minus ``issued_at`` grew with the number of real
keys; and a list capped at the first record expiry showed that record's
exact retention date.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coc_hashscreen.committee import (
    Committee,
    GrantRequest,
    NewRecord,
    PublishOptions,
    Record,
    list_expiry,
    listed_records,
)
from coc_hashscreen.core import (
    KDF_PROFILES,
    Argon2Params,
    HashingOptions,
    HpkePrivateKey,
    Identifier,
    Status,
    argon2id,
    timestamp,
)

from ..helpers import NOW

CHEAP = KDF_PROFILES["test-only"]


def _slow_argon2(secret: bytes, salt: bytes, params: Argon2Params) -> bytes:
    """Argon2 that takes time, as real parameters do: 5 ms a call."""
    time.sleep(0.005)
    return argon2id(secret, salt, params)


@pytest.fixture
def committee(tmp_path: Path) -> Iterator[Committee]:
    with Committee.init(tmp_path / "committee", name="Test Committee", now=NOW) as c:
        yield c


def _add(committee: Committee, count: int, *, expires_at: datetime | None = None) -> None:
    for i in range(count):
        committee.register.records.add(
            NewRecord(
                status=Status.BANNED,
                identifiers=[Identifier("github", f"person-{i}")],
                expires_at=expires_at,
            ),
            now=NOW,
        )


def _mtime(path: Path) -> int:
    return os.stat(path).st_mtime_ns


@pytest.mark.parametrize("now", [NOW, None], ids=["injected", "clock"])
def test_file_times_do_not_depend_on_how_long_hashing_took(
    tmp_path: Path, now: datetime | None
) -> None:
    seen = {}
    for people in (1, 40):
        with Committee.init(tmp_path / f"c{people}", name="C", now=NOW) as committee:
            _add(committee, people)
            options = PublishOptions(kdf=CHEAP, hashing=HashingOptions(argon2=_slow_argon2))
            committee.publish(tmp_path / f"{people}-first.list", options, now=NOW)
            organizer = HpkePrivateKey.generate()
            committee.grant(GrantRequest(organizer.public_key, "Org"), tmp_path / "o.grant")
            rotate = PublishOptions(
                rotate=True, kdf=CHEAP, hashing=HashingOptions(argon2=_slow_argon2)
            )
            result = committee.publish(tmp_path / f"{people}.list", rotate, now=now)
        issued = timestamp(result.header.issued_at)
        # The list, and the grants the rotation wrote after the hashing,
        # all show the time the list states, to the nanosecond.
        for path in (result.path, *result.grants):
            assert _mtime(path) == issued * 10**9, path.name
            assert os.stat(path).st_atime_ns == issued * 10**9
        seen[people] = _mtime(result.path) - issued * 10**9
    assert seen == {1: 0, 40: 0}


def test_an_explicit_grant_file_shows_its_issue_time(committee: Committee, tmp_path: Path) -> None:
    committee.publish(tmp_path / "1.list", PublishOptions(kdf=CHEAP), now=NOW)
    organizer = HpkePrivateKey.generate()
    grant = committee.grant(
        GrantRequest(organizer.public_key, "Org"), tmp_path / "o.grant", now=NOW
    )
    assert _mtime(tmp_path / "o.grant") == timestamp(grant.issued_at) * 10**9


def test_the_expiry_shows_only_the_week_of_a_record_expiry(
    committee: Committee, tmp_path: Path
) -> None:
    # Retention ends Wednesday 2026-01-28 at 17:23:05; the list shows Monday 26th.
    _add(committee, 1, expires_at=datetime(2026, 1, 28, 17, 23, 5, tzinfo=UTC))
    result = committee.publish(tmp_path / "1.list", PublishOptions(kdf=CHEAP), now=NOW)
    assert result.header.expires_at == datetime(2026, 1, 26, tzinfo=UTC)
    assert result.capped_by_record_expiry
    assert result.real_entries == 1


def test_two_registers_differing_in_a_record_expiry_within_a_week_publish_the_same_expiry(
    tmp_path: Path,
) -> None:
    expiries = set()
    for day in range(26, 33):  # Monday 26 January to Sunday 1 February
        with Committee.init(tmp_path / f"c{day}", name="C", now=NOW) as committee:
            when = datetime(2026, 1, 1, 9, tzinfo=UTC) + timedelta(days=day - 1)
            _add(committee, 1, expires_at=when)
            result = committee.publish(tmp_path / f"{day}.list", PublishOptions(kdf=CHEAP), now=NOW)
            expiries.add(result.header.expires_at)
    assert expiries == {datetime(2026, 1, 26, tzinfo=UTC)}


def test_a_record_whose_retention_ends_this_week_is_no_longer_listed(
    committee: Committee, tmp_path: Path
) -> None:
    _add(committee, 1, expires_at=NOW + timedelta(days=2))  # Saturday, this week
    _add(committee, 1)
    result = committee.publish(tmp_path / "1.list", PublishOptions(kdf=CHEAP), now=NOW)
    assert (result.records, result.real_entries) == (1, 1)
    assert result.header.expires_at == NOW + timedelta(days=30)
    assert not result.capped_by_record_expiry


def _record(expires_at: datetime | None) -> Record:
    return Record(
        id=1,
        status=Status.BANNED,
        case_ref="CoC-TEST0001",
        created_at=NOW,
        updated_at=NOW,
        expires_at=expires_at,
        identifiers=(Identifier("github", "someone"),),
    )


@settings(max_examples=200, deadline=None)
@given(
    now_offset=st.integers(min_value=0, max_value=14 * 86400),
    expiry_offset=st.integers(min_value=1, max_value=90 * 86400),
    valid_days=st.integers(min_value=1, max_value=60),
)
def test_list_expiry_depends_on_a_record_expiry_only_through_its_week(
    now_offset: int, expiry_offset: int, valid_days: int
) -> None:
    now = NOW + timedelta(seconds=now_offset)
    expiry = now + timedelta(seconds=expiry_offset)
    week = (expiry - timedelta(days=expiry.weekday())).replace(hour=0, minute=0, second=0)
    listed = listed_records([_record(expiry)], now)
    if week <= now:
        assert listed == []  # its retention ends this week: left out
        return
    expires_at, capped = list_expiry(listed, now, timedelta(days=valid_days))
    assert now < expires_at <= expiry
    if capped:
        assert expires_at == week
        assert (expires_at.weekday(), expires_at.time()) == (0, datetime.min.time())
    else:
        assert expires_at == now + timedelta(days=valid_days)
    # Any other expiry in the same week gives the same list expiry.
    same_week = week + timedelta(seconds=(expiry_offset * 7919) % (7 * 86400))
    assert list_expiry([_record(same_week)], now, timedelta(days=valid_days)) == (
        expires_at,
        capped,
    )


def test_list_expiry_refuses_a_record_that_is_no_longer_listed() -> None:
    from coc_hashscreen.errors import InputError

    with pytest.raises(InputError, match="no longer listed"):
        list_expiry([_record(NOW + timedelta(days=1))], NOW, timedelta(days=30))
    assert listed_records([_record(None)], NOW) == [_record(None)]
