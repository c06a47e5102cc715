"""Crash safety: SIGKILL at many points of every operation that writes.

For each operation a child process is killed at evenly spread points of its
run (see tests/_crash_child.py).  Afterwards every file must be the old one,
intact and usable, or the complete new one: never a mix, never a truncated
file, and the register must open and pass SQLite's integrity check.  The
number of kill points injected is printed at the end of the run; set
COC_HASHSCREEN_KILL_POINTS for more (the nightly profile uses 100).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from coc_hashscreen.committee import Committee, NewRecord, PublishOptions, Register
from coc_hashscreen.core import KDF_PROFILES, Identifier, KeyPurpose, Status, ed25519_public
from coc_hashscreen.errors import CocHashscreenError, RegisterError
from coc_hashscreen.formats import load_public_key, parse_list
from coc_hashscreen.organizer import FileState, SeriesState, init_organizer, load_organizer_key

from ._tally import count
from .helpers import NOW

CHILD = Path(__file__).with_name("_crash_child.py")
SERIES = b"\x01" * 32
DEFAULT_POINTS = 16 if os.environ.get("HYPOTHESIS_PROFILE") != "thorough" else 100
POINTS = int(os.environ.get("COC_HASHSCREEN_KILL_POINTS", DEFAULT_POINTS))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committee with records and a published list; a state file."""
    base = tmp_path_factory.mktemp("template")
    with Committee.init(base / "committee", name="Crash Committee", now=NOW) as committee:
        for n in range(4):
            committee.register.records.add(
                NewRecord(
                    status=Status.BANNED if n % 2 else Status.MINOR,
                    identifiers=[Identifier("email", f"person{n}@crash.example")],
                    expires_at=NOW.replace(year=2029),
                ),
                now=NOW,
            )
        committee.publish(
            base / "current.list", PublishOptions(kdf=KDF_PROFILES["test-only"]), now=NOW
        )
    FileState(base / "state.json").update(SERIES, lambda _: SeriesState("C", 1, b"\x02" * 32, 1, 1))
    return base


def _run(operation: str, directory: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHILD), operation, str(directory), str(kill_at)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _kill_points(operation: str, template: Path, tmp_path: Path) -> list[int]:
    work = tmp_path / "calibrate"
    shutil.copytree(template, work)
    done = _run(operation, work, 0)
    assert done.returncode == 0, done.stderr
    events = int(done.stdout.strip())
    step = max(1, events // POINTS)
    return list(range(1, events + 1, step))[:POINTS]


def _crash_everywhere(
    operation: str, template: Path, tmp_path: Path, check: Callable[[Path], None]
) -> None:
    points = _kill_points(operation, template, tmp_path)
    killed = 0
    for point in points:
        work = tmp_path / f"kill-{point}"
        shutil.copytree(template, work)
        done = _run(operation, work, point)
        if done.returncode == -signal.SIGKILL:
            killed += 1
        else:
            assert done.returncode == 0, done.stderr
        check(work)
        count(f"kill points injected, {operation}")
    assert killed >= len(points) * 3 // 4  # the points really were inside the operation


def _register_is_sound(path: Path) -> Register:
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        db.close()
    return Register.open(path)


def _committee_is_sound(work: Path) -> tuple[int, int]:
    """Open the committee and its list; return (list version, trust generation)."""
    with Committee.open(work / "committee") as committee:
        _register_is_sound(committee.directory / "register.sqlite3").close()
        trust = committee.trust
        # After a signing-key rotation the list on disk is still the one
        # signed by the first key, which the series names.
        first_key = (
            trust.rotations[0][9 + len("key-rotation") + 32 + 8 :][:32]
            if (trust.rotations)
            else trust.signing_key
        )
        keys = {trust.series: ed25519_public(first_key)}
        listed = parse_list((work / "current.list").read_bytes(), keys)
        return listed.header.version, trust.generation


def test_publish(template: Path, tmp_path: Path) -> None:
    def check(work: Path) -> None:
        version, _ = _committee_is_sound(work)
        assert version in (1, 2)

    _crash_everywhere("publish", template, tmp_path, check)


def test_epoch_rotation(template: Path, tmp_path: Path) -> None:
    def check(work: Path) -> None:
        version, _ = _committee_is_sound(work)
        assert version in (1, 2)
        with Committee.open(work / "committee") as committee:
            epoch = committee.register.epochs.current()
            assert epoch is not None
            assert epoch.secret is not None  # the current epoch always keeps its key

    _crash_everywhere("rotate-epoch", template, tmp_path, check)


def test_signing_key_rotation(template: Path, tmp_path: Path) -> None:
    def check(work: Path) -> None:
        # open() finishes or undoes the rotation; key and trust file agree.
        _, generation = _committee_is_sound(work)
        assert generation in (1, 2)
        assert not (work / "committee" / "signing.key.next").exists()

    _crash_everywhere("rotate-signing-key", template, tmp_path, check)


def test_register_commits(template: Path, tmp_path: Path) -> None:
    def check(work: Path) -> None:
        with _register_is_sound(work / "committee" / "register.sqlite3") as register:
            added = [r for r in register.records.all() if "added.example" in r.identifiers[0].value]
            assert len(added) <= 3
            for record in added:
                assert len(record.identifiers) == 5  # all of a record, or none of it

    _crash_everywhere("register", template, tmp_path, check)


def test_expunge(template: Path, tmp_path: Path) -> None:
    def check(work: Path) -> None:
        with _register_is_sound(work / "committee" / "register.sqlite3") as register:
            assert len(register.records.all()) in (0, 4)

    _crash_everywhere("expunge", template, tmp_path, check)


def test_state_file(template: Path, tmp_path: Path) -> None:
    def check(work: Path) -> None:
        state = FileState(work / "state.json").get(SERIES)
        assert state is not None
        assert state.list_version in (1, 2)

    _crash_everywhere("state", template, tmp_path, check)


def test_organizer_key(template: Path, tmp_path: Path) -> None:
    def check(work: Path) -> None:
        directory = work / "organizer"
        private, public_file = directory / "organizer.key", directory / "organizer.pub"
        if private.exists():
            load_organizer_key(directory)  # complete and loadable
        if not (private.exists() and public_file.exists()):
            # Running init again ends with a complete, matching key pair.
            init_organizer(directory, name="Crash Conf")
        key = load_organizer_key(directory)
        public = load_public_key(directory / "organizer.pub", purpose=KeyPurpose.ORGANIZER)
        assert public.key == key.public_key

    _crash_everywhere("organizer-key", template, tmp_path, check)


def test_committee_init(template: Path, tmp_path: Path) -> None:
    def check(work: Path) -> None:
        directory = work / "new-committee"
        if (directory / "register.sqlite3").exists():
            with Committee.open(directory) as committee:  # complete: keys, trust, register
                assert committee.register.schema_version >= 3
        else:
            # Incomplete: refused clearly, never half-opened, and no key is overwritten.
            with pytest.raises(RegisterError):
                Committee.open(directory)
            if (directory / "signing.key").exists():
                with pytest.raises(RegisterError, match="interrupted"):
                    Committee.init(directory, name="New", now=NOW)

    _crash_everywhere("committee-init", template, tmp_path, check)


def test_no_error_is_a_crash() -> None:
    # The checks above may only fail with our own errors, which would mean a
    # file a user cannot recover: make sure that class exists as expected.
    assert issubclass(RegisterError, CocHashscreenError)
