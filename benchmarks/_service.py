"""The committee's evaluation service on 127.0.0.1 for the benchmarks (not part of the package).

`serving` runs the real command line, ``committee serve DIR --host
127.0.0.1``, in a subprocess of its own session on a free loopback port,
waits (bounded) for ``/healthz`` and stops the process, and with it its
workers, when the block ends, however it ends.  Benchmarks do not import
the tests, so this is a launcher of their own (tests/service_harness.py
is the tests' one).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import coc_hashscreen

# Where the package the benchmark imports lives: the server imports the same one.
_SOURCE = Path(coc_hashscreen.__file__).resolve().parents[1]
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


@dataclass(frozen=True)
class Served:
    """A service process on 127.0.0.1: its address, workers and log file."""

    url: str
    workers: int
    log: Path
    process: subprocess.Popen[bytes]

    def cpu_seconds(self) -> float:
        """CPU time (user + system) of the server and its workers so far (Linux /proc)."""
        tick, total = os.sysconf("SC_CLK_TCK"), 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                # The fields after the command name: state, ppid, pgrp, ... utime, stime.
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # gone meanwhile
            if int(fields[2]) == self.process.pid:
                total += int(fields[11]) + int(fields[12])
        return total / tick

    def log_tail(self, lines: int = 20) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listened on a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=2) as answer:
            return bool(answer.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def _wait_healthy(served: Served) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise RuntimeError(f"the service stopped at start:\n{served.log_tail()}")
        if _healthy(served.url):
            return
        time.sleep(0.05)
    raise RuntimeError(f"the service did not answer /healthz in {START_TIMEOUT:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()  # uvicorn stops its workers on SIGTERM
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        # The server leads a session of its own: only its own workers are in it.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT)


@contextlib.contextmanager
def serving(committee_dir: Path, *, port: int, workers: int, log: Path) -> Iterator[Served]:
    """Run ``committee serve`` for *committee_dir* on 127.0.0.1:*port* for the block."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(_SOURCE), env.get("PYTHONPATH"))))
    argv = [
        sys.executable, "-m", "coc_hashscreen", "committee", "serve", os.fspath(committee_dir),
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
    ]  # fmt: skip
    with open(log, "wb") as output:
        process = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )
    served = Served(f"http://127.0.0.1:{port}", workers, log, process)
    try:
        _wait_healthy(served)
        yield served
    finally:
        _stop(process)
