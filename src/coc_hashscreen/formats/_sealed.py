"""Sealed reports: an incident report encrypted to the committee's report key.

Layout (integers big-endian)::

    0    7   magic "COC-HS" 0x00
    7    1   version: 2 (1 is still read)
    8    1   length n of the type, 13
    9    n   type "sealed-report"
    9+n  1   length m of the suite name
    10+n m   suite: "x25519" or "mlkem768-x25519"
    .    32  key id of the committee's report key
    .    8   length L of the ciphertext
    .    L   HPKE base-mode ciphertext (encapsulated key || ciphertext)

The first 9+n bytes are the prefix every file of ours starts with
(`type_prefix`).  The HPKE info is ``"coc-hashscreen/v1 sealed report" 0x00``
followed by every header byte before the ciphertext, so a changed header
byte, like a changed ciphertext byte, makes the file fail to open.
Everything about the content, attachment names included, is inside the
ciphertext.

Version 2 pads the plaintext with zero bytes to a size bucket: the
smallest power of two of at least 64 KiB that holds it, and above 64 MiB
the largest plaintext there can be.  The length of a sealed file thus tells
one of 12 sizes, not how many people a report names nor how large its
attachments are.  Version 1 (unpadded) is still opened: reports sealed by
older releases are evidence (ADR 0013).
"""

from __future__ import annotations

import base64
import hashlib
import struct
from pathlib import Path
from typing import Final

from ..core import HpkePrivateKey, HpkePublicKey, short_id
from ..errors import FormatError, MismatchError, ReportError, UnsupportedFormat
from ._envelope import claimed_type, type_prefix
from ._files import read_limited
from ._report import MAX_ATTACHMENTS_TOTAL, MAX_REPORT_JSON, IncidentReport
from ._trust import TrustFile

__all__ = [
    "MAX_SEALED_SIZE",
    "open_sealed_report",
    "padded_length",
    "read_sealed",
    "report_id_for",
    "seal_report",
]

MAX_SEALED_SIZE: Final = MAX_ATTACHMENTS_TOTAL + MAX_REPORT_JSON + 2**20
SEALED_TYPE: Final = "sealed-report"
SEALED_INFO: Final = b"coc-hashscreen/v1 sealed report\x00"
SEALED_VERSION: Final = 2
# Version 1 did not pad.
UNPADDED_VERSION: Final = 1
PAD_FLOOR: Final = 64 * 2**10
# The largest plaintext: the length, the largest report JSON, every attachment.
MAX_PLAINTEXT: Final = 4 + MAX_REPORT_JSON + MAX_ATTACHMENTS_TOTAL


def padded_length(length: int) -> int:
    """The bucket a plaintext of *length* bytes is padded to (sealed version 2)."""
    if length > MAX_PLAINTEXT:
        raise ReportError("the report with its attachments is larger than a report may be")
    size = PAD_FLOOR
    while size < length:
        size *= 2
    return min(size, MAX_PLAINTEXT)


def _sealed_header(key: HpkePublicKey, length: int) -> bytes:
    suite = key.suite.value.encode("ascii")
    return (
        type_prefix(SEALED_TYPE, SEALED_VERSION)
        + bytes([len(suite)])
        + suite
        + key.key_id
        + struct.pack(">Q", length)
    )


def seal_report(report: IncidentReport, *, trust: TrustFile) -> bytes:
    """Seal *report* to the committee's report key from the pinned trust file."""
    key = trust.report_key
    plaintext = report.to_plaintext()
    plaintext += bytes(padded_length(len(plaintext)) - len(plaintext))
    # The ciphertext length is known in advance: HPKE adds the encapsulated
    # key and a 16-byte tag.
    length = len(plaintext) + key.suite.hpke_overhead
    header = _sealed_header(key, length)
    sealed = key.seal(plaintext, info=SEALED_INFO + header)
    if len(sealed) != length:  # pragma: no cover - guards the overhead constant
        raise AssertionError("unexpected HPKE ciphertext length")
    return header + sealed


def read_sealed(path: str | Path) -> bytes:
    return read_limited(path, MAX_SEALED_SIZE, "sealed report")


def open_sealed_report(data: bytes, report_key: HpkePrivateKey) -> IncidentReport:
    """Open a sealed report with the committee's report key, then validate it."""
    if len(data) > MAX_SEALED_SIZE:
        raise FormatError("the sealed report is larger than the limit")
    claimed = claimed_type(data)
    if claimed is None or claimed[1] != SEALED_TYPE:
        raise FormatError("this is not a sealed coc-hashscreen report")
    if claimed[0] not in (UNPADDED_VERSION, SEALED_VERSION):
        raise UnsupportedFormat(
            f"the sealed report uses version {claimed[0]}; upgrade coc-hashscreen"
        )
    offset = len(type_prefix(SEALED_TYPE))
    suite_length = data[offset] if len(data) > offset else 0
    header_end = offset + 1 + suite_length + 32 + 8
    if len(data) < header_end:
        raise FormatError("the sealed report is truncated")
    suite_name = data[offset + 1 : offset + 1 + suite_length].decode("ascii", "replace")
    key_id = data[header_end - 40 : header_end - 8]
    (length,) = struct.unpack(">Q", data[header_end - 8 : header_end])
    if len(data) != header_end + length:
        raise FormatError("the sealed report is truncated or has trailing bytes")
    if key_id != report_key.key_id or suite_name != report_key.suite.value:
        raise MismatchError(
            f"this report was sealed to key {short_id(key_id)}…, not to this committee's "
            "report key; the organizer must seal it with this committee's trust file"
        )
    plaintext = report_key.open(
        data[header_end:], info=SEALED_INFO + data[:header_end], what="sealed report"
    )
    try:
        return IncidentReport.from_plaintext(plaintext, padded=claimed[0] == SEALED_VERSION)
    except ReportError as exc:
        raise ReportError(f"the sealed report opened but is not valid: {exc}") from None


def report_id_for(sealed: bytes) -> str:
    """The committee's id of a sealed report: the same file always gets the same id."""
    digest = hashlib.sha256(sealed).digest()
    return "R-" + base64.b32encode(digest[:10]).decode("ascii")
