"""An organizer's directory: its HPKE key pair.

Layout::

    organizer.key   private key (mode 0600; optionally encrypted under a passphrase):
                    never leaves this machine
    organizer.pub   public key: send it to the committee to get grants
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..core import HpkePrivateKey, HpkePublicKey, KeyPurpose, Suite, display_name
from ..errors import KeyFileError
from ..formats import (
    KeyProtection,
    PassphraseSource,
    load_private_key,
    private_key_info,
    save_private_key,
    save_public_key,
)

__all__ = [
    "OrganizerKeys",
    "OrganizerPaths",
    "change_organizer_passphrase",
    "init_organizer",
    "load_organizer_key",
]


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
    directory: str | os.PathLike[str],
    *,
    name: str,
    suite: Suite = Suite.X25519,
    protection: KeyProtection | None = None,
) -> OrganizerKeys:
    """Create an organizer key pair in *directory*; refuse to overwrite one.

    The private key is encrypted under *protection*'s passphrase, or stored
    in clear if it is None.  It is written first.  If an earlier run was
    interrupted after that, the public key file is restored from it (from
    the public half it shows, so no passphrase is needed); nothing is lost.
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
        info = private_key_info(private, purpose=KeyPurpose.ORGANIZER)
        restored = HpkePublicKey.from_raw(Suite.parse(info.algorithm), info.public)
        save_public_key(public, restored, purpose=KeyPurpose.ORGANIZER, name=name)
        return OrganizerKeys(private, public, restored.key_id, restored=True)
    if public.exists():
        raise KeyFileError(
            f"{os.fspath(public)!r} exists without its private key; remove it and run init "
            "again (the committee will then need to grant your new key)"
        )
    key = HpkePrivateKey.generate(suite)
    save_private_key(private, key, purpose=KeyPurpose.ORGANIZER, name=name, protection=protection)
    save_public_key(public, key.public_key, purpose=KeyPurpose.ORGANIZER, name=name)
    return OrganizerKeys(private, public, key.key_id)


def _private_path(path: str | os.PathLike[str]) -> Path:
    target = Path(path)
    return OrganizerPaths(target).private_key if target.is_dir() else target


def load_organizer_key(
    path: str | os.PathLike[str], *, passphrase: PassphraseSource | None = None
) -> HpkePrivateKey:
    """An organizer private key file, or the directory holding one.

    *passphrase* is called only if the file is encrypted.
    """
    return load_private_key(
        _private_path(path), purpose=KeyPurpose.ORGANIZER, passphrase=passphrase
    )


def change_organizer_passphrase(
    path: str | os.PathLike[str],
    *,
    passphrase: PassphraseSource | None,
    new: KeyProtection | None,
) -> Path:
    """Write the organizer key again under *new*, or in clear if it is None; atomically.

    *passphrase* opens the key as it is now.  Returns the private key's path.
    """
    target = _private_path(path)
    name = private_key_info(target, purpose=KeyPurpose.ORGANIZER).name
    key = load_private_key(target, purpose=KeyPurpose.ORGANIZER, passphrase=passphrase)
    save_private_key(target, key, purpose=KeyPurpose.ORGANIZER, name=name, protection=new)
    return target
