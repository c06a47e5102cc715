"""The committee side end to end: publish, rotate, grant, expunge, rotate keys."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from coc_hashscreen.committee import (
    Committee,
    GrantRequest,
    NewRecord,
    PublishOptions,
    RecordChange,
    merge_entries,
)
from coc_hashscreen.core import (
    KDF_PROFILES,
    EpochKey,
    HpkePrivateKey,
    Identifier,
    SigningKey,
    Status,
    Strength,
    Suite,
    canonical,
    key_check,
    keyed_hash,
    variants,
)
from coc_hashscreen.errors import (
    InputError,
    KeyFileError,
    MismatchError,
    RegisterError,
    UntrustedSigner,
)
from coc_hashscreen.formats import (
    EntryPayload,
    HashedList,
    parse_grant,
    parse_list,
    parse_trust,
    save_signing_key,
)
from coc_hashscreen.organizer import init_organizer

from ..helpers import NOW, fixed_rng
from ..strategies import PLAUSIBLE

CHEAP = KDF_PROFILES["test-only"]


@pytest.fixture
def committee(tmp_path: Path) -> Iterator[Committee]:
    with Committee.init(tmp_path / "committee", name="Test Committee", now=NOW) as c:
        yield c


def _publish(committee: Committee, path: Path, **kwargs: object) -> HashedList:
    args: dict[str, object] = {"kdf": CHEAP}
    args.update(kwargs)
    now = args.pop("now", NOW)
    committee.publish(path, PublishOptions(**args), now=now)  # type: ignore[arg-type]
    return parse_list(path.read_bytes(), committee.trust.trusted_keys())


def _lookup(
    committee: Committee, hashed_list: HashedList, kind: str, value: str
) -> EntryPayload | None:
    return _lookup_form(committee, hashed_list, kind, canonical(kind, value))


def _lookup_form(
    committee: Committee, hashed_list: HashedList, kind: str, form: str
) -> EntryPayload | None:
    # A published form is hashed as it is: a v2 variant need not be its own
    # canonical form ("00 de kyoh" canonicalizes to "00 kyoh").
    epoch = committee.register.epochs.current()
    assert epoch is not None
    assert epoch.secret is not None
    header = hashed_list.header
    hashed = keyed_hash(
        EpochKey(epoch.secret, header.salt, header.kdf), version=header.version, kind=kind,
        canonical_form=form,
    )  # fmt: skip
    return hashed_list.lookup(hashed)


# ---------------------------------------------------------------------------
# setting up


def test_init_layout_and_modes(committee: Committee) -> None:
    directory = committee.directory
    modes = {p.name: stat.S_IMODE(os.stat(p).st_mode) for p in directory.iterdir()}
    assert modes["register.sqlite3"] == 0o600
    assert modes["signing.key"] == 0o600
    assert modes["report.key"] == 0o600
    assert "trust" in committee.paths.trust.name
    trust = parse_trust(committee.paths.trust.read_bytes())
    assert trust.committee == "Test Committee"
    assert trust.series == committee.series
    assert trust.report_key == committee.report_key().public_key


def test_init_twice_is_refused(committee: Committee) -> None:
    with pytest.raises(RegisterError, match="initialized once"):
        Committee.init(committee.directory, name="Again")


@pytest.mark.parametrize(
    "name",
    [
        "",
        "  ",
        "x" * 201,
        "Evil\x1b[2J",
        "two\nlines",
        "Real\u202eeettimmoC",
        "A\u200bB",
        "A\u2028B",
    ],
)
def test_names_unfit_to_print_are_refused_before_anything_is_written(
    name: str, committee: Committee, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="1 to 200 characters, without control, invisible"):
        Committee.init(tmp_path / "new", name=name, now=NOW)
    with pytest.raises(InputError, match="1 to 200 characters, without control, invisible"):
        init_organizer(tmp_path / "organizer", name=name)
    assert not (tmp_path / "new").exists()
    assert not (tmp_path / "organizer").exists()
    _publish(committee, tmp_path / "1.list")
    organizer = HpkePrivateKey.generate()
    with pytest.raises(InputError, match="organizer's name must be 1 to 200"):
        committee.grant(GrantRequest(organizer.public_key, name), tmp_path / "o.grant", now=NOW)
    assert committee.register.organizers.all() == []
    assert not (tmp_path / "o.grant").exists()


def test_names_may_use_joiners(tmp_path: Path) -> None:
    name = "کمیته\u200cی رفتار"  # Persian writes some words with a zero-width non-joiner
    with Committee.init(tmp_path / "c", name=name, now=NOW) as committee:
        assert committee.trust.committee == name


def test_names_are_stored_stripped_everywhere(tmp_path: Path) -> None:
    with Committee.init(tmp_path / "c", name="  Spaced Committee ", now=NOW) as committee:
        assert committee.trust.committee == "Spaced Committee"
        _publish(committee, tmp_path / "1.list")
        organizer = HpkePrivateKey.generate()
        grant = committee.grant(
            GrantRequest(organizer.public_key, " Org "), tmp_path / "o.grant", now=NOW
        )
        assert grant.open_name(organizer) == "Org"
        assert [o.name for o in committee.register.organizers.all()] == ["Org"]


def test_open_checks_the_key_matches_the_trust_file(committee: Committee) -> None:
    committee.close()
    save_signing_key(committee.directory / "signing.key", SigningKey.generate(), name="x")
    with pytest.raises(KeyFileError, match="does not match"):
        Committee.open(committee.directory)


# ---------------------------------------------------------------------------
# publishing


def test_publish_round_trip(committee: Committee, tmp_path: Path) -> None:
    banned = committee.register.records.add(
        NewRecord(
            status=Status.BANNED,
            identifiers=[
                Identifier("name", "José María García"),
                Identifier("email", "Jose.Garcia+x@gmail.com"),
                Identifier("name", "Pepe García", alias=True),
            ],
            case_ref="CASE-B",
        ),
        now=NOW,
    )
    committee.register.records.add(
        NewRecord(
            status=Status.FLAGGED, identifiers=[Identifier("github", "mallory")], case_ref="CASE-F"
        ),
        now=NOW,
    )
    committee.register.records.add(
        NewRecord(status=Status.MINOR, identifiers=[Identifier("name", "Minor Person")]), now=NOW
    )
    committee.register.records.add(
        NewRecord(
            status=Status.BANNED,
            identifiers=[Identifier("name", "Expired Person")],
            expires_at=NOW + timedelta(seconds=1),
        ),
        now=NOW - timedelta(days=1),
    )
    listed = _publish(committee, tmp_path / "v1.list", now=NOW + timedelta(seconds=1))
    header = listed.header
    assert (header.epoch, header.version, header.series) == (1, 1, committee.series)
    assert header.kdf == CHEAP
    banned_strong = EntryPayload(Status.BANNED, Strength.STRONG, banned.case_ref)
    banned_name = EntryPayload(Status.BANNED, Strength.NAME_ONLY, banned.case_ref)
    assert _lookup(committee, listed, "email", "josegarcia@googlemail.com") == banned_strong
    assert _lookup(committee, listed, "name", "Jose Garcia") == banned_name  # a variant
    assert _lookup(committee, listed, "name", "García, José María") == banned_name
    assert _lookup(committee, listed, "name", "Pepe Garcia") == banned_name  # an alias
    assert _lookup(committee, listed, "github", "@Mallory") == EntryPayload(
        Status.FLAGGED, Strength.STRONG, "CASE-F"
    )
    # Minor incidents and expired records never reach a list.
    assert _lookup(committee, listed, "name", "Minor Person") is None
    assert _lookup(committee, listed, "name", "Expired Person") is None
    # The same handle on another service does not match.
    assert _lookup(committee, listed, "twitter", "mallory") is None


def test_versions_strictly_increase_and_epochs_rotate(committee: Committee, tmp_path: Path) -> None:
    committee.register.records.add(
        NewRecord(status=Status.BANNED, identifiers=[Identifier("github", "a")]), now=NOW
    )
    headers = [
        _publish(committee, tmp_path / "1.list").header,
        _publish(committee, tmp_path / "2.list").header,
        _publish(committee, tmp_path / "3.list", rotate=True).header,
        _publish(committee, tmp_path / "4.list").header,
    ]
    assert [(h.epoch, h.version) for h in headers] == [(1, 1), (1, 2), (2, 3), (2, 4)]
    assert headers[0].salt == headers[1].salt != headers[2].salt
    assert headers[0].key_check == headers[1].key_check != headers[2].key_check
    assert [p.version for p in committee.register.epochs.publications()] == [1, 2, 3, 4]


def test_rotation_leaves_no_shared_tag(committee: Committee, tmp_path: Path) -> None:
    for i in range(20):
        committee.register.records.add(
            NewRecord(
                status=Status.BANNED, identifiers=[Identifier("email", f"person{i}@example.org")]
            ),
            now=NOW,
        )
    first = set(_publish(committee, tmp_path / "1.list").tags())
    second = set(_publish(committee, tmp_path / "2.list", rotate=True).tags())
    assert len(first) == len(second) == 64
    assert not first & second


def test_rotation_destroys_the_old_epoch_key(committee: Committee, tmp_path: Path) -> None:
    committee.register.records.add(
        NewRecord(status=Status.BANNED, identifiers=[Identifier("github", "a")]), now=NOW
    )
    _publish(committee, tmp_path / "1.list")
    old = committee.register.epochs.current()
    assert old is not None
    assert old.secret is not None
    _publish(committee, tmp_path / "2.list", rotate=True)
    raw = b"".join(p.read_bytes() for p in committee.directory.glob("register.sqlite3*"))
    assert old.secret not in raw


def test_a_rotation_blocked_from_scrubbing_still_publishes(
    committee: Committee, tmp_path: Path
) -> None:
    committee.register.records.add(
        NewRecord(status=Status.BANNED, identifiers=[Identifier("github", "a")]), now=NOW
    )
    _publish(committee, tmp_path / "1.list")
    organizer = HpkePrivateKey.generate()
    committee.grant(GrantRequest(organizer.public_key, "Org"), tmp_path / "o.grant", now=NOW)
    old = committee.register.epochs.current()
    assert old is not None
    assert old.secret is not None
    committee.register._db.execute("PRAGMA busy_timeout = 100")
    register_path = committee.directory / "register.sqlite3"
    reader = sqlite3.connect(register_path)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT * FROM epochs").fetchall()
        result = committee.publish(
            tmp_path / "2.list",
            PublishOptions(rotate=True, grants_dir=tmp_path / "grants"),
            now=NOW,
        )
    finally:
        reader.close()
    assert result.rotated
    assert result.scrub_pending
    assert result.header.epoch == 2
    assert len(result.grants) == 1
    parse_list((tmp_path / "2.list").read_bytes(), committee.trust.trusted_keys())
    committee.expunge(now=NOW)  # scrubs, now that the reader is gone
    raw = b"".join(p.read_bytes() for p in committee.directory.glob("register.sqlite3*"))
    assert old.secret not in raw


def test_within_an_epoch_entries_come_and_go(committee: Committee, tmp_path: Path) -> None:
    record = committee.register.records.add(
        NewRecord(status=Status.BANNED, identifiers=[Identifier("github", "a")]), now=NOW
    )
    first = _publish(committee, tmp_path / "1.list")
    assert _lookup(committee, first, "github", "a") is not None
    assert _lookup(committee, first, "github", "b") is None
    committee.register.records.add(
        NewRecord(status=Status.FLAGGED, identifiers=[Identifier("github", "b")]), now=NOW
    )
    committee.register.records.remove(record.id)
    second = _publish(committee, tmp_path / "2.list")
    assert second.header.epoch == first.header.epoch
    assert _lookup(committee, second, "github", "a") is None
    assert _lookup(committee, second, "github", "b") is not None


def test_kdf_is_fixed_within_an_epoch(committee: Committee, tmp_path: Path) -> None:
    _publish(committee, tmp_path / "1.list")
    other = KDF_PROFILES["default"]
    with pytest.raises(InputError, match="rotate"):
        committee.publish(tmp_path / "2.list", PublishOptions(kdf=other), now=NOW)
    header = _publish(committee, tmp_path / "3.list", rotate=True, kdf=other).header
    assert header.kdf == other


def test_list_expiry_is_capped_by_the_first_record_expiry(
    committee: Committee, tmp_path: Path
) -> None:
    committee.register.records.add(
        NewRecord(
            status=Status.FLAGGED,
            identifiers=[Identifier("github", "a")],
            expires_at=NOW + timedelta(days=10),
        ),
        now=NOW,
    )
    result = committee.publish(tmp_path / "1.list", PublishOptions(kdf=CHEAP), now=NOW)
    # Capped at the start (Monday 00:00 UTC) of the week the retention ends in.
    assert result.header.expires_at == datetime(2026, 1, 19, tzinfo=UTC)
    assert result.capped_by_record_expiry


def test_three_and_five_people_give_the_same_size(committee: Committee, tmp_path: Path) -> None:
    for people in (range(3), range(3, 5)):
        for i in people:
            committee.register.records.add(
                NewRecord(
                    status=Status.BANNED,
                    identifiers=[
                        Identifier("name", f"Person Number{i}"),
                        Identifier("email", f"p{i}@x.org"),
                    ],
                ),
                now=NOW,
            )
        committee.publish(tmp_path / f"{people.stop}.list", PublishOptions(kdf=CHEAP), now=NOW)
    assert (tmp_path / "3.list").stat().st_size == (tmp_path / "5.list").stat().st_size


def test_list_holds_no_plaintext_and_no_unkeyed_hash(committee: Committee, tmp_path: Path) -> None:
    people = [
        ("José María García", "jose.garcia@example.org", "jgarcia"),
        ("Ada Lovelace", "ada@example.net", "adal"),
    ]
    for name, email, github in people:
        committee.register.records.add(
            NewRecord(
                status=Status.BANNED,
                identifiers=[
                    Identifier("name", name),
                    Identifier("email", email),
                    Identifier("github", github),
                ],
                case_ref=f"CASE-{github}",
            ),
            now=NOW,
        )
    committee.publish(tmp_path / "x.list", PublishOptions(kdf=CHEAP), now=NOW)
    data = (tmp_path / "x.list").read_bytes()
    needles: set[bytes] = set()
    for name, email, github in people:
        for kind, value in (("name", name), ("email", email), ("github", github)):
            forms = {value, canonical(kind, value), *variants(kind, value)}
            for form in forms:
                raw = form.encode("utf-8")
                needles |= {raw, raw.lower(), raw.upper()}
                for algorithm in ("md5", "sha1", "sha256", "sha512", "blake2b", "sha3_256"):
                    digest = hashlib.new(algorithm, raw).digest()
                    needles |= {digest[:16], digest.hex().encode()[:32]}
    needles |= {f"CASE-{github}".encode() for _, _, github in people}
    found = [n for n in needles if n in data]
    assert found == []


# ---------------------------------------------------------------------------
# grants


def test_grant_opens_for_its_organizer_only(committee: Committee, tmp_path: Path) -> None:
    listed = _publish(committee, tmp_path / "1.list")
    organizer = HpkePrivateKey.generate()
    grant = committee.grant(
        GrantRequest(organizer.public_key, "PyCon Test"), tmp_path / "o.grant", now=NOW
    )
    parsed = parse_grant((tmp_path / "o.grant").read_bytes(), committee.trust.trusted_keys())
    assert parsed == grant
    assert (parsed.series, parsed.epoch, parsed.organizer) == (
        committee.series,
        1,
        organizer.public_key.key_id,
    )
    assert parsed.expires_at == NOW + timedelta(days=90)
    epoch_key = parsed.open(organizer)
    header = listed.header
    key = EpochKey(epoch_key, header.salt, header.kdf)
    assert key_check(key, series=header.series, epoch=header.epoch) == header.key_check
    with pytest.raises(MismatchError, match="ask the committee for a grant for your key"):
        parsed.open(HpkePrivateKey.generate())
    assert [o.name for o in committee.register.organizers.all()] == ["PyCon Test"]


def test_hybrid_grant(committee: Committee, tmp_path: Path) -> None:
    _publish(committee, tmp_path / "1.list")
    organizer = HpkePrivateKey.generate(Suite.MLKEM768_X25519)
    committee.grant(GrantRequest(organizer.public_key, "PQ Conf"), tmp_path / "o.grant", now=NOW)
    parsed = parse_grant((tmp_path / "o.grant").read_bytes(), committee.trust.trusted_keys())
    assert parsed.suite is Suite.MLKEM768_X25519
    epoch = committee.register.epochs.current()
    assert epoch is not None
    assert parsed.open(organizer) == epoch.secret


def test_grant_needs_an_epoch(committee: Committee, tmp_path: Path) -> None:
    with pytest.raises(RegisterError, match="publish a list first"):
        committee.grant(
            GrantRequest(HpkePrivateKey.generate().public_key, "x"), tmp_path / "g", now=NOW
        )


def test_rotation_issues_fresh_grants(committee: Committee, tmp_path: Path) -> None:
    _publish(committee, tmp_path / "1.list")
    alice, bob = HpkePrivateKey.generate(), HpkePrivateKey.generate()
    committee.grant(GrantRequest(alice.public_key, "Alice Conf"), tmp_path / "a.grant", now=NOW)
    committee.grant(GrantRequest(bob.public_key, "Bob/Conf"), tmp_path / "b.grant", now=NOW)
    committee.register.organizers.revoke(bob.public_key.key_id, now=NOW)
    result = committee.publish(tmp_path / "2.list", PublishOptions(rotate=True, kdf=CHEAP), now=NOW)
    assert len(result.grants) == 1
    (path,) = result.grants
    assert path.parent.name == "epoch-2"
    assert path.name == f"{alice.public_key.key_id.hex()[:16]}.grant"  # no name in it
    grant = parse_grant(path.read_bytes(), committee.trust.trusted_keys())
    assert grant.epoch == 2
    epoch = committee.register.epochs.current()
    assert epoch is not None
    assert grant.open(alice) == epoch.secret


# ---------------------------------------------------------------------------
# expunge


def _raw_register_bytes(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(directory.glob("register.sqlite3*")))


def test_expunge_leaves_no_byte(committee: Committee, tmp_path: Path) -> None:
    marker_name = "Zebediah Quuxworthy"
    marker_email = "zq-unique-marker@expunged.example"
    keeper_email = "kept-marker@kept.example"
    committee.register.records.add(
        NewRecord(
            status=Status.MINOR,
            identifiers=[Identifier("name", marker_name), Identifier("email", marker_email)],
            case_ref="MARKER-CASE-EXPUNGED",
            note="marker note text to be expunged",
            expires_at=NOW + timedelta(days=1),
        ),
        now=NOW,
    )
    expiring = committee.register.records.add(
        NewRecord(
            status=Status.BANNED,
            identifiers=[Identifier("github", "expiring-handle-marker")],
            expires_at=NOW + timedelta(days=1),
        ),
        now=NOW,
    )
    committee.register.records.add(
        NewRecord(status=Status.BANNED, identifiers=[Identifier("email", keeper_email)]), now=NOW
    )
    # Make the records travel through updates, publishes and the WAL.
    committee.register.records.update(expiring.id, RecordChange(note="more marker text"), now=NOW)
    _publish(committee, tmp_path / "1.list")
    needles = [
        marker_name.encode(),
        marker_email.encode(),
        b"MARKER-CASE-EXPUNGED",
        b"marker note text",
        b"expiring-handle-marker",
        b"more marker text",
    ]
    before = _raw_register_bytes(committee.directory)
    assert all(n in before for n in needles[:3])  # the search can find them
    result = committee.expunge(now=NOW + timedelta(days=2))
    assert result.records == 2
    after = _raw_register_bytes(committee.directory)
    # The case reference stays, in the audit trail alone, so that the
    # committee can delete the case wherever else it kept it.
    assert [n for n in needles if n in after] == [b"MARKER-CASE-EXPUNGED"]
    trail = committee.register.audit.entries(case_ref="MARKER-CASE-EXPUNGED")
    assert [e.action for e in trail] == ["add", "expunge"]
    assert result.case_refs == ("MARKER-CASE-EXPUNGED", expiring.case_ref)
    assert keeper_email.encode() in after
    assert [r.identifiers[0].value for r in committee.register.records.all()] == [keeper_email]


def test_expunge_keeps_unexpired(committee: Committee) -> None:
    committee.register.records.add(
        NewRecord(status=Status.MINOR, identifiers=[Identifier("name", "Some One")]), now=NOW
    )
    assert committee.expunge(now=NOW).records == 0
    assert len(committee.register.records.all()) == 1


# ---------------------------------------------------------------------------
# signing-key rotation


def test_signing_key_rotation(committee: Committee, tmp_path: Path) -> None:
    old_trust = committee.trust
    _publish(committee, tmp_path / "before.list")
    new_trust = committee.rotate_signing_key(now=NOW)
    assert new_trust.generation == 2
    assert new_trust.series == old_trust.series
    assert new_trust.signing_key != old_trust.signing_key
    old_trust.check_successor(parse_trust(committee.paths.trust.read_bytes()))
    after = tmp_path / "after.list"
    committee.publish(after, now=NOW)
    parse_list(after.read_bytes(), new_trust.trusted_keys())
    with pytest.raises(UntrustedSigner):
        parse_list(after.read_bytes(), old_trust.trusted_keys())
    committee.close()
    with Committee.open(committee.directory) as reopened:
        assert reopened.trust.generation == 2


@pytest.mark.parametrize("completed_trust", [False, True])
def test_interrupted_key_rotation_is_recovered(
    committee: Committee, tmp_path: Path, completed_trust: bool
) -> None:
    directory = committee.directory
    backup = committee.paths.trust.read_bytes()
    old_key = (directory / "signing.key").read_bytes()
    committee.rotate_signing_key(now=NOW)
    new_key = (directory / "signing.key").read_bytes()
    committee.close()
    # Re-create the state a crash leaves: the new key still beside the old.
    (directory / "signing.key").write_bytes(old_key)
    (directory / "signing.key.next").write_bytes(new_key)
    os.chmod(directory / "signing.key.next", 0o600)
    if not completed_trust:
        (directory / "committee.trust").write_bytes(backup)
    with Committee.open(directory) as reopened:
        assert reopened.trust.generation == (2 if completed_trust else 1)
        assert not (directory / "signing.key.next").exists()
        expected = new_key if completed_trust else old_key
        assert (directory / "signing.key").read_bytes() == expected


# ---------------------------------------------------------------------------
# random registers

record_strategy = st.tuples(
    st.sampled_from(list(Status)),
    st.lists(
        st.sampled_from(["name", "email", "github", "twitter", "mastodon"]).flatmap(
            lambda kind: st.tuples(st.just(kind), PLAUSIBLE[kind])
        ),
        min_size=1,
        max_size=3,
    ),
)


def _valid(kind: str, value: str) -> bool:
    try:
        Identifier(kind, value)
    except ValueError:
        return False
    return True


@settings(max_examples=25)
@given(st.lists(record_strategy, max_size=6))
# Found by CI: a published variant that is not its own canonical form.
@example([(Status.FLAGGED, [("name", "Dr. n"), ("name", "0, \u0394E \u4eac 0")])])
def test_random_registers_publish_and_read_back(
    records: list[tuple[Status, list[tuple[str, str]]]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        with Committee.init(directory / "c", name="Random", now=NOW) as committee:
            for status, identifiers in records:
                valid = [Identifier(k, v) for k, v in identifiers if _valid(k, v)]
                if valid:
                    committee.register.records.add(
                        NewRecord(status=status, identifiers=valid), now=NOW
                    )
            committee.publish(
                directory / "l", PublishOptions(kdf=CHEAP, rng=fixed_rng(b"r")), now=NOW
            )
            listed = parse_list((directory / "l").read_bytes(), committee.trust.trusted_keys())
            expected = merge_entries(committee.register.records.published(NOW))
            for kind, form in expected:
                assert _lookup_form(committee, listed, kind, form) == expected[(kind, form)]
            for record in committee.register.records.all():
                if record.status is Status.MINOR:
                    for identifier in record.identifiers:
                        key = (identifier.kind, identifier.canonical)
                        if key not in expected:
                            assert _lookup_form(committee, listed, *key) is None


def test_grant_before_any_publish_records_nothing(committee: Committee, tmp_path: Path) -> None:
    organizer = HpkePrivateKey.generate()
    with pytest.raises(RegisterError, match="publish a list first"):
        committee.grant(GrantRequest(organizer.public_key, "x"), tmp_path / "g", now=NOW)
    assert committee.register.organizers.all() == []
    result = committee.publish(tmp_path / "1.list", PublishOptions(kdf=CHEAP), now=NOW)
    assert result.grants == ()


def test_two_lists_of_one_epoch_share_no_tag(committee: Committee, tmp_path: Path) -> None:
    # With tags fixed for an epoch, the tags two versions share would be
    # exactly the real entries, and their number would show.
    for i in range(5):
        committee.register.records.add(
            NewRecord(status=Status.BANNED, identifiers=[Identifier("email", f"p{i}@example.org")]),
            now=NOW,
        )
    first = _publish(committee, tmp_path / "1.list")
    committee.register.records.add(
        NewRecord(status=Status.BANNED, identifiers=[Identifier("email", "p5@example.org")]),
        now=NOW,
    )
    second = _publish(committee, tmp_path / "2.list")
    assert first.header.epoch == second.header.epoch
    assert not set(first.tags()) & set(second.tags())
    assert _lookup(committee, second, "email", "p0@example.org") is not None


def test_a_publish_grants_organizers_a_rotation_missed(
    committee: Committee, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _publish(committee, tmp_path / "1.list")
    organizer = HpkePrivateKey.generate()
    committee.grant(GrantRequest(organizer.public_key, "Org"), tmp_path / "o.grant", now=NOW)

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    # A rotation interrupted while hashing: the new epoch exists, no grant.
    with monkeypatch.context() as patch:
        patch.setattr("coc_hashscreen.core.KeyedHasher.hash_many", interrupted)
        with pytest.raises(KeyboardInterrupt):
            committee.publish(tmp_path / "2.list", PublishOptions(rotate=True, kdf=CHEAP), now=NOW)
    result = committee.publish(tmp_path / "2.list", now=NOW)
    assert result.header.epoch == 2
    (path,) = result.grants
    assert parse_grant(path.read_bytes(), committee.trust.trusted_keys()).open(organizer)
    assert committee.publish(tmp_path / "3.list", now=NOW).grants == ()
