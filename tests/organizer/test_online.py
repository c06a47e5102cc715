"""Screening an online list: the same command, the service in place of the epoch key.

The service here is `LocalService`: the real service application over the
service directory the committee writes, driven in this process;
tests/service/ runs it under uvicorn over loopback.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coc_hashscreen.committee import (
    Committee,
    GrantRequest,
    NewRecord,
    PublishOptions,
    QuotaOrder,
)
from coc_hashscreen.core import (
    KDF_PROFILES,
    Argon2Params,
    HashingOptions,
    HpkePrivateKey,
    Identifier,
    Status,
    argon2id,
    padded_total,
)
from coc_hashscreen.errors import (
    MismatchError,
    ServiceError,
    ServiceRefused,
    VerificationError,
)
from coc_hashscreen.formats import (
    SEED_FILE,
    ServiceSeed,
    read_grant,
    read_list,
    read_seed,
    write_seed,
)
from coc_hashscreen.organizer import (
    MemoryState,
    Screener,
    ScreenerOptions,
    ScreeningReport,
    ServiceAnswer,
    screening_key,
)

from ..conftest import World
from ..helpers import NOW
from ..online_service import LocalService

ENDPOINT = "http://127.0.0.1:9"
CHEAP = KDF_PROFILES["test-only"]
PEOPLE = [
    ("CASE-GARCIA", Status.BANNED, [("name", "José María García"), ("email", "jg@example.org")]),
    ("CASE-IVANOV", Status.FLAGGED, [("name", "Пётр Иванов"), ("github", "pivanov")]),
]


@dataclasses.dataclass
class Online:
    committee: Committee
    organizer: HpkePrivateKey
    tmp: Path
    service: LocalService

    @property
    def list_path(self) -> Path:
        return self.tmp / "online.list"

    @property
    def grant_path(self) -> Path:
        return self.tmp / "online.grant"

    def screener(self, **options: object) -> Screener:
        settings: dict[str, object] = {
            "state": MemoryState(),
            "now": NOW,
            "transport": self.service,
        }
        settings.update(options)
        return Screener.load(
            hashed_list=self.list_path,
            grant=self.grant_path,
            organizer_key=self.organizer,
            trust=self.committee.paths.trust,
            options=ScreenerOptions(**settings),  # type: ignore[arg-type]
        )


@pytest.fixture
def online(tmp_path: Path) -> Iterator[Online]:
    committee = Committee.init(tmp_path / "online-committee", name="Online Committee", now=NOW)
    for ref, status, identifiers in PEOPLE:
        committee.register.records.add(
            NewRecord(status, [Identifier(k, v) for k, v in identifiers], case_ref=ref), now=NOW
        )
    options = PublishOptions(kdf=CHEAP, endpoint=ENDPOINT)
    committee.publish(tmp_path / "online.list", options, now=NOW)
    organizer = HpkePrivateKey.generate()
    request = GrantRequest(organizer.public_key, "Online Conf", quota=1000)
    committee.grant(request, tmp_path / "online.grant", now=NOW)
    service = LocalService(committee.paths.service, NOW)
    yield Online(committee, organizer, tmp_path, service)
    committee.close()


def _attendees(count: int) -> list[dict[str, str]]:
    rows = [{"name": "Jose Maria Garcia", "email": "someone@example.net"}]
    rows += [{"name": f"Attendee {i}", "email": f"a{i}@example.net"} for i in range(count - 1)]
    rows.append({"name": "Petr Ivanov", "github": "https://github.com/PIvanov"})
    return rows


def _refs(report: ScreeningReport) -> list[tuple[int, list[str]]]:
    return [(m.index, [hit.case_ref for hit in m.hits]) for m in report.matches]


def test_an_online_list_screens_with_the_same_results(online: Online) -> None:
    report = online.screener().screen(_attendees(40))
    assert _refs(report)[0] == (1, ["CASE-GARCIA"])
    assert {m.index for m in report.matches} == {1, 41}
    assert {hit.case_ref for hit in report.matches[1].hits} == {"CASE-IVANOV"}
    header = read_list(online.list_path, online.committee.trust.trusted_keys()).header
    assert header.format == 2
    assert header.online is not None
    assert header.online.endpoint == ENDPOINT


def test_the_service_learns_a_size_bucket_only(online: Online) -> None:
    """Every request but a run's only one is full, and a run's total is a power of two."""
    online.committee.service.change_quota(
        online.organizer.public_key.key_id, QuotaOrder(set_to=9000)
    )
    screener = online.screener()
    screener.chunk_size = 64  # many chunks: requests must still be full
    screener.screen(_attendees(700))
    sizes = online.service.sizes
    assert sum(sizes) == padded_total(sum(sizes)) >= 2 * 700
    assert all(size == 1024 for size in sizes)
    online.service.sizes.clear()
    small = online.screener()
    small.screen(_attendees(3))
    assert online.service.sizes == [padded_total(sum(online.service.sizes))]


def test_padding_shrinks_to_the_quota_left_and_real_identifiers_go_first(online: Online) -> None:
    # 1,000 allowed: 2 x 450 + 2 identifiers are 902 real, padded to 1,000, not 1,024.
    report = online.screener().screen(_attendees(450))
    assert {m.index for m in report.matches} == {1, 451}
    assert sum(online.service.sizes) == 1000
    (token,) = online.committee.service.tokens()
    assert token.used == 1000
    assert token.remaining == 0


def test_a_spent_quota_is_a_clear_refusal(online: Online) -> None:
    online.screener().screen(_attendees(450))
    with pytest.raises(ServiceRefused, match="quota of evaluations is spent") as caught:
        online.screener().screen([{"name": "Someone New", "email": "new@example.net"}])
    assert caught.value.reason == "quota-spent"
    assert "Someone" not in str(caught.value)
    assert "new@example" not in str(caught.value)


def test_a_service_answering_under_another_key_fails_loudly(
    online: Online, capfd: pytest.CaptureFixture[str]
) -> None:
    # The service's seed replaced behind the list's back: it answers under another key.
    seed_file = online.committee.paths.service / SEED_FILE
    seed = read_seed(seed_file)
    write_seed(seed_file, ServiceSeed(seed.series, seed.epoch, os.urandom(32)))
    with pytest.raises(VerificationError):
        online.screener().screen(_attendees(5))
    # voprf panics on the bad proof; Rust's message must not reach the terminal.
    out, err = capfd.readouterr()
    assert "panicked" not in out + err
    assert "RUST_BACKTRACE" not in out + err


def test_the_cache_spares_the_quota_on_a_rescreen(online: Online, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    online.screener(cache_dir=cache).screen(_attendees(20))
    used = online.committee.service.tokens()[0].used
    online.service.sizes.clear()
    report = online.screener(cache_dir=cache).screen(_attendees(20))
    assert {m.index for m in report.matches} == {1, 21}
    assert online.service.sizes == []
    assert online.committee.service.tokens()[0].used == used


def test_a_new_grant_in_the_epoch_keeps_the_cache(online: Online, tmp_path: Path) -> None:
    """A replaced token (a re-grant) must not make the people already screened cost the
    quota again: the cache is keyed by the organizer's own key, per epoch."""
    cache = tmp_path / "cache"
    online.screener(cache_dir=cache).screen(_attendees(20))
    request = GrantRequest(online.organizer.public_key, "Online Conf")
    online.committee.grant(request, online.grant_path, now=NOW)
    online.service.sizes.clear()
    report = online.screener(cache_dir=cache).screen(_attendees(20))
    assert {m.index for m in report.matches} == {1, 21}
    assert online.service.sizes == []


def test_a_refusal_part_way_keeps_what_was_paid_for(online: Online, tmp_path: Path) -> None:
    """The quota runs out in the third request: the Argon2 work for the 2,048 identifiers
    the service answered is finished into the cache, so after a top-up only the rest go."""

    def slow(secret: bytes, salt: bytes, params: Argon2Params) -> bytes:
        time.sleep(0.002)  # long enough that work is still queued when the refusal comes
        return argon2id(secret, salt, params)

    key_id = online.organizer.public_key.key_id
    online.committee.service.change_quota(key_id, QuotaOrder(set_to=2048))
    cache = tmp_path / "cache"
    hashing = HashingOptions(argon2=slow, workers=2)
    with pytest.raises(ServiceRefused, match="spent"):
        online.screener(cache_dir=cache, hashing=hashing).screen(_attendees(1200))
    online.committee.service.change_quota(key_id, QuotaOrder(add=4096))
    online.service.sizes.clear()
    report = online.screener(cache_dir=cache).screen(_attendees(1200))
    assert {m.index for m in report.matches} == {1, 1201}
    # 2,400 identifiers, 2,048 paid for before: 352 go, padded to 512.
    assert online.service.sizes == [512]


def test_grants_and_lists_of_different_modes_are_refused(online: Online, world: World) -> None:
    """Either way round, a mismatch would match nobody: refused before any screening."""
    online_list = read_list(online.list_path, online.committee.trust.trusted_keys())
    offline_list = read_list(world.list_path, world.committee.trust.trusted_keys())
    online_grant = read_grant(online.grant_path, online.committee.trust.trusted_keys())
    offline_grant = read_grant(world.grant_path, world.committee.trust.trusted_keys())
    with pytest.raises(MismatchError, match="grant is for an offline list"):
        screening_key(offline_grant, world.organizer, online_list.header)
    with pytest.raises(MismatchError, match="list is an offline one"):
        screening_key(online_grant, online.organizer, offline_list.header)
    moved = dataclasses.replace(online_grant, endpoint="https://elsewhere.example")
    with pytest.raises(MismatchError, match="different services"):
        screening_key(moved, online.organizer, online_list.header)


def test_an_online_grant_holds_no_epoch_key(online: Online) -> None:
    grant = read_grant(online.grant_path, online.committee.trust.trusted_keys())
    assert grant.online
    assert grant.endpoint == ENDPOINT
    with pytest.raises(MismatchError, match="online list"):
        grant.open(online.organizer)
    token = grant.open_token(online.organizer)
    epoch = online.committee.register.epochs.current()
    assert epoch is not None
    assert epoch.secret is not None
    assert token != epoch.secret
    # Neither the register nor the token database holds the token itself.
    for path in (online.committee.paths.register, online.committee.paths.service / "tokens.sqlite"):
        assert token not in path.read_bytes()


def test_an_unreachable_service_says_nothing_was_screened(online: Online) -> None:
    class Down:
        calls = 0

        def post(self, url: str, body: bytes, *, token: bytes) -> ServiceAnswer:
            Down.calls += 1
            raise ConnectionRefusedError(111, "Connection refused")

    screener = online.screener(transport=Down())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("coc_hashscreen.organizer._online.time.sleep", lambda _: None)
        with pytest.raises(ServiceError, match="nothing was screened"):
            screener.screen(_attendees(3))
    assert Down.calls == 3  # bounded: one try and two retries
