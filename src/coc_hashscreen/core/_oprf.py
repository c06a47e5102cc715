"""The RFC 9497 VOPRF (ristretto255-SHA512, verifiable mode) behind a small interface.

The online mode of issue 16 has the committee evaluate a PRF on inputs the
organizer blinds, so the organizer learns the PRF output for its own
attendees and nothing with which to test a guessed name offline.  This
module is the only one that imports `voprf`, so the library can be
swapped without touching the callers (ADR 0024).

Committee side: `OprfKey.derive` (RFC 9497 DeriveKeyPair) from a 32-byte
seed; `OprfKey.evaluate` is the direct Evaluate the committee publishes
with, and `OprfKey.evaluate_blinded` answers a batch of blinded elements
with their evaluations and one batched DLEQ proof.  Organizer side:
`blind_batch` and `finalize_batch`, which refuses any answer whose proof
does not verify under the public key from the signed list header.

The wire layout of an answer (docs/formats.md, "Online evaluation"):
the proof's two scalars c and s (32 bytes each), then one 32-byte
evaluated element per blinded element, in the order of the request.

Randomness: the blinds and the proof's random scalar are drawn by `voprf`
from the operating system; the library takes no random source, so neither
can be injected here.  The known-answer tests therefore go through an
independent implementation that takes them as inputs (tests/oprf_oracle.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from voprf import ristretto as _r

from ..errors import FormatError, InputError, VerificationError
from ._native import native_stderr_silenced

__all__ = [
    "MAX_OPRF_BATCH",
    "OPRF_ELEMENT_SIZE",
    "OPRF_OUTPUT_SIZE",
    "OPRF_PROOF_SIZE",
    "OPRF_SEED_SIZE",
    "OPRF_SUITE",
    "BlindedBatch",
    "OprfKey",
    "blind_batch",
    "finalize_batch",
    "oprf_input",
]

OPRF_SUITE = "ristretto255-SHA512"
# Serialized sizes in this suite: Ne, Nh, 2 * Ns, and the seed DeriveKeyPair takes.
OPRF_ELEMENT_SIZE = 32
OPRF_OUTPUT_SIZE = 64
OPRF_PROOF_SIZE = 64
OPRF_SEED_SIZE = 32
# One request holds 1 to 1,024 elements (issue 16): enough for a large
# attendee list in few round trips, small enough to bound the work of one.
MAX_OPRF_BATCH = 1024
# RFC 9497 limits an input to 2^16 - 1 bytes (its length is a 2-byte prefix).
_MAX_INPUT = 0xFFFF
_IDENTITY = bytes(OPRF_ELEMENT_SIZE)
_ANSWER = "committee service's answer"
# Not a file to fetch again: a service answering under another key than the
# signed list names is the committee's to know about.
_ADVICE = "tell the committee: its service does not answer under the key its list names"
# The domain of the online construction (issue 16); v1's pepper is "coc-hashscreen/v1".
DOMAIN = b"coc-hashscreen/v2"


def oprf_input(kind: str, canonical_form: str) -> bytes:
    """What the VOPRF evaluates for one canonical identifier: domain, kind and form.

    Separated by zero bytes, as v1's pepper is: no canonical form holds one.
    """
    return b"\x00".join((DOMAIN, kind.encode("ascii"), canonical_form.encode("utf-8")))


def _is_panic(exc: BaseException) -> bool:
    # voprf 0.2.0 unwraps the proof check in finalize_batch, so a proof that
    # fails verification surfaces as pyo3's PanicException (a BaseException,
    # not a ValueError) after Rust prints the panic to stderr.  It is matched
    # by name because pyo3 exports the class from no importable module.
    return type(exc).__name__ == "PanicException"


def _check_count(count: int, what: str) -> None:
    if not 1 <= count <= MAX_OPRF_BATCH:
        raise InputError(f"a batch holds 1 to {MAX_OPRF_BATCH:,} {what}, not {count:,}")


def _check_input(data: bytes) -> None:
    if not isinstance(data, bytes) or not 1 <= len(data) <= _MAX_INPUT:
        raise InputError(f"an OPRF input is 1 to {_MAX_INPUT:,} bytes")


def _element(data: bytes, what: str) -> bytes:
    if not isinstance(data, bytes) or len(data) != OPRF_ELEMENT_SIZE:
        raise FormatError(f"a {what} is {OPRF_ELEMENT_SIZE} bytes")
    if data == _IDENTITY:
        raise FormatError(f"a {what} is the identity element, which no honest party sends")
    return data


@dataclass(frozen=True, eq=False)
class OprfKey:
    """The committee's VOPRF key pair for one epoch; never shows the secret in `repr`."""

    _evaluator: _r.Evaluator = field(repr=False)
    public_key: bytes

    @classmethod
    def derive(cls, seed: bytes, *, info: bytes) -> OprfKey:
        """RFC 9497 DeriveKeyPair: the same `seed` and `info` always give the same key."""
        if not isinstance(seed, bytes) or len(seed) != OPRF_SEED_SIZE:
            raise InputError(f"an OPRF key seed is {OPRF_SEED_SIZE} bytes")
        if not isinstance(info, bytes) or len(info) > _MAX_INPUT - OPRF_SEED_SIZE - 3:
            raise InputError("the OPRF key info is too long")
        evaluator = _r.Evaluator.from_seed(seed, info)
        return cls(evaluator, evaluator.public_key.serialize())

    def evaluate(self, data: bytes) -> bytes:
        """RFC 9497 Evaluate: the 64-byte PRF output the committee publishes for `data`."""
        _check_input(data)
        return self._evaluator.evaluate_known_input(data)

    def evaluate_blinded(self, elements: Sequence[bytes]) -> bytes:
        """Answer a batch of blinded elements: one proof, then the evaluated elements."""
        _check_count(len(elements), "blinded elements")
        blinded = []
        for data in elements:
            try:
                blinded.append(_r.BlindedInput.deserialize(_element(data, "blinded element")))
            except ValueError:
                raise FormatError("a blinded element is not a valid ristretto255 element") from None
        answer = self._evaluator.evaluate_batch(blinded).serialize()
        # voprf's own serialization is this module's wire layout; checked, not assumed.
        if len(answer) != OPRF_PROOF_SIZE + OPRF_ELEMENT_SIZE * len(blinded):
            raise AssertionError("voprf changed its batch serialization")
        return answer


@dataclass(frozen=True, eq=False)
class BlindedBatch:
    """The organizer's secret half of one request: the blinds, kept until the answer.

    Use it for one answer only.  `repr` shows only how many inputs it holds.
    """

    _clients: tuple[_r.Client, ...] = field(repr=False)
    size: int


def blind_batch(inputs: Sequence[bytes]) -> tuple[BlindedBatch, list[bytes]]:
    """Blind 1 to 1,024 inputs: the state to keep, and the elements to send."""
    _check_count(len(inputs), "inputs")
    clients: list[_r.Client] = []
    elements: list[bytes] = []
    for data in inputs:
        _check_input(data)
        try:
            client, blinded = _r.Client.blind(data)
        except ValueError:  # pragma: no cover - HashToGroup gave the identity (2^-252)
            raise InputError("an OPRF input maps to the identity element") from None
        clients.append(client)
        elements.append(blinded.serialize())
    return BlindedBatch(tuple(clients), len(clients)), elements


def finalize_batch(state: BlindedBatch, answer: bytes, *, public_key: bytes) -> list[bytes]:
    """Verify the committee's answer under `public_key` and unblind: the 64-byte outputs.

    A malformed answer (wrong length for the batch, an element that is not
    a ristretto255 element or is the identity) raises `FormatError`; a
    proof that does not verify, or an answer made under another key,
    raises the opaque `VerificationError`.
    """
    if len(answer) != OPRF_PROOF_SIZE + OPRF_ELEMENT_SIZE * state.size:
        raise FormatError(
            f"the {_ANSWER} for {state.size:,} elements is "
            f"{OPRF_PROOF_SIZE + OPRF_ELEMENT_SIZE * state.size:,} bytes, not {len(answer):,}"
        )
    try:
        key = _r.PublicKey.deserialize(_element(public_key, "public key"))
    except ValueError:
        raise FormatError("the OPRF public key is not a valid ristretto255 element") from None
    for start in range(OPRF_PROOF_SIZE, len(answer), OPRF_ELEMENT_SIZE):
        chunk = _element(answer[start : start + OPRF_ELEMENT_SIZE], "evaluated element")
        try:
            _r.EvaluatedElement.deserialize(chunk)
        except ValueError:
            raise FormatError("an evaluated element is not a valid ristretto255 element") from None
    try:
        # Non-canonical proof scalars are a proof that fails, not a format error.
        output = _r.VerifiableBatchOutput.deserialize(answer)
        # voprf 0.2 panics on a failed proof; its Rust message must not reach the terminal.
        with native_stderr_silenced():
            return _r.Client.finalize_batch(state._clients, output, key)
    except ValueError:
        raise VerificationError(_ANSWER, advice=_ADVICE) from None
    except BaseException as exc:
        if _is_panic(exc):
            raise VerificationError(_ANSWER, advice=_ADVICE) from None
        raise
