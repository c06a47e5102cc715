"""The command-line interface, through main(argv) and a few real processes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from coc_hashscreen import __version__
from coc_hashscreen._cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"coc-hashscreen {__version__}"


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "normalize" in out


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys)
    assert code == 2
    assert "usage:" in err


def test_python_dash_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "coc_hashscreen", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"coc-hashscreen {__version__}"


def test_normalize(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "normalize", "name", "  Dr. GARCÍA, José ")
    assert (code, out) == (0, "garcia jose\n")
    code, out, _ = run(capsys, "normalize", "name", "José María García", "--variants", "--json")
    assert code == 0
    assert json.loads(out) == {
        "kind": "name",
        "canonical": "garcia jose maria",
        "variants": ["garcia jose", "garcia jose maria"],
    }


def test_normalize_invalid_is_one_line_without_the_value(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "normalize", "email", "secret-person.example.com")
    assert code == 3
    assert out == ""
    assert err == "coc-hashscreen: error: email: no @ between the local part and the domain\n"


def test_unknown_kind_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "normalize", "phone", "123")
    assert code == 2
    assert "invalid choice" in err
    assert "Traceback" not in err
