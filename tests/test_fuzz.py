"""Hostile input for every parser: each ends in a value or one of our errors.

For every file type: arbitrary bytes, truncations of a valid file, and valid
files with one field changed, added or removed (signed again with the right
key, so the mutation reaches the parser behind the signature), plus deep
nesting, huge numbers, huge strings, NaN and duplicate keys.  The number of
examples run per parser is printed at the end of the run ("hardening
figures").
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import shutil
import struct
import tempfile
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.core import (
    KDF_PROFILES,
    EpochKey,
    Identifier,
    KeyPurpose,
    SigningKey,
    Suite,
    key_check,
)
from coc_hashscreen.errors import CocHashscreenError
from coc_hashscreen.formats import (
    MAX_SIZES,
    Attachment,
    GrantTerms,
    IncidentReport,
    ListHeader,
    Person,
    TrustContent,
    build_list,
    issue_grant,
    load_private_key,
    load_public_key,
    make_rotation,
    make_trust,
    open_sealed_report,
    open_self_signed,
    parse_grant,
    parse_list,
    parse_receipt,
    parse_trust,
    save_private_key,
    save_public_key,
    seal_report,
    sign_envelope,
    sign_receipt,
)
from coc_hashscreen.formats._envelope import SIGNATURE_CONTEXT, _prefix
from coc_hashscreen.formats._rotation import parse_rotation
from coc_hashscreen.formats._sealed import SEALED_INFO, _sealed_header
from coc_hashscreen.formats._wire import dump_json as dump
from coc_hashscreen.organizer import FileState, read_csv

from ._tally import count
from .helpers import NOW, fixed_hpke_key, fixed_signing_key

COMMITTEE = fixed_signing_key("fuzz committee")
NEXT = fixed_signing_key("fuzz committee next")
REPORT_KEY = fixed_hpke_key("fuzz reports")
ORGANIZER = fixed_hpke_key("fuzz organizer")
TRUSTED = {COMMITTEE.key_id: COMMITTEE.public_key}
EPOCH_KEY = bytes(range(32))
SALT = bytes(16)

# ---------------------------------------------------------------------------
# valid documents, and how to turn a (mutated) JSON payload back into a file


@dataclass(frozen=True)
class Target:
    """One parser: a valid JSON payload, how to wrap it, how to parse a file."""

    document: dict[str, Any]
    wrap: Callable[[bytes], bytes]
    parse: Callable[[bytes], object]

    @property
    def valid(self) -> bytes:
        return self.wrap(dump(self.document))


def _list_document() -> dict[str, Any]:
    header = ListHeader(
        series=COMMITTEE.key_id, epoch=1, version=1, issued_at=NOW,
        expires_at=NOW + timedelta(days=30), kdf=KDF_PROFILES["test-only"], salt=SALT,
        key_check=key_check(
            EpochKey(EPOCH_KEY, SALT, KDF_PROFILES["test-only"]), series=COMMITTEE.key_id, epoch=1
        ),
        entry_count=64,
    )  # fmt: skip
    return header.to_dict()


_ENTRIES = build_list(ListHeader.from_json(dump(_list_document())), [], COMMITTEE)[
    -(64 * 108 + 64) : -64
]


def _sign(file_type: str, payload: bytes, key: SigningKey = COMMITTEE) -> bytes:
    """A signed envelope, even one over the size limit (which the parser must refuse)."""
    signed = _prefix(file_type, key.key_id, len(payload)) + payload
    return signed + key.sign(SIGNATURE_CONTEXT + signed)


def _wrap_list(header: bytes) -> bytes:
    return _sign("list", struct.pack(">I", len(header)) + header + _ENTRIES)


def _wrap_signed(file_type: str) -> Callable[[bytes], bytes]:
    return lambda payload: _sign(file_type, payload)


def _payload(data: bytes, start: int) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(data[start:-64])
    return loaded


def _envelope_start(file_type: str) -> int:
    return 9 + len(file_type) + 32 + 8


_GRANT = issue_grant(
    GrantTerms(COMMITTEE.key_id, 1, "Fuzz Conf", NOW, NOW + timedelta(days=9)),
    epoch_key=EPOCH_KEY,
    organizer=ORGANIZER.public_key,
    signer=COMMITTEE,
)
_TRUST = make_trust(
    TrustContent("Fuzz Committee", COMMITTEE.key_id, REPORT_KEY.public_key),
    signing_key=COMMITTEE,
    now=NOW,
)
_ROTATION = make_rotation(
    series=COMMITTEE.key_id, generation=2, old=COMMITTEE, new_public=NEXT.public_bytes, now=NOW
)
_REPORT = IncidentReport(
    event_name="Fuzz Conf", event_start=date(2026, 1, 1), event_end=date(2026, 1, 2),
    reporter_name="Rita Reporter", reporter_email="coc@fuzz.example",
    people=(Person("reported", "Mal Actor", (Identifier("email", "mal@example.org"),)),),
    facts="Facts.", attachments=(Attachment("n.txt", b"note"),),
)  # fmt: skip
_TRUST_FILE = parse_trust(_TRUST)
_SEALED = seal_report(_REPORT, trust=_TRUST_FILE)
_RECEIPT = sign_receipt(
    committee="Fuzz Committee", series=COMMITTEE.key_id, sealed=_SEALED, received_at=NOW,
    signer=COMMITTEE,
)  # fmt: skip


def _wrap_sealed(report_json: bytes) -> bytes:
    plaintext = struct.pack(">I", len(report_json)) + report_json + b"note"
    key = REPORT_KEY.public_key
    header = _sealed_header(key, len(plaintext) + key.suite.hpke_overhead)
    return header + key.seal(plaintext, info=SEALED_INFO + header)


# Loaders that take paths get each example written here first.
_FUZZ_DIR = Path(tempfile.mkdtemp(prefix="coc-hashscreen-fuzz-"))


def _file_parser(load: Callable[[Path], object]) -> Callable[[bytes], object]:
    def parse(data: bytes) -> object:
        path = _FUZZ_DIR / "input"
        path.write_bytes(data)
        os.chmod(path, 0o600)
        return load(path)

    return parse


def _key_document(private: bool) -> dict[str, Any]:
    tmp = _FUZZ_DIR / "k"
    if private:
        save_private_key(tmp, ORGANIZER, purpose=KeyPurpose.ORGANIZER, name="o")
    else:
        save_public_key(tmp, ORGANIZER.public_key, purpose=KeyPurpose.ORGANIZER, name="o")
    document: dict[str, Any] = json.loads(tmp.read_bytes())
    return document


def _csv(data: bytes) -> object:
    with read_csv(io.BytesIO(data)) as source:
        return list(source.records())


@pytest.fixture(scope="module", autouse=True)
def _remove_fuzz_dir() -> Iterator[None]:
    yield
    shutil.rmtree(_FUZZ_DIR, ignore_errors=True)


def _targets() -> dict[str, Target]:
    return {
        "list": Target(_list_document(), _wrap_list, lambda d: parse_list(d, TRUSTED)),
        "grant": Target(
            _payload(_GRANT, _envelope_start("grant")),
            _wrap_signed("grant"),
            lambda d: parse_grant(d, TRUSTED),
        ),
        "trust file": Target(
            _payload(_TRUST, _envelope_start("trust") + 32),
            lambda p: _sign("trust", COMMITTEE.public_bytes + p),
            parse_trust,
        ),
        "rotation statement": Target(
            _payload(_ROTATION, _envelope_start("key-rotation") + 64),
            lambda p: _sign("key-rotation", COMMITTEE.public_bytes + NEXT.public_bytes + p),
            lambda d: parse_rotation(
                d, series=COMMITTEE.key_id, generation=2, previous=None, legacy=False
            ),
        ),
        "receipt": Target(
            _payload(_RECEIPT, _envelope_start("receipt")),
            _wrap_signed("receipt"),
            lambda d: parse_receipt(d, TRUSTED),
        ),
        "sealed report": Target(
            {**_REPORT.to_dict()}, _wrap_sealed, lambda d: open_sealed_report(d, REPORT_KEY)
        ),
        "report template": Target(
            {**_REPORT.to_dict(), "attachments": []}, lambda p: p, IncidentReport.from_json
        ),
        "state file": Target(
            {
                "format": 1,
                "series": {
                    COMMITTEE.key_id.hex(): {
                        "committee": "C",
                        "trust_generation": 1,
                        "signing_key_id": COMMITTEE.key_id.hex(),
                        "list_version": 3,
                        "list_epoch": 1,
                    }
                },
            },
            lambda p: p,
            _file_parser(lambda path: FileState(path).get(COMMITTEE.key_id)),
        ),
    }


TARGETS = _targets()


def _key_targets() -> dict[str, Target]:
    return {
        "private key file": Target(
            _key_document(private=True),
            lambda p: p,
            _file_parser(lambda path: load_private_key(path, purpose=KeyPurpose.ORGANIZER)),
        ),
        "public key file": Target(
            _key_document(private=False), lambda p: p, _file_parser(load_public_key)
        ),
    }


def _outcome(name: str, parse: Callable[[bytes], object], data: bytes) -> None:
    count(f"fuzz examples, {name}")
    with contextlib.suppress(CocHashscreenError):
        parse(data)


def test_valid_files_parse() -> None:
    for target in (*TARGETS.values(), *_key_targets().values()):
        assert target.parse(target.valid) is not None


# ---------------------------------------------------------------------------
# mutations

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        for key, child in value.items():
            found.append((*prefix, key))
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.append((*prefix, index))
            found += _paths(child, (*prefix, index))
    return found


def _deep_nesting(draw: st.DrawFn, document: dict[str, Any]) -> bytes:
    depth = draw(st.integers(10, 200_000))
    return b"[" * depth + b"]" * depth


def _huge_number(draw: st.DrawFn, document: dict[str, Any]) -> bytes:
    return b'{"format": 1' + b"9" * draw(st.integers(1, 20_000)) + b"}"


def _nan(draw: st.DrawFn, document: dict[str, Any]) -> bytes:
    return dump(document).replace(b'"format":1', b'"format":NaN')


def _duplicate_key(draw: st.DrawFn, document: dict[str, Any]) -> bytes:
    return dump(document)[:-1] + b',"format":1}'


def _long_string(draw: st.DrawFn, document: dict[str, Any]) -> bytes:
    key = draw(st.sampled_from(sorted(document)))
    return dump({**document, key: "x" * draw(st.integers(0, 300_000))})


def _trailing_bytes(draw: st.DrawFn, document: dict[str, Any]) -> bytes:
    return dump(document) + draw(st.binary(min_size=1, max_size=8))


# Attacks on the JSON text itself, by name.
_RAW_ATTACKS: dict[str, Callable[[st.DrawFn, dict[str, Any]], bytes]] = {
    "nesting": _deep_nesting,
    "number": _huge_number,
    "nan": _nan,
    "duplicate": _duplicate_key,
    "string": _long_string,
    "bytes": _trailing_bytes,
}


@st.composite
def mutated_payloads(draw: st.DrawFn, document: dict[str, Any]) -> bytes:
    """One field changed, added or removed, or a raw-text attack on the JSON."""
    raw = draw(
        st.sampled_from(
            ["field", "field", "field", "nesting", "number", "nan", "duplicate", "string", "bytes"]
        )
    )
    if raw != "field":
        return _RAW_ATTACKS[raw](draw, document)
    mutated = copy.deepcopy(document)
    paths = _paths(mutated)
    path = draw(st.sampled_from(paths))
    parent: Any = mutated
    for step in path[:-1]:
        parent = parent[step]
    action = draw(st.sampled_from(["replace", "add", "remove"]))
    if action == "remove":
        del parent[path[-1]]
    elif action == "add" and isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=8))] = draw(json_values)
    else:
        parent[path[-1]] = draw(json_values)
    return json.dumps(mutated).encode()


def _fuzz(name: str) -> Callable[..., None]:
    target = TARGETS.get(name) or _key_targets()[name]

    @given(st.data())
    def check(data: st.DataObject) -> None:
        kind = data.draw(st.sampled_from(["bytes", "truncated", "mutated", "mutated"]))
        if kind == "bytes":
            blob = data.draw(st.binary(max_size=2048))
        elif kind == "truncated":
            valid = target.valid
            blob = valid[: data.draw(st.integers(0, len(valid) - 1))]
        else:
            blob = target.wrap(data.draw(mutated_payloads(target.document)))
        _outcome(name, target.parse, blob)

    return check


test_fuzz_list = _fuzz("list")
test_fuzz_grant = _fuzz("grant")
test_fuzz_trust_file = _fuzz("trust file")
test_fuzz_rotation_statement = _fuzz("rotation statement")
test_fuzz_receipt = _fuzz("receipt")
test_fuzz_sealed_report = _fuzz("sealed report")
test_fuzz_report_template = _fuzz("report template")
test_fuzz_state_file = _fuzz("state file")
test_fuzz_private_key_file = _fuzz("private key file")
test_fuzz_public_key_file = _fuzz("public key file")


csv_cells = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ['"', '""', "\r", "\n", ",", ";", "\t", "=cmd()", "\x00", "a" * 1000]
)


@given(
    st.binary(max_size=2048)
    | st.lists(st.lists(csv_cells, max_size=6), max_size=8).map(
        lambda rows: "\n".join(",".join(r) for r in [["Name", "Email", "GitHub"], *rows]).encode(
            "utf-8", "surrogatepass"
        )
    )
)
def test_fuzz_csv_input(data: bytes) -> None:
    _outcome("CSV input", _csv, data)


# ---------------------------------------------------------------------------
# size limits come before reading, and parsing stays within bounded memory


def test_oversized_files_are_refused_before_reading(tmp_path: Path) -> None:
    from coc_hashscreen.errors import FileTooLarge
    from coc_hashscreen.formats import MAX_SEALED_SIZE, read_envelope, read_sealed

    for file_type, limit in MAX_SIZES.items():
        path = tmp_path / file_type
        with path.open("wb") as handle:
            handle.truncate(limit + 1)  # sparse: reading it would cost nothing to notice
        with pytest.raises(FileTooLarge):
            read_envelope(path, file_type)
        count("size limits checked before reading")
    with (tmp_path / "sealed").open("wb") as handle:
        handle.truncate(MAX_SEALED_SIZE + 1)
    with pytest.raises(FileTooLarge):
        read_sealed(tmp_path / "sealed")
    (tmp_path / "k").write_bytes(b" " * (17 * 1024))
    os.chmod(tmp_path / "k", 0o600)
    with pytest.raises(CocHashscreenError):
        load_private_key(tmp_path / "k", purpose=KeyPurpose.ORGANIZER)


def test_hostile_payloads_stay_within_bounded_memory() -> None:
    hostile = [
        b"[" * 500_000 + b"]" * 500_000,
        b'{"format": ' + b"9" * 500_000 + b"}",
        dump({**_list_document(), "profile": "v" * 900_000}),
    ]
    tracemalloc.start()
    try:
        for payload in hostile:
            with pytest.raises(CocHashscreenError):
                parse_list(_wrap_list(payload), TRUSTED)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20


def test_hostile_argon2_parameters_are_refused_before_any_hashing() -> None:
    from coc_hashscreen.core import HashingOptions
    from coc_hashscreen.errors import FormatError
    from coc_hashscreen.organizer import MemoryState, Screener, ScreenerOptions

    def no_hashing(secret: bytes, salt: bytes, params: object) -> bytes:
        raise AssertionError("hashing started")

    trust = make_trust(
        TrustContent("Fuzz Committee", COMMITTEE.key_id, REPORT_KEY.public_key),
        signing_key=COMMITTEE,
        now=NOW,
    )
    options = ScreenerOptions(
        state=MemoryState(), now=NOW, hashing=HashingOptions(argon2=no_hashing)
    )
    for change in ({"memory_cost": 4 * 2**20}, {"time_cost": 10_000}, {"parallelism": 4096}):
        document = {**_list_document(), "kdf": {**_list_document()["kdf"], **change}}
        hostile = _wrap_list(dump(document))
        with pytest.raises(FormatError, match="refuses"):
            parse_list(hostile, TRUSTED)
        with pytest.raises(FormatError, match="refuses"):
            Screener.load(
                hashed_list=hostile,
                grant=b"",
                organizer_key=ORGANIZER,
                trust=trust,
                options=options,
            )
        count("hostile Argon2 parameter sets refused")


def test_no_base64_bomb() -> None:
    # A base64 field is bounded by its encoded length before it is decoded,
    # and no format is compressed, so no small file expands into a big one.
    document = {**_payload(_GRANT, _envelope_start("grant")), "sealed": "A" * 60_000}
    with pytest.raises(CocHashscreenError, match="sealed"):
        parse_grant(sign_envelope("grant", dump(document), COMMITTEE), TRUSTED)


@pytest.mark.parametrize("suite", list(Suite))
def test_hybrid_grants_survive_fuzzing_too(suite: Suite) -> None:
    organizer = fixed_hpke_key("fuzz organizer hybrid", suite)
    grant = issue_grant(
        GrantTerms(COMMITTEE.key_id, 1, "x", NOW, NOW + timedelta(days=1)),
        epoch_key=EPOCH_KEY,
        organizer=organizer.public_key,
        signer=COMMITTEE,
    )
    parsed = parse_grant(grant, TRUSTED)
    assert parsed.open(organizer) == EPOCH_KEY
    document = _payload(grant, _envelope_start("grant"))
    document["sealed"] = document["sealed"][:-8] + "AAAAAAA="
    with pytest.raises(CocHashscreenError):
        parse_grant(sign_envelope("grant", dump(document), COMMITTEE), TRUSTED).open(organizer)


def test_self_signed_parsers_never_crash_on_short_input() -> None:
    for length in range(140):
        for file_type in ("trust", "key-rotation"):
            with pytest.raises(CocHashscreenError):
                open_self_signed(
                    _TRUST[:length] if file_type == "trust" else _ROTATION[:length], file_type
                )
