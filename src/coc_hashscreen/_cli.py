"""The ``coc-hashscreen`` command: a thin layer over the public Python API.

No logic lives only here.  Each subcommand parses its arguments, calls the
library, and prints.  Errors the library raises on purpose become a one-line
message on stderr and a documented exit code (see `EXIT_CODES`); a traceback
is shown only with ``--debug`` or for a genuine bug.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Final, NoReturn, TextIO

from . import _errors as errors
from ._normalize import KINDS, canonical, variants
from ._version import __version__

__all__ = ["EXIT_CODES", "main"]

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
    (errors.VerificationError, EXIT_VERIFY),
    (errors.PolicyError, EXIT_POLICY),
    (errors.FormatError, EXIT_FORMAT),
    (errors.KeyFileError, EXIT_SETUP),
    (errors.RegisterError, EXIT_SETUP),
    (errors.InvalidParameters, EXIT_SETUP),
    (errors.InputError, EXIT_INPUT),
    (errors.InvalidIdentifier, EXIT_INPUT),
    (errors.UnknownKind, EXIT_INPUT),
    (errors.CocHashscreenError, EXIT_INPUT),
)


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of exiting, so `main` returns."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: error: {message}")


Handler = Callable[[argparse.Namespace], int]


def _out(text: str = "", *, stream: TextIO | None = None) -> None:
    print(text, file=stream or sys.stdout)


# ---------------------------------------------------------------------------
# normalize


def _cmd_normalize(args: argparse.Namespace) -> int:
    form = canonical(args.kind, args.value)
    if args.variants:
        keys = sorted(variants(args.kind, args.value))
        if args.json:
            _out(json.dumps({"kind": args.kind, "canonical": form, "variants": keys}))
        else:
            _out(form)
            for key in keys:
                if key != form:
                    _out(f"  variant: {key}")
    elif args.json:
        _out(json.dumps({"kind": args.kind, "canonical": form}))
    else:
        _out(form)
    return EXIT_OK


def _add_normalize(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser(
        "normalize",
        help="print the canonical form of an identifier",
        description=(
            "Print the canonical form of an identifier under profile v1, so you can "
            "see why two spellings do or do not match."
        ),
    )
    p.add_argument("kind", choices=KINDS, help="identifier kind")
    p.add_argument("value", help="the identifier as written")
    p.add_argument(
        "--variants", action="store_true", help="also print the keys the committee publishes"
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_normalize)


# ---------------------------------------------------------------------------
# parser and entry point


def build_parser() -> _Parser:
    parser = _Parser(
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add_normalize(sub)
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
        handler: Handler = args.func
        return handler(args)
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except _UsageError as exc:
        _out(str(exc), stream=sys.stderr)
        return EXIT_USAGE
    except errors.CocHashscreenError as exc:
        if debug:
            raise
        _out(f"{PROG}: error: {exc}", stream=sys.stderr)
        return _exit_code(exc)
    except OSError as exc:
        if debug:
            raise
        where = f": {exc.filename}" if exc.filename else ""
        _out(f"{PROG}: error: {exc.strerror or exc}{where}", stream=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        _out(f"{PROG}: interrupted", stream=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:
        if debug:
            raise
        _out(
            f"{PROG}: internal error (a bug in coc-hashscreen); run again with --debug "
            "and report the traceback",
            stream=sys.stderr,
        )
        return EXIT_INTERNAL
