"""The RFC 9497 VOPRF behind core/_oprf.py, proven against the RFC and an oracle.

The RFC's vectors pin DeriveKeyPair and Evaluate directly.  `voprf` draws
its blinds and proof scalars itself, so the blinded elements, evaluated
elements and proofs of the vectors are replayed through the independent
implementation in tests/oprf_oracle.py, which must reproduce them; then our
client is run against the oracle's server and the oracle's client against
our server, in both directions, on random inputs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coc_hashscreen.core import (
    MAX_OPRF_BATCH,
    OPRF_OUTPUT_SIZE,
    OPRF_SUITE,
    OprfKey,
    blind_batch,
    finalize_batch,
)
from coc_hashscreen.errors import FormatError, InputError, VerificationError
from tests import oprf_oracle as oracle

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parent.parent / "vectors" / "rfc9497-ristretto255-sha512.json").read_text(
        encoding="utf-8"
    )
)
SEED = bytes.fromhex(VECTORS["Seed"])
INFO = bytes.fromhex(VECTORS["KeyInfo"])
SK = bytes.fromhex(VECTORS["skSm"])
PK = bytes.fromhex(VECTORS["pkSm"])
CASES = VECTORS["vectors"]

inputs_st = st.binary(min_size=1, max_size=80)


def _hex(values: list[str]) -> list[bytes]:
    return [bytes.fromhex(v) for v in values]


def _seed(n: int) -> bytes:
    return bytes([n]) * 32


# RFC 9497, Appendix A.1.2


def test_the_vectors_are_the_rfcs_voprf_ristretto255_suite() -> None:
    assert VECTORS["suite"] == OPRF_SUITE
    assert VECTORS["source"].startswith("RFC 9497, Appendix A.1.2")
    assert [len(c["Input"]) for c in CASES] == [1, 1, 2]


def test_derive_key_pair_matches_the_rfc() -> None:
    assert OprfKey.derive(SEED, info=INFO).public_key == PK


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_evaluate_gives_the_rfcs_output(case: dict[str, Any]) -> None:
    key = OprfKey.derive(SEED, info=INFO)
    outputs = [key.evaluate(data) for data in _hex(case["Input"])]
    assert outputs == _hex(case["Output"])


def test_the_oracle_derives_the_rfcs_key_pair() -> None:
    assert oracle.derive_key_pair(SEED, INFO) == (SK, PK)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_the_oracle_reproduces_every_value_of_the_rfc(case: dict[str, Any]) -> None:
    inputs, blinds = _hex(case["Input"]), _hex(case["Blind"])
    blinded = [oracle.blind(data, b) for data, b in zip(inputs, blinds, strict=True)]
    assert blinded == _hex(case["BlindedElement"])
    evaluated, proof = oracle.blind_evaluate(SK, blinded, bytes.fromhex(case["ProofRandomScalar"]))
    assert evaluated == _hex(case["EvaluationElement"])
    assert proof == bytes.fromhex(case["Proof"])
    outputs = oracle.finalize(inputs, blinds, blinded, (evaluated, proof), PK)
    assert outputs == _hex(case["Output"])
    assert [oracle.evaluate(SK, data) for data in inputs] == outputs


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_our_client_finalizes_the_rfcs_answer(case: dict[str, Any]) -> None:
    # Our blinds are our own, so the RFC's evaluated elements do not fit
    # them; the oracle answers our elements with the RFC's key and r.
    inputs = _hex(case["Input"])
    state, blinded = blind_batch(inputs)
    evaluated, proof = oracle.blind_evaluate(SK, blinded, bytes.fromhex(case["ProofRandomScalar"]))
    answer = oracle.encode_answer(evaluated, proof)
    assert finalize_batch(state, answer, public_key=PK) == _hex(case["Output"])


# Both directions, on random inputs


@pytest.mark.parametrize("size", [1, 2, 7, 64])
def test_our_client_against_the_oracle_server(size: int) -> None:
    _client_round(size)


@pytest.mark.parametrize("size", [1, 2, 7, 64])
def test_the_oracle_client_against_our_server(size: int) -> None:
    _server_round(size)


@settings(max_examples=25, deadline=None)
@given(st.lists(inputs_st, min_size=1, max_size=7), st.integers(0, 255))
def test_our_client_against_the_oracle_server_on_random_inputs(
    inputs: list[bytes], seed: int
) -> None:
    _client_round(len(inputs), inputs, seed)


@settings(max_examples=25, deadline=None)
@given(st.lists(inputs_st, min_size=1, max_size=7), st.integers(0, 255))
def test_the_oracle_client_against_our_server_on_random_inputs(
    inputs: list[bytes], seed: int
) -> None:
    _server_round(len(inputs), inputs, seed)


def _inputs(size: int) -> list[bytes]:
    return [b"coc-hashscreen/v2\x00name\x00person %d" % i for i in range(size)]


def _client_round(size: int, inputs: list[bytes] | None = None, seed: int = 7) -> None:
    inputs = inputs or _inputs(size)
    sk, pk = oracle.derive_key_pair(_seed(seed), b"epoch")
    state, blinded = blind_batch(inputs)
    assert all(oracle.is_valid_element(e) for e in blinded)
    answer = oracle.encode_answer(*oracle.blind_evaluate(sk, blinded, oracle.random_scalar()))
    outputs = finalize_batch(state, answer, public_key=pk)
    assert outputs == [oracle.evaluate(sk, data) for data in inputs]


def _server_round(size: int, inputs: list[bytes] | None = None, seed: int = 7) -> None:
    inputs = inputs or _inputs(size)
    key = OprfKey.derive(_seed(seed), info=b"epoch")
    _sk, pk = oracle.derive_key_pair(_seed(seed), b"epoch")
    assert key.public_key == pk
    blinds = [oracle.random_scalar() for _ in inputs]
    blinded = [oracle.blind(data, b) for data, b in zip(inputs, blinds, strict=True)]
    answer = oracle.decode_answer(key.evaluate_blinded(blinded), len(inputs))
    outputs = oracle.finalize(inputs, blinds, blinded, answer, pk)
    assert outputs == [key.evaluate(data) for data in inputs]


@settings(max_examples=25, deadline=None)
@given(st.lists(inputs_st, min_size=1, max_size=5), st.binary(min_size=32, max_size=32))
def test_blind_evaluate_finalize_equals_the_direct_evaluation(
    inputs: list[bytes], seed: bytes
) -> None:
    key = OprfKey.derive(seed, info=b"coc-hashscreen test")
    state, blinded = blind_batch(inputs)
    outputs = finalize_batch(state, key.evaluate_blinded(blinded), public_key=key.public_key)
    assert outputs == [key.evaluate(data) for data in inputs]
    assert all(len(out) == OPRF_OUTPUT_SIZE for out in outputs)


def test_blinding_hides_the_input() -> None:
    _, first = blind_batch([b"same"])
    _, second = blind_batch([b"same"])
    assert first != second


# Refusals


@pytest.fixture
def exchange() -> tuple[Any, bytes, OprfKey]:
    key = OprfKey.derive(_seed(1), info=b"epoch")
    state, blinded = blind_batch(_inputs(3))
    return state, key.evaluate_blinded(blinded), key


def test_an_answer_under_another_key_is_refused(exchange: tuple[Any, bytes, OprfKey]) -> None:
    state, answer, _ = exchange
    other = OprfKey.derive(_seed(2), info=b"epoch")
    with pytest.raises(VerificationError):
        finalize_batch(state, answer, public_key=other.public_key)


def test_a_proof_made_with_another_key_is_refused() -> None:
    # The oracle evaluates with one key and proves with another: the
    # elements are right for sk, the proof is for sk2.
    sk, pk = oracle.derive_key_pair(_seed(3), b"")
    sk2, _ = oracle.derive_key_pair(_seed(4), b"")
    state, blinded = blind_batch(_inputs(2))
    evaluated, _ = oracle.blind_evaluate(sk, blinded, oracle.random_scalar())
    _, proof = oracle.blind_evaluate(sk2, blinded, oracle.random_scalar())
    with pytest.raises(VerificationError):
        finalize_batch(state, oracle.encode_answer(evaluated, proof), public_key=pk)


@pytest.mark.parametrize("position", [0, 31, 32, 63])
def test_a_flipped_byte_in_the_proof_is_refused(
    exchange: tuple[Any, bytes, OprfKey], position: int
) -> None:
    state, answer, key = exchange
    flipped = bytearray(answer)
    flipped[position] ^= 0x01
    with pytest.raises(VerificationError):
        finalize_batch(state, bytes(flipped), public_key=key.public_key)


@pytest.mark.parametrize("position", [64, 95, 96 + 5, 64 + 32 * 3 - 1])
@pytest.mark.parametrize("bit", [0x01, 0x80])
def test_a_flipped_byte_in_an_element_is_refused(
    exchange: tuple[Any, bytes, OprfKey], position: int, bit: int
) -> None:
    state, answer, key = exchange
    flipped = bytearray(answer)
    flipped[position] ^= bit
    with pytest.raises((VerificationError, FormatError)):
        finalize_batch(state, bytes(flipped), public_key=key.public_key)


def test_a_valid_but_wrong_element_fails_the_proof(exchange: tuple[Any, bytes, OprfKey]) -> None:
    state, answer, key = exchange
    swapped = answer[:64] + answer[96:128] + answer[64:96] + answer[128:]
    with pytest.raises(VerificationError):
        finalize_batch(state, swapped, public_key=key.public_key)


def test_the_identity_as_an_evaluated_element_is_refused(
    exchange: tuple[Any, bytes, OprfKey],
) -> None:
    state, answer, key = exchange
    with pytest.raises(FormatError, match="identity"):
        finalize_batch(state, answer[:64] + bytes(32) + answer[96:], public_key=key.public_key)


@pytest.mark.parametrize("cut", [1, 32, 64])
def test_a_truncated_or_padded_answer_is_refused(
    exchange: tuple[Any, bytes, OprfKey], cut: int
) -> None:
    state, answer, key = exchange
    with pytest.raises(FormatError, match="bytes"):
        finalize_batch(state, answer[:-cut], public_key=key.public_key)
    with pytest.raises(FormatError, match="bytes"):
        finalize_batch(state, answer + bytes(cut), public_key=key.public_key)


def test_an_answer_for_another_count_is_refused() -> None:
    key = OprfKey.derive(_seed(1), info=b"epoch")
    state, _ = blind_batch(_inputs(2))
    _, blinded = blind_batch(_inputs(3))
    with pytest.raises(FormatError, match="for 2 elements"):
        finalize_batch(state, key.evaluate_blinded(blinded), public_key=key.public_key)


def test_a_malformed_public_key_is_refused(exchange: tuple[Any, bytes, OprfKey]) -> None:
    state, answer, _ = exchange
    for bad in (bytes(32), b"\xff" * 32, b"\x01" * 31):
        with pytest.raises(FormatError):
            finalize_batch(state, answer, public_key=bad)


@pytest.mark.parametrize(
    ("element", "message"),
    [
        (bytes(32), "identity"),
        (b"\xff" * 32, "not a valid"),
        (b"\x01" * 31, "32 bytes"),
        (b"\x01" * 33, "32 bytes"),
    ],
)
def test_the_server_refuses_a_malformed_element(element: bytes, message: str) -> None:
    key = OprfKey.derive(_seed(1), info=b"epoch")
    _, blinded = blind_batch(_inputs(2))
    with pytest.raises(FormatError, match=message):
        key.evaluate_blinded([blinded[0], element, blinded[1]])


@pytest.mark.parametrize("size", [0, MAX_OPRF_BATCH + 1])
def test_a_batch_out_of_range_is_refused(size: int) -> None:
    key = OprfKey.derive(_seed(1), info=b"epoch")
    element = oracle.blind(b"x", oracle.random_scalar())
    with pytest.raises(InputError, match="1 to 1,024"):
        key.evaluate_blinded([element] * size)
    with pytest.raises(InputError, match="1 to 1,024"):
        blind_batch([b"x"] * size)


def test_the_largest_batch_is_answered() -> None:
    key = OprfKey.derive(_seed(1), info=b"epoch")
    inputs = [b"%d" % i for i in range(MAX_OPRF_BATCH)]
    state, blinded = blind_batch(inputs)
    outputs = finalize_batch(state, key.evaluate_blinded(blinded), public_key=key.public_key)
    assert outputs[-1] == key.evaluate(inputs[-1])


@pytest.mark.parametrize("data", [b"", bytes(0x10000)])
def test_an_input_out_of_range_is_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="OPRF input"):
        blind_batch([data])
    with pytest.raises(InputError, match="OPRF input"):
        OprfKey.derive(_seed(1), info=b"").evaluate(data)


@pytest.mark.parametrize("seed", [b"", bytes(31), bytes(33)])
def test_a_seed_of_another_size_is_refused(seed: bytes) -> None:
    with pytest.raises(InputError, match="32 bytes"):
        OprfKey.derive(seed, info=b"")


def test_reprs_show_no_secret() -> None:
    key = OprfKey.derive(SEED, info=INFO)
    state, _ = blind_batch([b"a", b"b"])
    assert "Evaluator" not in repr(key)
    assert SEED.hex() not in repr(key)
    assert SK.hex() not in repr(key)
    assert repr(state) == "BlindedBatch(size=2)"
