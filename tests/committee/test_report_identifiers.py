"""An unauthenticated report cannot add an innocent person to a record (issue 11, finding 3).

A report linked to a real offender by e-mail may carry a second, innocent
e-mail.  A routine assessment adds nothing from the report to the linked
record; each identifier is added only when the committee confirms it by its
position (``--add-identifier P.I``), and show-report marks the ones the
record does not hold as new.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from coc_hashscreen.cli import main
from coc_hashscreen.committee import ReviewAction
from coc_hashscreen.core import Identifier, Status
from coc_hashscreen.errors import InputError
from coc_hashscreen.formats import Person, seal_report

from ..conftest import World
from ..helpers import NOW, sample_report

OFFENDER = "Jose.Garcia@gmail.com"  # the banned record's e-mail, spelt another way
INNOCENT = "innocent.bystander@example.org"


def _injected(world: World) -> str:
    """A report linking to the banned García record, carrying an innocent e-mail too."""
    person = Person("reported", "", (Identifier("email", OFFENDER), Identifier("email", INNOCENT)))
    witness = Person("witness", "", (Identifier("email", "witness.only@example.org"),))
    report = sample_report(people=(person, witness))
    sealed = seal_report(report, trust=world.committee.trust)
    stored = world.committee.intake(sealed, now=NOW).report
    garcia = _garcia(world)
    assert stored.people[0] == ("reported", garcia)  # linked at intake by the e-mail
    world.committee.register.reports.advance(
        stored.id, ReviewAction("reviewed", actor="x"), now=NOW
    )
    return stored.id


def _garcia(world: World) -> int:
    records = world.committee.register.records.all()
    return next(r.id for r in records if r.case_ref == "CASE-GARCIA")


def _canonical(world: World) -> set[tuple[str, str]]:
    record = world.committee.register.records.get(_garcia(world))
    return {(i.kind, i.canonical) for i in record.identifiers}


def test_a_routine_assessment_leaves_the_innocent_email_out(world: World) -> None:
    report_id = _injected(world)
    before = _canonical(world)
    world.committee.register.reports.advance(
        report_id, ReviewAction("assessed", actor="x", outcome=Status.BANNED), now=NOW
    )
    assert _canonical(world) == before
    assert ("email", INNOCENT) not in _canonical(world)
    newer = world.tmp / "after.list"
    world.committee.publish(newer, now=NOW)
    result = world.screener(hashed_list=newer).screen(
        [{"email": INNOCENT}, {"email": "jose.garcia@gmail.com"}]
    )
    assert [m.row for m in result.matches] == [2]


def test_a_confirmed_identifier_is_added(world: World) -> None:
    report_id = _injected(world)
    world.committee.register.reports.advance(
        report_id,
        ReviewAction("assessed", actor="x", outcome=Status.BANNED, add_identifiers=[(0, 1)]),
        now=NOW,
    )
    assert ("email", INNOCENT) in _canonical(world)


@pytest.mark.parametrize("position", [(0, 2), (1, 0), (2, 0)])
def test_a_confirmation_names_a_reported_linked_identifier(
    world: World, position: tuple[int, int]
) -> None:
    report_id = _injected(world)
    action = ReviewAction("assessed", actor="x", outcome=Status.BANNED, add_identifiers=[position])
    with pytest.raises(InputError, match="no identifier") as raised:
        world.committee.register.reports.advance(report_id, action, now=NOW)
    assert "@" not in str(raised.value)
    assert world.committee.register.reports.get(report_id).step == "reviewed"


def test_confirmations_go_with_a_flagged_or_banned_outcome() -> None:
    with pytest.raises(InputError, match="only by a flagged or banned outcome"):
        ReviewAction("assessed", actor="x", outcome=Status.MINOR, add_identifiers=[(0, 0)])
    with pytest.raises(InputError, match="only by a flagged or banned outcome"):
        ReviewAction("assessed", actor="x", add_identifiers=[(0, 0)])


def _cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([os.fspath(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_marks_new_identifiers_and_adds_only_confirmed_ones(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    report_id = _injected(world)
    directory = world.committee.directory
    garcia = _garcia(world)
    world.committee.close()
    code, out, _ = _cli(capsys, "committee", "show-report", directory, report_id)
    assert code == 0
    assert f"  1. reported (record {garcia})\n" in out
    assert f"     1.1 email: {OFFENDER}\n" in out
    assert f"     1.2 email: {INNOCENT}  [new: not on record {garcia}]\n" in out
    code, out, _ = _cli(
        capsys, "committee", "show-report", directory, report_id, "--format", "json"
    )
    assert json.loads(out)["new_identifiers"] == ["1.2"]
    code, _, err = _cli(capsys, "committee", "review", directory, report_id, "--to", "assessed",
                        "--status", "banned", "--add-identifier", INNOCENT)  # fmt: skip
    assert code == 2
    assert "not a position like 1.2" in err
    assert INNOCENT not in err
    code, out, _ = _cli(capsys, "committee", "review", directory, report_id, "--to", "assessed",
                        "--status", "banned")  # fmt: skip
    assert code == 0
    assert "1 identifier(s) of reported people were not added" in out
    code, out, _ = _cli(capsys, "committee", "list", directory, "--format", "json")
    assert INNOCENT not in out


def test_the_cli_adds_a_confirmed_identifier(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    report_id = _injected(world)
    directory = world.committee.directory
    world.committee.close()
    code, out, err = _cli(capsys, "committee", "review", directory, report_id, "--to", "assessed",
                          "--status", "banned", "--add-identifier", "1.2")  # fmt: skip
    assert code == 0, err
    assert "not added" not in out
    code, out, _ = _cli(capsys, "committee", "list", directory, "--format", "json")
    assert INNOCENT in out
