"""Replacing the committee's keys and renewing its trust file (ADR 0005, ADR 0012).

A rotation always replaces the signing key (one key per generation keeps
the chain simple to reason about) and may replace the report key too; the
rotation statement may declare the old signing key compromised, which makes
organizers forget the list marks that key set.

Old report keys are kept, mode 0600, in ``retired-report-keys/``: a report
an organizer sealed before it had the new trust file must still open.
After a theft the thief holds the old report key as well, so such reports
are readable by the thief; the committee guide says to ask organizers to
re-send anything sensitive sealed to the old key.

Every step is crash-safe: new keys are written beside the old ones
(``*.next``), then the trust file is replaced, then the keys.
`finish_rotation` (run by `Committee.open`) completes or undoes an
interrupted rotation by comparing the pending keys with the trust file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from ..core import HpkePrivateKey, KeyPurpose, SigningKey, key_id
from ..errors import MismatchError, RegisterError, UnsupportedFormat, UntrustedSigner
from ..formats import (
    DEFAULT_TRUST_VALIDITY,
    IncidentReport,
    KeyProtection,
    PassphraseSource,
    RotationTerms,
    TrustFile,
    fsync_directory,
    load_private_key,
    make_trust,
    open_sealed_report,
    parse_trust,
    private_key_info,
    read_limited,
    save_private_key,
    save_signing_key,
    sign_rotation,
    write_atomic,
)
from ._authority import Authority

__all__ = [
    "KeyRotation",
    "RotationPaths",
    "finish_rotation",
    "open_report",
    "renew_trust",
    "retired_report_keys",
    "rotate_keys",
]


# Only to copy a key file's bytes; the key-file reader applies its own limit.
_KEY_FILE_LIMIT = 2**20


class RotationPaths(Protocol):
    """The files a rotation touches (`CommitteePaths` has them all)."""

    @property
    def directory(self) -> Path: ...
    @property
    def signing_key(self) -> Path: ...
    @property
    def pending_signing_key(self) -> Path: ...
    @property
    def report_key(self) -> Path: ...
    @property
    def pending_report_key(self) -> Path: ...
    @property
    def retired_report_keys(self) -> Path: ...
    @property
    def trust(self) -> Path: ...


def _sign_trust(trust: TrustFile, key: SigningKey, *, now: datetime, validity: timedelta) -> bytes:
    try:
        return make_trust(trust.content, signing_key=key, now=now, validity=validity)
    except UnsupportedFormat:
        raise RegisterError(
            "this committee's trust file carries format-1 rotation statements, which "
            "cannot be carried into format 2: create a new committee directory (a new "
            "series) and give organizers its trust file and fingerprint"
        ) from None
    except UntrustedSigner:
        raise RegisterError(
            "the signing key's lifetime has ended, so it can no longer sign a trust file: "
            "run 'committee rotate-key' (the new key signs a fresh one)"
        ) from None


def renew_trust(
    paths: RotationPaths,
    authority: Authority,
    *,
    now: datetime,
    validity: timedelta = DEFAULT_TRUST_VALIDITY,
) -> Authority:
    """Re-issue the trust file with a fresh validity; its fingerprint does not change."""
    data = _sign_trust(authority.trust, authority.signing_key, now=now, validity=validity)
    write_atomic(paths.trust, data)
    return Authority.of(authority.signing_key, parse_trust(data))


@dataclass(frozen=True)
class KeyRotation:
    """What a rotation does besides replacing the signing key."""

    now: datetime
    # A new report key to carry in the new generation, or None to keep it.
    new_report_key: HpkePrivateKey | None = field(default=None, repr=False)
    # The passphrase and cost the new keys are written under; None: in clear.
    protection: KeyProtection | None = field(default=None, repr=False)
    # Declares the old signing key stolen (organizers forget its list marks).
    compromised: bool = False


def rotate_keys(paths: RotationPaths, authority: Authority, rotation: KeyRotation) -> Authority:
    """Replace the signing key (and the report key, if the rotation brings one)."""
    now, new_report_key, protection = rotation.now, rotation.new_report_key, rotation.protection
    old, new_key = authority, SigningKey.generate()
    # A key past its lifetime may still hand over, dated at its last valid
    # moment: the new key's lifetime then starts there and covers *now*.
    lifetime_end = old.trust.key_expires_at
    issued = now if lifetime_end is None else min(now, lifetime_end)
    statement = sign_rotation(
        RotationTerms(
            old.series,
            old.trust.generation + 1,
            new_key.public_bytes,
            issued,
            compromised=rotation.compromised,
        ),
        old.signing_key,
    )
    content = old.trust.content
    content = replace(content, rotations=(*content.rotations, statement))
    if new_report_key is not None:
        content = content.with_report_key(new_report_key.public_key)
    trust = make_trust(content, signing_key=new_key, now=now)
    save_signing_key(paths.pending_signing_key, new_key, name=old.name, protection=protection)
    if new_report_key is not None:
        save_private_key(
            paths.pending_report_key,
            new_report_key,
            purpose=KeyPurpose.COMMITTEE_REPORTS,
            name=old.name,
            protection=protection,
        )
    write_atomic(paths.trust, trust)
    parsed = parse_trust(trust)
    finish_rotation(paths, parsed)
    return Authority.of(new_key, parsed)


def _retired_path(paths: RotationPaths, public_raw: bytes) -> Path:
    return paths.retired_report_keys / f"report-{key_id(public_raw).hex()[:16]}.key"


def _report_public(path: Path) -> bytes:
    # Read without the passphrase: finishing a rotation never needs one.
    return private_key_info(path, purpose=KeyPurpose.COMMITTEE_REPORTS).public


def _finish_report_key(paths: RotationPaths, trust: TrustFile) -> None:
    pending = paths.pending_report_key
    if not pending.exists():
        return
    if _report_public(pending) != trust.report_key.raw:
        pending.unlink()  # the trust file was never replaced: undo
        return
    if paths.report_key.exists():
        old_public = _report_public(paths.report_key)
        if old_public != trust.report_key.raw:
            paths.retired_report_keys.mkdir(mode=0o700, exist_ok=True)
            # The file's bytes are kept as they are (still under the
            # passphrase, if any), written atomically before the old file is
            # replaced: never lost.
            write_atomic(
                _retired_path(paths, old_public),
                read_limited(paths.report_key, _KEY_FILE_LIMIT, "the report key"),
                private=True,
            )
            fsync_directory(paths.retired_report_keys)
    os.replace(pending, paths.report_key)


def finish_rotation(paths: RotationPaths, trust: TrustFile) -> None:
    """Complete or undo a rotation that a crash interrupted (or that just wrote its trust file)."""
    _finish_report_key(paths, trust)
    pending = paths.pending_signing_key
    if pending.exists():
        public = private_key_info(pending, purpose=KeyPurpose.COMMITTEE_SIGNING).public
        if public == trust.signing_key:
            os.replace(pending, paths.signing_key)
        else:
            pending.unlink()
    fsync_directory(paths.directory)


def retired_report_keys(paths: RotationPaths) -> list[Path]:
    """The files of the report keys a rotation replaced, oldest name first."""
    if not paths.retired_report_keys.is_dir():
        return []
    return sorted(paths.retired_report_keys.glob("report-*.key"))


def open_report(
    paths: RotationPaths,
    sealed: bytes,
    current: HpkePrivateKey,
    *,
    passphrase: PassphraseSource | None,
) -> IncidentReport:
    """Open a sealed report with the current report key, or a retired one it was sealed to."""
    try:
        return open_sealed_report(sealed, current)
    except MismatchError:
        for path in retired_report_keys(paths):
            key = load_private_key(
                path, purpose=KeyPurpose.COMMITTEE_REPORTS, passphrase=passphrase
            )
            try:
                return open_sealed_report(sealed, key)
            except MismatchError:
                continue
        raise
