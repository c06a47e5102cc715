"""An organizer directory: one place for the key, the state and every committee's files.

Layout::

    organizer.key        private key (mode 0600; optionally encrypted): never leaves
                         this machine
    organizer.pub        public key: send it to the committee to get grants
    state.json           this directory's own state (`FileState`): the pinned trust
                         files, the newest lists seen (rollback and fork protection)
    committees/<series>/ one per committee, named by the first 16 hex digits of its
                         series
        committee.trust  its trust file: the newest generation accepted
        list.list        the newest list accepted
        grants/epoch-<N>.grant
                         the grant for epoch N, sealed to organizer.key
    cache/               the epoch caches of Argon2 outputs (`_cache.FileCache`)
    history/             what the last run on each input remembers (`_history`)

Every directory is mode 0700.  Files get here through `add_files`, which
verifies each one first: a trust file must be the pinned one or its
successor (pinned on first use), a list must be signed by its committee's
current key and be no rollback, and a grant must open with organizer.key.
`home_status` (in `_homestatus`) says what the directory holds and what is
missing; `screen_sources` gives the screen command its files.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final, TypeVar

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..core import (
    HpkePrivateKey,
    HpkePublicKey,
    KeyPurpose,
    Suite,
    resolve_now,
    short_id,
)
from ..errors import (
    CocHashscreenError,
    InputError,
    KeyFileError,
    MismatchError,
    RollbackError,
    UntrustedSigner,
    WrongFileType,
)
from ..formats import (
    FILE_TYPE_NAMES,
    MAX_SIZES,
    Grant,
    HashedList,
    KeyProtection,
    PassphraseSource,
    TrustFile,
    claimed_type,
    parse_grant,
    parse_list,
    parse_trust,
    peek_type,
    private_key_info,
    read_limited,
    write_atomic,
)
from ._directory import OrganizerKeys, OrganizerPaths, init_organizer, load_organizer_key
from ._online import screening_key
from ._state import (
    FileState,
    check_list,
    check_trust,
    list_digest,
    per_user_directory,
    pin_trust,
    record_list,
)

__all__ = [
    "CommitteeFiles",
    "Filed",
    "OrganizerHome",
    "add_files",
    "default_home",
    "init_home",
]

HOME_ENV: Final = "COC_HASHSCREEN_HOME"
# Trust files first, so that the lists and grants given with them find them.
_ORDER: Final = {"trust": 0, "list": 1, "grant": 2}
_T = TypeVar("_T")


def default_home() -> Path:
    """``$COC_HASHSCREEN_HOME``, else the platform's per-user data directory."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override)
    return per_user_directory("XDG_DATA_HOME", "share") / "organizer"


@dataclass(frozen=True)
class CommitteeFiles:
    """Where an organizer directory keeps one committee's files."""

    directory: Path

    @property
    def trust(self) -> Path:
        return self.directory / "committee.trust"

    @property
    def hashed_list(self) -> Path:
        return self.directory / "list.list"

    @property
    def grants(self) -> Path:
        return self.directory / "grants"

    def grant(self, epoch: int) -> Path:
        return self.grants / f"epoch-{epoch}.grant"

    def to_dict(self) -> dict[str, object]:
        return {
            "directory": os.fspath(self.directory),
            "trust": os.fspath(self.trust),
            "list": os.fspath(self.hashed_list),
            "grants": os.fspath(self.grants),
        }


@dataclass(frozen=True)
class OrganizerHome:
    """An organizer directory (see the module's layout); nothing is read on creation."""

    directory: Path

    @classmethod
    def at(cls, directory: str | os.PathLike[str] | None = None) -> OrganizerHome:
        """The directory at *directory*, or at `default_home()` if None."""
        return cls(Path(directory) if directory is not None else default_home())

    @property
    def private_key(self) -> Path:
        return OrganizerPaths(self.directory).private_key

    @property
    def public_key(self) -> Path:
        return OrganizerPaths(self.directory).public_key

    @property
    def state_path(self) -> Path:
        return self.directory / "state.json"

    @property
    def committees_dir(self) -> Path:
        return self.directory / "committees"

    @property
    def cache_dir(self) -> Path:
        """Reserved for the Argon2 cache."""
        return self.directory / "cache"

    @property
    def history_dir(self) -> Path:
        """Reserved."""
        return self.directory / "history"

    def state(self) -> FileState:
        """The directory's own state: pins and the newest lists seen."""
        return FileState(self.state_path)

    def committee(self, series: bytes) -> CommitteeFiles:
        """Where the committee of *series* has (or will have) its files."""
        return CommitteeFiles(self.committees_dir / short_id(series))

    def committee_dirs(self) -> tuple[CommitteeFiles, ...]:
        """Every committee directory that holds a trust file, by series."""
        if not self.committees_dir.is_dir():
            return ()
        found = (CommitteeFiles(d) for d in sorted(self.committees_dir.iterdir()) if d.is_dir())
        return tuple(files for files in found if files.trust.is_file())

    def organizer_key_id(self) -> bytes:
        """The key id of organizer.key, read without its passphrase."""
        if not self.private_key.exists():
            raise KeyFileError(
                f"{os.fspath(self.directory)!r} has no organizer key; run 'organizer init' first"
            )
        info = private_key_info(self.private_key, purpose=KeyPurpose.ORGANIZER)
        return HpkePublicKey.from_raw(Suite.parse(info.algorithm), info.public).key_id

    def to_dict(self) -> dict[str, object]:
        return {
            "directory": os.fspath(self.directory),
            "private_key": os.fspath(self.private_key),
            "public_key": os.fspath(self.public_key),
            "state": os.fspath(self.state_path),
            "committees": os.fspath(self.committees_dir),
            "cache": os.fspath(self.cache_dir),
            "history": os.fspath(self.history_dir),
        }


def _private_dir(path: Path) -> None:
    """Make *path* mode 0700 whatever the umask; a directory that exists is left as it is."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:
        return
    path.chmod(0o700)


def init_home(
    directory: str | os.PathLike[str] | None = None,
    *,
    name: str,
    suite: Suite = Suite.X25519,
    protection: KeyProtection | None = None,
) -> OrganizerKeys:
    """Create an organizer directory (default: `default_home()`) and its key pair.

    As `init_organizer`, which refuses to overwrite a key; the directory and
    its committees, cache and history directories are made mode 0700.
    """
    home = OrganizerHome.at(directory)
    _private_dir(home.directory)
    keys = init_organizer(home.directory, name=name, suite=suite, protection=protection)
    for path in (home.committees_dir, home.cache_dir, home.history_dir):
        _private_dir(path)
    return keys


@dataclass(frozen=True)
class Filed:
    """What `add_files` did with one file.

    *kind* is "trust", "list" or "grant"; *changed* is False when the
    directory already held it (or a file that supersedes it).  *first_pin*
    says a trust file was pinned on first use: show its *fingerprint* for
    the user to compare with the one the committee published.
    """

    source: Path
    kind: str
    committee: str
    series: bytes
    path: Path
    changed: bool
    expires_at: datetime
    generation: int | None = None
    fingerprint: bytes = b""
    first_pin: bool = False
    epoch: int | None = None
    version: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "source": os.fspath(self.source),
            "kind": self.kind,
            "committee": self.committee,
            "series": self.series.hex(),
            "path": os.fspath(self.path),
            "changed": self.changed,
            "expires_at": self.expires_at.isoformat(),
            "generation": self.generation,
            "fingerprint": self.fingerprint.hex() or None,
            "first_pin": self.first_pin,
            "epoch": self.epoch,
            "version": self.version,
        }


def _kind(path: Path) -> str:
    """The signed file type *path* claims, refused with what it is if it is not one to add."""
    with open(path, "rb") as handle:
        head = handle.read(512)
    kind = peek_type(head)
    if kind in _ORDER:
        return kind
    raise WrongFileType(
        f"{os.fspath(path)!r} is {_describe(head)}, not a list, grant or trust file: only "
        "the files a committee sends you are added here"
    )


_SCREEN: Final = " (screen attendee lists with 'screen')"
# What a file that is not ours starts with, and what to call it.
_LOOKS_LIKE: Final = (
    (b"coc-hashscreen private key", "a private key file (keep it where it is, never send it)"),
    (b"coc-hashscreen public key", "a public key file"),
    (b"{", "a JSON file" + _SCREEN),
    (b"[", "a JSON file" + _SCREEN),
    (b"PK\x03\x04", "a spreadsheet or other zip file" + _SCREEN),
)


def _describe(head: bytes) -> str:
    claimed = claimed_type(head)
    if claimed is not None:
        return f"a {FILE_TYPE_NAMES.get(claimed[1], claimed[1].replace('-', ' '))}"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    for sign, name in _LOOKS_LIKE:
        if sign in head if sign.startswith(b"coc") else text.startswith(sign):
            return name
    try:
        # Incremental: a character cut at the end of the head is no error.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "not a coc-hashscreen file"
    return "a text or CSV file" + _SCREEN


def add_files(
    home: OrganizerHome,
    paths: Iterable[str | os.PathLike[str]],
    *,
    now: datetime | None = None,
    fingerprint: bytes | None = None,
    passphrase: PassphraseSource | None = None,
) -> Iterator[Filed]:
    """Verify each file and file it where it belongs; yield what was done, file by file.

    Trust files are added first, then lists, then grants, so that files
    given together find each other.  The first file refused raises; the
    ones before it stay filed.  *fingerprint* (the one the committee
    published) is checked against every trust file; *passphrase* opens
    organizer.key, asked only for a grant and only if the key is encrypted.
    """
    now = resolve_now(now)
    kinds = [(Path(p), _kind(Path(p))) for p in paths]
    for path, kind in sorted(kinds, key=lambda item: _ORDER[item[1]]):
        data = read_limited(path, MAX_SIZES[kind], FILE_TYPE_NAMES[kind])
        if kind == "trust":
            yield _add_trust(home, path, data, now=now, fingerprint=fingerprint)
        elif kind == "list":
            yield _add_list(home, path, data, now=now)
        else:
            yield _add_grant(home, path, data, now=now, passphrase=passphrase)


def _read_trust(files: CommitteeFiles) -> TrustFile | None:
    """The trust file filed in *files*, or None if it is missing or does not verify."""
    try:
        return parse_trust(read_limited(files.trust, MAX_SIZES["trust"], "trust file"))
    except (CocHashscreenError, OSError):
        return None


def _read_filed(
    path: Path,
    kind: str,
    trust: TrustFile,
    parse: Callable[[bytes, Mapping[bytes, Ed25519PublicKey]], _T],
) -> tuple[bytes, _T] | None:
    """A filed list or grant and its bytes, if it is there and verifies with *trust*."""
    try:
        data = read_limited(path, MAX_SIZES[kind], FILE_TYPE_NAMES[kind])
        return data, parse(data, trust.trusted_keys())
    except (CocHashscreenError, OSError):
        return None


def _add_trust(
    home: OrganizerHome, source: Path, data: bytes, *, now: datetime, fingerprint: bytes | None
) -> Filed:
    trust = parse_trust(data)
    trust.check_validity(now)
    files = home.committee(trust.series)
    filed = _read_trust(files)
    if filed is None and files.trust.exists():
        raise InputError(
            f"{os.fspath(files.trust)!r} is damaged; move it aside and add the trust file again"
        )
    if filed is not None and filed.series != trust.series:
        raise MismatchError(
            f"{os.fspath(files.directory)!r} holds another committee's files under the same "
            "short series; move that directory aside and add both trust files again"
        )
    store = home.state()
    first = store.get(trust.series) is None
    check_trust(store, trust, fingerprint=fingerprint)
    changed = filed is None or (
        data != filed.raw
        and (
            trust.generation > filed.generation
            or (trust.generation == filed.generation and trust.expires_at > filed.expires_at)
        )
    )
    pin_trust(store, trust, fingerprint=fingerprint)
    if changed:
        _private_dir(files.grants)
        write_atomic(files.trust, data, private=True)
    return Filed(
        source=source,
        kind="trust",
        committee=trust.committee,
        series=trust.series,
        path=files.trust,
        changed=changed,
        expires_at=trust.expires_at,
        generation=trust.generation,
        fingerprint=trust.fingerprint,
        first_pin=first,
    )


def _signed_by_filed(
    home: OrganizerHome,
    data: bytes,
    kind: str,
    parse: Callable[[bytes, Mapping[bytes, Ed25519PublicKey]], _T],
) -> tuple[CommitteeFiles, TrustFile, _T]:
    """The committee whose current key signed *data*, its trust file, and *data* verified."""
    for files in home.committee_dirs():
        trust = _read_trust(files)
        if trust is None:
            continue
        try:
            return files, trust, parse(data, trust.trusted_keys())
        except UntrustedSigner:
            continue
    what = FILE_TYPE_NAMES[kind]
    raise InputError(
        f"no trust file in this directory knows the key that signed this {what}: add its "
        "committee's trust file first ('organizer add TRUST'); if you did, get the "
        f"committee's current {what}, as its key has changed since"
    )


def _usable_trust(home: OrganizerHome, trust: TrustFile, series: bytes, now: datetime) -> None:
    if series != trust.series:
        raise MismatchError(
            f"this file claims series {short_id(series)}…, but it was signed by the key of "
            f"series {short_id(trust.series)}…: do not use it, and tell the committee"
        )
    trust.check_validity(now)
    check_trust(home.state(), trust)


def _add_list(home: OrganizerHome, source: Path, data: bytes, *, now: datetime) -> Filed:
    files, trust, listed = _signed_by_filed(home, data, "list", parse_list)
    header = listed.header
    _usable_trust(home, trust, header.series, now)
    header.check_validity(now)
    store = home.state()
    check_list(store, trust, listed)
    filed = _read_filed(files.hashed_list, "list", trust, parse_list)
    older: HashedList | None = filed[1] if filed is not None else None
    if older is not None and older.header.version > header.version:
        raise RollbackError(
            f"this list is version {header.version}, older than version "
            f"{older.header.version} already filed; get the committee's current list"
        )
    changed = older is None or list_digest(older) != list_digest(listed)
    record_list(store, trust, listed)
    if changed:
        write_atomic(files.hashed_list, data, private=True)
    return Filed(
        source=source,
        kind="list",
        committee=trust.committee,
        series=trust.series,
        path=files.hashed_list,
        changed=changed,
        expires_at=header.expires_at,
        epoch=header.epoch,
        version=header.version,
    )


def _add_grant(
    home: OrganizerHome,
    source: Path,
    data: bytes,
    *,
    now: datetime,
    passphrase: PassphraseSource | None,
) -> Filed:
    files, trust, grant = _signed_by_filed(home, data, "grant", parse_grant)
    _usable_trust(home, trust, grant.series, now)
    grant.check_validity(now)
    own = home.organizer_key_id()
    if grant.organizer != own:
        raise MismatchError(
            f"this grant is for another organizer's key ({short_id(grant.organizer)}…), not "
            f"for this directory's key ({short_id(own)}…): ask the committee for a grant "
            "for the key in organizer.pub"
        )
    seen = home.state().get(trust.series)
    if seen is not None and grant.epoch < seen.list_epoch:
        raise MismatchError(
            f"this grant is for epoch {grant.epoch}, but the newest list is from epoch "
            f"{seen.list_epoch}; ask the committee for a grant for epoch {seen.list_epoch}"
        )
    _check_opens(files, trust, grant, load_organizer_key(home.private_key, passphrase=passphrase))
    target = files.grant(grant.epoch)
    filed = _read_filed(target, "grant", trust, parse_grant)
    changed = filed is None or (filed[0] != data and grant.expires_at > filed[1].expires_at)
    if changed:
        _private_dir(files.grants)
        write_atomic(target, data, private=True)
    return Filed(
        source=source,
        kind="grant",
        committee=trust.committee,
        series=trust.series,
        path=target,
        changed=changed,
        expires_at=grant.expires_at,
        epoch=grant.epoch,
    )


def _check_opens(
    files: CommitteeFiles, trust: TrustFile, grant: Grant, key: HpkePrivateKey
) -> None:
    """The grant opens with *key*; it fits the filed list of its epoch, if any."""
    if grant.online:
        grant.open_token(key)
    else:
        grant.open(key)
    filed = _read_filed(files.hashed_list, "list", trust, parse_list)
    if filed is not None and filed[1].header.epoch == grant.epoch:
        # The checks screening makes; nothing is sent anywhere.
        screening_key(grant, key, filed[1].header)
