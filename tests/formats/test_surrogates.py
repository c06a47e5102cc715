"""Lone surrogates (issue 11, finding 8): refused as `InvalidText` wherever text is read.

JSON escapes ("\\ud800") and Python strings can hold a lone surrogate;
UTF-8 cannot.  Before the fix, one in a report crashed sealing and intake
with `UnicodeEncodeError`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.committee import Committee
from coc_hashscreen.core import Identifier, check_text
from coc_hashscreen.errors import (
    CocHashscreenError,
    InputError,
    InvalidIdentifier,
    InvalidText,
)
from coc_hashscreen.formats import (
    IncidentReport,
    Person,
    TrustContent,
    load_json,
    load_public_key,
    make_trust,
    open_sealed_report,
    parse_trust,
    seal_report,
)
from coc_hashscreen.organizer import read_csv

from ..helpers import NOW, fixed_hpke_key, fixed_signing_key, sample_report

SURROGATES = st.integers(min_value=0xD800, max_value=0xDFFF).map(chr)
REPORT_KEY = fixed_hpke_key("surrogate reports")
COMMITTEE_KEY = fixed_signing_key("surrogate committee")
TRUST = parse_trust(
    make_trust(
        TrustContent("Surrogate Committee", COMMITTEE_KEY.key_id, REPORT_KEY.public_key),
        signing_key=COMMITTEE_KEY,
        now=NOW,
    )
)

# Every place in the report JSON where an organizer writes text.
_TEXT_PATHS: list[tuple[str, ...]] = [
    ("event", "name"),
    ("event", "location"),
    ("reporter", "name"),
    ("reporter", "email"),
    ("reporter", "organization"),
    ("reference",),
    ("facts",),
    ("review",),
    ("actions",),
    ("responses",),
    ("people", "0", "name"),
    ("people", "0", "notes"),
    ("people", "0", "email", "0"),
]


def _document() -> dict[str, Any]:
    document = sample_report(attachments=()).to_dict()
    document["people"][0]["notes"] = "notes"
    return document


def _set(document: dict[str, Any], path: tuple[str, ...], value: str) -> None:
    target: Any = document
    for step in path[:-1]:
        target = target[int(step)] if isinstance(target, list) else target[step]
    last = path[-1]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value


def _sealed_plaintext_report(document: dict[str, Any]) -> bytes:
    """A sealed report whose JSON is *document*, as a hostile client could make it."""
    from coc_hashscreen.formats._sealed import _sealed_header

    payload = json.dumps(document).encode()  # ASCII, with "\ud800" escapes
    plaintext = len(payload).to_bytes(4, "big") + payload
    key = TRUST.report_key
    length = len(plaintext) + key.suite.hpke_overhead
    header = _sealed_header(key, length)
    from coc_hashscreen.formats._sealed import SEALED_INFO

    return header + key.seal(plaintext, info=SEALED_INFO + header)


@given(st.sampled_from(_TEXT_PATHS), SURROGATES, st.integers(min_value=0, max_value=5))
def test_a_surrogate_anywhere_in_a_report_is_refused_at_reading_and_intake(
    path: tuple[str, ...], surrogate: str, position: int
) -> None:
    document = _document()
    original = document
    for step in path:
        original = original[int(step)] if isinstance(original, list) else original[step]
    text = str(original) or "x"
    _set(document, path, text[:position] + surrogate + text[position:])
    with pytest.raises(CocHashscreenError) as refused:
        IncidentReport.from_json(json.dumps(document).encode())
    assert isinstance(refused.value, InvalidText | InvalidIdentifier)
    with pytest.raises(CocHashscreenError) as opened:
        open_sealed_report(_sealed_plaintext_report(document), REPORT_KEY)
    assert isinstance(opened.value, InvalidText | InvalidIdentifier)


@given(
    st.sampled_from(["event_name", "reporter_name", "facts", "review", "reference"]),
    SURROGATES,
)
def test_a_surrogate_in_a_report_made_in_python_is_refused_before_sealing(
    field: str, surrogate: str
) -> None:
    with pytest.raises(InvalidText, match="not Unicode text"):
        seal_report(sample_report(**{field: f"text {surrogate}"}), trust=TRUST)


@given(st.sampled_from(["name", "email", "github", "twitter", "mastodon"]), SURROGATES)
def test_an_identifier_with_a_surrogate_is_invalid(kind: str, surrogate: str) -> None:
    value = {"email": "a@example.org", "mastodon": "@a@example.social"}.get(kind, "alice")
    with pytest.raises(InvalidIdentifier, match="lone surrogate"):
        Identifier(kind, value + surrogate)
    with pytest.raises(InvalidText):
        Person("witness", "Alice", notes=f"notes {surrogate}")


def test_intake_refuses_a_surrogate_and_stores_nothing(tmp_path: Path) -> None:
    document = _document()
    document["facts"] = "it happened \ud800 here"
    with Committee.init(tmp_path / "c", name="Surrogate Committee", now=NOW) as committee:
        trust = committee.trust
        payload = json.dumps(document).encode()
        plaintext = len(payload).to_bytes(4, "big") + payload
        from coc_hashscreen.formats._sealed import SEALED_INFO, _sealed_header

        key = trust.report_key
        header = _sealed_header(key, len(plaintext) + key.suite.hpke_overhead)
        sealed = header + key.seal(plaintext, info=SEALED_INFO + header)
        with pytest.raises(InvalidText):
            committee.intake(sealed, now=NOW)
        assert committee.register.reports.all() == []


def test_json_files_keys_and_csv_refuse_surrogates(tmp_path: Path) -> None:
    with pytest.raises(InvalidText, match="a string in the state file"):
        load_json(b'{"format": 1, "series": {"\\udc00": 1}}', "state file")
    # A paired escape is a real character and passes.
    assert load_json(b'{"a": "\\ud83d\\ude00"}', "x").raw() == {"a": "\U0001f600"}
    document = {**_committee_trust_document(), "committee": "Evil \udfff"}
    payload = COMMITTEE_KEY.public_bytes + json.dumps(document).encode()
    from coc_hashscreen.formats import sign_envelope

    with pytest.raises(InvalidText):
        parse_trust(sign_envelope("trust", payload, COMMITTEE_KEY))
    key_file = tmp_path / "organizer.pub"
    key_file.write_text(json.dumps({"name": "Conf \ud800", "purpose": "organizer"}))
    os.chmod(key_file, 0o644)
    with pytest.raises(CocHashscreenError):
        load_public_key(key_file)
    # UTF-8 cannot encode a surrogate; the bytes CESU-8 would use are refused.
    csv = tmp_path / "a.csv"
    csv.write_bytes(b"Name,Email\nJo\xed\xa0\x80hn,j@example.org\n")
    with pytest.raises(InputError, match="line 2 is not valid UTF-8"), read_csv(csv) as source:
        list(source.records())


def _committee_trust_document() -> dict[str, Any]:
    return {
        "format": 1,
        "committee": "Surrogate Committee",
        "series": COMMITTEE_KEY.key_id.hex(),
        "generation": 1,
        "report_key": {"algorithm": "x25519", "public": REPORT_KEY.public_key.raw.hex()},
        "issued_at": 1,
        "rotations": [],
    }


def test_check_text_names_the_place_not_the_text() -> None:
    with pytest.raises(InvalidText) as refused:
        check_text("secret name \ud800", "the facts")
    assert "secret" not in str(refused.value)
    assert str(refused.value).startswith("the facts is not Unicode text")
