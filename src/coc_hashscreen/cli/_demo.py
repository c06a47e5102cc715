"""``coc-hashscreen demo``: the whole story on built-in sample data.

Every step runs the real command line (`main`) in a temporary directory and
prints what it would print for you, so the demo doubles as a tour of the
commands.  Only the expired record is added through the Python API, because
the command line refuses an expiry in the past.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from importlib import resources
from pathlib import Path

from ..committee import Committee, CommitteePaths, NewRecord
from ..core import Identifier, Status, resolve_now
from ..errors import InputError
from ..organizer import OrganizerPaths
from ._common import Subparsers

__all__ = ["add_parser", "run_demo"]

# Runs one command line and returns its exit status: the real `main`.
CommandLine = Callable[[Sequence[str]], int]

_RECORDS = [
    (
        "banned",
        ["--name", "José María García", "--email", "jose.garcia@example.org",
         "--github", "jgarcia-dev", "--case-ref", "DEMO-2024-017"],
    ),
    (
        "flagged",
        ["--name", "Mallory Smith", "--twitter", "@mallory_s", "--mastodon",
         "@mallory@social.example", "--case-ref", "DEMO-2025-003"],
    ),
    (
        "banned",
        ["--name", "Пётр Иванов", "--alias", "Pyotr Ivanov", "--email", "p.ivanov@example.ru",
         "--case-ref", "DEMO-2023-011"],
    ),
    ("minor", ["--name", "Minnie Minor", "--email", "minnie@example.net"]),
]  # fmt: skip
_EXPIRED_EMAIL = "old.case@example.com"


def _say(text: str) -> None:
    print()
    print(textwrap.fill(text, width=78))


@contextlib.contextmanager
def _workspace(keep: str | None) -> Iterator[Path]:
    if keep is not None:
        path = Path(keep)
        if path.exists() and any(path.iterdir()):
            raise InputError(f"--keep {keep!r}: the directory exists and is not empty")
        path.mkdir(parents=True, exist_ok=True)
        yield path.resolve()
        return
    path = Path(tempfile.mkdtemp(prefix="coc-hashscreen-demo-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


class _Demo:
    """The demo's files, and its steps, each run through the real command line."""

    def __init__(self, main: CommandLine, work: Path) -> None:
        self.main = main
        self.work = work
        self.committee = work / "committee"
        self.organizer = work / "organizer"
        self.listed = work / "demo.list"
        self.grant = self.organizer / "democon.grant"
        self.attendees = work / "attendees.csv"
        # The committee's keys are encrypted, as they are by default; the
        # demo runs unattended, so their passphrase comes from a private
        # file, as it would for a script.
        self.passphrase = work / "passphrase.txt"

    @property
    def unlock(self) -> tuple[str, str]:
        return ("--passphrase-file", str(self.passphrase))

    def run(self, *argv: str, expect: int = 0) -> None:
        shown = [a.replace(os.fspath(self.work) + os.sep, "") for a in argv]
        print("$ coc-hashscreen " + " ".join(_quote(a) for a in shown))
        # One stream, so that messages stay in order even through a pipe.
        with contextlib.redirect_stderr(sys.stdout):
            code = self.main(list(argv))
        if code != 0:
            print(f"(exit status {code})")
        if code != expect:
            raise RuntimeError(f"demo step exited {code}, expected {expect}")

    def set_up_the_register(self) -> None:
        _say(
            "1. The committee creates its directory: a register (SQLite), a signing key, a "
            "key organizers seal incident reports to, and a trust file for organizers. "
            "Both keys are encrypted under the committee's passphrase, read here from a "
            "private file (at a terminal, it is asked for)."
        )
        fd = os.open(self.passphrase, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(16) + "\n")
        self.run(
            "committee", "init", str(self.committee), "--name", "Demo CoC Committee",
            *self.unlock,
        )  # fmt: skip
        _say(
            "2. It records four people: two banned, one flagged, and one minor incident, "
            "which is never reported to organizers. A fifth record, flagged two years ago, "
            "reached the end of its retention yesterday."
        )
        for status, options in _RECORDS:
            self.run("committee", "add", str(self.committee), "--status", status, *options)
        now = resolve_now(None)
        with Committee.open(self.committee) as opened:
            expired = NewRecord(
                status=Status.FLAGGED,
                identifiers=[Identifier("name", "Old Case"), Identifier("email", _EXPIRED_EMAIL)],
                case_ref="DEMO-2024-001",
                expires_at=now - timedelta(days=1),
            )
            opened.register.records.add(expired, now=now - timedelta(days=730))
        self.run("committee", "list", str(self.committee))

    def publish_and_grant(self) -> None:
        _say(
            "3. It publishes a signed list: Argon2id hashes, keyed with this epoch's secret, "
            "of every identifier of the flagged and banned people, with decoys to a padded "
            "size. Minor and expired records are left out; nothing in the file names anyone."
        )
        self.run("committee", "publish", str(self.committee), "-o", str(self.listed), *self.unlock)
        _say(
            "4. An organizer makes a key pair and sends the public half to the committee, "
            "which seals the epoch key to it in a signed grant."
        )
        self.run("organizer", "init", str(self.organizer), "--name", "DemoCon 2026")
        public_key = OrganizerPaths(self.organizer).public_key
        self.run(
            "committee", "grant", str(self.committee), str(public_key), "-o", str(self.grant),
            *self.unlock,
        )  # fmt: skip

    def screen(self) -> None:
        _say(
            "5. The organizer screens its attendee list on its own machine; the committee "
            "never sees it. Accents, word order, case, e-mail tags, profile URLs, fullwidth "
            "letters and a name in Cyrillic still match. Name-only matches need confirming."
        )
        screen = [
            "screen", str(self.attendees), "--list", str(self.listed), "--grant",
            str(self.grant), "--key", str(self.organizer), "--trust",
            str(CommitteePaths(self.committee).trust), "--state", str(self.work / "state.json"),
            "--role", "attendee",
        ]  # fmt: skip
        self.run(*screen)
        _say(
            "6. Someone changes one byte of the list (to hide an offender, say). The "
            "screener refuses it before screening anyone."
        )
        tampered = self.work / "tampered.list"
        data = bytearray(self.listed.read_bytes())
        data[len(data) // 2] ^= 0x01
        tampered.write_bytes(bytes(data))
        self.run(*screen[:3], str(tampered), *screen[4:], expect=4)

    def expunge(self) -> None:
        _say(
            "7. The committee expunges records past their retention. No byte of them is "
            "left in the register's files."
        )
        self.run("committee", "expunge", str(self.committee))
        register = CommitteePaths(self.committee).register
        # The database, its write-ahead log and any journal beside it.
        raw = b"".join(p.read_bytes() for p in self.committee.glob(register.name + "*"))
        found = _EXPIRED_EMAIL.encode() in raw
        print(f"Searched the register files for {_EXPIRED_EMAIL}: {'FOUND' if found else 'gone'}.")
        if found:
            raise RuntimeError("the expunged record is still in the register files")


def run_demo(main: CommandLine, *, keep: str | None = None) -> int:
    """Run the demo through *main*; return 0 when every step behaved as it should."""
    start = time.monotonic()
    with _workspace(keep) as work:
        demo = _Demo(main, work)
        demo.attendees.write_bytes(
            resources.files("coc_hashscreen.cli").joinpath("_demo_data/attendees.csv").read_bytes()
        )
        print(f"coc-hashscreen demo, working in {work}")
        demo.set_up_the_register()
        demo.publish_and_grant()
        demo.screen()
        demo.expunge()
        elapsed = time.monotonic() - start
        print()
        where = f"Files kept in {work}." if keep else "The temporary files are removed."
        print(f"Demo finished in {elapsed:.1f} s. {where}")
    return 0


def _quote(arg: str) -> str:
    return f"'{arg}'" if not arg or any(c in arg for c in " '\"$&|;<>()") else arg


def add_parser(sub: Subparsers, main: CommandLine) -> None:
    """Register ``demo``; it drives *main*, the command line it is part of."""
    p = sub.add_parser(
        "demo",
        help="run the whole story on built-in sample data",
        description=(
            "Set up a committee, publish a list, grant an organizer, screen a sample "
            "attendee list, refuse a tampered list and expunge, in a temporary directory."
        ),
    )
    p.add_argument("--keep", metavar="DIR", help="keep the files in DIR (new or empty)")
    p.set_defaults(func=lambda args: run_demo(main, keep=args.keep))
