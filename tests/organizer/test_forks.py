"""Forks of a committee: a stolen first key, two copies of a directory, a stolen laptop.

Each test plays an attack end to end with real committee directories and an
organizer's state, and checks that it is now refused or undone (ADR 0012).
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from coc_hashscreen.committee import Committee, GrantRequest, NewRecord, PublishOptions
from coc_hashscreen.core import KDF_PROFILES, HpkePrivateKey, Identifier, SigningKey, Status
from coc_hashscreen.errors import (
    ExpiredError,
    ForkError,
    MismatchError,
    RollbackError,
    UntrustedSigner,
    VerificationError,
)
from coc_hashscreen.formats import (
    TrustContent,
    TrustFile,
    make_rotation,
    make_trust,
    parse_trust,
    read_trust,
)
from coc_hashscreen.organizer import (
    FIRST_PIN_MAX_GENERATION,
    MemoryState,
    Screener,
    ScreenerOptions,
    check_trust,
    pin_trust,
)

from ..helpers import NOW

OPTIONS = PublishOptions(kdf=KDF_PROFILES["test-only"])
INNOCENT = "innocent@example.org"


class Setup:
    """A committee directory with one published list, and one organizer with its grant."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.directory = tmp / "committee"
        self.organizer = HpkePrivateKey.generate()
        self.state = MemoryState()
        with Committee.init(self.directory, name="Real Committee", now=NOW) as committee:
            committee.register.records.add(
                NewRecord(
                    status=Status.BANNED, identifiers=[Identifier("email", "offender@example.org")]
                ),
                now=NOW,
            )
            committee.publish(tmp / "v1.list", OPTIONS, now=NOW)
            committee.grant(
                GrantRequest(self.organizer.public_key, "Conf"), tmp / "epoch1.grant", now=NOW
            )

    def copy(self, name: str) -> Path:
        """A copy of the committee directory, as a thief or a second member has it."""
        return Path(shutil.copytree(self.directory, self.tmp / name))

    def load(self, hashed_list: Path, grant: Path, trust: Path | bytes | TrustFile) -> Screener:
        return Screener.load(
            hashed_list=hashed_list,
            grant=grant,
            organizer_key=self.organizer,
            trust=trust,
            options=ScreenerOptions(state=self.state, now=NOW),
        )

    def trust(self, directory: Path | None = None) -> Path:
        return (directory or self.directory) / "committee.trust"


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    return Setup(tmp_path)


def _forged_chain(stolen: SigningKey, trust: TrustFile, length: int) -> TrustFile:
    """What a thief with the series' first key makes: a chain of its own keys."""
    keys = [stolen]
    rotations: tuple[bytes, ...] = ()
    for generation in range(2, length + 1):
        keys.append(SigningKey.generate())
        rotations = (
            *rotations,
            make_rotation(
                series=trust.series, generation=generation, old=keys[-2],
                new_public=keys[-1].public_bytes, now=NOW,
            ),
        )  # fmt: skip
    content = TrustContent(trust.committee, trust.series, trust.report_key, rotations)
    return parse_trust(make_trust(content, signing_key=keys[-1], now=NOW))


# ---------------------------------------------------------------------------
# finding 2: a stolen retired first key


def test_a_stolen_first_key_cannot_take_over_a_new_organizer(tmp_path: Path) -> None:
    directory = tmp_path / "committee"
    with Committee.init(directory, name="Real Committee", now=NOW) as committee:
        stolen = committee._authority.signing_key  # the thief's copy of the first key
        committee.rotate_signing_key(now=NOW)
        real = committee.rotate_signing_key(now=NOW)  # generation 3, published
    forged = _forged_chain(stolen, real, 1000)
    assert forged.series == real.series  # the series alone cannot tell them apart
    assert forged.fingerprint != real.fingerprint  # the chain head does
    new_organizer = MemoryState()
    with pytest.raises(UntrustedSigner, match="stolen old key"):
        pin_trust(new_organizer, forged)
    with pytest.raises(MismatchError, match="not the one you gave"):
        pin_trust(new_organizer, forged, fingerprint=real.fingerprint)
    assert new_organizer.series == {}
    # A short forged chain passes the generation rule but not the published fingerprint.
    short = _forged_chain(stolen, real, 3)
    with pytest.raises(MismatchError):
        check_trust(new_organizer, short, fingerprint=real.fingerprint[:16])
    pin_trust(new_organizer, real, fingerprint=real.fingerprint[:16])
    assert new_organizer.series[real.series].trust_fingerprint == real.fingerprint
    assert real.generation <= FIRST_PIN_MAX_GENERATION


def test_a_pinned_fork_is_named_as_one_and_can_be_forgotten(tmp_path: Path) -> None:
    directory = tmp_path / "committee"
    with Committee.init(directory, name="Real Committee", now=NOW) as committee:
        stolen = committee._authority.signing_key
        real = committee.rotate_signing_key(now=NOW)
    # The organizer was fooled into pinning a forged generation 4 first.
    forged = _forged_chain(stolen, real, 4)
    state = MemoryState()
    pin_trust(state, forged)
    with pytest.raises(RollbackError, match="fork made with a stolen key") as refused:
        pin_trust(state, real)
    assert "trust forget" in str(refused.value)
    # The recovery the message gives: forget the pin, pin the real file by fingerprint.
    state.forget(real.series)
    pin_trust(state, real, fingerprint=real.fingerprint)
    with pytest.raises(UntrustedSigner, match="forked"):
        pin_trust(state, forged)


def test_an_expired_trust_file_is_refused(setup: Setup) -> None:
    later = NOW + timedelta(days=366)
    with pytest.raises(ExpiredError, match="renew-trust"):
        Screener.load(
            hashed_list=setup.tmp / "v1.list",
            grant=setup.tmp / "epoch1.grant",
            organizer_key=setup.organizer,
            trust=setup.trust(),
            options=ScreenerOptions(state=setup.state, now=later),
        )


# ---------------------------------------------------------------------------
# equivocation: two copies of one committee directory


def test_two_lists_with_the_same_numbers_are_a_fork(setup: Setup) -> None:
    second = setup.copy("second-laptop")
    lists = []
    for name, directory in (("a", setup.directory), ("b", second)):
        with Committee.open(directory) as committee:
            if name == "b":
                committee.register.records.add(
                    NewRecord(status=Status.BANNED, identifiers=[Identifier("email", INNOCENT)]),
                    now=NOW,
                )
            lists.append(committee.publish(setup.tmp / f"{name}.list", OPTIONS, now=NOW))
    assert lists[0].header.version == lists[1].header.version == 2
    assert lists[0].header.epoch == lists[1].header.epoch
    setup.load(setup.tmp / "a.list", setup.tmp / "epoch1.grant", setup.trust())
    setup.load(setup.tmp / "a.list", setup.tmp / "epoch1.grant", setup.trust())  # again: fine
    with pytest.raises(ForkError, match="committee's lists forked") as refused:
        setup.load(setup.tmp / "b.list", setup.tmp / "epoch1.grant", setup.trust(second))
    assert "contact the committee" in str(refused.value)
    assert INNOCENT not in str(refused.value)


def test_two_trust_files_of_one_generation_are_a_fork(setup: Setup) -> None:
    first = read_trust(setup.trust())
    pin_trust(setup.state, first)
    # Renewing the same generation is no fork: the fingerprint leaves the window out.
    with Committee.open(setup.directory) as committee:
        renewed = committee.renew_trust(now=NOW + timedelta(days=200))
    assert renewed.raw != first.raw
    pin_trust(setup.state, renewed)
    # The same key signing generation 1 again with another report key is one.
    with Committee.open(setup.directory) as committee:
        key = committee._authority.signing_key
    other = parse_trust(
        make_trust(
            first.content.with_report_key(HpkePrivateKey.generate().public_key),
            signing_key=key,
            now=NOW,
        )
    )
    with pytest.raises(ForkError, match="two different trust files claim generation 1"):
        pin_trust(setup.state, other)
    # Two copies that each rotated: two different generation-2 keys.
    second = setup.copy("second-laptop")
    trusts = []
    for directory in (setup.directory, second):
        with Committee.open(directory) as committee:
            trusts.append(committee.rotate_signing_key(now=NOW))
    pin_trust(setup.state, trusts[0])
    with pytest.raises(UntrustedSigner, match="forked"):
        pin_trust(setup.state, trusts[1])


# ---------------------------------------------------------------------------
# a stolen laptop: the thief's list at version 50, and the way back


def _thief_publishes_version_50(setup: Setup) -> Path:
    thief = setup.copy("stolen-laptop")
    with Committee.open(thief) as committee:
        committee.register.records.add(
            NewRecord(status=Status.BANNED, identifiers=[Identifier("email", INNOCENT)]), now=NOW
        )
        committee.publish(
            setup.tmp / "thief.list", PublishOptions(kdf=OPTIONS.kdf, min_version=50), now=NOW
        )
    return setup.tmp / "thief.list"


@pytest.mark.parametrize("compromised", [True, False])
def test_a_thiefs_high_version_is_forgotten_when_the_committee_declares_the_key_stolen(
    setup: Setup, compromised: bool
) -> None:
    grant1 = setup.tmp / "epoch1.grant"
    setup.load(setup.tmp / "v1.list", grant1, setup.trust())
    thief_list = _thief_publishes_version_50(setup)
    fooled = setup.load(thief_list, grant1, setup.trust())  # validly signed: accepted
    assert fooled.info.version == 50
    with Committee.open(setup.directory) as committee:
        committee.publish(setup.tmp / "v2.list", OPTIONS, now=NOW)
    with pytest.raises(RollbackError, match="rotate-key --compromised"):
        setup.load(setup.tmp / "v2.list", grant1, setup.trust())
    # The runbook: rotate both keys, declaring the old signing key stolen,
    # then publish a new epoch (the thief has the register's epoch key).
    with Committee.open(setup.directory) as committee:
        trust = committee.rotate_signing_key(now=NOW, report_key=True, compromised=compromised)
        result = committee.publish(
            setup.tmp / "recovered.list", PublishOptions(kdf=OPTIONS.kdf, rotate=True), now=NOW
        )
    (grant2,) = result.grants
    assert trust.compromised == ((trust.key_id_at(1),) if compromised else ())
    if not compromised:
        # Without the declaration the thief's version still holds the real list back.
        with pytest.raises(RollbackError):
            setup.load(setup.tmp / "recovered.list", grant2, setup.trust())
        return
    recovered = setup.load(setup.tmp / "recovered.list", grant2, setup.trust())
    assert recovered.info.version == 3
    assert recovered.screen([{"email": INNOCENT}]).matches == ()
    # The thief's list no longer verifies, and the old trust file is a rollback.
    with pytest.raises((UntrustedSigner, VerificationError)):
        setup.load(thief_list, grant1, setup.trust())
    with pytest.raises(RollbackError):
        pin_trust(setup.state, read_trust(setup.tmp / "stolen-laptop" / "committee.trust"))


def test_a_published_fingerprint_is_checked_when_the_pin_moves_too(setup: Setup) -> None:
    """A thief who copied the directory rotates as the committee does: both
    generation-2 files chain from the pinned key.  An organizer who gives
    the committee's published fingerprint must get the committee's file
    only, not be told the thief's matched."""
    pin_trust(setup.state, read_trust(setup.directory / "committee.trust"))
    thief_directory = setup.copy("thief")
    with Committee.open(setup.directory) as committee:
        real = committee.rotate_signing_key(now=NOW)
    with Committee.open(thief_directory) as thief:
        forged = thief.rotate_signing_key(now=NOW)
    assert forged.generation == real.generation == 2
    before = setup.state.get(real.series)
    with pytest.raises(MismatchError, match="not the one you gave"):
        pin_trust(setup.state, forged, fingerprint=real.fingerprint)
    assert setup.state.get(real.series) == before
    with pytest.raises(MismatchError):
        check_trust(setup.state, forged, fingerprint=real.fingerprint)
    assert pin_trust(setup.state, real, fingerprint=real.fingerprint).trust_generation == 2
