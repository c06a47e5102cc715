"""Files written atomically, read with a size limit, and key-file permissions.

A crash at any point leaves either the old file or the complete new one:
data goes to a temporary file in the same directory, is flushed to disk,
and is renamed over the target; then the directory entry is flushed too.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from datetime import datetime
from pathlib import Path

from ..core import timestamp
from ..errors import FileTooLarge, KeyFileError

__all__ = ["check_private_mode", "fsync_directory", "read_limited", "write_atomic"]

PUBLIC_MODE = 0o644
PRIVATE_MODE = 0o600


def fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - platforms that cannot open directories
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    private: bool = False,
    mtime: datetime | None = None,
) -> None:
    """Replace *path* with *data* atomically; mode 0600 when *private*.

    The temporary file is created with mode 0600 and only widened after
    writing, so a secret is never readable by others, not even briefly.
    With *mtime* the file's access and modification times are set to it
    (whole seconds) before it takes its name: a file that states when it
    was issued then shows that time, not when the work to make it ended.
    """
    target = Path(path)
    directory = target.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if mtime is not None:
                seconds = timestamp(mtime)
                os.utime(handle.fileno(), (seconds, seconds))
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), PRIVATE_MODE if private else PUBLIC_MODE)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    fsync_directory(directory)


def read_limited(path: str | os.PathLike[str], limit: int, what: str) -> bytes:
    """Read a whole file, refusing it before reading if it exceeds *limit* bytes."""
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size > limit:
            raise FileTooLarge(
                f"the {what} is larger than {limit:,} bytes, the limit for its type; "
                "it is not a file coc-hashscreen wrote"
            )
        data = handle.read(limit + 1)  # the file may grow between stat and read
    if len(data) > limit:
        raise FileTooLarge(f"the {what} is larger than {limit:,} bytes, the limit for its type")
    return data


def check_private_mode(path: str | os.PathLike[str], what: str) -> None:
    """Refuse a secret file that group or others may read or write."""
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if mode & 0o077:
        raise KeyFileError(
            f"the {what} {os.fspath(path)!r} is accessible to other users (mode "
            f"{mode:04o}); run: chmod 600 {os.fspath(path)!r}"
        )
