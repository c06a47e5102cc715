"""The documentation's examples and commands are checked, not just written."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from coc_hashscreen.core import canonical

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"


def _shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # The README starts with its set-up commands; the first that runs pytest
    # is the one CI must run too.
    setup = next(block for block in _shell_blocks(readme) if "pytest" in block)
    test_command = setup.strip().split(" && ")[-1]
    assert test_command == "python -m pytest"
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert test_command in ci


@pytest.mark.parametrize("path", sorted(DOCS.glob("*.md")), ids=lambda p: p.name)
def test_doc_examples(path: Path) -> None:
    result = doctest.testfile(str(path), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def _example_rows(heading: str) -> list[tuple[str, str]]:
    text = (DOCS / "normalization.md").read_text(encoding="utf-8")
    body = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(.+?)`(?: \(.*?\))? \| `(.+?)` \|$", body, flags=re.MULTILINE)


@pytest.mark.parametrize(
    ("heading", "kind", "profile"),
    [("`name`", "name", "v2"), ("`email`", "email", "v2"), ("Profile v1", "name", "v1")],
)
def test_normalization_tables(heading: str, kind: str, profile: str) -> None:
    rows = _example_rows(heading)
    assert len(rows) >= 6
    for value, expected in rows:
        assert canonical(kind, value, profile=profile) == expected, value


def test_security_doc_names_real_tests() -> None:
    """Every test docs/security.md cites exists, so the table cannot drift."""
    text = (DOCS / "security.md").read_text(encoding="utf-8")
    cited = re.findall(r"`((?:\w+/)?test_\w+\.py)(?:::(test_[\w*]+))?`|`::(test_\w+)`", text)
    assert len(cited) > 30
    current = ""
    for module, name, sibling in cited:
        current = module or current
        source = (ROOT / "tests" / current).read_text(encoding="utf-8")
        wanted = name or sibling
        if not wanted:
            continue
        pattern = wanted.replace("*", r"\w*")
        found = re.search(rf"^(def {pattern}\(|{pattern} = )", source, flags=re.MULTILINE)
        assert found, f"{current}::{wanted}"


def test_cli_reference_matches_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/cli.md shows every command's usage exactly as --help prints it."""
    from coc_hashscreen.cli import build_parser

    monkeypatch.setenv("COLUMNS", "80")
    parser = build_parser()
    usages = {"": parser.format_usage().strip()}

    def walk(node: object, prefix: str) -> None:
        for action in getattr(node, "_actions", []):
            choices = getattr(action, "choices", None)
            if isinstance(choices, dict):
                for name, sub in choices.items():
                    if not any(isinstance(getattr(a, "choices", None), dict) for a in sub._actions):
                        usages[f"{prefix} {name}".strip()] = sub.format_usage().strip()
                    walk(sub, f"{prefix} {name}")

    walk(parser, "")
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    # Compared word by word: where argparse breaks a long usage line differs
    # between Python versions (3.13 keeps an option beside its metavar).
    blocks = {_words(b) for b in re.findall(r"```\n(usage: coc-hashscreen.*?)```", text, re.S)}
    missing = [name for name, usage in usages.items() if _words(usage) not in blocks]
    assert missing == []


def _words(text: str) -> str:
    return " ".join(text.split())


def test_guide_python_examples_run(tmp_path: Path) -> None:
    """The guides' Python examples run, in the order a reader meets them."""
    import json
    import subprocess
    import sys

    from coc_hashscreen.formats import report_template

    def blocks(doc: str) -> list[str]:
        text = (DOCS / doc).read_text(encoding="utf-8")
        return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)

    committee, organizer = blocks("committee-guide.md"), blocks("organizer-guide.md")
    assert (len(committee), len(organizer)) == (2, 2)

    def run(code: str) -> None:
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr

    run(committee[0])
    run(organizer[0])
    report = report_template()
    report["event"].update(name="Example Conf", start="2026-05-14", end="2026-05-16")
    report["reporter"].update(name="Ana Organizer", email="coc@example.org")
    report["people"] = [{"role": "reported", "name": "Bad Actor", "email": ["bad@example.org"]}]
    report["facts"] = "What the team determined."
    (tmp_path / "api-demo" / "incident.json").write_text(json.dumps(report), encoding="utf-8")
    (tmp_path / "api-demo" / "messages.txt").write_text("a copy of a message\n", encoding="utf-8")
    run(organizer[1])
    run(committee[1])


def test_readme_python_examples_run(tmp_path: Path) -> None:
    """The README's committee example, then its organizer example on what it made."""
    import os
    import shutil
    import subprocess
    import sys

    from coc_hashscreen import Committee, init_organizer
    from coc_hashscreen.committee import GrantRequest
    from coc_hashscreen.formats import load_public_key

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    committee_block, organizer_block = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    env = {**os.environ, "COC_HASHSCREEN_STATE": str(tmp_path / "state.json")}

    def run(code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    run(committee_block)
    keys = init_organizer(tmp_path / "org", name="PyCon Example")
    public = load_public_key(keys.public_path)
    with Committee.open(tmp_path / "cc") as committee:
        committee.grant(GrantRequest(public.key, public.name), tmp_path / "pycon.grant")
        shutil.copy(committee.paths.trust, tmp_path / "committee.trust")
    (tmp_path / "attendees.csv").write_text(
        "Name,Email\nJosé García,jose.garcia@example.org\nAda Lovelace,ada@example.com\n",
        encoding="utf-8",
    )
    printed = run(organizer_block).splitlines()
    assert len(printed) == 1
    assert printed[0].startswith("1 banned strong ('name', 'email') CoC-")
