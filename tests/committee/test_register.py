"""The committee register: records, validation, transactions, migrations."""

from __future__ import annotations

import gc
import os
import sqlite3
import stat
import sys
import warnings
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from coc_hashscreen.committee import (
    DEFAULT_MINOR_RETENTION,
    SCHEMA_VERSION,
    NewRecord,
    RecordChange,
    Register,
)
from coc_hashscreen.committee._db import _MIGRATIONS
from coc_hashscreen.core import EpochKey, Identifier, Status
from coc_hashscreen.errors import (
    InputError,
    InvalidIdentifier,
    KeyFileError,
    RegisterError,
    RetentionEnded,
    ScrubPending,
)

from ..helpers import NOW


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Register]:
    with Register.create(tmp_path / "register.sqlite3") as reg:
        yield reg


def _jane() -> list[Identifier]:
    return [Identifier("name", "Jane Doe"), Identifier("email", "jane@example.com")]


def test_create(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    with Register.create(path) as reg:
        assert reg.schema_version == SCHEMA_VERSION
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with pytest.raises(RegisterError, match="already exists"):
        Register.create(path)


def test_open_errors(tmp_path: Path) -> None:
    with pytest.raises(RegisterError, match="committee init"):
        Register.open(tmp_path / "missing.sqlite3")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not sqlite" * 100)
    os.chmod(junk, 0o600)
    with pytest.raises(RegisterError, match="not a coc-hashscreen register"):
        Register.open(junk)


def test_a_refused_file_leaves_no_connection_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python 3.13 warns about a connection left to the garbage collector.

    An open connection can also hold back the checkpoint that expunge
    relies on, so a refused open must close what it opened.
    """
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not sqlite" * 100)
    os.chmod(junk, 0o600)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        with pytest.raises(RegisterError):
            Register.open(junk)
        gc.collect()
    assert unraisable == []


def test_open_refuses_a_readable_register(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    Register.create(path).close()
    os.chmod(path, 0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        Register.open(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    Register.create(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(RegisterError, match="upgrade coc-hashscreen"):
        Register.open(path)


def test_forward_migration_keeps_data(tmp_path: Path) -> None:
    # A register as release 1 of the schema left it, with a record in it.
    path = tmp_path / "register.sqlite3"
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    db = sqlite3.connect(path)
    for statement in _MIGRATIONS[0]:
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.execute(
        "INSERT INTO records (status, case_ref, created_at, updated_at) "
        "VALUES ('banned', 'OLD-1', 1, 1)"
    )
    db.execute("INSERT INTO identifiers (record_id, kind, value) VALUES (1, 'name', 'Old Timer')")
    db.commit()
    db.close()
    with Register.open(path) as reg:
        assert reg.schema_version == SCHEMA_VERSION
        (record,) = reg.records.all()
        assert record.case_ref == "OLD-1"
        assert reg.organizers.all() == []


def test_add_and_get(register: Register) -> None:
    record = register.records.add(NewRecord(status=Status.BANNED, identifiers=_jane()), now=NOW)
    assert record.status is Status.BANNED
    assert record.case_ref.startswith("CoC-")
    assert len(record.case_ref) == 12
    assert record.created_at == NOW
    assert record.expires_at is None
    assert [(i.kind, i.value) for i in record.identifiers] == [
        ("name", "Jane Doe"),
        ("email", "jane@example.com"),
    ]
    assert register.records.get(record.id) == record


def test_identifiers_are_validated_when_entered() -> None:
    with pytest.raises(InvalidIdentifier, match="email"):
        Identifier("email", "not an address")
    with pytest.raises(InputError, match="only names can be aliases"):
        Identifier("email", "jane@example.com", alias=True)


def test_reprs_hide_identifier_values(register: Register) -> None:
    record = register.records.add(
        NewRecord(status=Status.BANNED, identifiers=_jane(), note="secret note"), now=NOW
    )
    text = repr(record)
    assert "Jane" not in text
    assert "jane@example.com" not in text
    assert "secret note" not in text


def test_add_refusals(register: Register) -> None:
    with pytest.raises(InputError, match="at least one identifier"):
        register.records.add(NewRecord(status=Status.BANNED, identifiers=[]), now=NOW)
    with pytest.raises(InputError, match="unknown status"):
        register.records.add(NewRecord(status="suspended", identifiers=_jane()), now=NOW)  # type: ignore[arg-type]
    with pytest.raises(RetentionEnded, match="delete it from the source"):
        register.records.add(
            NewRecord(status=Status.BANNED, identifiers=_jane(), expires_at=NOW), now=NOW
        )
    with pytest.raises(InputError, match="case reference"):
        register.records.add(
            NewRecord(status=Status.BANNED, identifiers=_jane(), case_ref="bad ref"), now=NOW
        )
    register.records.add(
        NewRecord(status=Status.BANNED, identifiers=_jane(), case_ref="CASE-1"), now=NOW
    )
    with pytest.raises(InputError, match="already used"):
        register.records.add(
            NewRecord(status=Status.FLAGGED, identifiers=_jane(), case_ref="CASE-1"), now=NOW
        )
    assert len(register.records.all()) == 1


def test_duplicate_identifiers_are_merged(register: Register) -> None:
    record = register.records.add(
        NewRecord(
            status=Status.FLAGGED,
            identifiers=[
                Identifier("email", "J.Ane@gmail.com"),
                Identifier("email", "jane@gmail.com"),
            ],
        ),
        now=NOW,
    )
    assert len(record.identifiers) == 1


def test_minor_records_get_a_retention(register: Register) -> None:
    record = register.records.add(NewRecord(status=Status.MINOR, identifiers=_jane()), now=NOW)
    assert record.expires_at == NOW + DEFAULT_MINOR_RETENTION
    explicit = register.records.add(
        NewRecord(status=Status.MINOR, identifiers=_jane(), expires_at=NOW + timedelta(days=10)),
        now=NOW,
    )
    assert explicit.expires_at == NOW + timedelta(days=10)


def test_update(register: Register) -> None:
    record = register.records.add(NewRecord(status=Status.FLAGGED, identifiers=_jane()), now=NOW)
    later = NOW + timedelta(hours=1)
    updated = register.records.update(
        record.id,
        RecordChange(
            status=Status.BANNED,
            add=[Identifier("github", "janedoe"), Identifier("name", "J. Doe", alias=True)],
            remove=[Identifier("email", "JANE@example.com")],
            expires_at=NOW + timedelta(days=365),
        ),
        now=later,
    )
    assert updated.status is Status.BANNED
    assert {(i.kind, i.alias) for i in updated.identifiers} == {
        ("name", False),
        ("github", False),
        ("name", True),
    }
    assert updated.updated_at == later
    assert updated.created_at == NOW
    assert updated.expires_at == NOW + timedelta(days=365)
    cleared = register.records.update(record.id, RecordChange(expires_at=None), now=later)
    assert cleared.expires_at is None
    kept = register.records.update(record.id, RecordChange(note="x"), now=later)
    assert kept.expires_at is None
    assert kept.note == "x"


def test_update_is_all_or_nothing(register: Register) -> None:
    record = register.records.add(NewRecord(status=Status.FLAGGED, identifiers=_jane()), now=NOW)
    with pytest.raises(InputError, match="at least one identifier"):
        register.records.update(
            record.id, RecordChange(status=Status.BANNED, remove=_jane()), now=NOW
        )
    assert register.records.get(record.id) == record


def test_remove(register: Register) -> None:
    record = register.records.add(NewRecord(status=Status.FLAGGED, identifiers=_jane()), now=NOW)
    register.records.remove(record.id)
    with pytest.raises(RegisterError, match="no record with id"):
        register.records.get(record.id)
    with pytest.raises(RegisterError):
        register.records.remove(record.id)
    count = register._db.execute("SELECT COUNT(*) FROM identifiers").fetchone()[0]
    assert count == 0


def test_published_records(register: Register) -> None:
    banned = register.records.add(NewRecord(status=Status.BANNED, identifiers=_jane()), now=NOW)
    flagged = register.records.add(
        NewRecord(status=Status.FLAGGED, identifiers=_jane(), expires_at=NOW + timedelta(days=1)),
        now=NOW,
    )
    register.records.add(NewRecord(status=Status.MINOR, identifiers=_jane()), now=NOW)
    assert [r.id for r in register.records.published(NOW)] == [banned.id, flagged.id]
    assert [r.id for r in register.records.published(NOW + timedelta(days=1))] == [banned.id]


def test_readers_see_a_consistent_state_while_a_writer_works(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    with Register.create(path) as writer, Register.open(path) as reader:
        writer.records.add(NewRecord(status=Status.BANNED, identifiers=_jane()), now=NOW)
        writer._db.execute("BEGIN IMMEDIATE")
        writer._db.execute("DELETE FROM records")
        # WAL: the reader is not blocked and sees the last committed state.
        assert len(reader.records.all()) == 1
        writer._db.execute("COMMIT")
        assert reader.records.all() == []


def test_epochs_destroy_the_previous_secret(register: Register) -> None:
    from coc_hashscreen.core import KDF_PROFILES

    cheap = KDF_PROFILES["test-only"]
    first = register.epochs.start(EpochKey(b"\x01" * 32, b"\x02" * 16, cheap), now=NOW)
    assert (first.number, first.secret) == (1, b"\x01" * 32)
    second = register.epochs.start(EpochKey(b"\x03" * 32, b"\x04" * 16, cheap), now=NOW)
    assert second.number == 2
    secrets = register._db.execute("SELECT epoch, secret FROM epochs ORDER BY epoch").fetchall()
    assert secrets == [(1, None), (2, b"\x03" * 32)]
    raw = b"".join(p.read_bytes() for p in Path(register.path).parent.glob("register.sqlite3*"))
    assert b"\x01" * 32 not in raw


def test_update_follows_the_rules_of_add(register: Register) -> None:
    record = register.records.add(NewRecord(status=Status.MINOR, identifiers=_jane()), now=NOW)
    with pytest.raises(InputError, match="future"):
        register.records.update(
            record.id, RecordChange(expires_at=NOW - timedelta(days=1)), now=NOW
        )
    with pytest.raises(InputError, match="always has a retention"):
        register.records.update(record.id, RecordChange(expires_at=None), now=NOW)
    with pytest.raises(InputError, match="no such github"):
        register.records.update(
            record.id, RecordChange(remove=[Identifier("github", "stranger")]), now=NOW
        )
    assert register.records.get(record.id) == record
    flagged = register.records.update(
        record.id, RecordChange(status=Status.FLAGGED, expires_at=None), now=NOW
    )
    assert flagged.expires_at is None


def test_an_alias_is_removed_by_its_name(register: Register) -> None:
    record = register.records.add(
        NewRecord(
            status=Status.BANNED,
            identifiers=[Identifier("name", "Jane Doe"), Identifier("name", "J. Doe", alias=True)],
        ),
        now=NOW,
    )
    updated = register.records.update(
        record.id, RecordChange(remove=[Identifier("name", "j doe")]), now=NOW
    )
    assert [(i.value, i.alias) for i in updated.identifiers] == [("Jane Doe", False)]


def test_a_blocked_scrub_is_an_error_not_a_silent_success(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite3"
    with Register.create(path) as register:
        record = register.records.add(
            NewRecord(status=Status.BANNED, identifiers=[Identifier("email", "held@example.org")]),
            now=NOW,
        )
        register._db.execute("PRAGMA busy_timeout = 100")
        reader = sqlite3.connect(path)
        try:
            reader.execute("BEGIN")
            reader.execute("SELECT * FROM records").fetchall()
            with pytest.raises(ScrubPending, match="the change is saved"):
                register.records.remove(record.id)
        finally:
            reader.close()
        assert register.records.all() == []  # the removal itself stands
        register.scrub()  # once the other program is gone, the scrub goes through
        raw = b"".join(p.read_bytes() for p in tmp_path.glob("register.sqlite3*"))
        assert b"held@example.org" not in raw


def test_freed_overflow_pages_leave_no_byte(tmp_path: Path) -> None:
    # A blob long enough for an overflow chain, as attachments are: secure_delete
    # zeroes freed pages, so no VACUUM is needed.
    path = tmp_path / "register.sqlite3"
    marker = b"OVERFLOW-MARKER-"
    with Register.create(path) as register:
        with register._db.write() as db:
            db.execute("CREATE TABLE blobs (data BLOB)")
            db.execute("INSERT INTO blobs VALUES (?)", ((marker + bytes(range(48))) * 20_000,))
        assert marker in b"".join(p.read_bytes() for p in tmp_path.glob("register.sqlite3*"))
        with register._db.write() as db:
            db.execute("DELETE FROM blobs")
        register.scrub()
    assert marker not in b"".join(p.read_bytes() for p in tmp_path.glob("register.sqlite3*"))


def test_temporary_data_stays_in_memory(register: Register) -> None:
    assert register._db.execute("PRAGMA temp_store").fetchone() == (2,)
