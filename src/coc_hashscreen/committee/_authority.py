"""What speaks for the committee: its current signing key and the trust file naming it."""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..core import SigningKey
from ..formats import TrustFile

__all__ = ["Authority"]


@dataclass(frozen=True)
class Authority:
    """The signing key and its trust file, which change together when the key is rotated."""

    signing_key: SigningKey = field(repr=False)
    trust: TrustFile

    @property
    def series(self) -> bytes:
        return self.trust.series

    @property
    def name(self) -> str:
        return self.trust.committee

    def trusted_keys(self) -> dict[bytes, Ed25519PublicKey]:
        return self.trust.trusted_keys()
