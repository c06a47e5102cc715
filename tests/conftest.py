"""Shared test configuration.

Hypothesis profiles: "ci" (the default) keeps the whole suite well under ten
minutes on two cores; "thorough" is for a nightly-style run:

    HYPOTHESIS_PROFILE=thorough python -m pytest
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from coc_hashscreen.committee import Committee, GrantRequest, NewRecord, PublishOptions
from coc_hashscreen.core import KDF_PROFILES, HpkePrivateKey, Identifier, Status
from coc_hashscreen.organizer import MemoryState, Screener, ScreenerOptions

from .helpers import NOW, TEST_KEY_KDF, TEST_PASSPHRASE

settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "thorough",
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session", autouse=True)
def cli_passphrase_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every command line in the suite finds its passphrase as a script would.

    The committee's keys are encrypted by default, so `committee init` and
    every command that signs need a passphrase: it comes from a 0600 file
    named by the environment, and the key files the command line writes use
    the cheapest Argon2 cost, so the suite runs as fast as before.  Tests of
    the passphrase sources themselves remove or replace the variable.
    """
    path = tmp_path_factory.mktemp("passphrase") / "passphrase.txt"
    path.write_text(TEST_PASSPHRASE + "\n", encoding="utf-8")
    path.chmod(0o600)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COC_HASHSCREEN_PASSPHRASE_FILE", str(path))
        patch.setattr("coc_hashscreen.cli._passphrase.KEY_FILE_KDF", TEST_KEY_KDF)
        yield path


@pytest.fixture(autouse=True)
def private_state_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Each test's default organizer state lives in a directory of its own.

    Without this, command lines run without ``--state`` read and write the
    state file of whoever runs the suite (``~/.local/state``): runs of two
    checkouts, or of two Python versions in CI, then see each other's pins.
    """
    path = tmp_path_factory.mktemp("state-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_STATE_HOME", str(path))
        patch.delenv("COC_HASHSCREEN_STATE", raising=False)
        yield path


# ---------------------------------------------------------------------------
# A committee, an organizer, a published list and a grant, for organizer-side
# tests.  Argon2 runs with the test-only parameters.


@dataclasses.dataclass
class World:
    committee: Committee
    organizer: HpkePrivateKey
    list_path: Path
    grant_path: Path
    trust_path: Path
    state: MemoryState
    tmp: Path
    case_refs: dict[str, str]

    def screener(self, **overrides: object) -> Screener:
        """A screener for the world's list; *overrides* replace files or options."""
        files: dict[str, object] = {
            "hashed_list": self.list_path,
            "grant": self.grant_path,
            "organizer_key": self.organizer,
            "trust": self.trust_path,
        }
        options: dict[str, object] = {"state": self.state, "now": NOW}
        for name, value in overrides.items():
            (files if name in files else options)[name] = value
        return Screener.load(**files, options=ScreenerOptions(**options))  # type: ignore[arg-type]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    committee = Committee.init(tmp_path / "committee", name="Test Committee", now=NOW)
    register = committee.register
    refs = {
        "garcia": register.records.add(
            NewRecord(
                status=Status.BANNED,
                identifiers=[
                    Identifier("name", "José María García"),
                    Identifier("email", "jose.garcia+events@gmail.com"),
                    Identifier("twitter", "@josegarcia"),
                ],
                case_ref="CASE-GARCIA",
            ),
            now=NOW,
        ).case_ref,
        "mallory": register.records.add(
            NewRecord(
                status=Status.FLAGGED,
                identifiers=[
                    Identifier("name", "Mallory Smith"),
                    Identifier("github", "mallory"),
                    Identifier("mastodon", "@mallory@example.social"),
                ],
                case_ref="CASE-MALLORY",
            ),
            now=NOW,
        ).case_ref,
        "ivanov": register.records.add(
            NewRecord(
                status=Status.BANNED,
                identifiers=[
                    Identifier("name", "Пётр Иванов"),
                    Identifier("email", "petr@example.ru"),
                ],
                case_ref="CASE-IVANOV",
            ),
            now=NOW,
        ).case_ref,
    }
    register.records.add(
        NewRecord(status=Status.MINOR, identifiers=[Identifier("name", "Minnie Minor")]), now=NOW
    )
    list_path = tmp_path / "current.list"
    committee.publish(list_path, PublishOptions(kdf=KDF_PROFILES["test-only"]), now=NOW)
    organizer = HpkePrivateKey.generate()
    grant_path = tmp_path / "organizer.grant"
    committee.grant(GrantRequest(organizer.public_key, "Test Conf"), grant_path, now=NOW)
    yield World(
        committee=committee,
        organizer=organizer,
        list_path=list_path,
        grant_path=grant_path,
        trust_path=committee.paths.trust,
        state=MemoryState(),
        tmp=tmp_path,
        case_refs=refs,
    )
    committee.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from ._tally import TALLY

    if TALLY:
        terminalreporter.write_sep("-", "hardening figures")
        for name, value in sorted(TALLY.items()):
            terminalreporter.write_line(f"{name}: {value:,}")
