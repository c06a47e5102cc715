"""The ``coc-hashscreen`` command: a thin layer over the public Python API.

No logic lives only here.  Each subcommand (one module per command group)
parses its arguments, calls the library, and prints.  Errors the library
raises on purpose become a one-line message on stderr and a documented exit
code (see `EXIT_CODES`); a traceback is shown only with ``--debug`` or for a
genuine bug.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

from .. import __version__, errors
from . import _committee, _demo, _normalize, _organizer, _report, _screen
from ._common import (
    EXIT_CODES,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    Handler,
    Parser,
    UsageError,
    check_arguments,
    out,
)

__all__ = ["EXIT_CODES", "build_parser", "main"]


def build_parser() -> Parser:
    parser = Parser(
        prog=PROG,
        description=(
            "Privacy-preserving screening of attendee and speaker lists against a "
            "Code of Conduct committee's records."
        ),
        epilog="Run 'coc-hashscreen COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show a traceback when a command fails"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    _committee.add_parser(sub)
    _organizer.add_parsers(sub)
    _report.add_parser(sub)
    _screen.add_parser(sub)
    _normalize.add_parser(sub)
    _demo.add_parser(sub, main)
    return parser


def _exit_code(exc: BaseException) -> int:
    for cls, code in EXIT_CODES:
        if isinstance(exc, cls):
            return code
    return EXIT_INTERNAL  # pragma: no cover - EXIT_CODES ends with the base class


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status instead of exiting."""
    parser = build_parser()
    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        check_arguments(args)
        handler: Handler = args.func
        return handler(args)
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except KeyboardInterrupt:
        out(f"{PROG}: interrupted", stream=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader stopped (`| head`): nothing more may reach the closed
        # pipe, not even Python's flush at exit. What the command changed
        # before it printed is saved, and a script must not run it again.
        _silence_stdout()
        out(
            f"{PROG}: the output was cut short (the reader closed it); any change the "
            "command made is saved",
            stream=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except Exception as exc:
        message, status = _failure(exc, debug)
        out(message, stream=sys.stderr)
        return status


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # pragma: no cover - stdout is not a file descriptor
        pass


def _failure(exc: Exception, debug: bool) -> tuple[str, int]:
    """The one line a failed command prints, and its exit status.

    With --debug the traceback goes to stderr first; the exit status stays
    the documented one.  A usage error never has a traceback.
    """
    if isinstance(exc, UsageError):
        return str(exc), EXIT_USAGE
    if debug:
        traceback.print_exc(file=sys.stderr)
    if isinstance(exc, errors.CocHashscreenError):
        return f"{PROG}: error: {exc}", _exit_code(exc)
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        return f"{PROG}: error: {exc.strerror or exc}{where}", EXIT_INPUT
    return (
        f"{PROG}: internal error (a bug in coc-hashscreen); run again with --debug "
        "and report the traceback",
        EXIT_INTERNAL,
    )
