"""Which CPythons CI runs the suite under, one per minor version from 3.11.

Prints one line per interpreter, "MAJOR.MINOR PATH", oldest first.  It
looks on PATH and in pyenv's versions directory (pyenv's shims answer only
for the selected version), and keeps an interpreter only if it runs, is
CPython, and can make a virtual environment.

With --check, it also fails unless the versions found are exactly the ones
pyproject.toml's classifiers name: the package claims what CI runs, no more
and no less.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

OLDEST = (3, 11)
NEWEST_MINOR = 30  # look up to 3.30; a gap in between is fine


def _candidates() -> list[str]:
    found: list[str] = []
    for minor in range(OLDEST[1], NEWEST_MINOR + 1):
        name = f"python3.{minor}"
        on_path = shutil.which(name)
        if on_path:
            found.append(on_path)
        for directory in ("/usr/bin", "/usr/local/bin"):
            found.append(os.path.join(directory, name))
        pyenv = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
        pattern = os.path.join(pyenv, "versions", f"3.{minor}.*", "bin", name)
        found.extend(sorted(glob.glob(pattern)))
    return found


_PROBE = (
    "import sys, venv, ensurepip; print(sys.implementation.name, '%d.%d' % sys.version_info[:2])"
)


def find() -> dict[str, str]:
    """Version -> interpreter path, the first working CPython of each minor version."""
    pythons: dict[str, str] = {}
    for path in _candidates():
        if not os.access(path, os.X_OK):
            continue
        try:
            # Interpreters this machine provides, probed with a fixed script.
            done = subprocess.run(  # noqa: S603
                [path, "-c", _PROBE], capture_output=True, text=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        parts = done.stdout.split()
        if done.returncode != 0 or len(parts) != 2 or parts[0] != "cpython":
            continue
        version = parts[1]
        if tuple(map(int, version.split("."))) >= OLDEST:
            pythons.setdefault(version, path)
    return dict(sorted(pythons.items(), key=lambda item: tuple(map(int, item[0].split(".")))))


def classified() -> set[str]:
    project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
    prefix = "Programming Language :: Python :: "
    return {
        c.removeprefix(prefix)
        for c in project["classifiers"]
        if c.startswith(prefix) and c.removeprefix(prefix).count(".") == 1
    }


def main(argv: list[str]) -> int:
    pythons = find()
    if "--check" in argv:
        claimed = classified()
        if len(pythons) < 3:
            print(
                f"CI needs at least three CPythons from 3.11 up; found {sorted(pythons) or 'none'}",
                file=sys.stderr,
            )
            return 1
        if set(pythons) != claimed:
            print(
                f"the classifiers name Python {sorted(claimed)} but this machine runs the suite "
                f"under {sorted(pythons)}; make them agree in pyproject.toml",
                file=sys.stderr,
            )
            return 1
    for version, path in pythons.items():
        print(version, path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
