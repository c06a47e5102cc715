"""Counts that the hardening tests report at the end of a run.

The closing figures of a security review (examples per parser, byte
positions flipped, kill points injected, leak checks run) are printed by
`pytest_terminal_summary` in conftest.py.
"""

from __future__ import annotations

from collections import Counter

TALLY: Counter[str] = Counter()


def count(name: str, n: int = 1) -> None:
    TALLY[name] += n
