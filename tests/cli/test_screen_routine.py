"""Screening as a routine from the command line: the epoch cache and live progress."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coc_hashscreen.cli import main

from .test_cli import Setup, run
from .test_cli import setup as setup


def _caches(setup: Setup) -> list[Path]:
    return sorted((setup.state.parent / "cache").glob("*.cache"))


def test_a_second_run_takes_its_argon2_outputs_from_the_cache(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    code, first, _ = run(capsys, *setup.screen())
    assert code == 0
    assert "from the Argon2 cache" not in first
    (path,) = _caches(setup)
    assert path.stat().st_mode & 0o777 == 0o600
    code, second, _ = run(capsys, *setup.screen("--format", "json"))
    report = json.loads(second)
    assert report["identifiers_from_cache"] == report["identifiers_hashed"] > 0
    code, table, _ = run(capsys, *setup.screen())
    assert "from the Argon2 cache of earlier runs" in table


def test_no_cache_neither_reads_nor_writes_it(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, *setup.screen("--no-cache", "--format", "json"))
    assert code == 0
    assert json.loads(out)["identifiers_from_cache"] == 0
    assert _caches(setup) == []
    run(capsys, *setup.screen())
    code, out, _ = run(capsys, *setup.screen("--no-cache", "--format", "json"))
    assert json.loads(out)["identifiers_from_cache"] == 0


def test_forget_cache_wipes_it(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, *setup.screen())
    assert len(_caches(setup)) == 1
    code, out, _ = run(capsys, "organizer", "forget-cache", "--state", setup.state)
    assert code == 0
    assert "Removed 1 Argon2 cache file(s)" in out
    assert _caches(setup) == []
    code, out, _ = run(capsys, *setup.screen("--format", "json"))
    assert json.loads(out)["identifiers_from_cache"] == 0


def test_a_damaged_cache_is_named_in_a_warning(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, *setup.screen())
    (path,) = _caches(setup)
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    code, _, err = run(capsys, *setup.screen())
    assert code == 0
    assert "Warning: the Argon2 cache file does not open" in err
    code, _, err = run(capsys, *setup.screen())
    assert "Warning" not in err


def test_progress_json_is_one_object_per_line(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, *setup.screen("-q", "--progress", "json"))
    assert code == 0
    statuses = [json.loads(line) for line in err.splitlines()]
    assert statuses
    assert statuses[-1]["done"] is True
    assert statuses[-1]["rows"] == statuses[-1]["rows_total"] == 4
    assert {"hashed", "from_cache", "seconds_left", "expected_identifiers"} <= set(statuses[0])


def test_no_progress_on_a_pipe_or_when_quiet(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, err = run(capsys, *setup.screen())
    assert "\r" not in err
    assert "{" not in err


class _Terminal:
    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_the_progress_line_on_a_terminal(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main([os.fspath(a) for a in setup.screen()]) == 0
    frames = [f for f in terminal.text.split("\r") if f.strip()]
    assert any(f.startswith("hashing ~") for f in frames)
    assert frames[-1].startswith("screened 4/4 rows: ")
    # Each frame overwrites the last within 80 columns; info lines came before.
    assert all(len(frame.rstrip("\n")) == 79 for frame in frames[1:])
    monkeypatch.setattr(sys, "stderr", terminal := _Terminal())
    assert main([os.fspath(a) for a in setup.screen("-q")]) == 0
    assert "\r" not in terminal.text


def test_the_first_progress_line_comes_within_a_second_on_a_pseudo_terminal(
    setup: Setup, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A real process on a pseudo-terminal, a list at the default profile
    # (tens of milliseconds per identifier) and one thread: the run takes
    # seconds, and its first line must not wait for them.
    listed = tmp_path / "slow.list"
    assert run(capsys, "committee", "publish", setup.committee, "-o", listed)[0] == 0
    grant = tmp_path / "slow.grant"
    assert run(capsys, "committee", "grant", setup.committee, setup.organizer / "organizer.pub",
               "-o", grant)[0] == 0  # fmt: skip
    rows = "".join(f"Person {i},p{i}@example.org\n" for i in range(60))
    attendees = tmp_path / "many.csv"
    attendees.write_text("Name,Email\n" + rows, encoding="utf-8")
    argv: list[str | Path] = [
        sys.executable, "-m", "coc_hashscreen", "screen", attendees, "--list", listed,
        "--grant", grant, "--key", setup.organizer, "--trust", setup.trust,
        "--state", setup.state, "--workers", "1", "--no-cache",
    ]  # fmt: skip
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [os.fspath(a) for a in argv], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=terminal, env={**os.environ, "COLUMNS": "80"},
    )  # fmt: skip
    os.close(terminal)
    seen = b""
    started = first = None
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and first is None:
            ready, _, _ = select.select([controller], [], [], 0.05)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                seen += os.read(controller, 4096)
            except OSError:
                break
            now = time.monotonic()
            if started is None and b"Columns used" in seen:
                started = now
            if started is not None and b"hashing ~" in seen:
                first = now
        assert started is not None, seen
        assert first is not None, seen
        assert first - started < 1.0
    finally:
        process.kill()
        process.wait()
        os.close(controller)
