"""The organizer directory: files added only once verified, status, and what screen uses."""

from __future__ import annotations

import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from coc_hashscreen.committee import Committee, GrantRequest, NewRecord, PublishOptions
from coc_hashscreen.core import KDF_PROFILES, HpkePrivateKey, Identifier, Status
from coc_hashscreen.errors import (
    ExpiredError,
    InputError,
    MismatchError,
    RollbackError,
    UntrustedSigner,
    WrongFileType,
)
from coc_hashscreen.formats import Passphrase, load_public_key
from coc_hashscreen.organizer import (
    Filed,
    OrganizerHome,
    Screener,
    ScreenerOptions,
    add_files,
    default_home,
    home_status,
    init_home,
    screen_sources,
)

from ..helpers import NOW, TEST_PASSPHRASE, cheap_protection

OPTIONS = PublishOptions(kdf=KDF_PROFILES["test-only"])


@dataclass
class Setup:
    tmp: Path
    committee: Committee
    home: OrganizerHome
    listed: Path
    grant: Path

    @property
    def trust(self) -> Path:
        return self.committee.paths.trust

    def add(self, *paths: Path, **options: object) -> list[Filed]:
        options.setdefault("now", NOW)
        return list(add_files(self.home, paths, **options))  # type: ignore[arg-type]

    def publish(self, name: str, **changes: object) -> Path:
        path = self.tmp / name
        options = PublishOptions(kdf=KDF_PROFILES["test-only"], **changes)  # type: ignore[arg-type]
        self.committee.publish(path, options, now=NOW)
        return path


def _committee(directory: Path) -> Committee:
    committee = Committee.init(directory, name="Home Committee", now=NOW)
    committee.register.records.add(
        NewRecord(status=Status.BANNED, identifiers=[Identifier("email", "offender@example.org")]),
        now=NOW,
    )
    return committee


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    home = OrganizerHome.at(tmp_path / "home")
    init_home(home.directory, name="Home Conf")
    committee = _committee(tmp_path / "committee")
    listed = tmp_path / "v1.list"
    committee.publish(listed, OPTIONS, now=NOW)
    grant = tmp_path / "epoch1.grant"
    organizer = load_public_key(home.public_key).key
    committee.grant(GrantRequest(organizer, "Home Conf"), grant, now=NOW)
    yield Setup(tmp_path, committee, home, listed, grant)
    committee.close()


# -- the directory itself ---------------------------------------------------------


def test_the_default_directory_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COC_HASHSCREEN_HOME", str(tmp_path / "chosen"))
    assert default_home() == tmp_path / "chosen"
    keys = init_home(name="Env Conf")
    assert keys.private_path == tmp_path / "chosen" / "organizer.key"
    home = OrganizerHome.at()
    for path in (home.directory, home.committees_dir, home.cache_dir, home.history_dir):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    monkeypatch.delenv("COC_HASHSCREEN_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_home() == tmp_path / "data" / "coc-hashscreen" / "organizer"


# -- adding files -------------------------------------------------------------------


def test_each_kind_is_filed_in_its_place_whatever_the_order_given(setup: Setup) -> None:
    grant, listed, trust = setup.add(setup.grant, setup.listed, setup.trust)[::-1]
    assert (trust.kind, listed.kind, grant.kind) == ("trust", "list", "grant")
    files = setup.home.committee(setup.committee.series)
    assert files.directory.name == setup.committee.series.hex()[:16]
    assert (trust.path, listed.path, grant.path) == (
        files.trust,
        files.hashed_list,
        files.grant(1),
    )
    assert trust.first_pin
    assert trust.fingerprint == setup.committee.trust.fingerprint
    assert files.trust.read_bytes() == setup.trust.read_bytes()
    assert files.hashed_list.read_bytes() == setup.listed.read_bytes()
    assert stat.S_IMODE(files.grant(1).stat().st_mode) == 0o600
    pinned = setup.home.state().get(setup.committee.series)
    assert pinned is not None
    assert (pinned.list_epoch, pinned.list_version) == (1, 1)


def test_the_same_files_again_change_nothing(setup: Setup) -> None:
    setup.add(setup.trust, setup.listed, setup.grant)
    again = setup.add(setup.trust, setup.listed, setup.grant)
    assert [item.changed for item in again] == [False, False, False]
    assert not again[0].first_pin


def test_a_newer_list_replaces_the_filed_one_and_an_older_one_is_refused(setup: Setup) -> None:
    setup.add(setup.trust, setup.listed)
    newer = setup.publish("v2.list")
    (item,) = setup.add(newer)
    assert (item.changed, item.version) == (True, 2)
    files = setup.home.committee(setup.committee.series)
    assert files.hashed_list.read_bytes() == newer.read_bytes()
    with pytest.raises(RollbackError, match="older than version 2"):
        setup.add(setup.listed)
    assert files.hashed_list.read_bytes() == newer.read_bytes()


def test_a_list_before_its_trust_file_is_refused(setup: Setup) -> None:
    with pytest.raises(InputError, match="add its committee's trust file first"):
        setup.add(setup.listed)
    assert not setup.home.committee(setup.committee.series).directory.exists()


def test_a_grant_for_another_organizer_is_refused(setup: Setup) -> None:
    other = setup.tmp / "other.grant"
    stranger = HpkePrivateKey.generate().public_key
    setup.committee.grant(GrantRequest(stranger, "Other Conf"), other, now=NOW)
    setup.add(setup.trust, setup.listed)
    with pytest.raises(MismatchError, match="another organizer's key"):
        setup.add(other)
    assert not setup.home.committee(setup.committee.series).grant(1).exists()


def test_expired_files_are_refused_saying_what_to_do(setup: Setup) -> None:
    setup.add(setup.trust, setup.listed)
    short = setup.tmp / "short.grant"
    organizer = load_public_key(setup.home.public_key).key
    request = GrantRequest(organizer, "Home Conf", valid_for=timedelta(days=2))
    setup.committee.grant(request, short, now=NOW)
    with pytest.raises(ExpiredError, match="ask the committee for a new one"):
        setup.add(short, now=NOW + timedelta(days=3))
    with pytest.raises(ExpiredError, match="current list"):
        setup.add(setup.listed, now=NOW + timedelta(days=31))


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b"Name,Email\nJane Doe,jane@example.org\n", "a text or CSV file"),
        (b'[{"name": "Jane Doe"}]', "a JSON file"),
        (b"\x00\xff\xfe binary", "not a coc-hashscreen file"),
    ],
)
def test_a_file_of_another_kind_is_named_and_refused(
    setup: Setup, content: bytes, named: str
) -> None:
    path = setup.tmp / "attendees"
    path.write_bytes(content)
    with pytest.raises(WrongFileType, match=named):
        setup.add(path)


def test_a_key_file_is_named_and_never_filed(setup: Setup) -> None:
    with pytest.raises(WrongFileType, match="a private key file"):
        setup.add(setup.home.private_key)
    with pytest.raises(WrongFileType, match="a public key file"):
        setup.add(setup.home.public_key)


def test_a_trust_file_that_forks_the_pinned_one_is_refused(setup: Setup) -> None:
    copy = Path(shutil.copytree(setup.committee.directory, setup.tmp / "stolen"))
    setup.committee.rotate_signing_key(now=NOW)
    setup.add(setup.trust)
    with Committee.open(copy) as thief:
        thief.rotate_signing_key(now=NOW)
        with pytest.raises(UntrustedSigner, match="forked"):
            setup.add(thief.paths.trust)
    filed = setup.home.committee(setup.committee.series).trust
    assert filed.read_bytes() == setup.trust.read_bytes()


def test_a_trust_file_is_checked_against_the_fingerprint_given(setup: Setup) -> None:
    with pytest.raises(MismatchError, match="fingerprint is not the one you gave"):
        setup.add(setup.trust, fingerprint=bytes(32))
    assert setup.home.state().get(setup.committee.series) is None
    (item,) = setup.add(setup.trust, fingerprint=setup.committee.trust.fingerprint[:16])
    assert item.first_pin


def test_an_encrypted_key_is_opened_only_for_a_grant(tmp_path: Path) -> None:
    home = OrganizerHome.at(tmp_path / "home")
    init_home(home.directory, name="Locked Conf", protection=cheap_protection())
    asked: list[int] = []

    def passphrase() -> Passphrase:
        asked.append(1)
        return Passphrase.from_text(TEST_PASSPHRASE)

    with _committee(tmp_path / "committee") as committee:
        committee.publish(tmp_path / "v1.list", OPTIONS, now=NOW)
        organizer = load_public_key(home.public_key).key
        grant = tmp_path / "g.grant"
        committee.grant(GrantRequest(organizer, "Locked"), grant, now=NOW)
        paths = (committee.paths.trust, tmp_path / "v1.list")
        list(add_files(home, paths, now=NOW, passphrase=passphrase))
        assert asked == []
        (item,) = add_files(home, [grant], now=NOW, passphrase=passphrase)
    assert item.changed
    assert asked == [1]


# -- status and what screen uses ------------------------------------------------------


def test_status_says_what_is_ready(setup: Setup) -> None:
    setup.add(setup.trust, setup.listed, setup.grant)
    status = home_status(setup.home, now=NOW)
    assert status.key is not None
    assert not status.key.encrypted
    (committee,) = status.committees
    assert (committee.committee, committee.list_epoch, committee.grant_epoch) == (
        "Home Committee",
        1,
        1,
    )
    assert committee.ready
    assert status.ready == (committee,)
    assert status.warnings == ()
    assert status.problems == ()
    data = status.to_dict()
    assert data["ready"] == [setup.committee.series.hex()]
    assert data["committees"][0]["list"]["profile"] == "v2"  # type: ignore[index]


def test_status_names_a_missing_grant_and_what_expires_soon(setup: Setup) -> None:
    setup.add(setup.trust, setup.listed, setup.grant)
    rotated = setup.publish("v2.list", rotate=True, grants_dir=setup.tmp / "new-grants")
    setup.add(rotated)
    soon = NOW + timedelta(days=20)
    status = home_status(setup.home, now=soon)
    (committee,) = status.committees
    assert not committee.ready
    assert status.ready == ()
    assert committee.list_epoch == 2
    assert committee.grant_epoch is None
    assert committee.problems == (
        "no grant for epoch 2: ask the committee for a grant for epoch 2",
    )
    # The list is valid for 30 days: ten are left.
    assert any("the list expires on" in w and "in 10 day(s)" in w for w in status.warnings)
    with pytest.raises(InputError, match="ask the committee for a grant for epoch 2"):
        screen_sources(setup.home, now=soon)


def test_status_of_an_empty_directory_says_what_to_add(tmp_path: Path) -> None:
    home = OrganizerHome.at(tmp_path / "empty")
    status = home_status(home, now=NOW)
    assert status.key is None
    assert status.committees == ()
    assert any("organizer init" in p for p in status.problems)
    with pytest.raises(InputError, match="organizer init"):
        screen_sources(home, now=NOW)


def test_screen_sources_screen_with_the_filed_files(setup: Setup) -> None:
    with pytest.raises(InputError, match="add its trust file, list and grant"):
        screen_sources(setup.home, now=NOW)
    setup.add(setup.trust, setup.listed, setup.grant)
    (sources,) = screen_sources(setup.home, now=NOW)
    files = setup.home.committee(setup.committee.series)
    assert (sources.trust, sources.hashed_list, sources.grant) == (
        files.trust,
        files.hashed_list,
        files.grant(1),
    )
    assert (sources.organizer_key, sources.state) == (
        setup.home.private_key,
        setup.home.state_path,
    )
    screener = Screener.load(
        hashed_list=sources.hashed_list,
        grant=sources.grant,
        organizer_key=sources.organizer_key,
        trust=sources.trust,
        options=ScreenerOptions(state=setup.home.state(), now=NOW),
    )
    report = screener.screen([{"email": "offender@example.org"}, {"email": "ok@example.org"}])
    assert len(report.matches) == 1
