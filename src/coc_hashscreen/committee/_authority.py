"""What speaks for the committee: its current signing key and the trust file naming it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..core import SigningKey
from ..errors import KeyFileError
from ..formats import TrustFile

__all__ = ["Authority"]


@dataclass(frozen=True)
class Authority:
    """The signing key and its trust file, which change together when the key is rotated.

    The key is unlocked on first use (*unlock* reads and, if it is
    encrypted, decrypts signing.key), so a command that signs nothing never
    asks for the passphrase and never holds the key in memory.
    """

    trust: TrustFile
    unlock: Callable[[], SigningKey] = field(repr=False, compare=False)

    @classmethod
    def of(cls, signing_key: SigningKey, trust: TrustFile) -> Authority:
        """An authority whose key is already at hand (just made)."""
        return cls(trust, lambda: signing_key)

    @cached_property
    def signing_key(self) -> SigningKey:
        key = self.unlock()
        if key.public_bytes != self.trust.signing_key:
            raise KeyFileError(
                "signing.key does not match the key in committee.trust; restore the "
                "matching pair from your backup"
            )
        return key

    @property
    def series(self) -> bytes:
        return self.trust.series

    @property
    def name(self) -> str:
        return self.trust.committee

    def trusted_keys(self) -> dict[bytes, Ed25519PublicKey]:
        return self.trust.trusted_keys()
