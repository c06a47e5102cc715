"""Organizer side: every refusal of Screener.load, and screening results."""

from __future__ import annotations

import itertools
import struct
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coc_hashscreen.committee import Committee, GrantRequest, NewRecord, PublishOptions
from coc_hashscreen.core import (
    KDF_PROFILES,
    Argon2Params,
    HashingOptions,
    HpkePrivateKey,
    Identifier,
    Status,
    Strength,
    argon2id,
)
from coc_hashscreen.errors import (
    ExpiredError,
    FileTooLarge,
    FormatError,
    MismatchError,
    NotYetValidError,
    RollbackError,
    UnknownProfile,
    UntrustedSigner,
    VerificationError,
    WrongKeyError,
)
from coc_hashscreen.formats import (
    MAX_SIZES,
    GrantTerms,
    ListHeader,
    TrustContent,
    build_list,
    issue_grant,
    sign_envelope,
)
from coc_hashscreen.formats._wire import dump_json as dump
from coc_hashscreen.organizer import (
    FileState,
    MemoryState,
    Screener,
    ScreenerOptions,
    ScreenRecord,
    ScreenStatus,
)
from coc_hashscreen.organizer._fingerprints import FingerprintSet
from coc_hashscreen.organizer._run import _Run

from ..conftest import World
from ..helpers import NOW, CountingArgon2

# ---------------------------------------------------------------------------
# loading: the happy path and every refusal, in the documented order


def test_load(world: World) -> None:
    screener = world.screener()
    info = screener.info
    assert (info.committee, info.epoch, info.version) == ("Test Committee", 1, 1)
    assert info.series == world.committee.series
    assert info.kdf == KDF_PROFILES["test-only"]
    assert "key" not in repr(screener).lower().replace("key_id", "")


def test_load_from_bytes_and_paths_alike(world: World) -> None:
    screener = world.screener(
        hashed_list=world.list_path.read_bytes(),
        grant=world.grant_path.read_bytes(),
        trust=world.trust_path.read_bytes(),
    )
    assert screener.info.version == 1


def test_oversized_list_is_refused_before_reading(world: World) -> None:
    huge = world.tmp / "huge.list"
    with huge.open("wb") as handle:
        handle.truncate(MAX_SIZES["list"] + 1)
    with pytest.raises(FileTooLarge):
        world.screener(hashed_list=huge)


def _signed_by_committee(world: World, file_type: str, payload: bytes) -> bytes:
    return sign_envelope(file_type, payload, world.committee._authority.signing_key)


def _list_with(world: World, **changes: object) -> bytes:
    """A list signed by the real committee key, with header fields changed."""
    from coc_hashscreen.formats import parse_list

    current = parse_list(world.list_path.read_bytes(), world.committee.trust.trusted_keys())
    header = replace(current.header, **changes)  # type: ignore[arg-type]
    return build_list(header, [], world.committee._authority.signing_key)


def test_tampered_list_any_byte(world: World) -> None:
    data = world.list_path.read_bytes()
    for position in (0, 8, 20, 60, 200, len(data) // 2, len(data) - 70, len(data) - 1):
        tampered = bytearray(data)
        tampered[position] ^= 0x40
        with pytest.raises((FormatError, VerificationError, UntrustedSigner)):
            world.screener(hashed_list=bytes(tampered))


def test_list_from_another_committee(world: World, tmp_path: Path) -> None:
    with Committee.init(tmp_path / "other", name="Other", now=NOW) as other:
        other.publish(
            tmp_path / "other.list", PublishOptions(kdf=KDF_PROFILES["test-only"]), now=NOW
        )
        with pytest.raises(UntrustedSigner, match="trust file does not know"):
            world.screener(hashed_list=tmp_path / "other.list")


def test_unknown_profile(world: World) -> None:
    header = parse_header(world)
    document = {**header.to_dict(), "profile": "v9"}
    header_json = dump(document)
    payload = struct.pack(">I", len(header_json)) + header_json + bytes(64 * 108)
    with pytest.raises(UnknownProfile, match="upgrade"):
        world.screener(hashed_list=_signed_by_committee(world, "list", payload))


def parse_header(world: World) -> ListHeader:
    from coc_hashscreen.formats import parse_list

    return parse_list(world.list_path.read_bytes(), world.committee.trust.trusted_keys()).header


def test_series_must_match_the_trust_file(world: World) -> None:
    with pytest.raises(MismatchError, match="not from the committee of your trust file"):
        world.screener(hashed_list=_list_with(world, series=b"\x07" * 32))


def test_expired_and_not_yet_valid(world: World) -> None:
    expires = parse_header(world).expires_at
    world.screener(now=expires + timedelta(minutes=4))  # inside the clock-skew allowance
    with pytest.raises(ExpiredError, match="get the current list"):
        world.screener(now=expires + timedelta(minutes=5))
    world.screener(now=NOW - timedelta(minutes=4))
    with pytest.raises(NotYetValidError, match="clock"):
        world.screener(now=NOW - timedelta(minutes=6))


def test_rollback(world: World) -> None:
    newer = world.tmp / "newer.list"
    world.committee.publish(newer, now=NOW)
    world.screener(hashed_list=newer)
    with pytest.raises(RollbackError, match="older than version 2"):
        world.screener()
    # The same list again is fine.
    world.screener(hashed_list=newer)


def test_rollback_survives_restarts_with_a_state_file(world: World) -> None:
    state_path = world.tmp / "state" / "state.json"
    newer = world.tmp / "newer.list"
    world.committee.publish(newer, now=NOW)
    world.screener(hashed_list=newer, state=FileState(state_path))
    with pytest.raises(RollbackError):
        world.screener(state=FileState(state_path))
    assert oct(state_path.stat().st_mode & 0o777) == "0o600"


def test_epoch_going_backwards_is_refused(world: World) -> None:
    # A list of a higher version but an older epoch: never made by a committee.
    world.committee.publish(world.tmp / "e2.list", PublishOptions(rotate=True), now=NOW)
    world.screener(hashed_list=world.tmp / "e2.list", grant=_grant_for_current_epoch(world))
    odd = _list_with(world, version=99)
    with pytest.raises(RollbackError, match="epoch 1, older than epoch 2"):
        world.screener(hashed_list=odd)


def _grant_for_current_epoch(world: World) -> Path:
    path = world.tmp / "current.grant"
    world.committee.grant(GrantRequest(world.organizer.public_key, "Test Conf"), path, now=NOW)
    return path


def test_state_is_not_advanced_by_a_refused_load(world: World) -> None:
    newer = world.tmp / "newer.list"
    world.committee.publish(newer, PublishOptions(rotate=True), now=NOW)
    with pytest.raises(MismatchError):  # the old grant is for epoch 1
        world.screener(hashed_list=newer)
    world.screener()  # version 1 still loads: nothing was recorded


def test_grant_for_another_epoch(world: World) -> None:
    newer = world.tmp / "e2.list"
    world.committee.publish(newer, PublishOptions(rotate=True), now=NOW)
    with pytest.raises(MismatchError, match="grant for epoch 2"):
        world.screener(hashed_list=newer)


def test_grant_for_another_organizer(world: World) -> None:
    with pytest.raises(MismatchError, match="grant for your key"):
        world.screener(organizer_key=HpkePrivateKey.generate())


def test_grant_for_another_series(world: World) -> None:
    epoch = world.committee.register.epochs.current()
    assert epoch is not None
    assert epoch.secret is not None
    data = issue_grant(
        GrantTerms(b"\x09" * 32, 1, "x", NOW, NOW + timedelta(days=1)),
        epoch_key=epoch.secret,
        organizer=world.organizer.public_key,
        signer=world.committee._authority.signing_key,
    )
    with pytest.raises(MismatchError, match="another committee"):
        world.screener(grant=data)


def test_grant_signed_by_a_stranger(world: World, tmp_path: Path) -> None:
    with Committee.init(tmp_path / "other", name="Other", now=NOW) as other:
        other.publish(tmp_path / "o.list", PublishOptions(kdf=KDF_PROFILES["test-only"]), now=NOW)
        other.grant(GrantRequest(world.organizer.public_key, "x"), tmp_path / "o.grant", now=NOW)
    with pytest.raises(UntrustedSigner):
        world.screener(grant=tmp_path / "o.grant")


def test_expired_grant(world: World) -> None:
    path = world.tmp / "short.grant"
    world.committee.grant(
        GrantRequest(world.organizer.public_key, "x", valid_for=timedelta(days=1)), path, now=NOW
    )
    world.screener(grant=path, now=NOW + timedelta(hours=23))
    with pytest.raises(ExpiredError, match="ask the committee for a new one"):
        world.screener(grant=path, now=NOW + timedelta(days=2))


def test_wrong_key_fails_loudly(world: World) -> None:
    data = issue_grant(
        GrantTerms(world.committee.series, 1, "x", NOW, NOW + timedelta(days=1)),
        epoch_key=b"\x01" * 32,
        organizer=world.organizer.public_key,
        signer=world.committee._authority.signing_key,
    )
    with pytest.raises(WrongKeyError, match="silently match nobody"):
        world.screener(grant=data)


def test_tampered_grant_any_byte(world: World) -> None:
    data = world.grant_path.read_bytes()
    for position in range(0, len(data), 7):
        tampered = bytearray(data)
        tampered[position] ^= 0x01
        with pytest.raises((FormatError, VerificationError, UntrustedSigner)):
            world.screener(grant=bytes(tampered))


def test_trust_is_pinned_on_first_use(world: World) -> None:
    world.screener()
    (pinned,) = world.state.series.values()
    assert pinned.trust_generation == 1
    old_trust = world.trust_path.read_bytes()
    world.committee.rotate_signing_key(now=NOW)
    newer = world.tmp / "after-rotation.list"
    world.committee.publish(newer, now=NOW)
    grant = world.tmp / "after-rotation.grant"
    world.committee.grant(GrantRequest(world.organizer.public_key, "x"), grant, now=NOW)
    # The new trust file follows from the pinned key; the old one is now refused.
    world.screener(hashed_list=newer, grant=grant)
    with pytest.raises(RollbackError, match="trust file"):
        world.screener(trust=old_trust)


# ---------------------------------------------------------------------------
# screening results


def _screen(
    world: World, records: list[dict[str, object]]
) -> dict[int, tuple[str, str, tuple[str, ...], str]]:
    report = world.screener().screen(records)
    return {
        m.index: (m.status.value, m.strength.value, m.matched, m.case_ref) for m in report.matches
    }


def test_spelling_variants_match(world: World) -> None:
    garcia, mallory, ivanov = (world.case_refs[k] for k in ("garcia", "mallory", "ivanov"))
    records: list[dict[str, object]] = [
        {"name": "Jose Garcia"},  # 1: a variant (first + last), no accents
        {"name": "GARCÍA, José María"},  # 2: order and case
        {"name": "Ｊｏｓｅ　Ｇａｒｃｉａ"},  # 3: fullwidth
        {"name": "Jo\u200bse Gar\u00adcia"},  # 4: zero-width and soft hyphen
        {"email": "JoseGarcia+pycon@googlemail.com"},  # 5: tags, dots, googlemail
        {"twitter": "https://x.com/JoseGarcia"},  # 6: profile URL
        {"github": "https://github.com/Mallory/"},  # 7
        {"mastodon": "https://example.social/@mallory"},  # 8
        {"name": "Mallory  Smith"},  # 9
        {"name": "Piotr Ivanov"},  # 10: transliteration
        {"name": "Jane Doe", "email": "jane@example.com"},  # 11: nobody
        {"name": "Minnie Minor"},  # 12: minor records are never listed
        {"twitter": "mallory"},  # 13: right handle, wrong service
        {"name": "José García", "email": "josegarcia@gmail.com"},  # 14: both kinds
    ]
    assert _screen(world, records) == {
        1: ("banned", "name-only", ("name",), garcia),
        2: ("banned", "name-only", ("name",), garcia),
        3: ("banned", "name-only", ("name",), garcia),
        4: ("banned", "name-only", ("name",), garcia),
        5: ("banned", "strong", ("email",), garcia),
        6: ("banned", "strong", ("twitter",), garcia),
        7: ("flagged", "strong", ("github",), mallory),
        8: ("flagged", "strong", ("mastodon",), mallory),
        9: ("flagged", "name-only", ("name",), mallory),
        10: ("banned", "name-only", ("name",), ivanov),
        14: ("banned", "strong", ("name", "email"), garcia),
    }


def test_strong_evidence_ranks_first(world: World) -> None:
    report = world.screener().screen([{"name": "José García", "github": "mallory"}])
    (match,) = report.matches
    # The account match decides the headline; the name hit is still listed.
    assert (match.status, match.strength, match.case_ref) == (
        Status.FLAGGED,
        Strength.STRONG,
        world.case_refs["mallory"],
    )
    assert {h.case_ref for h in match.hits} == {
        world.case_refs["garcia"],
        world.case_refs["mallory"],
    }


def test_unusable_and_invalid_are_listed_never_dropped(world: World) -> None:
    report = world.screener().screen(
        [
            {"name": "Jane Doe"},
            {"email": "not-an-address"},
            {},
            {"name": "🙂", "email": "secret-value@", "id": 7},
        ]
    )
    assert (report.records, report.screened) == (4, 1)
    assert [u.index for u in report.unusable] == [2, 3, 4]
    assert report.unusable[2].ref == {"id": 7}
    assert [(i.index, i.kind) for i in report.invalid] == [(2, "email"), (4, "name"), (4, "email")]
    assert all("secret-value" not in i.rule for i in report.invalid)


def test_passthrough_fields_and_dataclass_records(world: World) -> None:
    records: list[ScreenRecord | dict[str, object]] = [
        ScreenRecord(names=("Mallory Smith",), ref={"row": 41, "role": "speaker"}),
        {"emails": ["x@y.org", "petr@example.ru"], "row": 42, "role": "attendee", "ticket": "T-1"},
    ]
    report = world.screener().screen(records)
    assert [(m.row, dict(m.ref)) for m in report.matches] == [
        (41, {"row": 41, "role": "speaker"}),
        (42, {"row": 42, "role": "attendee", "ticket": "T-1"}),
    ]


def test_identifier_keys_are_read_as_csv_headers_are() -> None:
    record = ScreenRecord.from_mapping(
        {
            "Name": "A",
            "E-mail": "a@example.org",
            "EMAILS": ["b@example.org"],
            "e_mail": "c@example.org",
            "Email Address": "d@example.org",
            "emailAddress": "e@example.org",
            "GitHub username": "ag",
            "Twitter": "at",
            "Mastodon": "@a@example.social",
            "Row": 3,
            "speaker": True,
            "Notes": "not an identifier key",
        }
    )
    assert record.names == ("A",)
    assert record.emails == tuple(f"{c}@example.org" for c in "abcde")
    assert (record.github, record.twitter, record.mastodon) == (
        ("ag",),
        ("at",),
        ("@a@example.social",),
    )
    assert dict(record.ref) == {"Row": 3, "speaker": True, "Notes": "not an identifier key"}


def test_first_and_last_name_keys_make_one_name() -> None:
    record = ScreenRecord.from_mapping({"firstName": "Jose", "last_name": "Garcia", "id": 9})
    assert record.names == ("Jose Garcia",)
    assert dict(record.ref) == {"id": 9}
    # A buyer's name is the order's, never the person's, as in CSV.
    buyer = {"Buyer first name": "Bea", "Buyer last name": "Buyer"}
    own = ScreenRecord.from_mapping({**buyer, "Full Name": "Own Name"})
    assert own.names == ("Own Name",)
    assert own.order_identifiers == (("name", "Bea Buyer"),)
    assert ScreenRecord.from_mapping({**buyer, "Full Name": " "}).names == ()


def test_include_clear(world: World) -> None:
    records = [{"name": "Jane Doe"}, {"name": "Mallory Smith"}]
    assert world.screener().screen(records).clear is None
    report = world.screener().screen(records, include_clear=True)
    assert report.clear is not None
    assert [c.index for c in report.clear] == [1]


def test_reprs_hide_identifiers() -> None:
    record = ScreenRecord(names=("Jane Secret",), emails=("jane@secret.example",))
    assert "Secret" not in repr(record)
    assert "secret.example" not in repr(record)


def test_one_argon2_call_per_distinct_identifier(world: World) -> None:
    counter = CountingArgon2()
    people = [{"name": f"Person {i:03d}", "email": f"p{i}@example.org"} for i in range(50)]
    # Repeats far apart (other chunks), and spelled differently.
    records = [
        *people,
        *people,
        {"name": "PERSON 001", "email": "P1+x@Example.org"},
        *people,
    ]
    screener = world.screener(hashing=HashingOptions(argon2=counter))
    screener.chunk_size = 16
    report = screener.screen(records)
    assert counter.calls == 100
    assert report.identifiers_hashed == 100
    assert report.records == report.screened == 151


def test_a_fingerprint_collision_never_moves_a_hit(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every identifier gets the same fingerprint: the worst collision there is.
    monkeypatch.setattr(_Run, "_fingerprint", lambda self, key: 1)
    screener = world.screener()
    screener.chunk_size = 1
    report = screener.screen([{"github": "mallory"}, {"name": "Jane Doe"}, {"github": "mallory"}])
    assert [m.index for m in report.matches] == [1, 3]


def test_progress(world: World) -> None:
    seen: list[ScreenStatus] = []
    records = [{"name": f"Person {i}", "email": f"p{i}@example.org"} for i in range(50)]
    screener = world.screener()
    screener.chunk_size = 16
    screener.screen(records, progress=seen.append)
    # The first status comes once the first chunk is read, with an estimate.
    assert seen[0].rows == 16
    assert seen[0].rows_total == 50
    assert seen[0].expected == 100
    assert seen[0].seconds_left is not None
    assert [s.rows for s in seen] == sorted(s.rows for s in seen)
    last = seen[-1]
    assert last.done
    assert last.rows == 50
    assert last.hashed == last.identifiers == 100
    assert last.seconds_left == 0.0
    assert last.from_cache == 0
    assert last.computing == 0
    seen.clear()
    screener.chunk_size = 32
    screener.screen(iter(records), progress=seen.append)
    assert seen[0].rows_total is None
    assert seen[-1].done
    assert seen[-1].rows == 50


def test_progress_ticks_from_the_hashing_threads(world: World) -> None:
    # A slow Argon2 and one chunk: the statuses still come every half
    # second, and count identifiers as the threads finish them.
    def slow(secret: bytes, salt: bytes, params: Argon2Params) -> bytes:
        time.sleep(0.05)
        return argon2id(secret, salt, params)

    seen: list[tuple[float, ScreenStatus]] = []
    started = time.monotonic()
    records = [{"name": f"Person {i}"} for i in range(40)]
    screener = world.screener(hashing=HashingOptions(argon2=slow, workers=1))
    screener.screen(records, progress=lambda s: seen.append((time.monotonic() - started, s)))
    times = [t for t, _ in seen]
    assert times[0] < 1.0
    assert max(b - a for a, b in itertools.pairwise(times)) < 1.0
    hashed = [s.hashed for _, s in seen]
    assert len(set(hashed)) >= 3  # moved within the one chunk
    assert seen[-1][1].done
    assert seen[-1][1].hashed == 40


def test_memory_stays_bounded_on_a_long_stream(world: World) -> None:
    def stream(n: int) -> Iterator[dict[str, object]]:
        for i in range(n):
            yield {"name": f"Attendee Number{i}", "email": f"attendee{i}@example.org"}

    screener = world.screener()
    screener.chunk_size = 512

    def peak(n: int) -> int:
        tracemalloc.start()
        try:
            report = screener.screen(stream(n))
            _, top = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert report.identifiers_hashed == 2 * n
        return top

    small, large = peak(2_000), peak(10_000)
    # Kept records would cost hundreds of bytes each (8,000 more: megabytes);
    # the screener keeps a few chunks and about 16 bytes per identifier.
    assert large - small < 2**20


@pytest.fixture(scope="module")
def shared_screener(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Screener]:
    """One screener for many hypothesis examples: building a committee each time is slow."""
    tmp = tmp_path_factory.mktemp("shared")
    with Committee.init(tmp / "c", name="Shared", now=NOW) as committee:
        committee.register.records.add(
            NewRecord(
                status=Status.BANNED, identifiers=[Identifier("github", "zz-never-generated-zz")]
            ),
            now=NOW,
        )
        committee.publish(tmp / "l", PublishOptions(kdf=KDF_PROFILES["test-only"]), now=NOW)
        key = HpkePrivateKey.generate()
        committee.grant(GrantRequest(key.public_key, "x"), tmp / "g", now=NOW)
        yield Screener.load(
            hashed_list=tmp / "l", grant=tmp / "g", organizer_key=key, trust=committee.paths.trust,
            options=ScreenerOptions(state=MemoryState(), now=NOW),
        )  # fmt: skip


_people = st.fixed_dictionaries(
    {"name": st.text(max_size=30), "email": st.text(max_size=30), "github": st.text(max_size=20)}
)


@settings(max_examples=40)
@given(st.lists(_people, max_size=20))
def test_random_people_never_match_and_never_crash(
    shared_screener: Screener, records: list[dict[str, object]]
) -> None:
    # Decoys and real entries alike stay shut to identifiers not on the list.
    report = shared_screener.screen(records)
    assert report.records == len(records)
    assert report.matches == ()


@given(st.lists(st.integers(min_value=1, max_value=2**64 - 1), max_size=3000))
def test_fingerprint_set(values: list[int]) -> None:
    fingerprints = FingerprintSet(capacity=8)
    for value in values:
        fingerprints.add(value)
    assert len(fingerprints) == len(set(values))
    for value in values:
        assert value in fingerprints
    for probe in (1, 2**63, 12345):
        assert (probe in fingerprints) == (probe in set(values))


def test_a_refused_first_load_pins_nothing(world: World) -> None:
    with pytest.raises(MismatchError):
        world.screener(organizer_key=HpkePrivateKey.generate())
    assert world.state.series == {}
    world.screener()
    assert len(world.state.series) == 1


def test_organizer_key_from_a_directory(world: World) -> None:
    from coc_hashscreen.core import KeyPurpose
    from coc_hashscreen.formats import save_private_key

    directory = world.tmp / "org"
    directory.mkdir()
    save_private_key(directory / "organizer.key", world.organizer, purpose=KeyPurpose.ORGANIZER,
                     name="o")  # fmt: skip
    assert world.screener(organizer_key=directory).info.version == 1
    assert world.screener(organizer_key=directory / "organizer.key").info.version == 1


def test_task_size_shrinks_with_argon2_cost() -> None:
    from coc_hashscreen.organizer._run import task_size

    assert task_size(KDF_PROFILES["test-only"]) == 32
    assert task_size(KDF_PROFILES["default"]) == 26
    assert task_size(KDF_PROFILES["strong"]) == 5
    from coc_hashscreen.core import Argon2Params

    # The costliest a list may ask for (time_cost x memory_cost at its bound).
    assert task_size(Argon2Params(time_cost=4, memory_cost=2**16, parallelism=1)) == 4


def test_a_stolen_retired_key_cannot_take_over_a_screener(world: World) -> None:
    from coc_hashscreen.core import SigningKey
    from coc_hashscreen.formats import make_rotation, make_trust

    stolen = world.committee._authority.signing_key
    world.committee.rotate_signing_key(now=NOW)
    newer = world.tmp / "after.list"
    world.committee.publish(newer, now=NOW)
    grant = world.tmp / "after.grant"
    world.committee.grant(GrantRequest(world.organizer.public_key, "x"), grant, now=NOW)
    world.screener(hashed_list=newer, grant=grant)  # the organizer follows to generation 2
    series = world.committee.series
    a2, a3 = SigningKey.generate(), SigningKey.generate()
    forged_trust = make_trust(
        TrustContent(
            "Test Committee",
            series,
            world.committee.trust.report_key,
            (
                make_rotation(
                    series=series, generation=2, old=stolen, new_public=a2.public_bytes, now=NOW
                ),
                make_rotation(
                    series=series, generation=3, old=a2, new_public=a3.public_bytes, now=NOW
                ),
            ),
        ),
        signing_key=a3,
        now=NOW,
    )
    from coc_hashscreen.formats import parse_list

    current = parse_list(newer.read_bytes(), world.committee.trust.trusted_keys()).header
    header = replace(current, version=999, epoch=99)
    forged_list = build_list(header, [], a3)
    forged_grant = issue_grant(
        GrantTerms(series, 99, "x", NOW, NOW + timedelta(days=1)),
        epoch_key=b"\x07" * 32,
        organizer=world.organizer.public_key,
        signer=a3,
    )
    with pytest.raises(UntrustedSigner, match="does not pass through the key you pinned"):
        world.screener(hashed_list=forged_list, grant=forged_grant, trust=forged_trust)
    world.screener(hashed_list=newer, grant=grant)  # the real committee still works


def test_a_v1_list_whose_entry_carries_a_v2_mark_is_refused(world: World) -> None:
    # Profile v1 lists never carry the common or shared marks (ADR 0020);
    # one that does was not made by this release's publish.
    from coc_hashscreen.core import Status, Strength, canonical, keyed_hash
    from coc_hashscreen.formats import EntryPayload, parse_list

    current = parse_list(world.list_path.read_bytes(), world.committee.trust.trusted_keys())
    header = replace(current.header, profile="v1", version=current.header.version + 1)
    epoch = world.committee.register.epochs.current()
    assert epoch is not None
    form = canonical("name", "Ann Other", profile="v1")
    hashed = keyed_hash(epoch.key, version=header.version, kind="name", canonical_form=form)
    marked = EntryPayload(Status.FLAGGED, Strength.NAME_ONLY, "CASE-X", common_name=True)
    data = build_list(header, [(hashed, marked)], world.committee._authority.signing_key)
    screener = world.screener(hashed_list=data)
    with pytest.raises(FormatError, match="mark its list's profile does not have"):
        screener.screen([{"name": "Ann Other"}])


def test_a_screener_with_a_cache_rescreens_without_argon2(world: World) -> None:
    # The Python seam of the epoch cache: the same records again cost no
    # Argon2 call, and give the same report.
    from coc_hashscreen.core import MemoryCache

    cache = MemoryCache()
    records = [{"name": "José García", "email": f"p{i}@example.org"} for i in range(20)]
    counter = CountingArgon2()
    first = world.screener(hashing=HashingOptions(argon2=counter, cache=cache)).screen(records)
    assert counter.calls == 21
    again = CountingArgon2()
    second = world.screener(hashing=HashingOptions(argon2=again, cache=cache)).screen(records)
    assert again.calls == 0
    assert second.matches == first.matches
