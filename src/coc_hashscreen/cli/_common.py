"""What every command of the command line shares: parsing, printing, exit codes.

Errors the library raises on purpose become a one-line message on stderr
and a documented exit code (`EXIT_CODES`, in docs/cli.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Final, NoReturn, TextIO, TypeAlias

from .. import errors
from ..committee import MEMBER_ENV, default_actor
from ..core import KINDS, Identifier, check_text, escape_unsafe, fingerprint, split_values
from ..formats import TrustFile, write_atomic
from ..organizer import COLUMN_KINDS, FileState, ScreenStatus, load_trust, pin_trust

__all__ = [
    "EXIT_CODES",
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_MATCH",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROG",
    "Handler",
    "Parser",
    "ProgressBar",
    "ScreenDisplay",
    "Subparsers",
    "UsageError",
    "actor",
    "add_actor_option",
    "add_identifier_options",
    "check_arguments",
    "column",
    "day",
    "describe_status",
    "duration",
    "fingerprint_argument",
    "first_use",
    "identifiers",
    "info",
    "member",
    "out",
    "pinned_trust",
    "positive",
    "safe",
    "state",
    "write_output",
]

PROG: Final = "coc-hashscreen"

EXIT_OK: Final = 0
EXIT_MATCH: Final = 1
EXIT_USAGE: Final = 2
EXIT_INPUT: Final = 3
EXIT_VERIFY: Final = 4
EXIT_POLICY: Final = 5
EXIT_FORMAT: Final = 6
EXIT_SETUP: Final = 7
EXIT_INTERNAL: Final = 70
EXIT_INTERRUPTED: Final = 130

# Documented in docs/cli.md; the first matching class wins.
EXIT_CODES: Final[tuple[tuple[type[BaseException], int], ...]] = (
    (errors.InvalidText, EXIT_INPUT),
    (errors.VerificationError, EXIT_VERIFY),
    (errors.PolicyError, EXIT_POLICY),
    (errors.FormatError, EXIT_FORMAT),
    (errors.KeyFileError, EXIT_SETUP),
    (errors.RegisterError, EXIT_SETUP),
    (errors.ServiceError, EXIT_SETUP),
    (errors.InvalidParameters, EXIT_SETUP),
    (errors.InputError, EXIT_INPUT),
    (errors.InvalidIdentifier, EXIT_INPUT),
    (errors.UnknownKind, EXIT_INPUT),
    (errors.CocHashscreenError, EXIT_INPUT),
)


class UsageError(Exception):
    """A command line that does not make sense: exit status 2, like argparse's own."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of exiting, so `main` returns."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: error: {message}")


Handler = Callable[[argparse.Namespace], int]
Subparsers: TypeAlias = "argparse._SubParsersAction[Parser]"


def out(text: str = "", *, stream: TextIO | None = None) -> None:
    """Print *text*, every control and invisible character escaped but line feeds.

    Everything the command line prints goes through here, so text from a
    report, the register or a file never reaches a terminal raw
    (`escape_unsafe`).  A value meant to stay on one line of ours is
    passed through `safe` first.
    """
    print(escape_unsafe(text, keep_newlines=True), file=stream or sys.stdout)


def info(args: argparse.Namespace, text: str) -> None:
    """Information for people, on stderr so that stdout stays machine-readable."""
    if not getattr(args, "quiet", False):
        out(text, stream=sys.stderr)


def safe(text: str) -> str:
    """A value from a report or the register, escaped to stay on its one line.

    `out` keeps line feeds, which is right for our own layout and for a
    report's multi-line texts; a value printed inside a line of ours (a
    name, an event) must not start a line that looks like ours.
    """
    return escape_unsafe(text)


def check_arguments(args: argparse.Namespace) -> None:
    """Refuse a command-line argument that is not Unicode text.

    Bytes that are not UTF-8 reach Python as lone surrogates; they could
    be neither stored in the register nor printed.
    """
    for name, value in vars(args).items():
        for item in _strings(value):
            check_text(item, f"the argument {name.replace('_', '-')}")


def _strings(value: object) -> list[str]:
    """The strings in an argument's value (repeatable options give lists of tuples)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


def day(value: str) -> datetime:
    """A YYYY-MM-DD argument, as midnight UTC."""
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None
    return datetime(parsed.year, parsed.month, parsed.day, tzinfo=UTC)


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value!r}")
    return number


def column(value: str) -> tuple[str, str]:
    """A ``KIND=HEADER`` argument; ``order-KIND`` names an order-level column."""
    kind, sep, header = value.partition("=")
    if not sep or not header:
        raise argparse.ArgumentTypeError(f"expected KIND=HEADER, got {value!r}")
    if kind.removeprefix("order-") not in COLUMN_KINDS:
        raise argparse.ArgumentTypeError(
            f"unknown kind {kind!r}; use one of {', '.join(COLUMN_KINDS)}, or order-KIND"
        )
    return kind, header


def write_output(path: str | None, text: str, *, private: bool) -> None:
    if path is None or path == "-":
        sys.stdout.write(escape_unsafe(text, keep_newlines=True))
    else:
        write_atomic(path, text.encode("utf-8"), private=private)


def fingerprint_argument(text: str) -> bytes:
    """A fingerprint the committee published, as typed (hex, spaces ignored)."""
    digits = "".join(text.split()).lower()
    try:
        value = bytes.fromhex(digits)
    except ValueError:
        value = b""
    if len(value) < 16 or len(digits) % 2:
        raise argparse.ArgumentTypeError(
            "give the fingerprint the committee published: at least 32 hex digits "
            "(spaces are ignored)"
        )
    return value


def actor(args: argparse.Namespace) -> str | None:
    """``--by``, for the register's audit trail; None leaves it to `default_actor`,
    read only when the command changes something."""
    by = getattr(args, "by", None)
    return str(by) if by else None


def member(args: argparse.Namespace) -> str:
    """Who takes a review step or receives a report: ``--by``, else `default_actor`."""
    return actor(args) or default_actor()


def add_actor_option(p: argparse.ArgumentParser) -> None:
    """``--by NAME``: who makes the change, as the audit trail records it."""
    p.add_argument(
        "--by",
        metavar="NAME",
        help=f"who makes the change, for the audit trail (default: ${MEMBER_ENV}, else your "
        "user name)",
    )


def identifiers(args: argparse.Namespace, prefix: str = "") -> list[Identifier]:
    """The identifiers given with `add_identifier_options` (validated as they are made)."""
    found: list[Identifier] = []
    for kind in KINDS:
        for value in getattr(args, prefix + kind, None) or ():
            # "a@x.org, b@y.org" is two addresses, as `screen` reads a cell.
            found.extend(Identifier(kind, part) for part in split_values(kind, value) or [value])
    for value in getattr(args, prefix + "alias", None) or ():
        found.append(Identifier("name", value, alias=True))
    return found


def add_identifier_options(p: Parser, prefix: str = "", verb: str = "") -> None:
    flag = f"--{prefix.replace('_', '-')}"
    for kind, meta, what in (
        ("name", "NAME", "a name"),
        ("email", "EMAIL", "an e-mail address"),
        ("github", "HANDLE", "a GitHub user name"),
        ("twitter", "HANDLE", "a Twitter/X handle"),
        ("mastodon", "USER@HOST", "a Mastodon address"),
    ):
        several = "" if kind == "name" else "; several in one value are split"
        p.add_argument(
            f"{flag}{kind}",
            dest=prefix + kind,
            action="append",
            metavar=meta,
            help=f"{verb}{what} (repeatable{several})",
        )
    p.add_argument(
        f"{flag}alias",
        dest=prefix + "alias",
        action="append",
        metavar="NAME",
        help=f"{verb}another name the person is known by (repeatable)",
    )


def state(args: argparse.Namespace) -> FileState:
    return FileState(args.state) if args.state else FileState()


def first_use(args: argparse.Namespace, trust: TrustFile) -> None:
    info(
        args,
        f"First use of committee {trust.committee!r}: pinned generation "
        f"{trust.generation}, fingerprint {fingerprint(trust.fingerprint)}. Compare it with "
        "the fingerprint the committee published.",
    )


def pinned_trust(args: argparse.Namespace) -> TrustFile:
    """The trust file, once it is the pinned one or its successor (pinning it on first use)."""
    trust = load_trust(args.trust)
    trust.check_validity(datetime.now(UTC))
    store = state(args)
    new = store.get(trust.series) is None
    pin_trust(store, trust)
    if new:
        first_use(args, trust)
    return trust


class ProgressBar:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, label: str, unit: str, *, enabled: bool | None = None) -> None:
        self.label = label
        self.unit = unit
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.start = time.monotonic()
        self.drawn = False

    def __call__(self, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        elapsed = max(time.monotonic() - self.start, 1e-6)
        rate = done / elapsed
        text = f"{self.label}: {done:,}"
        if total:
            left = (total - done) / rate if rate > 0 else 0.0
            text += f"/{total:,} ({100 * done / total:3.0f}%), {rate:,.0f} {self.unit}/s"
            text += f", {duration(left)} left"
        else:
            text += f", {rate:,.0f} {self.unit}/s"
        sys.stderr.write("\r" + text[:79].ljust(79))
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()


def duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


class ScreenDisplay:
    """Live progress on stderr: a line redrawn on a terminal, or JSON lines.

    ``--progress auto`` draws only on a terminal (nothing on a pipe);
    ``json`` writes one `ScreenStatus` object per line for tools that drive
    the command line; ``off`` writes nothing.
    """

    def __init__(self, mode: str, *, terminal: bool, label: str = "") -> None:
        self.mode = mode if mode != "auto" else ("bar" if terminal else "off")
        self.label = label
        self.drawn = False

    @classmethod
    def for_args(cls, args: argparse.Namespace, *, label: str = "") -> ScreenDisplay:
        mode = "off" if args.quiet and args.progress == "auto" else args.progress
        return cls(mode, terminal=sys.stderr.isatty(), label=label)

    @property
    def enabled(self) -> bool:
        return self.mode != "off"

    def __call__(self, status: ScreenStatus) -> None:
        if self.mode == "json":
            document = {**status.to_dict(), **({"list": self.label[:-2]} if self.label else {})}
            sys.stderr.write(json.dumps(document, sort_keys=True) + "\n")
        elif self.mode == "bar":
            line = safe(self.label) + describe_status(status, first=not self.drawn)
            sys.stderr.write("\r" + line[:79].ljust(79))
            self.drawn = True
        sys.stderr.flush()

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()


def describe_status(status: ScreenStatus, *, first: bool = False) -> str:
    """One line for people: rows, identifiers, the cache's share and time left.

    The *first* line announces the work: about how many identifiers, and
    how long they will take.
    """
    rows = f"{status.rows:,}" + (f"/{status.rows_total:,}" if status.rows_total else "")
    if status.done:
        head = f"screened {rows} rows: {status.hashed:,} identifiers"
    elif first and status.expected is not None:
        head = f"hashing ~{status.expected:,} identifiers of {rows} rows"
    else:
        expected = f"/~{status.expected:,}" if status.expected else ""
        head = f"{rows} rows, {status.hashed:,}{expected} identifiers"
    cached = f", {status.from_cache:,} from cache" if status.from_cache else ""
    left = status.seconds_left
    eta = f", about {duration(left)} left" if left is not None and not status.done else ""
    return head + cached + eta
