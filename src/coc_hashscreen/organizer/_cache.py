"""The Argon2 cache on the organizer's machine: one encrypted file per series and epoch.

The Argon2 output of an identifier depends on the epoch key, not on the
list version, so a re-screen against a new version of the same epoch costs
HKDF alone for every identifier screened before (ADR 0021).  The cache
lives beside the organizer's state, in ``cache/<series>-<epoch>-<owner>.cache``
(mode 0600, in a 0700 directory), sealed by `formats.seal_cache` under a key
derived from the organizer's private key and the epoch key.

What it holds is what the machine already holds: each entry is a keyed
fingerprint and an Argon2 output that the attendee list and the grant on
this machine reproduce at will.  A file that does not open (damaged, or
written under another organizer key) or that names another epoch is never
trusted: the run warns, ignores it and writes a new one.  A file is deleted
when its epoch ends (a list of a later epoch of the series is screened) or
its grant expires, by any run that opens the cache directory, without
needing the key.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from datetime import datetime
from pathlib import Path
from typing import Final

from ..core import MemoryCache, short_id
from ..errors import FormatError, VerificationError
from ..formats import (
    CacheHeader,
    open_cache,
    parse_cache_header,
    read_limited,
    seal_cache,
    write_atomic,
)

__all__ = ["MAX_CACHE_ENTRIES", "FileCache", "default_cache_dir", "forget_caches", "sweep_caches"]

# 48 bytes each: at most about 12 MiB on disk, and far more identifiers
# than any one event's lists hold.  The oldest entries go first.
MAX_CACHE_ENTRIES: Final = 250_000
_SUFFIX: Final = ".cache"
_HEADER_READ: Final = 128


def default_cache_dir(state_path: str | os.PathLike[str]) -> Path:
    """The cache directory that goes with a state file: ``cache/`` beside it."""
    return Path(state_path).parent / "cache"


def _prefix(series: bytes, epoch: int) -> str:
    return f"{series.hex()[:16]}-{epoch}-"


def _file_name(series: bytes, epoch: int, key: bytes) -> str:
    # Each organizer key has its own file: two events sharing a state
    # directory would otherwise overwrite each other's cache at every run.
    # Four bytes of a hash of the file key tell them apart, and say nothing.
    owner = hashlib.blake2b(key, digest_size=4, person=b"cache file name").hexdigest()
    return f"{_prefix(series, epoch)}{owner}{_SUFFIX}"


def _header_of(path: Path) -> CacheHeader | None:
    try:
        with path.open("rb") as handle:
            return parse_cache_header(handle.read(_HEADER_READ))
    except (OSError, FormatError):
        return None


def sweep_caches(
    directory: str | os.PathLike[str],
    *,
    now: datetime,
    series: bytes | None = None,
    epoch: int | None = None,
) -> list[Path]:
    """Delete the cache files whose grant has expired, and, given *series* and
    *epoch*, that series' files of any other epoch.  Returns what was deleted."""
    removed: list[Path] = []
    keep = _prefix(series, epoch or 0) if series is not None else None
    folder = Path(directory)
    if not folder.is_dir():
        return removed
    for path in sorted(folder.glob(f"*{_SUFFIX}")):
        header = _header_of(path)
        if header is None:
            continue  # not readable as a cache: left for `forget_caches` or a rewrite
        # This epoch's own file is judged by opening it (`FileCache.open`),
        # which warns if it is not what its name says.
        ended = series is not None and header.series == series and header.epoch != epoch
        ended = ended and not (keep is not None and path.name.startswith(keep))
        if header.expires <= now or ended:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            removed.append(path)
    return removed


def forget_caches(directory: str | os.PathLike[str]) -> int:
    """Delete every cache file in *directory*; returns how many there were."""
    folder = Path(directory)
    if not folder.is_dir():
        return 0
    count = 0
    for path in folder.glob(f"*{_SUFFIX}"):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            count += 1
    return count


class FileCache:
    """An `ArgonCache` for one series and epoch, kept in an encrypted file.

    `open` reads what an earlier run saved (or starts empty, with a
    warning, when the file cannot be trusted); `save` writes it back
    atomically.  Lookups and inserts go to a bounded `MemoryCache`.
    """

    def __init__(
        self,
        path: Path,
        header: CacheHeader,
        *,
        key: bytes,
        max_entries: int = MAX_CACHE_ENTRIES,
    ) -> None:
        self.path = path
        self.header = header
        self.memory = MemoryCache(max_entries)
        self._key = key
        # Set by `open`: a file that was there but could not be trusted.
        self.warnings: tuple[str, ...] = ()
        self._puts_saved = 0
        # A file that was there and not trusted is replaced at the next save.
        self._untrusted = False

    def __repr__(self) -> str:
        return (
            f"FileCache({os.fspath(self.path)!r}, series={short_id(self.header.series)}…, "
            f"epoch={self.header.epoch}, entries={len(self.memory)})"
        )

    @classmethod
    def open(
        cls,
        directory: str | os.PathLike[str],
        header: CacheHeader,
        *,
        key: bytes,
        now: datetime,
        max_entries: int = MAX_CACHE_ENTRIES,
    ) -> FileCache:
        """The cache of *header*'s series and epoch in *directory*, after sweeping it.

        *key* is `cache_file_key` of the organizer key and the epoch key;
        *header* carries the grant's expiry, which the file is deleted at.
        """
        folder = Path(directory)
        sweep_caches(folder, now=now, series=header.series, epoch=header.epoch)
        cache = cls(folder / _file_name(header.series, header.epoch, key), header, key=key,
                    max_entries=max_entries)  # fmt: skip
        warning = _load(cache.path, key, into=cache.memory)
        cache.warnings = () if warning is None else (warning,)
        cache._untrusted = warning is not None
        cache._puts_saved = cache.memory.puts
        return cache

    def get(self, fingerprint: bytes) -> bytes | None:
        return self.memory.get(fingerprint)

    def put(self, fingerprint: bytes, value: bytes) -> None:
        self.memory.put(fingerprint, value)

    def save(self) -> bool:
        """Write the cache back (mode 0600, atomically) if anything was added.

        The cache only saves time: a file that cannot be written (a full
        disk, a directory that is not one) is a warning, never a failed run.
        """
        entries = self.memory.items()
        if self.memory.puts == self._puts_saved and not self._untrusted:
            return False
        sealed = seal_cache(entries, header=self.header, key=self._key, nonce=os.urandom(12))
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_atomic(self.path, sealed, private=True)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            self.warnings += (
                f"the Argon2 cache could not be saved ({reason}); the next run hashes "
                "these identifiers again",
            )
            return False
        self._puts_saved = self.memory.puts
        self._untrusted = False
        return True


def _load(path: Path, key: bytes, *, into: MemoryCache) -> str | None:
    """Fill *into* from the file at *path*; a warning if it exists but is not trusted."""
    limit = 1024 + into.max_entries * 48
    try:
        data = read_limited(path, limit, "Argon2 cache file")
    except FileNotFoundError:
        return None
    except (OSError, FormatError) as exc:
        return f"the Argon2 cache could not be read ({exc}); it is rebuilt"
    try:
        header, entries = open_cache(data, key=key)
    except (FormatError, VerificationError):
        return (
            "the Argon2 cache file does not open (damaged, from another epoch, or written "
            "under another organizer key); it is ignored and rebuilt, so this run hashes "
            "everything again"
        )
    # The key is bound to the series and epoch: a file of another epoch put
    # under this name does not open, so *header* is this series and epoch.
    del header
    for fingerprint, value in entries:
        into.put(fingerprint, value)
    return None
