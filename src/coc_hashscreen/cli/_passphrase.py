"""Where the command line gets a passphrase: a terminal, a file descriptor, or a file.

Never from an argument: arguments are visible to every user of the machine
(``ps``, ``/proc``) and are kept in shell history.  A passphrase comes from,
in this order:

1. ``--passphrase-fd N``: read from file descriptor N up to a newline;
2. ``--passphrase-file FILE``, or the file named by
   ``$COC_HASHSCREEN_PASSPHRASE_FILE``: its first line, and FILE must not be
   readable by group or others;
3. a prompt on the terminal (without echo), asked once per command, and
   twice when a new passphrase is set.

With none of these, the command fails with one line saying what to give.
The KDF and the encryption are the key files' business (`formats`).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Final

from ..errors import InputError, KeyFileError
from ..formats import (
    DEFAULT_PASSPHRASE_KDF,
    KeyProtection,
    Passphrase,
    PassphraseKdf,
    PassphraseSource,
    check_private_mode,
    read_limited,
)

__all__ = [
    "ENV_FILE",
    "add_new_passphrase_options",
    "add_passphrase_options",
    "committee_keys",
    "given_passphrase",
    "new_protection",
    "passphrase_source",
]

ENV_FILE: Final = "COC_HASHSCREEN_PASSPHRASE_FILE"
_LIMIT: Final = 4096

# The Argon2 cost of every key file the command line writes.  Deliberately
# not an option or an environment variable: a cheaper cost is a weaker file,
# and nobody should be able to choose one by accident.  The test suite
# replaces this attribute (tests/conftest.py) to stay fast.
KEY_FILE_KDF: PassphraseKdf = DEFAULT_PASSPHRASE_KDF


def _fd(value: str) -> int:
    # The value is not repeated in the message: someone who typed the
    # passphrase itself here must not see it printed back, or logged.
    if not value.isdigit() or not value.isascii():
        raise argparse.ArgumentTypeError("give the number of an open file descriptor")
    return int(value)


def add_passphrase_options(p: argparse.ArgumentParser, *, opt_out: str | None = None) -> None:
    """``--passphrase-fd N | --passphrase-file FILE`` (and ``--no-passphrase`` with *opt_out*)."""
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--passphrase-fd",
        type=_fd,
        metavar="N",
        help="read the passphrase from file descriptor N, up to a newline",
    )
    group.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help=f"read the passphrase from FILE's first line; FILE must be mode 0600 "
        f"(default: ${ENV_FILE}, else ask on the terminal)",
    )
    if opt_out is not None:
        group.add_argument("--no-passphrase", action="store_true", help=opt_out)


def add_new_passphrase_options(p: argparse.ArgumentParser) -> None:
    """Where the new passphrase of ``… passphrase`` comes from, or ``--no-passphrase``."""
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--new-passphrase-fd",
        type=_fd,
        metavar="N",
        help="read the new passphrase from file descriptor N, up to a newline",
    )
    group.add_argument(
        "--new-passphrase-file",
        metavar="FILE",
        help="read the new passphrase from FILE's first line (mode 0600); "
        "default: ask twice on the terminal",
    )
    group.add_argument(
        "--no-passphrase",
        action="store_true",
        help="store the keys unencrypted from now on (not recommended)",
    )


def _first_line(data: bytes, where: str) -> str:
    line = data.split(b"\n", 1)[0].removesuffix(b"\r")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise KeyFileError(f"the passphrase in {where} is not UTF-8 text") from None
    if not text:
        raise KeyFileError(f"{where} holds no passphrase: its first line is empty")
    return text


def _read_fd(fd: int) -> str:
    where = f"file descriptor {fd}"
    data = bytearray()
    try:
        # One byte at a time, so that nothing after the newline is consumed:
        # the current and the new passphrase may come through the same pipe.
        while len(data) <= _LIMIT:
            byte = os.read(fd, 1)
            if byte in (b"", b"\n"):
                break
            data += byte
    except OSError as exc:
        raise KeyFileError(f"cannot read a passphrase from {where}: {exc.strerror}") from None
    if len(data) > _LIMIT:
        raise KeyFileError(f"{where} gave more than {_LIMIT:,} bytes before a newline")
    return _first_line(bytes(data), where)


def _read_file(path: str) -> str:
    try:
        # A passphrase file others can read protects nothing.
        check_private_mode(path, "passphrase file")
        data = read_limited(path, _LIMIT, "passphrase file")
    except FileNotFoundError:
        # Not named: it may be the passphrase itself, given by mistake.
        raise KeyFileError("the passphrase file given does not exist") from None
    return _first_line(data, repr(path))


def _given(args: argparse.Namespace, prefix: str, *, env: bool) -> str | None:
    """The passphrase from the options ``--{prefix}passphrase-fd/-file``, or the environment."""
    fd = getattr(args, f"{prefix}passphrase_fd", None)
    if fd is not None:
        return _read_fd(fd)
    path = getattr(args, f"{prefix}passphrase_file", None) or (
        os.environ.get(ENV_FILE) if env else None
    )
    return _read_file(path) if path else None


def given_passphrase(args: argparse.Namespace, prefix: str) -> str | None:
    """The passphrase from ``--{prefix}passphrase-fd/-file`` alone: no environment, no prompt."""
    return _given(args, prefix, env=False)


def _ask(prompt: str) -> str:
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise KeyFileError("no passphrase was entered") from None


def committee_keys(args: argparse.Namespace) -> str:
    """How prompts and errors name a committee directory's private keys."""
    return f"the committee keys in {args.dir}"


def passphrase_source(args: argparse.Namespace, what: str) -> PassphraseSource:
    """The passphrase of *what*, found (or asked for) only when a key file needs it, once."""
    found: list[Passphrase] = []

    def source() -> Passphrase:
        if not found:
            text = _given(args, "", env=True)
            if text is None:
                if not sys.stdin.isatty():
                    raise KeyFileError(
                        f"a passphrase is needed for {what}, and there is no terminal to "
                        "ask for it: give --passphrase-fd N or --passphrase-file FILE, "
                        f"or set {ENV_FILE}"
                    )
                text = _ask(f"Passphrase for {what}: ")
            found.append(Passphrase.from_text(text))
        return found[0]

    return source


def new_protection(
    args: argparse.Namespace, what: str, *, prefix: str = ""
) -> KeyProtection | None:
    """How to protect new key files: under a new passphrase, or None for ``--no-passphrase``.

    *prefix* is ``"new_"`` for the ``… passphrase`` commands, whose
    ``--passphrase-*`` options give the current passphrase instead; only
    ``init`` reads the environment's file for a new one.
    """
    if getattr(args, "no_passphrase", False):
        return None
    text = _given(args, prefix, env=not prefix)
    if text is None:
        flag = f"--{prefix.replace('_', '-')}passphrase"
        if not sys.stdin.isatty():
            raise KeyFileError(
                f"no new passphrase for {what}, and no terminal to ask on: give "
                f"{flag}-fd N or {flag}-file FILE, or --no-passphrase to store the keys "
                "unencrypted"
            )
        text = _ask(f"New passphrase for {what}: ")
        if _ask("Repeat the new passphrase: ") != text:
            raise InputError("the two passphrases differ; nothing was changed")
    return KeyProtection(Passphrase.from_text(text, new=True), kdf=KEY_FILE_KDF)
