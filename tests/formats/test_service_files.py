"""The online mode's files and fields: the seed file, service addresses, the header's
`online` object, and the token database's rules."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.errors import FormatError, KeyFileError, RegisterError, UnsupportedFormat
from coc_hashscreen.formats import (
    AccessToken,
    OnlineService,
    ServiceSeed,
    TokenStore,
    check_endpoint,
    read_seed,
    token_from_text,
    token_hash,
    token_text,
    write_seed,
)

from ..helpers import NOW

SEED = ServiceSeed(bytes(range(32)), 4, bytes(range(100, 132)))


def test_the_seed_file_is_private_and_strict(tmp_path: Path) -> None:
    path = tmp_path / "oprf-seed.json"
    write_seed(path, SEED)
    assert path.stat().st_mode & 0o777 == 0o600
    assert read_seed(path) == SEED
    path.chmod(0o640)
    with pytest.raises(KeyFileError, match="chmod 600"):
        read_seed(path)
    path.chmod(0o600)
    document = json.loads(path.read_text())
    for change, error in (({"extra": 1}, FormatError), ({"format": 2}, UnsupportedFormat),
                          ({"seed": "00" * 31}, FormatError)):  # fmt: skip
        path.write_text(json.dumps({**document, **change}))
        with pytest.raises(error):
            read_seed(path)
    assert "seed=" not in repr(SEED)


def test_each_epoch_has_its_own_key() -> None:
    other = ServiceSeed(SEED.series, SEED.epoch + 1, SEED.seed)
    assert SEED.key().public_key != other.key().public_key
    assert SEED.key().public_key == ServiceSeed(SEED.series, 4, SEED.seed).key().public_key


@pytest.mark.parametrize(
    "url",
    ["https://screening.example.org", "https://screening.example.org:8443/coc/",
     "http://127.0.0.1:8080", "http://localhost:9", "http://[::1]:8080"],
)  # fmt: skip
def test_service_addresses_accepted(url: str) -> None:
    assert check_endpoint(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    ["http://screening.example.org", "ftp://example.org", "https://", "screening.example.org",
     "https://user:pw@example.org", "https://example.org/?token=1", "https://example.org/#x",
     "https://example.org:99999", "https://exa mple.org", "https://example.org/\n",
     "https://" + "a" * 300 + ".org"],
)  # fmt: skip
def test_service_addresses_refused(url: str) -> None:
    with pytest.raises(FormatError):
        check_endpoint(url)


def test_the_header_names_a_valid_service() -> None:
    key = SEED.key().public_key
    assert OnlineService("https://s.example", key).to_dict()["suite"] == "ristretto255-SHA512"
    with pytest.raises(FormatError, match="suite"):
        OnlineService("https://s.example", key, suite="P256-SHA256")
    with pytest.raises(FormatError, match="32 bytes"):
        OnlineService("https://s.example", key[:31])


def _token(secret: bytes, quota: int = 10) -> AccessToken:
    return AccessToken(token_hash(secret), b"o" * 32, 4, quota, 0, NOW, NOW + timedelta(days=1))


def test_the_token_database_is_private_and_must_exist(tmp_path: Path) -> None:
    path = tmp_path / "service" / "tokens.sqlite"
    with pytest.raises(RegisterError, match="publish an online list first"):
        TokenStore.open(path)
    with TokenStore.open(path, create=True) as store:
        store.add(_token(b"s" * 32))
    assert path.stat().st_mode & 0o777 == 0o600
    assert b"s" * 32 not in path.read_bytes()
    path.chmod(0o644)
    with pytest.raises(KeyFileError):
        TokenStore.open(path)


def test_a_charge_is_all_or_nothing(tmp_path: Path) -> None:
    with TokenStore.open(tmp_path / "t.sqlite", create=True) as store:
        store.add(_token(b"s" * 32, quota=10))
        assert store.charge(b"s" * 32, 7, epoch=4, now=NOW).remaining == 3
        with pytest.raises(Exception, match="spent") as caught:
            store.charge(b"s" * 32, 4, epoch=4, now=NOW)
        assert getattr(caught.value, "remaining", None) == 3
        assert store.tokens()[0].used == 7  # nothing taken by the refusal
        store.refund(b"s" * 32, 7)
        assert store.tokens()[0].used == 0


@given(st.binary(min_size=32, max_size=32))
def test_a_token_reads_back_from_its_text_alone(token: bytes) -> None:
    text = token_text(token)
    assert len(text) == 43
    assert token_from_text(text) == token
    assert token_from_text(text + "=") is None  # padded
    assert token_from_text(text[:-1]) is None
    # The last character carries 2 bits that must be zero: another spelling of it is refused.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    sibling = alphabet[alphabet.index(text[-1]) ^ 1]
    assert token_from_text(text[:-1] + sibling) is None
