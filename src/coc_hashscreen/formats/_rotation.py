"""Signing-key rotation statements and the chain they form (ADR 0005, ADR 0012).

A **rotation statement** (type "key-rotation") says "generation g of this
series is signed by key N", and is signed by the key of generation g-1.  Its
payload is the previous key, the new key (32 raw bytes each), then JSON::

    {"format": 2, "series": hex, "generation": g, "issued_at": t,
     "expires_at": t, "compromised": bool}

Format 2 adds two fields.  ``expires_at`` ends the new key's *lifetime*: the
statement certifies key N from ``issued_at`` to ``expires_at`` (at most
`MAX_KEY_LIFETIME`), and whatever key N signs in the chain (the next
statement, or the trust file) must be issued inside that window.  A key
past its lifetime can no longer start a valid chain link, so a retired key
that leaks years later cannot be used to fork the series: an attacker can
backdate a statement only into the retired key's own lifetime, and the new
key it names then lives at most `MAX_KEY_LIFETIME` from there.  The first
key of a series is certified by nothing (it *is* the series), so this bound
does not reach it; ADR 0012 says what does.

``compromised`` says the key being retired (generation g-1) is known to be
in someone else's hands: organizers then forget the high-water marks set by
lists that key signed, so a thief's inflated list version cannot lock them
out of the committee's real lists (`organizer._state`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from ..core import SigningKey, from_timestamp, key_id, timestamp
from ..errors import FormatError, UnsupportedFormat, UntrustedSigner
from . import _wire
from ._envelope import open_self_signed, sign_envelope

__all__ = [
    "DEFAULT_KEY_LIFETIME",
    "MAX_KEY_LIFETIME",
    "Rotation",
    "RotationTerms",
    "make_rotation",
    "parse_rotation",
    "read_format",
    "sign_rotation",
]

ROTATION_FORMAT: Final = 2
LEGACY_FORMAT: Final = 1
MAX_GENERATION: Final = 1000
# Five years: long enough that a committee rotates on its own schedule, short
# enough that a key lost in a drawer stops mattering.
MAX_KEY_LIFETIME: Final = timedelta(days=5 * 365 + 2)
DEFAULT_KEY_LIFETIME: Final = MAX_KEY_LIFETIME


@dataclass(frozen=True)
class Rotation:
    """One verified link of a chain: *new_key* signs *generation*, certified for a window."""

    generation: int
    old_key_id: bytes
    new_key: bytes
    issued_at: datetime
    # None for a format-1 statement, which certified its key for ever.
    expires_at: datetime | None
    compromised: bool

    @property
    def new_key_id(self) -> bytes:
        return key_id(self.new_key)

    def certifies(self, when: datetime) -> bool:
        """Whether the new key may sign a chain link issued at *when*."""
        if when < self.issued_at:
            return False
        return self.expires_at is None or when <= self.expires_at


@dataclass(frozen=True)
class RotationTerms:
    """What a rotation statement says: *new_public* signs *generation* of *series*.

    The new key is certified from *now* for *lifetime*; *compromised* says
    the key signing the statement is in someone else's hands.
    """

    series: bytes
    generation: int
    new_public: bytes
    now: datetime
    lifetime: timedelta = DEFAULT_KEY_LIFETIME
    compromised: bool = False

    def __post_init__(self) -> None:
        if not timedelta(0) < self.lifetime <= MAX_KEY_LIFETIME:
            raise ValueError(f"a key's lifetime is at most {MAX_KEY_LIFETIME.days} days")


def sign_rotation(terms: RotationTerms, old: SigningKey) -> bytes:
    """The rotation statement of *terms*, signed by *old*."""
    document = {
        "format": ROTATION_FORMAT,
        "series": terms.series.hex(),
        "generation": terms.generation,
        "issued_at": timestamp(terms.now),
        "expires_at": timestamp(terms.now + terms.lifetime),
        "compromised": terms.compromised,
    }
    return sign_envelope(
        "key-rotation", old.public_bytes + terms.new_public + _wire.dump_json(document), old
    )


def make_rotation(
    *, series: bytes, generation: int, old: SigningKey, new_public: bytes, now: datetime
) -> bytes:
    """A statement, signed by *old*, that *new_public* signs *generation* (default terms)."""
    return sign_rotation(RotationTerms(series, generation, new_public, now), old)


def _broken_chain() -> UntrustedSigner:
    return UntrustedSigner(
        "the trust file's chain of signing keys does not lead from the committee's "
        "first key to its current key; do not use it"
    )


def _window(fields: _wire.Fields, version: int) -> tuple[datetime, datetime | None, bool]:
    issued = from_timestamp(_wire.timestamp_field(fields, "issued_at"))
    if version == LEGACY_FORMAT:
        return issued, None, False
    expires = from_timestamp(_wire.timestamp_field(fields, "expires_at"))
    if not issued < expires <= issued + MAX_KEY_LIFETIME:
        raise FormatError(
            f"a rotation statement certifies a key for at most {MAX_KEY_LIFETIME.days} days"
        )
    compromised = fields.raw()["compromised"]
    if not isinstance(compromised, bool):
        raise FormatError("the rotation statement field 'compromised' must be true or false")
    return issued, expires, compromised


def parse_rotation(
    data: bytes, *, series: bytes, generation: int, previous: Rotation | None, legacy: bool
) -> Rotation:
    """Verify one link of a chain, given the link before it (None: the series' first key).

    *legacy* admits format-1 statements, which only a committee reading its
    own old trust file does (ADR 0012).
    """
    payload = open_self_signed(data, "key-rotation").payload
    old, new = payload[:32], payload[32:64]
    if len(new) != 32:
        raise FormatError("the rotation statement is truncated")
    fields = _wire.load_json(payload[64:], "rotation statement")
    version = read_format(fields, legacy=legacy, what="rotation statement")
    if version == LEGACY_FORMAT:
        fields.expect({"format", "series", "generation", "issued_at"})
    else:
        fields.format_version("format", ROTATION_FORMAT)
        fields.expect({"format", "series", "generation", "issued_at", "expires_at", "compromised"})
    issued, expires, compromised = _window(fields, version)
    previous_key = series if previous is None else previous.new_key_id
    if (
        fields.bytes_hex("series", size=32) != series
        or fields.integer("generation", maximum=MAX_GENERATION) != generation
        or key_id(old) != previous_key
    ):
        raise _broken_chain()
    if previous is not None and not previous.certifies(issued):
        # The old key signed this outside its own lifetime.
        raise _broken_chain()
    return Rotation(generation, key_id(old), new, issued, expires, compromised)


def read_format(fields: _wire.Fields, *, legacy: bool, what: str) -> int:
    """The format version; format 1 is refused unless *legacy*, with advice."""
    if not fields.has("format"):
        raise FormatError(f"the {what} has no 'format' field")
    version = fields.integer("format", minimum=1)
    if version == LEGACY_FORMAT and not legacy:
        raise UnsupportedFormat(
            f"this {what} is format 1, which never expires and is no longer accepted; "
            "ask the committee for its current trust file ('committee renew-trust' "
            "writes one)"
        )
    return version
