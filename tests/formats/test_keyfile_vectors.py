"""Frozen vectors for key file format 2 (tests/vectors/keyfiles-v2.json).

The files are rebuilt byte for byte from the fixed keys, passphrase, salt
and nonce, opened by the library, and opened once more from the
construction as docs/formats.md states it, with argon2-cffi and
`cryptography` directly: the document is the specification.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from coc_hashscreen.core import KeyPurpose, Suite
from coc_hashscreen.errors import WrongPassphrase
from coc_hashscreen.formats import Passphrase, dump_json, load_private_key, load_signing_key

from ..helpers import fixed_hpke_key, fixed_signing_key

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "vectors" / "keyfiles-v2.json").read_text(encoding="utf-8")
)
PASSPHRASE = Passphrase.from_text(VECTORS["passphrase"])


def _expected_private(label: str) -> bytes:
    if label.startswith("signing"):
        return fixed_signing_key("vector committee gen1").private_bytes()
    suite = Suite(label.removeprefix("organizer_"))
    return fixed_hpke_key(f"vector organizer {suite.value}", suite).private_bytes()


def test_key_file_v2_vectors_rebuild_byte_for_byte() -> None:
    assert VECTORS["produced_by"].startswith("python tests/vectors/generate.py keyfiles")
    from ..vectors.generate import keyfiles

    assert keyfiles()["files"] == VECTORS["files"]


@pytest.mark.parametrize("label", sorted(VECTORS["files"]))
def test_key_file_v2_vectors_open(tmp_path: Path, label: str) -> None:
    path = tmp_path / label
    path.write_text(VECTORS["files"][label], encoding="utf-8")
    os.chmod(path, 0o600)
    if label.startswith("signing"):
        key = load_signing_key(path, passphrase=lambda: PASSPHRASE)
    else:
        key = load_private_key(path, purpose=KeyPurpose.ORGANIZER, passphrase=lambda: PASSPHRASE)  # type: ignore[assignment]
    assert key.private_bytes() == _expected_private(label)
    if label == "signing":
        with pytest.raises(WrongPassphrase):
            load_signing_key(path, passphrase=lambda: Passphrase.from_text("Correct horse"))


@pytest.mark.parametrize("label", sorted(VECTORS["files"]))
def test_key_file_v2_construction_as_documented(label: str) -> None:
    document = json.loads(VECTORS["files"][label])
    kdf = document["kdf"]
    assert (kdf["algorithm"], kdf["version"], document["aead"]) == (
        "argon2id",
        0x13,
        "chacha20-poly1305",
    )
    key = hash_secret_raw(
        VECTORS["passphrase"].encode("utf-8"),
        bytes.fromhex(document["salt"]),
        time_cost=kdf["time_cost"],
        memory_cost=kdf["memory_cost"],
        parallelism=kdf["parallelism"],
        hash_len=32,
        type=Type.ID,
        version=0x13,
    )
    header = {k: v for k, v in document.items() if k != "ciphertext"}
    associated = b"coc-hashscreen private key v2\x00" + dump_json(header)
    plain = ChaCha20Poly1305(key).decrypt(
        bytes.fromhex(document["nonce"]), bytes.fromhex(document["ciphertext"]), associated
    )
    assert plain == _expected_private(label)
    assert VECTORS["files"][label].encode() == dump_json(document) + b"\n"
