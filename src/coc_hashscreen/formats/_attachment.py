"""Attachments of incident reports: typed by their content, saved under names we choose.

An attachment comes from outside and is opened by a committee member on
their own computer, so it is accepted by what its bytes are, never by its
file name: images, PDF, audio, video and UTF-8 text.  A file of one of
those types that also carries an archive or a program (a "polyglot": a PDF
that is also a zip, an image with an executable appended) is refused, and
so is a PDF that does not end in ``%%EOF``, where a zip would hide.

`save_attachments` writes them out for a committee member: into a new
directory it creates, under generated names with the extension of the type
the content was found to be (text always as ``.txt``: a script or an HTML
page is only ever shown, never run), each created exclusively, so no
existing file is ever replaced.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from ..core import MAX_NAME, check_text, has_unsafe_characters
from ..errors import InputError, ReportError
from ._files import fsync_directory, read_limited

__all__ = [
    "MAX_ATTACHMENT_SIZE",
    "MAX_NOTE",
    "Attachment",
    "SavedAttachment",
    "save_attachments",
    "sniff",
]

MAX_NOTE: Final = 20_000
MAX_ATTACHMENT_SIZE: Final = 50 * 2**20

_SIGNATURES: Final[Sequence[tuple[str, bytes, int]]] = (
    ("image/png", b"\x89PNG\r\n\x1a\n", 0),
    ("image/jpeg", b"\xff\xd8\xff", 0),
    ("image/gif", b"GIF87a", 0),
    ("image/gif", b"GIF89a", 0),
    ("application/pdf", b"%PDF-", 0),
    ("video/webm", b"\x1a\x45\xdf\xa3", 0),
    ("audio/ogg", b"OggS", 0),
    ("audio/mpeg", b"ID3", 0),
    ("video/mp4", b"ftyp", 4),
)

# The extension each accepted type is saved with.
EXTENSIONS: Final = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
    "video/webm": ".webm",
    "video/mp4": ".mp4",
    "audio/ogg": ".ogg",
    "audio/mpeg": ".mp3",
    "audio/wav": ".wav",
    "text/plain": ".txt",
}

# Signatures of archives and programs, each long enough (with the fixed
# bytes that follow the magic number) that compressed image or video data
# holds one by chance far less than once in a petabyte.
_EMBEDDED: Final = re.compile(
    rb"PK\x03\x04[\x00-\x3f]\x00"  # zip local file header (and every office file)
    rb"|PK\x05\x06\x00\x00\x00\x00"  # zip end of central directory
    rb"|\x7fELF[\x01\x02][\x01\x02]\x01"  # ELF (Linux, BSD)
    rb"|[\xce\xcf]\xfa\xed\xfe[\x07\x0c\x12]\x00\x00[\x00\x01]"  # Mach-O, little-endian
    rb"|\xfe\xed\xfa[\xce\xcf][\x00\x01]\x00\x00[\x07\x0c\x12]"  # Mach-O, big-endian
    rb"|\xca\xfe\xba\xbe\x00\x00\x00[\x01-\x14\x2d-\x46]"  # universal Mach-O, Java class
    rb"|Rar!\x1a\x07|7z\xbc\xaf\x27\x1c|\xfd7zXZ\x00|BZh[1-9]1AY&SY"  # RAR, 7z, xz, bzip2
    rb"|\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: old Office documents with macros, MSI
    rb"|#! ?/(?:usr/)?(?:local/)?bin/"  # a script's first line
    rb"|%PDF-"  # a document inside another file
)
_DOS_HEADER: Final = re.compile(rb"MZ")
_PDF_END: Final = b"%%EOF"
_TRAILING: Final = b" \t\r\n\x0c\x00"


def sniff(data: bytes) -> str | None:
    """The media type of an accepted attachment, from its content; None if not accepted."""
    for media_type, magic, offset in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic:
            return media_type
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE"):
        return "image/webp" if data[8:12] == b"WEBP" else "audio/wav"
    if len(data) >= 2 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0:
        return "audio/mpeg"
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text/plain"
    return None


def _has_windows_program(data: bytes) -> bool:
    """An MZ header whose pointer leads to a "PE" header: a Windows program."""
    for match in _DOS_HEADER.finditer(data):
        start = match.start()
        pointer = data[start + 0x3C : start + 0x40]
        if len(pointer) == 4:
            offset = start + int.from_bytes(pointer, "little")
            if data[offset : offset + 4] == b"PE\x00\x00":
                return True
    return False


def polyglot_reason(data: bytes, media_type: str) -> str | None:
    """Why a file of *media_type* is also something else; None if it is not.

    Text cannot hold these signatures (they contain NUL bytes or are
    harmless when the text is only shown), so only binary types are
    searched.  The search starts after the file's own magic number.
    """
    if media_type == "text/plain":
        return None
    if media_type == "application/pdf" and not data.rstrip(_TRAILING).endswith(_PDF_END):
        return "a PDF that does not end in %%EOF (something follows the document)"
    if _EMBEDDED.search(data, 1) or _has_windows_program(data):
        return "it also holds an archive, a program or another document"
    return None


def _check_name(name: str) -> str:
    name = Path(name).name.strip()
    if (
        not name
        or name in (".", "..")
        or len(name) > MAX_NAME
        or has_unsafe_characters(name)
        or "\\" in name
    ):
        raise ReportError(f"an attachment needs a plain file name of at most {MAX_NAME} characters")
    return name


def _check_description(description: str) -> None:
    check_text(description, "an attachment's description")
    if len(description) > MAX_NOTE:
        raise ReportError(f"an attachment's description is longer than {MAX_NOTE} characters")


@dataclass(frozen=True)
class Attachment:
    """A screenshot, recording or message copy, typed by its content.

    Its name and description may identify people, so neither appears in its
    repr or in the errors it raises: a committee opening a sealed report must
    not leak them into a log.  `from_file` names the local file it read.
    The name is only a label: `save_attachments` never writes under it.
    """

    name: str = field(repr=False)
    data: bytes = field(repr=False)
    description: str = field(default="", repr=False)
    media_type: str = field(default="", init=True)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _check_name(self.name))
        if len(self.data) > MAX_ATTACHMENT_SIZE:
            raise ReportError(
                f"an attachment is larger than {MAX_ATTACHMENT_SIZE // 2**20} MiB; "
                "link large recordings instead of attaching them"
            )
        sniffed = sniff(self.data)
        if sniffed is None:
            raise ReportError(
                "an attachment is not an accepted type (images, PDF, audio, video "
                "and UTF-8 text are; archives, executables and office files are not): "
                "convert it to PDF or an image"
            )
        reason = polyglot_reason(self.data, sniffed)
        if reason is not None:
            raise ReportError(
                f"an attachment is refused as {sniffed} that is not only that: {reason}; "
                "export it again (print to PDF, take a screenshot)"
            )
        if self.media_type and self.media_type != sniffed:
            # The declared type comes from the sender: it stays out of the message.
            raise ReportError(
                f"an attachment's declared media type does not match its content ({sniffed})"
            )
        object.__setattr__(self, "media_type", sniffed)
        _check_description(self.description)

    @classmethod
    def as_stored(cls, name: str, data: bytes, media_type: str) -> Attachment:
        """An attachment read back from the committee's register, not checked again.

        It was checked at intake, by the rules of the release that took it
        in.  Checking it again here would lock the committee out of a report
        an older release accepted (a PDF with bytes after ``%%EOF``) at every
        read, `show-report` and assessment included; `save_attachments`
        still checks it by today's rules before anything reaches the disk.
        """
        return cls._unchecked(name, data, "", media_type)

    @classmethod
    def _unchecked(cls, name: str, data: bytes, description: str, media_type: str) -> Attachment:
        attachment = object.__new__(cls)
        for key, value in (
            ("name", name),
            ("data", data),
            ("description", description),
            ("media_type", media_type),
        ):
            object.__setattr__(attachment, key, value)
        return attachment

    def described(self, description: str) -> Attachment:
        """This attachment with *description* (checked), its content not checked again."""
        if description == self.description:
            return self
        _check_description(description)
        return self._unchecked(self.name, self.data, description, self.media_type)

    @property
    def sha256(self) -> bytes:
        return hashlib.sha256(self.data).digest()

    @property
    def extension(self) -> str:
        """The extension the content calls for, whatever the sender named the file."""
        return EXTENSIONS[self.media_type]

    @classmethod
    def from_file(cls, path: str | Path, description: str = "") -> Attachment:
        label = f"attachment {os.fspath(path)!r}"
        data = read_limited(path, MAX_ATTACHMENT_SIZE, label)
        try:
            return cls(Path(path).name, data, description)
        except ReportError as exc:
            raise ReportError(f"{label}: {exc}") from None


@dataclass(frozen=True)
class SavedAttachment:
    """Where `save_attachments` wrote one attachment, and what it was."""

    path: Path
    attachment: Attachment = field(repr=False)


def _create(path: Path, data: bytes) -> None:
    # O_EXCL: never replace a file, whatever appeared there meanwhile;
    # O_NOFOLLOW: never write through a planted symbolic link.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    try:
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(fd)
    finally:
        os.close(fd)


def save_attachments(
    attachments: Sequence[Attachment], directory: str | os.PathLike[str]
) -> list[SavedAttachment]:
    """Write *attachments* into *directory*, which this creates (mode 0700).

    Each is checked again first (its type and polyglots, as when it was
    received), then written as ``attachment-NN.EXT``, created exclusively.
    A directory that exists is refused: nothing is ever written among files
    that were there before, and no name the sender chose is ever used.
    """
    checked = [Attachment(a.name, a.data, a.description, a.media_type) for a in attachments]
    target = Path(directory)
    try:
        os.mkdir(target, 0o700)
    except FileExistsError:
        raise InputError(
            f"{os.fspath(target)!r} exists; name a new directory, which will be created "
            "for the attachments"
        ) from None
    saved = []
    for number, attachment in enumerate(checked, start=1):
        path = target / f"attachment-{number:02d}{attachment.extension}"
        _create(path, attachment.data)
        saved.append(SavedAttachment(path, attachment))
    fsync_directory(target)
    return saved
