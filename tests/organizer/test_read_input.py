"""`read_input`: whatever the bytes, records of at least one person or one of our errors."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coc_hashscreen.errors import CocHashscreenError
from coc_hashscreen.organizer import CsvSource, JsonRecords, read_input

# Starts that steer the bytes toward each reader: JSON, CSV in two
# encodings, our own files, zip and OLE2 containers, nothing at all.
_PREFIXES = [
    b"",
    b"{",
    b"[",
    b'{"event": {"orders": ',
    b"Name,Email\n",
    "Name;E-Mail Teilnehmer*in\n".encode("utf-16"),
    b"\xef\xbb\xbf",
    b"COC-HS",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
]


def _json_values() -> st.SearchStrategy[object]:
    scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
        max_leaves=12,
    )


def _read(data: bytes) -> int:
    """The number of records read, or -1 for one of our errors."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input"
        path.write_bytes(data)
        try:
            with read_input(path) as source:
                assert isinstance(source, CsvSource | JsonRecords)
                return len(list(source.records()))
        except CocHashscreenError:
            return -1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(_PREFIXES), rest=st.binary(max_size=300))
def test_any_bytes_end_in_records_or_our_error(prefix: bytes, rest: bytes) -> None:
    # Never a traceback, and never a success that screened nobody.
    assert _read(prefix + rest) != 0


@settings(max_examples=200, deadline=None)
@given(value=_json_values())
def test_any_json_document_ends_in_records_or_our_error(value: object) -> None:
    assert _read(json.dumps(value).encode()) != 0


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16"])
def test_a_json_document_is_read_whatever_its_encoding(codec: str) -> None:
    people = [{"Name": "José García", "Email": "jose@example.org"}]
    assert _read(json.dumps(people, ensure_ascii=False).encode(codec)) == 1
