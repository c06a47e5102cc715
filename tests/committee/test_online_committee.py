"""The committee's side of the online mode: epochs, the service directory, tokens, quotas."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from coc_hashscreen.committee import (
    Committee,
    GrantRequest,
    NewRecord,
    PublishOptions,
    QuotaOrder,
    quota_for,
)
from coc_hashscreen.core import KDF_PROFILES, HpkePrivateKey, Identifier, Status
from coc_hashscreen.errors import InputError, RegisterError, ServiceRefused
from coc_hashscreen.formats import (
    SEED_FILE,
    TOKENS_FILE,
    TokenStore,
    read_grant,
    read_seed,
)

from ..helpers import NOW

ENDPOINT = "https://screening.example.org"
CHEAP = KDF_PROFILES["test-only"]


@pytest.fixture
def committee(tmp_path: Path) -> Iterator[Committee]:
    with Committee.init(tmp_path / "committee", name="Committee", now=NOW) as opened:
        opened.register.records.add(
            NewRecord(Status.BANNED, [Identifier("email", "x@example.org")], case_ref="CASE-1"),
            now=NOW,
        )
        yield opened


def _publish(committee: Committee, tmp: Path, **options: object) -> None:
    settings: dict[str, object] = {"kdf": CHEAP}
    settings.update(options)
    committee.publish(tmp / "l.list", PublishOptions(**settings), now=NOW)  # type: ignore[arg-type]


def _seed_path(committee: Committee) -> Path:
    return committee.paths.service / SEED_FILE


def test_an_online_publish_writes_the_service_directory(
    committee: Committee, tmp_path: Path
) -> None:
    _publish(committee, tmp_path, endpoint=ENDPOINT)
    seed = read_seed(_seed_path(committee))
    epoch = committee.register.epochs.current()
    assert epoch is not None
    assert epoch.online
    assert epoch.endpoint == ENDPOINT
    assert seed.epoch == epoch.number
    assert seed.seed == epoch.oprf_seed
    for name in (SEED_FILE, TOKENS_FILE):
        assert stat.S_IMODE((committee.paths.service / name).stat().st_mode) == 0o600


def test_the_mode_is_fixed_for_an_epoch(committee: Committee, tmp_path: Path) -> None:
    _publish(committee, tmp_path)
    with pytest.raises(InputError, match="rotate to change that"):
        _publish(committee, tmp_path, endpoint=ENDPOINT)
    assert not _seed_path(committee).exists()
    _publish(committee, tmp_path, endpoint=ENDPOINT, rotate=True)
    assert _seed_path(committee).exists()
    # Without a word about the mode, it carries over.
    _publish(committee, tmp_path, rotate=True)
    epoch = committee.register.epochs.current()
    assert epoch is not None
    assert epoch.endpoint == ENDPOINT
    _publish(committee, tmp_path, offline=True, rotate=True)
    assert not _seed_path(committee).exists()


def test_plain_http_is_refused_but_on_this_machine() -> None:
    with pytest.raises(Exception, match="https"):
        PublishOptions(endpoint="http://screening.example.org")
    assert PublishOptions(endpoint="http://127.0.0.1:8080/").endpoint == "http://127.0.0.1:8080"


def test_rotation_destroys_the_seed_in_the_register_and_the_service(
    committee: Committee, tmp_path: Path
) -> None:
    _publish(committee, tmp_path, endpoint=ENDPOINT)
    old = read_seed(_seed_path(committee)).seed
    _publish(committee, tmp_path, rotate=True)
    new = read_seed(_seed_path(committee))
    assert new.seed != old
    assert new.epoch == 2
    assert old not in committee.paths.register.read_bytes()
    assert old not in _seed_path(committee).read_bytes()


def test_a_deletion_that_rotates_keeps_the_committee_online(
    committee: Committee, tmp_path: Path
) -> None:
    _publish(committee, tmp_path, endpoint=ENDPOINT)
    old = read_seed(_seed_path(committee)).seed
    record = committee.register.records.all()[0]
    result = committee.remove_record(record.id)
    assert result.rotated_to == 2
    epoch = committee.register.epochs.current()
    assert epoch is not None
    assert epoch.endpoint == ENDPOINT
    seed = read_seed(_seed_path(committee))
    assert seed.epoch == 2
    assert seed.seed != old
    assert old not in committee.paths.register.read_bytes()


def test_grants_carry_tokens_and_quotas(committee: Committee, tmp_path: Path) -> None:
    _publish(committee, tmp_path, endpoint=ENDPOINT)
    organizer = HpkePrivateKey.generate()
    committee.grant(GrantRequest(organizer.public_key, "Conf", quota=300), tmp_path / "g", now=NOW)
    (token,) = committee.service.tokens()
    assert (token.quota, token.used, token.epoch) == (300, 0, 1)
    grant = read_grant(tmp_path / "g", committee.trust.trusted_keys())
    secret = grant.open_token(organizer)
    with TokenStore.open(committee.paths.service / TOKENS_FILE) as tokens:
        assert tokens.charge(secret, 100, epoch=1, now=NOW).remaining == 200
    # A second grant in the epoch replaces the token and keeps what was used.
    committee.grant(GrantRequest(organizer.public_key, "Conf"), tmp_path / "g2", now=NOW)
    (token,) = committee.service.tokens()
    assert (token.quota, token.used) == (300, 100)
    with (
        TokenStore.open(committee.paths.service / TOKENS_FILE) as tokens,
        pytest.raises(ServiceRefused) as caught,
    ):
        tokens.charge(secret, 1, epoch=1, now=NOW)
    assert caught.value.reason == "unknown-token"
    # A rotation grants the organizer again, with the quota it had.
    _publish(committee, tmp_path, rotate=True)
    (token,) = committee.service.tokens()
    assert (token.epoch, token.quota, token.used) == (2, 300, 0)


def test_quota_top_up_and_revocation_reach_the_service(
    committee: Committee, tmp_path: Path
) -> None:
    _publish(committee, tmp_path, endpoint=ENDPOINT)
    organizer = HpkePrivateKey.generate()
    committee.grant(GrantRequest(organizer.public_key, "Conf", quota=10), tmp_path / "g", now=NOW)
    secret = read_grant(tmp_path / "g", committee.trust.trusted_keys()).open_token(organizer)
    key_id = organizer.public_key.key_id
    with TokenStore.open(committee.paths.service / TOKENS_FILE) as tokens:
        tokens.charge(secret, 10, epoch=1, now=NOW)
        with pytest.raises(ServiceRefused, match="spent") as caught:
            tokens.charge(secret, 1, epoch=1, now=NOW)
        assert caught.value.remaining == 0
        change = committee.service.change_quota(key_id, QuotaOrder(add=5), now=NOW)
        assert (change.token.quota, change.token.remaining) == (15, 5)
        assert tokens.charge(secret, 5, epoch=1, now=NOW).remaining == 0
        with pytest.raises(ServiceRefused) as caught:
            tokens.charge(secret, 1, epoch=2, now=NOW)
        assert caught.value.reason == "epoch-over"
        with pytest.raises(ServiceRefused) as caught:
            tokens.charge(secret, 1, epoch=1, now=NOW + timedelta(days=365))
        assert caught.value.reason == "expired-token"
        assert committee.service.revoke(key_id, now=NOW) is True
        with pytest.raises(ServiceRefused, match="revoked") as caught:
            tokens.charge(secret, 1, epoch=1, now=NOW)
        assert caught.value.reason == "revoked"
    actions = [entry.action for entry in committee.register.audit.entries()]
    assert "quota" in actions
    assert "revoke" in actions


def test_quota_figures_and_orders() -> None:
    # 100 people x 2 identifiers x 1.25, doubled for padding.
    assert quota_for(100) == 500
    assert quota_for(1) == 6
    with pytest.raises(InputError):
        QuotaOrder()
    with pytest.raises(InputError):
        QuotaOrder(set_to=0)
    with pytest.raises(InputError):
        quota_for(0)


def test_quota_needs_an_online_epoch(committee: Committee, tmp_path: Path) -> None:
    _publish(committee, tmp_path)
    organizer = HpkePrivateKey.generate()
    committee.grant(GrantRequest(organizer.public_key, "Conf"), tmp_path / "g", now=NOW)
    with pytest.raises(RegisterError, match="not online"):
        committee.service.change_quota(organizer.public_key.key_id, QuotaOrder(add=5))
    assert committee.service.tokens() == []
    assert committee.service.revoke(organizer.public_key.key_id) is False


def test_a_revocation_lost_to_an_old_token_database_is_applied_again(
    committee: Committee, tmp_path: Path
) -> None:
    _publish(committee, tmp_path, endpoint=ENDPOINT)
    organizer = HpkePrivateKey.generate()
    committee.grant(GrantRequest(organizer.public_key, "Conf"), tmp_path / "g", now=NOW)
    secret = read_grant(tmp_path / "g", committee.trust.trusted_keys()).open_token(organizer)
    database = committee.paths.service / TOKENS_FILE
    with TokenStore.open(database) as tokens:  # a backup, as `sqlite3 .backup` takes it
        tokens._db.execute(f"VACUUM INTO '{tmp_path / 'old.sqlite'}'")
    key_id = organizer.public_key.key_id
    assert committee.service.revoke(key_id, now=NOW) is True
    (tmp_path / "old.sqlite").chmod(0o600)
    (tmp_path / "old.sqlite").replace(database)
    for suffix in ("-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    with TokenStore.open(database) as tokens:
        assert tokens.charge(secret, 1, epoch=1, now=NOW).remaining > 0  # forgotten
    assert committee.service.refuse_tokens(key_id, now=NOW) == 1
    assert committee.service.refuse_tokens(key_id, now=NOW) == 0
    with TokenStore.open(database) as tokens, pytest.raises(ServiceRefused, match="revoked"):
        tokens.charge(secret, 1, epoch=1, now=NOW)


def test_a_rotation_that_stops_before_its_list_still_moves_the_service(
    committee: Committee, tmp_path: Path
) -> None:
    """The old seed is gone from the register as the epoch starts; the service's copy must
    go then too, not only once the new list is written."""
    _publish(committee, tmp_path, endpoint=ENDPOINT)
    old = read_seed(_seed_path(committee)).seed

    class Stop(Exception):
        pass

    def stop(_done: int, _total: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        _publish(committee, tmp_path, rotate=True, progress=stop)
    seed = read_seed(_seed_path(committee))
    assert seed.epoch == 2
    assert seed.seed != old
