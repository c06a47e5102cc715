"""The one exception hierarchy of coc_hashscreen (public: ``coc_hashscreen.errors``).

Every error the library raises on purpose derives from `CocHashscreenError`, so
a caller (and the CLI) can tell "the input or the files were refused" from "the
library has a bug".  Messages say what is wrong and what to do about it; they
never contain a secret or an attendee's identifier, because they end up in
logs and terminals.

Failed cryptographic checks all raise the single, opaque `VerificationError`:
saying *which* check failed would help a forger and helps no honest user.
Policy refusals (expired, rolled back, wrong epoch, ...) are distinct, because
each calls for a different action.
"""

from __future__ import annotations

__all__ = [
    "CocHashscreenError",
    "EmptyInput",
    "ExpiredError",
    "FileTooLarge",
    "ForkError",
    "FormatError",
    "InputError",
    "InvalidIdentifier",
    "InvalidParameters",
    "InvalidText",
    "KeyFileError",
    "MismatchError",
    "NotYetValidError",
    "PolicyError",
    "RegisterError",
    "ReportError",
    "RetentionEnded",
    "RollbackError",
    "ScrubPending",
    "ServiceError",
    "ServiceRefused",
    "UnknownKind",
    "UnknownProfile",
    "UnsupportedFormat",
    "UntrustedSigner",
    "VerificationError",
    "WrongFileType",
    "WrongKeyError",
    "WrongPassphrase",
]


class CocHashscreenError(Exception):
    """Base class of every error raised on purpose by coc_hashscreen."""


class InvalidIdentifier(CocHashscreenError, ValueError):
    """An identifier could not be normalized.

    `kind` is the identifier kind and `rule` names the rule that failed.  The
    message never contains the value itself.
    """

    def __init__(self, kind: str, rule: str) -> None:
        super().__init__(f"{kind}: {rule}")
        self.kind = kind
        self.rule = rule


class UnknownKind(CocHashscreenError, ValueError):
    """An identifier kind that this version of the library does not know."""


class InvalidParameters(CocHashscreenError, ValueError):
    """Hashing parameters (Argon2 costs, memory budget, ...) out of bounds."""


class FormatError(CocHashscreenError):
    """A file or value is malformed: not what it claims to be."""


class WrongFileType(FormatError):
    """A well-formed file of another type (a grant given where a list belongs)."""


class UnsupportedFormat(FormatError):
    """A format version this release cannot read; a newer release may."""


class FileTooLarge(FormatError):
    """A file is over the size limit for its type; it was not read."""


class VerificationError(CocHashscreenError):
    """A signature, MAC or AEAD tag did not verify.

    Deliberately opaque: the file is damaged, forged, or was not made by the
    holder of the expected key.
    """

    def __init__(
        self, what: str = "file", *, advice: str = "get a fresh copy from its source"
    ) -> None:
        super().__init__(
            f"the {what} failed verification: it is damaged, was altered, or was "
            f"not made with the expected key; do not use it, and {advice}"
        )


class PolicyError(CocHashscreenError):
    """A file verified but may not be used (expired, rolled back, ...)."""


class ExpiredError(PolicyError):
    """The file's validity period has ended."""


class NotYetValidError(PolicyError):
    """The file's validity period has not started: check the clock."""


class RollbackError(PolicyError):
    """The file is older than one already seen for the same series."""


class MismatchError(PolicyError):
    """Files that belong to different series, epochs or organizers were mixed."""


class WrongKeyError(PolicyError):
    """The epoch key from the grant does not match the list's key check."""


class UnknownProfile(PolicyError):
    """The list names a normalization profile this release does not know."""


class UntrustedSigner(PolicyError):
    """The file was signed by a key the pinned trust file does not know."""


class ForkError(PolicyError):
    """Two different files claim the same place: one list version, or one trust generation.

    The committee's files forked (two copies of its directory, or a stolen
    key): only the committee can say which is its own.
    """


class ServiceRefused(PolicyError):
    """The committee's evaluation service refused a request, and said why.

    `reason` is one of the service's refusal codes (``unknown-token``,
    ``expired-token``, ``revoked``, ``epoch-over``, ``quota-spent``,
    ``batch-too-large``, ``malformed``); the message says what to do.
    `remaining` is the quota left, where the service said it.
    """

    def __init__(self, reason: str, message: str, *, remaining: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.remaining = remaining


class ServiceError(CocHashscreenError):
    """The committee's evaluation service could not be reached or answered nonsense.

    Nothing was screened; trying again later may work.  On the committee's
    side: the service could not start (a port in use).
    """


class InputError(CocHashscreenError, ValueError):
    """Input data (CSV rows, report fields, record fields) is unusable."""


class EmptyInput(InputError):
    """An input with no data rows: an empty file, or a header line alone.

    Screening it would report "0 of 0 screened", which reads like a clean
    result; it is refused instead.
    """


class InvalidText(InputError):
    """Text that is not Unicode: it holds a lone surrogate (U+D800 to U+DFFF).

    JSON escapes ("\\ud800") and Python strings can carry one; UTF-8 cannot,
    so such text could be neither stored, sealed nor printed.  The message
    names where the text came from, never the text.
    """


class ReportError(InputError):
    """An incident report is incomplete or invalid."""


class RetentionEnded(InputError):
    """A record or row whose retention has already ended: it must not be entered.

    Data the committee's own policy says should be gone is not stored
    again; the message says to delete it from the source (the old
    spreadsheet, the mail archive) instead.
    """


class RegisterError(CocHashscreenError):
    """The committee register refused an operation or is not usable."""


class ScrubPending(RegisterError):
    """A change was saved, but deleted data could not be scrubbed from the files yet.

    Another program holds the register open, so its write-ahead log still
    holds pages as they were before.  Close that program and scrub again
    (``committee expunge`` does).
    """


class KeyFileError(CocHashscreenError):
    """A key file is missing, malformed, or too widely readable."""


class WrongPassphrase(KeyFileError):
    """An encrypted private key file did not open: wrong passphrase, or a damaged file.

    Deliberately one error for both, like `VerificationError`: the AEAD
    cannot tell them apart, and guessing which would only help someone
    trying passphrases.  It is a `KeyFileError` (exit 7), not a
    verification failure, because the remedy is local: type it again, or
    restore the file from a backup.
    """

    def __init__(self, what: str, path: str) -> None:
        super().__init__(
            f"could not open the {what} {path!r}: the passphrase is wrong or the file is "
            "damaged; try again, or restore the file from your backup"
        )
