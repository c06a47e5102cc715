"""Attachments (issue 11, finding 4): polyglots refused; saved under our names, over no file."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from pathlib import Path

import pytest

from coc_hashscreen.errors import InputError, ReportError
from coc_hashscreen.formats import (
    Attachment,
    IncidentReport,
    open_sealed_report,
    parse_trust,
    save_attachments,
)
from coc_hashscreen.formats._attachment import polyglot_reason

from ..helpers import PDF, PNG, fixed_hpke_key, sample_report

ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(40)
MACHO = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01\x03\x00\x00\x00" + bytes(40)
WINDOWS = b"MZ" + bytes(0x3A) + struct.pack("<I", 0x80) + bytes(0x80 - 0x40) + b"PE\x00\x00"


def _zip_with(name: str, member: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(name, member)
    return buffer.getvalue()


def test_a_pdf_that_is_really_a_zip_with_a_program_is_refused() -> None:
    # The reviewer's file: "%PDF-" in front, a zip holding an executable after.
    polyglot = b"%PDF-1.7\n" + _zip_with("invoice.exe", WINDOWS)
    with pytest.raises(ReportError, match="application/pdf that is not only that"):
        Attachment("invoice.pdf", polyglot)
    # Even when it ends in %%EOF, the archive inside is found.
    with pytest.raises(ReportError, match="holds an archive, a program"):
        Attachment("invoice.pdf", polyglot + b"\n%%EOF\n")


@pytest.mark.parametrize(
    ("label", "inside"),
    [
        ("zip", _zip_with("a.txt", b"hello")),
        ("end of a zip", b"PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00" + bytes(10)),
        ("ELF", ELF),
        ("Mach-O", MACHO),
        ("universal Mach-O", b"\xca\xfe\xba\xbe\x00\x00\x00\x02" + bytes(16)),
        ("Windows program", WINDOWS),
        ("shebang", b"#!/bin/sh\nrm -rf ~\n"),
        ("RAR", b"Rar!\x1a\x07\x01\x00"),
        ("7z", b"7z\xbc\xaf\x27\x1c\x00\x04"),
        ("old Office", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)),
        ("PDF", b"%PDF-1.4\n%%EOF\n"),
    ],
)
def test_an_image_carrying_an_archive_or_a_program_is_refused(label: str, inside: bytes) -> None:
    jpeg = b"\xff\xd8\xff\xe0" + bytes(64)
    for carrier, media_type in ((PNG, "image/png"), (jpeg, "image/jpeg")):
        data = carrier + inside + bytes(16)
        assert polyglot_reason(data, media_type), label
        with pytest.raises(ReportError, match="not only that"):
            Attachment("holiday.png", data)


def test_a_pdf_must_end_in_eof() -> None:
    with pytest.raises(ReportError, match="does not end in %%EOF"):
        Attachment("a.pdf", b"%PDF-1.7\n" + b"x" * 100)
    with pytest.raises(ReportError, match="does not end in %%EOF"):
        Attachment("a.pdf", PDF + b"something appended")
    assert Attachment("a.pdf", PDF + b"\r\n\x00").media_type == "application/pdf"


def test_an_mz_that_leads_nowhere_is_no_program() -> None:
    # "MZ" occurs by chance in compressed data; only a PE header makes a program.
    data = PNG + b"MZ" + bytes(200)
    assert polyglot_reason(data, "image/png") is None
    assert Attachment("a.png", data).media_type == "image/png"


def test_scripts_and_html_are_text_and_saved_as_txt(tmp_path: Path) -> None:
    script = Attachment("run.sh", b"#!/bin/sh\necho owned\n")
    page = Attachment("page.html", b"<html><script>alert(1)</script></html>")
    assert (script.media_type, page.media_type) == ("text/plain", "text/plain")
    saved = save_attachments([script, page, Attachment("shot.png", PNG)], tmp_path / "out")
    assert [p.path.name for p in saved] == [
        "attachment-01.txt",
        "attachment-02.txt",
        "attachment-03.png",
    ]
    assert saved[0].path.read_bytes() == script.data
    assert oct(saved[0].path.stat().st_mode & 0o777) == "0o600"
    assert oct((tmp_path / "out").stat().st_mode & 0o777) == "0o700"


def test_the_senders_names_are_never_used(tmp_path: Path) -> None:
    hostile = [
        Attachment(".bashrc", b"alias ls='rm -rf ~'\n"),
        Attachment("../../escape.png", PNG),
        Attachment("report.pdf.exe", PDF),
    ]
    target = tmp_path / "evidence"
    saved = save_attachments(hostile, target)
    assert sorted(os.listdir(target)) == [
        "attachment-01.txt",
        "attachment-02.png",
        "attachment-03.pdf",
    ]
    assert [s.attachment.name for s in saved] == [".bashrc", "escape.png", "report.pdf.exe"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evidence"]


def test_an_existing_directory_is_refused_and_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "home"
    target.mkdir()
    (target / ".bashrc").write_text("mine\n")
    with pytest.raises(InputError, match="exists; name a new directory"):
        save_attachments([Attachment(".bashrc", b"theirs\n")], target)
    assert (target / ".bashrc").read_text() == "mine\n"
    assert os.listdir(target) == [".bashrc"]


def test_no_file_is_ever_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A file that appears in the new directory before it is written (another
    # process, a symbolic link planted in a race) is never written through.
    real_mkdir = os.mkdir
    victim = tmp_path / "victim"
    victim.write_text("keep me\n")

    def mkdir_and_plant(path: Path, mode: int = 0o777) -> None:
        real_mkdir(path, mode)
        os.symlink(victim, Path(path) / "attachment-01.txt")

    monkeypatch.setattr(os, "mkdir", mkdir_and_plant)
    with pytest.raises(FileExistsError):
        save_attachments([Attachment("a.txt", b"theirs\n")], tmp_path / "new")
    assert victim.read_text() == "keep me\n"


def test_a_polyglot_is_refused_at_intake_too() -> None:
    # A sealed report built by hand (not by seal_report, which refuses it)
    # carrying a PDF that is a zip: opening it refuses the report.
    from coc_hashscreen.formats import TrustContent, make_trust, seal_report
    from coc_hashscreen.formats._attachment import Attachment as Checked

    from ..helpers import NOW, fixed_signing_key

    committee = fixed_signing_key("attachments committee")
    key = fixed_hpke_key("attachments reports")
    trust = parse_trust(
        make_trust(
            TrustContent("Attachments Committee", committee.key_id, key.public_key),
            signing_key=committee,
            now=NOW,
        )
    )
    polyglot = b"%PDF-1.7\n" + _zip_with("x.exe", WINDOWS) + b"\n%%EOF\n"
    smuggled = object.__new__(Checked)
    for name, value in (
        ("name", "x.pdf"),
        ("data", polyglot),
        ("description", ""),
        ("media_type", "application/pdf"),
    ):
        object.__setattr__(smuggled, name, value)
    report = object.__new__(IncidentReport)
    for name, value in vars(sample_report()).items():
        object.__setattr__(report, name, value)
    object.__setattr__(report, "attachments", (smuggled,))
    sealed = seal_report(report, trust=trust)
    with pytest.raises(ReportError, match="not only that"):
        open_sealed_report(sealed, key)
