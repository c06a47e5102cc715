"""Key file format 2: private keys encrypted under a passphrase (ADR 0015).

The attack: someone copies a committee's or an organizer's key file (a lost
laptop, a backup).  Without the passphrase the file gives them nothing; any
change to it is refused; a wrong passphrase and a damaged file are one
opaque error.
"""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coc_hashscreen.core import HpkePrivateKey, KeyPurpose, SigningKey, Suite
from coc_hashscreen.errors import InputError, InvalidParameters, KeyFileError, WrongPassphrase
from coc_hashscreen.formats import (
    DEFAULT_PASSPHRASE_KDF,
    KeyProtection,
    Passphrase,
    PassphraseKdf,
    dump_json,
    load_private_key,
    load_signing_key,
    private_key_info,
    save_private_key,
    save_signing_key,
)

from .._tally import count
from ..helpers import TEST_KEY_KDF, TEST_PASSPHRASE, cheap_protection, fixed_rng

RIGHT = Passphrase.from_text(TEST_PASSPHRASE)
WRONG = Passphrase.from_text("not the passphrase")


def _signing_file(
    tmp_path: Path, protection: KeyProtection | None = None
) -> tuple[Path, SigningKey]:
    key, path = SigningKey.generate(), tmp_path / "signing.key"
    save_signing_key(path, key, name="Committee", protection=protection or cheap_protection())
    return path, key


def _load(path: Path, passphrase: Passphrase = RIGHT) -> SigningKey:
    return load_signing_key(path, passphrase=lambda: passphrase)


def _rewrite(path: Path, **changes: object) -> None:
    """Change fields of a key file and write it back canonically, as an attacker could."""
    document = json.loads(path.read_bytes())
    document.update(changes)
    path.write_bytes(dump_json(document) + b"\n")


@pytest.mark.parametrize("suite", list(Suite))
def test_encrypted_key_files_round_trip(tmp_path: Path, suite: Suite) -> None:
    key = HpkePrivateKey.generate(suite)
    path = tmp_path / "organizer.key"
    save_private_key(
        path, key, purpose=KeyPurpose.ORGANIZER, name="o", protection=cheap_protection()
    )
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    loaded = load_private_key(path, purpose=KeyPurpose.ORGANIZER, passphrase=lambda: RIGHT)
    assert loaded.public_key == key.public_key
    info = private_key_info(path, purpose=KeyPurpose.ORGANIZER)
    assert (info.encrypted, info.kdf, info.public) == (True, TEST_KEY_KDF, key.public_key.raw)
    assert json.loads(path.read_bytes())["format"] == 2


def test_signing_key_round_trip_and_info_without_the_passphrase(tmp_path: Path) -> None:
    path, key = _signing_file(tmp_path)
    assert _load(path).public_bytes == key.public_bytes
    # Which key the file holds is readable without the passphrase: the
    # committee checks it against its trust file before asking for anything.
    info = private_key_info(path, purpose=KeyPurpose.COMMITTEE_SIGNING)
    assert (info.public, info.name, info.encrypted) == (key.public_bytes, "Committee", True)


@pytest.mark.parametrize("suite", [None, *Suite])
def test_the_file_holds_no_part_of_the_private_key(tmp_path: Path, suite: Suite | None) -> None:
    key: SigningKey | HpkePrivateKey
    if suite is None:
        path, key = _signing_file(tmp_path)
    else:
        key, path = HpkePrivateKey.generate(suite), tmp_path / "o.key"
        save_private_key(
            path, key, purpose=KeyPurpose.ORGANIZER, name="o", protection=cheap_protection()
        )
    data = path.read_bytes()
    decoded = b"".join(
        bytes.fromhex(v) for v in json.loads(data).values() if isinstance(v, str) and _is_hex(v)
    )
    raw = key.private_bytes()
    for start in range(len(raw) - 7):
        window = raw[start : start + 8]
        assert window not in data
        assert window.hex().encode() not in data
        assert window not in decoded
    assert TEST_PASSPHRASE.encode() not in data


def _is_hex(value: str) -> bool:
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return True


def test_wrong_passphrase_is_refused_with_the_opaque_error(tmp_path: Path) -> None:
    path, _ = _signing_file(tmp_path)
    with pytest.raises(WrongPassphrase, match="the passphrase is wrong or the file is damaged"):
        _load(path, WRONG)


def test_every_flipped_byte_is_refused(tmp_path: Path) -> None:
    """Each byte position, its lowest and highest bit: never a key, always a key-file error.

    Once the file reads as an encrypted key file, every refusal is the one
    message a wrong passphrase gets, whatever was changed.
    """
    path, _ = _signing_file(tmp_path)
    data = path.read_bytes()
    opaque = _message(lambda: _load(path, WRONG))
    accepted, messages = [], set()
    for position in range(len(data)):
        for bit in (0x01, 0x80):
            tampered = bytearray(data)
            tampered[position] ^= bit
            path.write_bytes(bytes(tampered))
            try:
                _load(path)
            except KeyFileError as exc:
                messages.add(str(exc))
                continue
            accepted.append((position, bit))
        count("byte positions flipped, encrypted key file")
    assert accepted == []
    # The others say the file is not a key file at all (broken JSON or
    # type), lacks its "format" (so is no encrypted key file), or is of a
    # format this release does not read ("format": 3).
    others = {m for m in messages if m != opaque}
    assert opaque in messages
    structural = ("not a coc-hashscreen key file", "lacks the field(s) format", "format version 3")
    assert all(any(s in m for s in structural) for m in others), others


def _message(action: object) -> str:
    with pytest.raises(WrongPassphrase) as info:
        action()  # type: ignore[operator]
    return str(info.value)


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "Another Committee"},
        {"purpose": "organizer"},
        {"algorithm": "x25519"},
        {"public": SigningKey.generate().public_bytes.hex()},
        {"kdf": PassphraseKdf(time_cost=2, memory_cost=8, parallelism=1).to_dict()},
        {"salt": "00" * 16},
        {"nonce": "00" * 12},
        {"aead": "aes-256-gcm"},
    ],
    ids=lambda c: next(iter(c)),
)
def test_every_header_field_is_bound(tmp_path: Path, changes: dict[str, object]) -> None:
    """A field rewritten cleanly (valid JSON, canonical) is caught by the AEAD."""
    path, _ = _signing_file(tmp_path)
    expected = _message(lambda: _load(path, WRONG))
    _rewrite(path, **changes)
    if "purpose" in changes:
        with pytest.raises(KeyFileError, match="is the organizer key, not the committee-signing"):
            _load(path)
        return
    assert _message(lambda: _load(path)) == expected


def test_a_non_canonical_encoding_is_refused(tmp_path: Path) -> None:
    """Upper-case hex or other spacing would parse to the same values: refused all the same."""
    path, _ = _signing_file(tmp_path)
    document = json.loads(path.read_bytes())
    spaced = json.dumps(document, sort_keys=True).encode() + b"\n"
    path.write_bytes(spaced)
    os.chmod(path, 0o600)
    with pytest.raises(WrongPassphrase):
        _load(path)


def test_hostile_kdf_costs_are_refused_before_any_hashing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coc_hashscreen.formats import _keycrypt

    def no_argon2(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("Argon2 ran on a cost the file should not get")

    path, _ = _signing_file(tmp_path)
    monkeypatch.setattr(_keycrypt, "hash_secret_raw", no_argon2)
    hostile = [
        {"time_cost": 16, "memory_cost": 1024 * 1024},  # t × m: 16 GiB·passes
        {"time_cost": 1, "memory_cost": 4 * 1024 * 1024},  # 4 GiB at once
        {"time_cost": 10**9, "memory_cost": 8},
        {"parallelism": 0},
    ]
    for costs in hostile:
        _rewrite(path, kdf={**TEST_KEY_KDF.to_dict(), **costs})
        with pytest.raises(WrongPassphrase):
            _load(path)
        with pytest.raises(KeyFileError, match="is damaged"):
            private_key_info(path, purpose=KeyPurpose.COMMITTEE_SIGNING)
    with pytest.raises(InvalidParameters, match="outside what this release accepts"):
        PassphraseKdf(time_cost=16, memory_cost=1024 * 1024, parallelism=1)


def test_the_default_cost_is_memory_hard() -> None:
    # 256 MiB per guess: an attacker's GPU or ASIC pays in memory, not just time.
    assert DEFAULT_PASSPHRASE_KDF.memory_cost >= 256 * 1024
    assert DEFAULT_PASSPHRASE_KDF.time_cost >= 2


def test_an_encrypted_file_without_a_passphrase_says_so(tmp_path: Path) -> None:
    path, _ = _signing_file(tmp_path)
    with pytest.raises(KeyFileError, match="is encrypted under a passphrase"):
        load_signing_key(path)


def test_the_passphrase_is_asked_only_for_an_encrypted_file(tmp_path: Path) -> None:
    asked: list[int] = []

    def source() -> Passphrase:
        asked.append(1)
        return RIGHT

    key = SigningKey.generate()
    save_signing_key(tmp_path / "plain.key", key, name="c")
    assert (
        load_signing_key(tmp_path / "plain.key", passphrase=source).public_bytes == key.public_bytes
    )
    assert asked == []
    path, _ = _signing_file(tmp_path)
    load_signing_key(path, passphrase=source)
    assert asked == [1]


def test_plain_format_1_files_still_load(tmp_path: Path) -> None:
    """Decision (ADR 0015): format 1 is read, and reported as unencrypted."""
    key = SigningKey.generate()
    save_signing_key(tmp_path / "s.key", key, name="c")
    assert json.loads((tmp_path / "s.key").read_bytes())["format"] == 1
    info = private_key_info(tmp_path / "s.key", purpose=KeyPurpose.COMMITTEE_SIGNING)
    assert (info.encrypted, info.public) == (False, key.public_bytes)


def test_a_newer_format_is_named(tmp_path: Path) -> None:
    path, _ = _signing_file(tmp_path)
    _rewrite(path, format=3)
    with pytest.raises(KeyFileError, match="format version 3; this release reads versions 1 and 2"):
        _load(path)


def test_the_encrypted_file_is_refused_when_others_can_read_it(tmp_path: Path) -> None:
    path, _ = _signing_file(tmp_path)
    os.chmod(path, 0o640)
    with pytest.raises(KeyFileError, match="chmod 600"):
        _load(path)


def test_passphrases_are_nfc_normalized() -> None:
    composed = "Jos\u00e9 l\u00e4uft schnell"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert Passphrase.from_text(decomposed) == Passphrase.from_text(composed)


def test_passphrase_rules_and_reprs() -> None:
    with pytest.raises(InputError, match="at least 8 characters"):
        Passphrase.from_text("short", new=True)
    with pytest.raises(InputError):
        Passphrase.from_text("")
    with pytest.raises(InputError, match="not valid Unicode"):
        Passphrase.from_text("bad \ud800 text")
    protection = cheap_protection()
    assert TEST_PASSPHRASE not in repr(protection)
    assert TEST_PASSPHRASE not in repr(RIGHT)


def test_salt_and_nonce_are_fresh_for_every_file(tmp_path: Path) -> None:
    key = SigningKey.generate()
    save_signing_key(tmp_path / "a", key, name="c", protection=cheap_protection())
    save_signing_key(tmp_path / "b", key, name="c", protection=cheap_protection())
    a, b = (json.loads((tmp_path / n).read_bytes()) for n in "ab")
    assert a["salt"] != b["salt"]
    assert a["nonce"] != b["nonce"]
    assert a["ciphertext"] != b["ciphertext"]


def test_a_short_random_source_is_refused(tmp_path: Path) -> None:
    protection = KeyProtection(RIGHT, kdf=TEST_KEY_KDF, rng=lambda n: b"\x00" * (n - 1))
    with pytest.raises(InvalidParameters):
        save_signing_key(tmp_path / "s", SigningKey.generate(), name="c", protection=protection)


@settings(max_examples=25)
@given(
    passphrase=st.text(min_size=1, max_size=40).filter(lambda t: "\n" not in t),
    other=st.text(min_size=1, max_size=40),
)
def test_any_passphrase_opens_its_file_and_no_other(passphrase: str, other: str) -> None:
    import tempfile

    try:
        mine = Passphrase.from_text(passphrase)
        theirs = Passphrase.from_text(other)
    except InputError:  # lone surrogates
        return
    key = SigningKey.generate()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "k"
        protection = KeyProtection(
            mine, kdf=TEST_KEY_KDF, rng=fixed_rng(passphrase.encode("utf-8", "surrogatepass"))
        )
        save_signing_key(path, key, name="c", protection=protection)
        assert _load(path, mine).public_bytes == key.public_bytes
        if theirs != mine:
            with pytest.raises(WrongPassphrase):
                _load(path, theirs)
