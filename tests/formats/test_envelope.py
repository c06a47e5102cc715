"""The signed envelope shared by every signed file type."""

from __future__ import annotations

import contextlib
import struct
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.errors import (
    FileTooLarge,
    FormatError,
    UnsupportedFormat,
    UntrustedSigner,
    VerificationError,
    WrongFileType,
)
from coc_hashscreen.formats import (
    MAX_SIZES,
    open_envelope,
    open_self_signed,
    peek_type,
    read_envelope,
    sign_envelope,
)

from ..helpers import fixed_signing_key

KEY = fixed_signing_key("envelope")
OTHER = fixed_signing_key("other")
TRUSTED = {KEY.key_id: KEY.public_key}


def test_round_trip() -> None:
    data = sign_envelope("grant", b"payload bytes", KEY)
    envelope = open_envelope(data, "grant", TRUSTED)
    assert envelope.payload == b"payload bytes"
    assert envelope.signer == KEY.key_id
    assert envelope.file_type == "grant"
    assert peek_type(data) == "grant"


def test_layout() -> None:
    data = sign_envelope("list", b"xyz", KEY)
    assert data[:7] == b"COC-HS\x00"
    assert data[7] == 1
    assert data[8] == 4
    assert data[9:13] == b"list"
    assert data[13:45] == KEY.key_id
    assert struct.unpack(">Q", data[45:53]) == (3,)
    assert data[53:56] == b"xyz"
    assert len(data) == 56 + 64
    # The signature covers the context string and every byte before it.
    KEY.public_key.verify(data[56:], b"coc-hashscreen signature v1\x00" + data[:56])


def test_type_is_signed() -> None:
    # Relabelling a grant as a list (same length type) cannot keep the signature.
    data = bytearray(sign_envelope("trust", b"p", KEY))
    data[9:14] = b"grant"[:5]
    with pytest.raises((WrongFileType, VerificationError)):
        open_envelope(bytes(data), "trust", TRUSTED)
    relabelled = bytearray(sign_envelope("grant", b"p", KEY))
    relabelled[9:14] = b"trust"
    with pytest.raises(VerificationError):
        open_envelope(bytes(relabelled), "trust", TRUSTED)


def test_wrong_type_is_named() -> None:
    data = sign_envelope("grant", b"p", KEY)
    with pytest.raises(WrongFileType, match="expected a trust file but this is a grant"):
        open_envelope(data, "trust", TRUSTED)


def test_not_ours() -> None:
    with pytest.raises(FormatError, match="not a coc-hashscreen file"):
        open_envelope(b"name,email\nJane,jane@example.com\n", "list", TRUSTED)
    assert peek_type(b"") is None


def test_unsupported_version() -> None:
    data = bytearray(sign_envelope("list", b"p", KEY))
    data[7] = 2
    with pytest.raises(UnsupportedFormat, match="envelope version 2"):
        open_envelope(bytes(data), "list", TRUSTED)


def test_untrusted_signer() -> None:
    data = sign_envelope("list", b"p", OTHER)
    with pytest.raises(UntrustedSigner, match="trust file does not know"):
        open_envelope(data, "list", TRUSTED)


def test_bad_signature_is_opaque() -> None:
    data = bytearray(sign_envelope("list", b"payload", KEY))
    data[-1] ^= 1
    with pytest.raises(VerificationError) as info:
        open_envelope(bytes(data), "list", TRUSTED)
    assert "signature" not in str(info.value).lower()


@pytest.mark.parametrize("cut", [1, 10, 64, 70])
def test_truncated(cut: int) -> None:
    data = sign_envelope("list", b"payload", KEY)
    with pytest.raises(FormatError):
        open_envelope(data[:-cut], "list", TRUSTED)


def test_trailing_bytes() -> None:
    data = sign_envelope("list", b"payload", KEY)
    with pytest.raises(FormatError, match="trailing"):
        open_envelope(data + b"\x00", "list", TRUSTED)


def test_size_limit_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.grant"
    with path.open("wb") as handle:
        handle.truncate(MAX_SIZES["grant"] + 1)  # sparse: nothing to read
    with pytest.raises(FileTooLarge, match="limit"):
        read_envelope(path, "grant")
    with pytest.raises(FormatError):
        open_envelope(b"\x00" * (MAX_SIZES["grant"] + 1), "grant", TRUSTED)


def test_signing_refuses_oversized_payload() -> None:
    with pytest.raises(FormatError, match="larger than"):
        sign_envelope("grant", b"\x00" * MAX_SIZES["grant"], KEY)


def test_self_signed() -> None:
    data = sign_envelope("trust", KEY.public_bytes + b"rest", KEY)
    assert open_self_signed(data, "trust").payload == KEY.public_bytes + b"rest"
    # Claiming someone else's key in the payload does not verify.
    forged = sign_envelope("trust", OTHER.public_bytes + b"rest", KEY)
    with pytest.raises((VerificationError, UntrustedSigner)):
        open_self_signed(forged, "trust")
    with pytest.raises(FormatError):
        open_self_signed(b"garbage", "trust")


@given(st.data())
def test_any_flipped_byte_is_refused(data: st.DataObject) -> None:
    signed = sign_envelope("receipt", b'{"some": "payload"}', KEY)
    position = data.draw(st.integers(0, len(signed) - 1))
    flip = data.draw(st.integers(1, 255))
    tampered = bytearray(signed)
    tampered[position] ^= flip
    with pytest.raises((FormatError, VerificationError, UntrustedSigner)):
        open_envelope(bytes(tampered), "receipt", TRUSTED)


@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(blob: bytes) -> None:
    for file_type in ("list", "trust"):
        with contextlib.suppress(FormatError, VerificationError, UntrustedSigner):
            open_envelope(blob, file_type, TRUSTED)
        with contextlib.suppress(FormatError, VerificationError, UntrustedSigner):
            open_self_signed(blob, file_type)


def test_checks_run_in_the_documented_order() -> None:
    """formats.md: size, magic, version, type, lengths, signer, signature.

    Each step breaks one more thing; the error is always the earliest check's.
    """
    good = sign_envelope("grant", b"payload bytes", OTHER)  # an untrusted signer
    bad_signature = bytearray(sign_envelope("grant", b"payload bytes", KEY))
    bad_signature[-1] ^= 1
    with pytest.raises(VerificationError):
        open_envelope(bytes(bad_signature), "grant", TRUSTED)
    with pytest.raises(UntrustedSigner):
        open_envelope(good[:-1] + bytes([good[-1] ^ 1]), "grant", TRUSTED)
    truncated = good[:-1]
    with pytest.raises(FormatError, match="truncated"):
        open_envelope(truncated, "grant", TRUSTED)
    with pytest.raises(WrongFileType):
        open_envelope(truncated, "list", TRUSTED)
    other_version = truncated[:7] + b"\x09" + truncated[8:]
    with pytest.raises(UnsupportedFormat):
        open_envelope(other_version, "list", TRUSTED)
    with pytest.raises(FormatError, match="not a coc-hashscreen file"):
        open_envelope(b"XX" + other_version[2:], "list", TRUSTED)
    with pytest.raises(FormatError, match="limit"):
        open_envelope(b"XX" + other_version[2:] + bytes(MAX_SIZES["list"]), "list", TRUSTED)


def test_a_file_cut_inside_its_type_is_a_truncated_file_of_that_type() -> None:
    # Five bytes of type announced, four there: the file still claims a list.
    with pytest.raises(FormatError, match="truncated") as refused:
        open_envelope(b"COC-HS\x00\x01\x05list", "list", TRUSTED)
    assert not isinstance(refused.value, WrongFileType)
    data = sign_envelope("list", b"payload", KEY)
    with pytest.raises(FormatError, match="truncated"):
        open_envelope(data[:13], "list", TRUSTED)
