"""An organizer's directory: its HPKE key pair.

Layout::

    organizer.key   private key (mode 0600): never leaves this machine
    organizer.pub   public key: send it to the committee to get grants
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..core import HpkePrivateKey, KeyPurpose, Suite, display_name
from ..errors import KeyFileError
from ..formats import load_private_key, save_private_key, save_public_key

__all__ = ["OrganizerKeys", "OrganizerPaths", "init_organizer", "load_organizer_key"]


@dataclass(frozen=True)
class OrganizerPaths:
    """Where an organizer directory keeps its key pair."""

    directory: Path

    @property
    def private_key(self) -> Path:
        return self.directory / "organizer.key"

    @property
    def public_key(self) -> Path:
        return self.directory / "organizer.pub"


@dataclass(frozen=True)
class OrganizerKeys:
    private_path: Path
    public_path: Path
    key_id: bytes
    restored: bool = False


def init_organizer(
    directory: str | os.PathLike[str], *, name: str, suite: Suite = Suite.X25519
) -> OrganizerKeys:
    """Create an organizer key pair in *directory*; refuse to overwrite one.

    The private key is written first.  If an earlier run was interrupted
    after that, the public key file is restored from it; nothing is lost.
    """
    name = display_name(name, "the organizer's name (the event or team)")
    paths = OrganizerPaths(Path(directory))
    paths.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    private, public = paths.private_key, paths.public_key
    if private.exists():
        if public.exists():
            raise KeyFileError(
                f"{os.fspath(private)!r} already exists; an organizer directory holds one key"
            )
        key = load_private_key(private, purpose=KeyPurpose.ORGANIZER)
        save_public_key(public, key.public_key, purpose=KeyPurpose.ORGANIZER, name=name)
        return OrganizerKeys(private, public, key.key_id, restored=True)
    if public.exists():
        raise KeyFileError(
            f"{os.fspath(public)!r} exists without its private key; remove it and run init "
            "again (the committee will then need to grant your new key)"
        )
    key = HpkePrivateKey.generate(suite)
    save_private_key(private, key, purpose=KeyPurpose.ORGANIZER, name=name)
    save_public_key(public, key.public_key, purpose=KeyPurpose.ORGANIZER, name=name)
    return OrganizerKeys(private, public, key.key_id)


def load_organizer_key(path: str | os.PathLike[str]) -> HpkePrivateKey:
    """An organizer private key file, or the directory holding one."""
    target = Path(path)
    if target.is_dir():
        target = OrganizerPaths(target).private_key
    return load_private_key(target, purpose=KeyPurpose.ORGANIZER)
