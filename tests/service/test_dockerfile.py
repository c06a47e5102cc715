"""The service's container image, read (Docker does not run here): who it runs as, what it runs.

The Dockerfile is parsed as Docker does the parts we use: comments and
continuation lines, instructions, and exec-form (JSON) arguments.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Words no environment variable or build argument of the image may carry in
# its name or value: the seed and the tokens live in the mounted volume only.
SECRET = re.compile(r"seed|secret|token|passphrase|password|key", re.IGNORECASE)


def _instructions(text: str) -> list[tuple[str, str]]:
    logical: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):  # a comment inside a continued instruction
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    parsed = []
    for line in logical:
        keyword, _, arguments = line.partition(" ")
        parsed.append((keyword.upper(), arguments.strip()))
    return parsed


@pytest.fixture(scope="module")
def final_stage() -> list[tuple[str, str]]:
    """The instructions of the image that is run: from the last FROM on."""
    instructions = _instructions((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    starts = [i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM"]
    assert starts, "no FROM"
    return instructions[starts[-1] :]


def _all(stage: list[tuple[str, str]], keyword: str) -> list[str]:
    return [arguments for k, arguments in stage if k == keyword]


def test_every_stage_is_python_3_12_slim() -> None:
    instructions = _instructions((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    images = [args.split()[0] for keyword, args in instructions if keyword == "FROM"]
    assert images
    assert set(images) == {"python:3.12-slim"}


def test_the_service_runs_as_a_fixed_user_that_is_not_root(
    final_stage: list[tuple[str, str]],
) -> None:
    users = _all(final_stage, "USER")
    assert users, "no USER: the service would run as root"
    user, _, group = users[-1].partition(":")
    assert user not in {"root", "0"}
    assert group not in {"root", "0"}
    assert user == "10001"
    # Nothing after USER runs as someone else.
    last_user = max(i for i, (k, _) in enumerate(final_stage) if k == "USER")
    assert all(k != "RUN" for k, _ in final_stage[last_user:])


def test_no_environment_variable_or_build_argument_carries_a_secret() -> None:
    instructions = _instructions((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    settings = [args for keyword, args in instructions if keyword in {"ENV", "ARG"}]
    assert settings
    for setting in settings:
        for pair in setting.split():
            assert not SECRET.search(pair), pair


def test_the_image_writes_no_bytecode_and_installs_the_service_extra(
    final_stage: list[tuple[str, str]],
) -> None:
    env = " ".join(_all(final_stage, "ENV")).split()
    assert "PYTHONDONTWRITEBYTECODE=1" in env
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"pip install \"\.\[service\]\"", text)


def test_the_entrypoint_runs_committee_serve_on_the_volume(
    final_stage: list[tuple[str, str]],
) -> None:
    (entrypoint,) = _all(final_stage, "ENTRYPOINT")
    command = json.loads(entrypoint)  # exec form: signals reach the server
    assert command == [
        "coc-hashscreen", "committee", "serve", "/data", "--host", "0.0.0.0", "--port", "8080",
    ]  # fmt: skip
    assert _all(final_stage, "CMD") == []
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "coc-hashscreen" in scripts["project"]["scripts"]
    assert json.loads(_all(final_stage, "VOLUME")[0]) == ["/data/service"]


def test_the_healthcheck_asks_healthz_with_the_standard_library(
    final_stage: list[tuple[str, str]],
) -> None:
    (healthcheck,) = _all(final_stage, "HEALTHCHECK")
    options, _, command = healthcheck.partition("CMD ")
    assert "--timeout=" in options
    argv = json.loads(command)
    assert argv[:2] == ["python", "-c"]
    assert "urllib.request" in argv[2]
    assert "http://127.0.0.1:8080/healthz" in argv[2]


def test_only_the_source_reaches_the_image() -> None:
    instructions = _instructions((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    copied = [args for keyword, args in instructions if keyword in {"COPY", "ADD"}]
    assert all(keyword != "ADD" for keyword, _ in instructions)
    sources = set()
    for args in copied:
        words = [w for w in args.split() if not w.startswith("--")]
        if "--from=build" in args:
            assert words == ["/opt/venv", "/opt/venv"]
            continue
        sources.update(words[:-1])
    assert sources == {"pyproject.toml", "README.md", "src"}
    ignore = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    rules = [line.strip() for line in ignore if line.strip() and not line.startswith("#")]
    # Everything is left out of the build context but what is named.
    assert rules[0] == "*"
    assert {r for r in rules if r.startswith("!")} == {"!pyproject.toml", "!README.md", "!src/"}
