"""The documentation's examples and commands are checked, not just written."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from coc_hashscreen import canonical

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
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci


@pytest.mark.parametrize("path", sorted(DOCS.glob("*.md")), ids=lambda p: p.name)
def test_doc_examples(path: Path) -> None:
    result = doctest.testfile(str(path), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def _example_rows(section: str) -> list[tuple[str, str]]:
    text = (DOCS / "normalization.md").read_text(encoding="utf-8")
    body = text.split(f"## `{section}`", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(.+?)`(?: \(.*?\))? \| `(.+?)` \|$", body, flags=re.MULTILINE)


@pytest.mark.parametrize("kind", ["name", "email"])
def test_normalization_tables(kind: str) -> None:
    rows = _example_rows(kind)
    assert len(rows) >= 6
    for value, expected in rows:
        assert canonical(kind, value) == expected, value


def test_security_doc_names_real_tests() -> None:
    """Every test docs/security.md cites exists, so the table cannot drift."""
    text = (DOCS / "security.md").read_text(encoding="utf-8")
    cited = re.findall(r"`(test_\w+\.py)(?:::(test_[\w*]+))?`|`::(test_\w+)`", text)
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
