"""CSV exports of the platforms without a JSON reader, from their documented columns.

Each fixture plants listed people (García by e-mail or name, Mallory by
handle) and people who are not listed, and checks what is read, what is
warned about, and who matches.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coc_hashscreen.core import Strength
from coc_hashscreen.organizer import read_input

from ..conftest import World

# Meetup's "Download attendee list": names and profile links, never e-mail
# addresses; "Event Host" and "RSVP" are yes/no columns.
MEETUP = (
    "Name,User ID,Title,Event Host,RSVP,Guests,RSVPed on,Joined Group on,URL of Member Profile\n"
    "José María García,user 1001,,No,Yes,0,2026-05-01,2024-01-02,https://www.meetup.com/members/1001\n"
    "Ada Lovelace,user 1002,,Yes,Yes,1,2026-05-02,2023-03-04,https://www.meetup.com/members/1002\n"
)

# Google Forms' responses sheet, downloaded as CSV, with "Collect email
# addresses" on and questions worded by the organizer.
GOOGLE_FORMS = (
    "Timestamp,Email Address,Your full name,Your GitHub username,"
    "Can we print your Twitter handle on your badge?\n"
    "2026/05/01 10:00:00 AM GMT+2,ada@example.org,Ada Lovelace,ada,Yes\n"
    "2026/05/01 10:05:00 AM GMT+2,someone@example.org,Sam Someone,mallory,No\n"
)

# Indico's registrant list as CSV (its Excel export has the same columns).
INDICO = (
    "ID,First Name,Last Name,Email Address,Affiliation,Registration date,Registration state\n"
    "1,José,García,jose.garcia+events@gmail.com,Example University,2026-04-01,complete\n"
    "2,Grace,Hopper,grace@example.org,Navy,2026-04-02,complete\n"
)

# pretalx's sessions export: one row per talk, its speakers in one cell.
PRETALX_SESSIONS = (
    "ID,Proposal title,Speaker names,Speaker IDs,Room,Start\n"
    'ABC123,Keynote,"Ada Lovelace\nMallory Smith","AAA\nBBB",Main hall,2026-05-01T10:00\n'
    "DEF456,Lightning talk,Grace Hopper,CCC,Room 2,2026-05-01T11:00\n"
)


def _write(world: World, data: str) -> Path:
    path = world.tmp / "export.csv"
    path.write_text(data, encoding="utf-8")
    return path


def _screen(world: World, data: str) -> tuple[list[str], list[tuple[int, str]]]:
    with read_input(_write(world, data)) as source:
        warnings = list(source.plan.warnings)
        report = world.screener().screen(source.records())
    return warnings, [(m.row, m.strength.value) for m in report.matches]


def test_meetup_names_are_screened_and_the_missing_email_is_said(world: World) -> None:
    warnings, matches = _screen(world, MEETUP)
    assert matches == [(1, Strength.NAME_ONLY.value)]
    assert any("e-mail" in w for w in warnings)
    assert not any("José" in w or "Ada" in w for w in warnings)


def test_google_forms_reads_worded_questions_and_never_hashes_yes_no(world: World) -> None:
    warnings, matches = _screen(world, GOOGLE_FORMS)
    # Sam's GitHub answer is Mallory's handle; the badge question is yes/no.
    assert matches == [(2, Strength.STRONG.value)]
    assert any("yes/no" in w for w in warnings)


def test_indico_registrants(world: World) -> None:
    _, matches = _screen(world, INDICO)
    assert matches == [(1, Strength.STRONG.value)]


def test_pretalx_sessions_screen_every_co_speaker(world: World) -> None:
    _, matches = _screen(world, PRETALX_SESSIONS)
    assert matches == [(1, Strength.NAME_ONLY.value)]


@pytest.mark.parametrize("data", [MEETUP, GOOGLE_FORMS, INDICO, PRETALX_SESSIONS])
def test_every_row_is_a_record(world: World, data: str) -> None:
    with read_input(_write(world, data)) as source:
        assert source.count() == 2
