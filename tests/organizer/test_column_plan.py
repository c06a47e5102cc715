"""Columns by content, the header line check, explicit columns and the plan's warnings."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.errors import InputError
from coc_hashscreen.organizer import ColumnPlan, ScreenRecord, detect_columns, read_csv
from coc_hashscreen.organizer import _pretix_headers as pretix
from coc_hashscreen.organizer._csvinput import SAMPLE_ROWS


def _read(text: str, **kwargs: object) -> tuple[ColumnPlan, list[ScreenRecord]]:
    with read_csv(io.BytesIO(text.encode()), **kwargs) as source:  # type: ignore[arg-type]
        return source.plan, list(source.records())


def _kinds(plan: ColumnPlan) -> list[tuple[str, str, bool]]:
    return [(c.kind, c.header, c.fallback) for c in plan.columns]


# ---------------------------------------------------------------------------
# yes/no columns are never screened


_ANSWERS = sorted(
    {*pretix.YES_NO, "yes", "no", "true", "false", "ja", "nein", "oui", "non", "sí", "1", "0"}
)


def _casings(word: str) -> st.SearchStrategy[str]:
    def cased(upper: list[bool]) -> str:
        return "".join(c.upper() if u else c.lower() for c, u in zip(word, upper, strict=True))

    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(cased)


@given(
    header=st.sampled_from(
        [
            "Print my Twitter handle on my badge",
            "Show my GitHub username on the badge?",
            "Mastodon handle on badge",
            "GitHub",
            "Twitter",
        ]
    ),
    answers=st.lists(st.sampled_from(_ANSWERS).flatmap(_casings), min_size=1, max_size=30),
    blanks=st.integers(0, 3),
)
def test_yes_no_columns_are_never_hashed(header: str, answers: list[str], blanks: int) -> None:
    rows = [[f"Person {i}", answer] for i, answer in enumerate(answers)]
    rows += [[f"Blank {i}", ""] for i in range(blanks)]
    plan = detect_columns(["Full name", header], rows)
    assert [c.index for c in plan.columns] == [0]
    assert any("yes/no" in w and repr(header) in w for w in plan.warnings)


def test_a_yes_no_column_is_kept_out_of_every_record() -> None:
    plan, records = _read(
        "Name,Twitter handle to print on your badge\nAda,Yes\nGrace,No\nAlan,yes\n"
    )
    assert [c.kind for c in plan.columns] == ["name"]
    assert all(r.twitter == () for r in records)


def test_a_handle_column_with_real_handles_stays() -> None:
    plan = detect_columns(["Name", "Twitter"], [["Ada", "no"], ["Grace", "@grace"]])
    assert [c.kind for c in plan.columns] == ["name", "twitter"]
    assert not any("yes/no" in w for w in plan.warnings)


@given(names=st.lists(st.sampled_from(["Jo", "Si", "Ja", "Da", "Po", "X", "Yes"]), min_size=3))
def test_name_columns_are_never_judged_yes_no(names: list[str]) -> None:
    rows = [[name, f"p{i}@example.org"] for i, name in enumerate(names)]
    plan = detect_columns(["First name", "Email"], rows)
    assert [c.kind for c in plan.columns] == ["given", "email"]
    assert not any("yes/no" in w for w in plan.warnings)


@pytest.mark.parametrize("early", [["no"], ["no", "No", "n"], ["no"] * 40])
def test_no_answers_in_the_sample_do_not_hide_handles_further_down(early: list[str]) -> None:
    # The sample says yes/no; the whole column, read again, holds handles.
    rows = [[f"P{i}", f"p{i}@example.org", ""] for i in range(SAMPLE_ROWS + 100)]
    for i, answer in enumerate(early):
        rows[i * 3][2] = answer
    rows[250][2], rows[280][2] = "mallory", "-"
    text = "Name,Email,GitHub username (optional)\n" + "".join(",".join(r) + "\n" for r in rows)
    plan, records = _read(text)
    assert [c.kind for c in plan.columns] == ["name", "email", "github"]
    assert not any("yes/no" in w for w in plan.warnings)
    assert records[250].github == ("mallory",)
    # A placeholder is no handle, and not an unreadable one either.
    assert records[280].github == ()
    # Judged on the sample alone (detect_columns without all_rows), the
    # column is yes/no.
    sample = rows[:SAMPLE_ROWS]
    alone = detect_columns(["Name", "Email", "GitHub username (optional)"], sample)
    assert [c.kind for c in alone.columns] == ["name", "email"]


def test_a_short_table_is_judged_on_all_its_answers() -> None:
    # The sample is the whole table: one "Yes" is all the column holds.
    plan = detect_columns(["Name", "Show my Twitter on my badge"], [["Ada", "Yes"], ["Bob", ""]])
    assert [c.kind for c in plan.columns] == ["name"]


def test_detection_samples_the_first_rows_and_reads_them_again() -> None:
    rows = [[f"Ada {i}", "yes"] for i in range(SAMPLE_ROWS)] + [["Grace", "@grace"]]
    text = "Name,Twitter\n" + "".join(f"{a},{b}\n" for a, b in rows)
    plan, records = _read(text)
    # The sample looked yes/no; the whole column holds a handle, so it stays.
    assert [c.kind for c in plan.columns] == ["name", "twitter"]
    assert records[-1].twitter == ("@grace",)
    assert len(records) == SAMPLE_ROWS + 1
    # The sampled rows are read again as records, with their own line numbers.
    assert [r.ref["line"] for r in records[:3]] == [2, 3, 4]
    assert records[-1].ref == {"row": SAMPLE_ROWS + 1, "line": SAMPLE_ROWS + 2}


# ---------------------------------------------------------------------------
# "GitHub or Mastodon": each value as the kind it fits


def test_a_github_or_mastodon_column_reads_each_value_as_what_it_is() -> None:
    plan, records = _read(
        "Name,GitHub or Mastodon\n"
        "Ada,@ada@hachyderm.io\n"
        "Grace,octocat\n"
        "Alan,https://github.com/alan-t\n"
        "Joan,https://mastodon.social/@joan\n"
    )
    assert [(c.kind, c.among) for c in plan.columns] == [
        ("name", ()),
        ("github", ("github", "mastodon")),
        ("mastodon", ("github", "mastodon")),
    ]
    assert [(r.github, r.mastodon) for r in records] == [
        ((), ("@ada@hachyderm.io",)),
        (("octocat",), ()),
        (("https://github.com/alan-t",), ()),
        ((), ("https://mastodon.social/@joan",)),
    ]


# ---------------------------------------------------------------------------
# pretalx sessions: several speakers in one cell


@pytest.mark.parametrize("joiner", ["\n", ", "])
def test_pretalx_speaker_names_cells_are_split_into_people(joiner: str) -> None:
    cell = joiner.join(["Ada Lovelace", "Grace Hopper"])
    _, records = _read(f'ID,Title,Speaker IDs,Speaker names\nABC,Talk,"X{joiner}Y","{cell}"\n')
    assert records[0].names == ("Ada Lovelace", "Grace Hopper")


def test_a_single_name_cell_with_a_comma_stays_one_name() -> None:
    _, records = _read('Name,Email\n"García, José",jose@example.org\n')
    assert records[0].names == ("García, José",)


# ---------------------------------------------------------------------------
# a first line that is data


@pytest.mark.parametrize(
    "first",
    [
        "Jane Secretperson,jane.secret@example.org",
        "Jane Secretperson,https://secret.example.org/jane",
        "Jane Secretperson,@janesecret",
        "Jane Secretperson,@janesecret@mastodon.example",
        "Jane Secretperson,www.secret-site.example",
    ],
)
def test_a_first_line_with_an_address_is_no_header_line(first: str) -> None:
    with pytest.raises(InputError) as refused:
        read_csv(io.BytesIO(f"{first}\nBob,bob@example.org\n".encode()))
    message = str(refused.value)
    assert "first line must be a header line" in message
    for part in first.split(","):
        assert part not in message
    assert "secret" not in message.lower()


def test_a_first_line_whose_cell_recurs_in_its_column_is_no_header_line() -> None:
    # No address to give it away: the role "Speaker" was read as a name
    # header, the first attendee dropped and named in a warning.
    text = "Grace Brewster Hopper,Speaker,Berlin\nAnn Lee,Speaker,Paris\nBob Stone,Attendee,Rome\n"
    with pytest.raises(InputError) as refused:
        read_csv(io.BytesIO(text.encode()))
    message = str(refused.value)
    assert "the first line must be a header line" in message
    for cell in ("Grace", "Hopper", "Speaker", "Berlin"):
        assert cell not in message


def test_a_column_repeating_its_header_marks_rows_and_the_rest_is_screened() -> None:
    # Tito's release column says "Ticket" under "Ticket"; a hand-made marker
    # column says "Speaker" under "Speaker": neither makes the header line data.
    text = (
        "Number,Ticket,Speaker,Ticket Full Name,Ticket Email\n"
        "1,Ticket,Speaker,Ada Lovelace,ada@example.org\n"
        "2,Ticket,,Bob Stone,bob@example.org\n"
    )
    plan, records = _read(text)
    assert [(c.kind, c.header) for c in plan.columns] == [
        ("name", "Ticket Full Name"),
        ("email", "Ticket Email"),
    ]
    assert any("'Speaker' holds its own header as a value" in w for w in plan.warnings)
    assert [r.names for r in records] == [("Ada Lovelace",), ("Bob Stone",)]


def test_a_marker_column_named_explicitly_is_screened() -> None:
    text = "Speaker,Email\nSpeaker,ada@example.org\nBob Stone,bob@example.org\n"
    plan, records = _read(text, columns={"name": ["Speaker"]})
    assert [c.kind for c in plan.columns] == ["name", "email"]
    assert [r.names for r in records] == [("Speaker",), ("Bob Stone",)]


@pytest.mark.parametrize("repeat", ["Name,Email", "Name,Email,Tshirt", " name , EMAIL ,"])
def test_a_repeated_header_line_is_not_taken_for_data_nor_screened(repeat: str) -> None:
    # Two exports pasted together repeat the header line, whole or in part.
    plan, records = _read(
        f"Name,Email,Tshirt\nAda,ada@example.org,M\n{repeat}\nBob,bob@example.org,L\n"
    )
    assert [c.kind for c in plan.columns] == ["name", "email"]
    assert [(r.names, r.ref["row"]) for r in records] == [(("Ada",), 1), (("Bob",), 3)]


def test_headers_that_mention_handles_are_still_headers() -> None:
    plan, _ = _read("Name,Twitter (@handle),Mastodon (e.g. @you@host)\nAda,@ada,@ada@h.example\n")
    assert [c.kind for c in plan.columns] == ["name", "twitter", "mastodon"]


# ---------------------------------------------------------------------------
# explicit columns: Nth of equal headers, exclusion, order-level


def test_the_nth_of_identically_named_headers() -> None:
    headers = ["Name", "E-mail", "E-mail", "E-mail"]
    plan = detect_columns(headers, explicit={"email": ["E-mail#3"]})
    assert [(c.kind, c.index) for c in plan.columns] == [("name", 0), ("email", 3)]
    # Without #N, the first; a literal header with a # is itself.
    assert detect_columns(headers, explicit={"email": ["E-mail"]}).columns[1].index == 1
    plan = detect_columns(["Name", "Ticket #2"], explicit={"email": ["Ticket #2"]})
    assert plan.columns[1].index == 1


def test_too_few_identically_named_headers_is_one_clear_error() -> None:
    with pytest.raises(InputError, match=r"there are 2 column\(s\) headed 'E-mail', not 5"):
        detect_columns(["Name", "E-mail", "E-mail"], explicit={"email": ["E-mail#5"]})


def test_an_excluded_column_is_not_screened() -> None:
    plan, records = _read(
        "Name,Email,GitHub\nAda,ada@example.org,adagh\n", columns={"ignore": ["GitHub"]}
    )
    assert [c.kind for c in plan.columns] == ["name", "email"]
    assert "GitHub" in plan.ignored
    assert records[0].github == ()


def test_excluding_the_second_of_two_equal_headers() -> None:
    plan = detect_columns(["Name", "Email", "Email"], explicit={"ignore": ["Email#2"]})
    assert [(c.kind, c.index) for c in plan.columns] == [("name", 0), ("email", 1)]


def test_an_order_level_column_named_explicitly() -> None:
    plan = detect_columns(
        ["Name", "Email", "Buyer contact"], explicit={"order-email": ["Buyer contact"]}
    )
    assert _kinds(plan) == [
        ("name", "Name", False),
        ("email", "Email", False),
        ("email", "Buyer contact", True),
    ]


def test_naming_the_attendee_email_keeps_the_detected_order_email() -> None:
    """`--column email=...` replaces attendee-level e-mail detection only."""
    plan = detect_columns(
        ["Order code", "Email", "Attendee name", "Attendee email", "Private mail"],
        explicit={"email": ["Private mail"]},
    )
    assert _kinds(plan) == [
        ("email", "Email", True),
        ("name", "Attendee name", False),
        ("email", "Private mail", False),
    ]


def test_an_unknown_explicit_kind_is_refused() -> None:
    with pytest.raises(InputError, match="order-KIND"):
        detect_columns(["Name"], explicit={"order-phone": ["Name"]})


# ---------------------------------------------------------------------------
# warnings


def test_no_name_column_warns_and_lists_the_ignored_headers() -> None:
    plan = detect_columns(["Email", "Ticket type", "Company"], [["a@example.org", "VIP", "ACME"]])
    (warning,) = plan.warnings
    assert warning.startswith("no column of attendee names was recognized")
    assert "'Ticket type', 'Company'" in warning
    assert "--column name=HEADER" in warning


def test_no_attendee_email_column_warns_and_says_if_only_the_orders_is_there() -> None:
    plan = detect_columns(["Bestellnummer", "Name Teilnehmer*in", "E-Mail"])
    (warning,) = plan.warnings
    assert warning.startswith("no column of attendee e-mail addresses was recognized")
    assert "only the order's" in warning
    assert "'Bestellnummer'" in warning


def test_a_full_plan_has_no_warning() -> None:
    assert detect_columns(["Name", "Email"]).warnings == ()


def test_long_header_lists_are_cut() -> None:
    headers = ["Name", *(f"Question {i}" for i in range(30))]
    (warning,) = detect_columns(headers).warnings
    assert "and 10 more" in warning


@given(
    cells=st.lists(
        st.text(st.characters(exclude_categories=["Cs"]), min_size=3, max_size=12),
        min_size=4,
        max_size=4,
    )
)
def test_warnings_never_quote_a_cell(cells: Sequence[str]) -> None:
    headers = ["Full name", "Email me about updates", "Dietary needs", "Twitter"]
    rows = [list(cells), ["Ada", "yes", "none", "no"]]
    plan = detect_columns(headers, rows)
    # The warnings' own words ("e-mail", "column") are no quotation.
    fixed = " ".join(detect_columns(headers, [["\x00"] * 4, rows[1]]).warnings)
    for warning in plan.warnings:
        for cell in cells:
            if all(cell not in h for h in headers) and cell.strip() and cell not in fixed:
                assert cell not in warning


def test_with_only_handle_headers_the_first_line_is_never_listed() -> None:
    # "X" is Twitter's new name, and also a tick in a header-less file whose
    # first line is an attendee: its other cells are not listed as headers.
    plan, _ = _read("Alice Smith,Acme Ltd,X\nBob Stone,Initech,\n")
    assert [c.kind for c in plan.columns] == ["twitter"]
    assert any("only handles" in w for w in plan.warnings)
    assert not any("Alice" in w or "Acme" in w for w in plan.warnings)


def test_a_name_column_of_two_values_is_a_category_not_people() -> None:
    # A header-less file: its first line's "Speaker" read as a name header
    # over rows of roles; every person would be screened as "Attendee".
    rows = "".join(f"Person {i},{'Speaker' if i % 3 else 'Attendee'},City {i}\n" for i in range(6))
    with pytest.raises(InputError, match="the first line must be a header line"):
        _read("Ann Other,Speaker,Berlin\n" + rows)
    rows3 = [["Ann", "ann@example.org"], ["Name", "x@example.org"], ["Bo", "bo@example.org"]]
    plan = detect_columns(["Name", "Email"], rows3)
    # One stray cell equal to the header is not a marker column.
    assert [c.kind for c in plan.columns] == ["name", "email"]
