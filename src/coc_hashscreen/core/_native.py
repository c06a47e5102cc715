"""Standard error closed to native code for the length of one call.

Rust libraries we call (voprf checking a proof, calamine reading a damaged
XLS) panic by printing "thread ... panicked at ...", and with RUST_BACKTRACE
a backtrace, straight to file descriptor 2 before Python sees the
exception; the exception becomes our one line, and the panic's text must
not come before it.  The descriptor is pointed at /dev/null for the call
alone: the one place the pure core touches a file descriptor.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator

__all__ = ["native_stderr_silenced"]

# Descriptor 2 is the process's: one thread at a time may point it elsewhere.
_LOCK = threading.Lock()


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Run the block with file descriptor 2 on /dev/null; Python's own output is flushed first."""
    with _LOCK:
        sys.stderr.flush()
        try:
            saved = os.dup(2)
        except OSError:  # no descriptor 2 to protect
            yield
            return
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
