"""No secret and no attendee identifier in logs, errors, reprs or CLI stderr.

The test collects every piece of text the library shows a person or a log
on failure paths and in object reprs, and searches each for every form
(raw, hex, base64, canonical) of every secret key and identifier in play.
The number of texts checked is printed at the end of the run.
"""

from __future__ import annotations

import base64
import io
import logging
import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from coc_hashscreen.cli import main
from coc_hashscreen.committee import NewRecord
from coc_hashscreen.core import (
    HpkePrivateKey,
    Identifier,
    KeyedHasher,
    KeyPurpose,
    Status,
    canonical,
    keyed_hash,
)
from coc_hashscreen.errors import CocHashscreenError
from coc_hashscreen.formats import IncidentReport, parse_grant, save_private_key, seal_report
from coc_hashscreen.organizer import FileState, MemoryState, ScreenRecord, read_csv

from ._tally import count
from .conftest import World
from .helpers import NOW, sample_report

ATTENDEE_NAME = "Secretia Attendeeson"
ATTENDEE_EMAIL = "secretia.attendeeson@private.example"
ATTENDEE_GITHUB = "secretia-gh"


def _forms(secret: bytes) -> list[str]:
    return [secret.hex(), secret.hex()[:16], base64.b64encode(secret).decode(), repr(secret)[2:30]]


def _needles(world: World) -> list[str]:
    committee = world.committee
    epoch = committee.register.epochs.current()
    assert epoch is not None
    assert epoch.secret is not None
    hashed = keyed_hash(
        epoch.key, version=1, kind="email", canonical_form=canonical("email", ATTENDEE_EMAIL)
    )
    secrets = [
        committee._authority.signing_key.private_bytes(),
        committee.report_key().private_bytes(),
        world.organizer.private_bytes(),
        epoch.secret,
        hashed.payload_key,
    ]
    identifiers = [ATTENDEE_NAME, ATTENDEE_EMAIL, ATTENDEE_GITHUB, "Secretia", "attendeeson"]
    identifiers += [canonical("name", ATTENDEE_NAME), canonical("email", ATTENDEE_EMAIL)]
    return [form for s in secrets for form in _forms(s)] + identifiers


def _collect_errors(world: World) -> list[str]:
    texts: list[str] = []

    def failing(action: Callable[[], object]) -> None:
        try:
            action()
        except CocHashscreenError as exc:
            texts.extend([str(exc), repr(exc)])
        else:  # pragma: no cover - every action below must fail
            raise AssertionError("expected a refusal")

    tampered = bytearray(world.list_path.read_bytes())
    tampered[100] ^= 1
    bad_csv = f"Name,Email\n{ATTENDEE_NAME},{ATTENDEE_EMAIL},extra\n".encode()
    undecodable = f"Name,Email\n{ATTENDEE_NAME},{ATTENDEE_EMAIL}\xff\n".encode("latin-1")
    wrong_key = HpkePrivateKey.generate()
    failing(lambda: canonical("email", ATTENDEE_EMAIL.replace("@", " at ")))
    failing(lambda: canonical("github", f"https://github.com/{ATTENDEE_GITHUB}/repo"))
    failing(lambda: canonical("name", "🙂" * 3))
    failing(lambda: Identifier("email", f"{ATTENDEE_NAME} <{ATTENDEE_EMAIL}"))
    failing(lambda: list(read_csv(io.BytesIO(bad_csv)).records()))
    failing(lambda: list(read_csv(io.BytesIO(undecodable)).records()))
    failing(lambda: world.screener(hashed_list=bytes(tampered)))
    failing(lambda: world.screener(organizer_key=wrong_key))
    failing(lambda: world.screener(now=NOW + timedelta(days=400)))
    failing(
        lambda: world.committee.register.records.add(
            NewRecord(status=Status.BANNED, identifiers=[])
        )
    )
    document = sample_report().to_dict()
    document["people"][0]["email"] = [ATTENDEE_EMAIL.replace("@", "")]
    failing(lambda: IncidentReport.from_json(str(document).replace("'", '"').encode()))
    sealed = seal_report(sample_report(), trust=world.committee.trust)
    failing(lambda: world.committee.intake(sealed[:-1] + bytes([sealed[-1] ^ 1])))
    key_path = world.tmp / "loose.key"
    save_private_key(key_path, world.organizer, purpose=KeyPurpose.ORGANIZER, name="o")
    os.chmod(key_path, 0o644)
    failing(lambda: world.screener(organizer_key=key_path))
    return texts


def _collect_reprs(world: World) -> list[str]:
    committee = world.committee
    epoch = committee.register.epochs.current()
    assert epoch is not None
    assert epoch.secret is not None
    grant = parse_grant(world.grant_path.read_bytes(), committee.trust.trusted_keys())
    record = committee.register.records.add(
        NewRecord(
            status=Status.FLAGGED,
            identifiers=[Identifier("name", ATTENDEE_NAME), Identifier("email", ATTENDEE_EMAIL)],
            note=ATTENDEE_NAME,
        ),
        now=NOW,
    )
    screener = world.screener()
    report = screener.screen(
        [{"name": ATTENDEE_NAME, "email": ATTENDEE_EMAIL, "row": 1}, {"email": "broken"}]
    )
    incident = sample_report(reporter_name=ATTENDEE_NAME)
    with KeyedHasher(epoch.key, version=1) as hasher:
        objects: list[object] = [
            committee, committee._authority.signing_key, committee.report_key(), world.organizer,
            world.organizer.public_key, grant, epoch, hasher, screener, record,
            record.identifiers[0], ScreenRecord(names=(ATTENDEE_NAME,), emails=(ATTENDEE_EMAIL,)),
            incident, incident.people[0], incident.attachments[0], report,
            keyed_hash(epoch.key, version=1, kind="name",
                       canonical_form=canonical("name", ATTENDEE_NAME)),
            epoch.key,
            committee.intake(seal_report(incident, trust=committee.trust)),
            FileState(world.tmp / "s.json"), MemoryState(),
        ]  # fmt: skip
        return [repr(o) for o in objects] + [str(o) for o in objects]


def _collect_cli_stderr(world: World, capsys: pytest.CaptureFixture[str]) -> list[str]:
    csv = world.tmp / "attendees.csv"
    csv.write_bytes(f"Name,Email\n{ATTENDEE_NAME},{ATTENDEE_EMAIL},too,many\n".encode())
    organizer_dir = world.tmp / "organizer"
    organizer_dir.mkdir()
    save_private_key(organizer_dir / "organizer.key", world.organizer, purpose=KeyPurpose.ORGANIZER,
                     name="o")  # fmt: skip
    base = [
        "screen", str(csv), "--list", str(world.list_path), "--grant", str(world.grant_path),
        "--key", str(organizer_dir), "--trust", str(world.trust_path),
        "--state", str(world.tmp / "cli-state.json"),
    ]  # fmt: skip
    runs = [
        base,
        [*base[:3], str(world.grant_path), *base[4:]],
        ["normalize", "email", ATTENDEE_EMAIL.replace("@", "")],
        ["normalize", "name", "!!!"],
        ["committee", "add", str(world.committee.directory), "--status", "banned",
         "--email", ATTENDEE_EMAIL.replace("@", "")],
    ]  # fmt: skip
    texts = []
    for argv in runs:
        code = main(argv)
        assert code != 0
        texts.append(capsys.readouterr().err)
    return texts


def test_no_secret_or_identifier_leaks(
    world: World, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    needles = _needles(world)
    texts = _collect_errors(world) + _collect_reprs(world) + _collect_cli_stderr(world, capsys)
    texts.append(caplog.text)
    leaks = [(needle, text[:200]) for text in texts for needle in needles if needle in text]
    count("leak checks run (texts searched)", len(texts))
    count("leak checks run (text x secret or identifier form)", len(texts) * len(needles))
    assert leaks == []


def test_the_leak_search_would_find_a_leak(world: World) -> None:
    # The needles are real: a repr that showed the key would be caught.
    needles = _needles(world)
    shown = repr(world.organizer.private_bytes()) + world.organizer.private_bytes().hex()
    assert any(needle in shown for needle in needles)
    assert any(needle in f"error about {ATTENDEE_EMAIL}" for needle in needles)


def test_secret_files_are_private(world: World, tmp_path: Path) -> None:
    for path in (
        world.committee.directory / "signing.key",
        world.committee.directory / "report.key",
        world.committee.directory / "register.sqlite3",
    ):
        assert oct(path.stat().st_mode & 0o777) == "0o600", path
        count("secret file modes checked")
