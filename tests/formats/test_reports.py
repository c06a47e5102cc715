"""Incident reports: validation, the JSON form, sealing and receipts."""

from __future__ import annotations

import contextlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.committee import Committee
from coc_hashscreen.errors import (
    CocHashscreenError,
    FormatError,
    MismatchError,
    ReportError,
    UnsupportedFormat,
    UntrustedSigner,
    VerificationError,
)
from coc_hashscreen.formats import (
    Attachment,
    IncidentReport,
    Person,
    open_sealed_report,
    parse_receipt,
    report_template,
    seal_report,
    verify_receipt,
)
from coc_hashscreen.formats._report import MAX_ATTACHMENT_SIZE, sniff

from ..conftest import World
from ..helpers import NOW, PDF, PNG, sample_report

# ---------------------------------------------------------------------------
# the report model


def test_json_round_trip() -> None:
    report = sample_report()
    data = json.dumps(report.to_dict()).encode()
    again = IncidentReport.from_json(data, report.attachments)
    assert again == report
    assert again.attachments[0].description == "the chat message"


def test_plaintext_round_trip() -> None:
    report = sample_report()
    assert IncidentReport.from_plaintext(report.to_plaintext()) == report


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"event_name": " "}, "event name is required"),
        ({"reporter_name": ""}, "reporter name is required"),
        ({"reporter_email": "no-at"}, "email"),
        ({"event_end": date(2026, 4, 1)}, "ends before it starts"),
        ({"people": ()}, "1 to 100 people"),
        ({"facts": "  "}, "describe the facts"),
        ({"review": "x" * 200_001}, "review is longer"),
        ({"attachments": (Attachment("a.png", PNG), Attachment("a.png", PNG))}, "same file name"),
    ],
)
def test_validation(changes: dict[str, object], message: str) -> None:
    with pytest.raises((ReportError, ValueError), match=message):
        sample_report(**changes)


def test_people_validation() -> None:
    with pytest.raises(ReportError, match="role is one of"):
        Person("bystander", "Some One")
    with pytest.raises(ReportError, match="needs a name or an identifier"):
        Person("witness")


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0" + bytes(20), "image/jpeg"),
        (b"GIF89a" + bytes(20), "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (PDF, "application/pdf"),
        (b"\x00\x00\x00\x18ftypmp42" + bytes(20), "video/mp4"),
        (b"\x1a\x45\xdf\xa3" + bytes(20), "video/webm"),
        (b"ID3\x04" + bytes(20), "audio/mpeg"),
        (b"OggS" + bytes(20), "audio/ogg"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio/wav"),
        ("From: a@example.org\nSubject: réunion\n\nhello".encode(), "text/plain"),
        (b"MZ\x90\x00" + bytes(20), None),  # a Windows executable
        (b"PK\x03\x04" + bytes(20), None),  # a zip (and every office file)
        (b"\x7fELF" + bytes(20), None),
        (b"text with a \x00 byte", None),
        (b"\xc3\x28 invalid utf-8", None),
    ],
)
def test_attachments_are_typed_by_content(data: bytes, media_type: str | None) -> None:
    assert sniff(data) == media_type
    if media_type is None:
        with pytest.raises(ReportError, match="not an accepted type"):
            Attachment("anything.png", data)
    else:
        assert Attachment("renamed.txt", data).media_type == media_type


def test_attachment_limits(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="larger than 50 MiB"):
        Attachment("big.txt", b"a" * (MAX_ATTACHMENT_SIZE + 1))
    many = tuple(Attachment(f"{i}.txt", b"a" * (30 * 2**20)) for i in range(4))
    with pytest.raises(ReportError, match="add up to more than 100 MiB"):
        sample_report(attachments=many)
    with pytest.raises(
        ReportError, match=r"declared media type does not match its content \(application/pdf\)"
    ):
        Attachment("a.pdf", PDF, media_type="image/png")
    path = tmp_path / "shot.png"
    path.write_bytes(PNG)
    assert Attachment.from_file(path).name == "shot.png"


def test_attachment_names_and_descriptions_stay_out_of_reprs_and_errors(tmp_path: Path) -> None:
    secret = "Jane Secretname"
    shown = Attachment(f"{secret}.png", PNG, f"{secret} said it")
    assert secret not in repr(shown)
    assert secret not in repr(sample_report(attachments=(shown,)))
    for bad in (
        {"data": b"MZ\x90\x00" + bytes(64)},
        {"data": PDF, "media_type": "image/png"},
        {"data": PDF, "media_type": secret},
        {"data": PNG, "description": secret * 2_000},
    ):
        with pytest.raises(ReportError) as caught:
            Attachment(f"{secret}.png", **bad)
        assert secret not in str(caught.value)
    # The organizer attaching a local file is told which one.
    path = tmp_path / "tool.exe"
    path.write_bytes(b"MZ\x90\x00" + bytes(64))
    with pytest.raises(ReportError, match=r"tool\.exe.*not an accepted type"):
        Attachment.from_file(path)


def test_template_must_be_filled_in() -> None:
    template = json.dumps(report_template()).encode()
    with pytest.raises(ReportError):
        IncidentReport.from_json(template)


def test_the_template_does_not_invite_file_names() -> None:
    # Attachments come with --attach when sealing; a list in the template
    # invited organizers to type local file names (which may name people).
    template = report_template()
    assert "attachments" not in template
    assert "--attach" in template["_instructions"]


def test_field_errors_name_the_field_not_the_value() -> None:
    document: dict[str, Any] = sample_report().to_dict()
    document["people"][0]["email"] = ["secret-bad-address"]
    with pytest.raises(ReportError, match=r"people\[0\]\.email\[0\]: email: no @") as info:
        IncidentReport.from_json(json.dumps(document).encode())
    assert "secret-bad-address" not in str(info.value)
    document = sample_report().to_dict()
    document["unexpected"] = 1
    with pytest.raises(ReportError, match="unknown field"):
        IncidentReport.from_json(json.dumps(document).encode())
    document = {**sample_report().to_dict(), "format": 2}
    with pytest.raises(UnsupportedFormat):
        IncidentReport.from_json(json.dumps(document).encode())


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=30,
    )
)
def test_any_json_gives_a_report_or_our_error(value: object) -> None:
    document = value if not isinstance(value, dict) else {**sample_report().to_dict(), **value}
    with contextlib.suppress(CocHashscreenError):
        IncidentReport.from_json(json.dumps(document).encode())


# ---------------------------------------------------------------------------
# sealing and intake


def test_round_trip_with_attachments(world: World) -> None:
    report = sample_report()
    sealed = seal_report(report, trust=world.committee.trust)
    assert b"Bad Actor" not in sealed
    assert b"screenshot.png" not in sealed  # attachment names are inside
    assert PNG[:16] not in sealed
    opened = open_sealed_report(sealed, world.committee.report_key())
    assert opened == report
    assert [a.data for a in opened.attachments] == [PNG, PDF]


def test_hybrid_report_key(tmp_path: Path) -> None:
    from coc_hashscreen.core import Suite

    with Committee.init(
        tmp_path / "pq", name="PQ", report_suite=Suite.MLKEM768_X25519, now=NOW
    ) as c:
        sealed = seal_report(sample_report(), trust=c.trust)
        assert open_sealed_report(sealed, c.report_key()) == sample_report()


def test_sealed_to_another_committee_is_refused(world: World, tmp_path: Path) -> None:
    with Committee.init(tmp_path / "other", name="Other", now=NOW) as other:
        sealed = seal_report(sample_report(), trust=other.trust)
    with pytest.raises(MismatchError, match="not to this committee's report key"):
        world.committee.intake(sealed, now=NOW)


def test_any_flipped_byte_of_a_sealed_report_is_refused(world: World) -> None:
    report = sample_report(attachments=(Attachment("n.txt", b"short note"),))
    sealed = seal_report(report, trust=world.committee.trust)
    key = world.committee.report_key()
    for position in range(len(sealed)):
        tampered = bytearray(sealed)
        tampered[position] ^= 0x01
        with pytest.raises((FormatError, VerificationError, MismatchError, UnsupportedFormat)):
            open_sealed_report(bytes(tampered), key)
    with pytest.raises(FormatError):
        open_sealed_report(sealed[:-1], key)
    with pytest.raises(FormatError):
        open_sealed_report(sealed + b"\x00", key)


def test_receipt_checks(world: World, tmp_path: Path) -> None:
    sealed = seal_report(sample_report(), trust=world.committee.trust)
    other_sealed = seal_report(
        sample_report(facts="Another incident."), trust=world.committee.trust
    )
    receipt = world.committee.intake(sealed, now=NOW).receipt
    with pytest.raises(MismatchError, match="another sealed report"):
        verify_receipt(receipt, trust=world.committee.trust, sealed=other_sealed)
    for position in range(len(receipt)):
        tampered = bytearray(receipt)
        tampered[position] ^= 0x01
        with pytest.raises((FormatError, VerificationError, UntrustedSigner)):
            parse_receipt(bytes(tampered), world.committee.trust.trusted_keys())
    with (
        Committee.init(tmp_path / "other", name="Other", now=NOW) as other,
        pytest.raises(UntrustedSigner),
    ):
        verify_receipt(receipt, trust=other.trust, sealed=sealed)


@pytest.mark.parametrize("name", ["..", ".", "a\x1b[2Jb.txt", "evil\x00.txt"])
def test_attachment_names_are_plain(name: str) -> None:
    with pytest.raises(ReportError, match="plain file name"):
        Attachment(name, b"text")
    assert Attachment("dir/../ok.txt", b"text").name == "ok.txt"
