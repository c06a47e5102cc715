"""The Argon2 cache of an epoch on the organizer's machine (ADR 0021).

A re-screen against a new version of the same epoch computes Argon2 only
for identifiers it has not seen in the epoch; a new epoch, an expired grant
and no cache each compute everything; a file that is damaged, from another
organizer key or from another epoch is ignored with a warning and rebuilt.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from coc_hashscreen.committee import GrantRequest, PublishOptions
from coc_hashscreen.core import KDF_PROFILES, HashingOptions, HpkePrivateKey, MemoryCache
from coc_hashscreen.errors import ExpiredError, InvalidParameters
from coc_hashscreen.formats import (
    CACHE_ENTRY_SIZE,
    CacheHeader,
    open_cache,
    parse_cache_header,
    seal_cache,
)
from coc_hashscreen.organizer import (
    FileCache,
    Screener,
    ScreeningReport,
    forget_caches,
    sweep_caches,
)

from ..conftest import World
from ..helpers import NOW, CountingArgon2

RECORDS = [
    {"name": "José García", "email": "jose.garcia+events@gmail.com"},
    {"name": "Ada Lovelace", "email": "ada@example.org"},
    {"name": "Grace Hopper", "github": "ghopper"},
]
NEW = [{"name": "Alan Turing", "email": "alan@example.org"}]


def _screen(
    world: World, cache_dir: Path, records: list[dict[str, str]], **overrides: object
) -> tuple[Screener, int, ScreeningReport]:
    counter = CountingArgon2()
    screener = world.screener(
        cache_dir=cache_dir, hashing=HashingOptions(argon2=counter), **overrides
    )
    report = screener.screen(records)
    return screener, counter.calls, report


def _new_version(world: World, *, rotate: bool = False) -> None:
    world.committee.publish(
        world.list_path,
        PublishOptions(kdf=KDF_PROFILES["test-only"], rotate=rotate),
        now=NOW + timedelta(hours=1),
    )


def _regrant(world: World, now: datetime) -> None:
    request = GrantRequest(world.organizer.public_key, "Test Conf")
    world.committee.grant(request, world.grant_path, now=now)


def _files(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("*.cache"))


def test_a_new_version_of_the_epoch_costs_argon2_only_for_new_identifiers(
    world: World, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    _, first_calls, _first = _screen(world, cache_dir, RECORDS)
    assert first_calls == 6
    _new_version(world)
    screener, calls, report = _screen(world, cache_dir, RECORDS + NEW, now=NOW + timedelta(hours=2))
    assert screener.info.version == 2
    assert calls == 2  # Alan Turing's name and e-mail, nothing else
    assert report.identifiers_hashed == 8
    assert report.identifiers_from_cache == 6
    # The cache changes what a run costs, never its result.
    plain = world.screener(now=NOW + timedelta(hours=2)).screen(RECORDS + NEW)
    assert report.matches == plain.matches
    assert [m.index for m in plain.matches] == [1]


def test_the_file_is_private_sealed_and_names_nobody(world: World, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    _screen(world, cache_dir, RECORDS)
    (path,) = _files(cache_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    raw = path.read_bytes()
    header = parse_cache_header(raw)
    assert (header.series, header.epoch) == (world.committee.series, 1)
    for record in RECORDS:
        for value in record.values():
            for form in {value, value.lower(), value.split("@")[0], "jose garcia", "garcia jose"}:
                assert form.encode() not in raw
    # 6 identifiers, each under its canonical form and under the text it was
    # read as, sealed: the length says how many, nothing more.
    assert len(raw) == 8 + 1 + 32 + 8 + 8 + 12 + 4 + 12 * CACHE_ENTRY_SIZE + 16


def test_a_new_epoch_computes_everything_and_deletes_the_old_file(
    world: World, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    _screen(world, cache_dir, RECORDS)
    (old,) = _files(cache_dir)
    _new_version(world, rotate=True)
    later = NOW + timedelta(hours=2)
    world.committee.grant(
        GrantRequest(world.organizer.public_key, "Test Conf"), world.grant_path, now=later
    )
    screener, calls, _ = _screen(world, cache_dir, RECORDS, now=later)
    assert screener.info.epoch == 2
    assert calls == 6
    assert not old.exists()
    assert [parse_cache_header(p.read_bytes()).epoch for p in _files(cache_dir)] == [2]


def test_an_expired_grant_takes_its_cache_along(world: World, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    short = tmp_path / "short.grant"
    request = GrantRequest(world.organizer.public_key, "Test Conf", valid_for=timedelta(days=1))
    world.committee.grant(request, short, now=NOW)
    _screen(world, cache_dir, RECORDS, grant=short)
    assert len(_files(cache_dir)) == 1
    after = NOW + timedelta(days=2)
    with pytest.raises(ExpiredError):
        world.screener(grant=short, cache_dir=cache_dir, now=after)
    assert _files(cache_dir) == []  # gone though the load failed
    # A renewed grant for the same epoch starts from nothing.
    world.committee.grant(request, short, now=after)
    _, calls, _ = _screen(world, cache_dir, RECORDS, grant=short, now=after)
    assert calls == 6


def test_no_cache_dir_keeps_nothing_and_computes_everything(world: World, tmp_path: Path) -> None:
    for _ in range(2):
        counter = CountingArgon2()
        world.screener(hashing=HashingOptions(argon2=counter)).screen(RECORDS)
        assert counter.calls == 6
    assert not any(tmp_path.rglob("*.cache"))


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("where", ["header", "nonce", "body", "tag", "truncated", "garbage"])
def test_a_damaged_file_is_ignored_with_a_warning_and_rebuilt(
    world: World, tmp_path: Path, where: str
) -> None:
    cache_dir = tmp_path / "cache"
    _screen(world, cache_dir, RECORDS)
    (path,) = _files(cache_dir)
    size = path.stat().st_size
    if where == "truncated":
        path.write_bytes(path.read_bytes()[: size - 20])
    elif where == "garbage":
        path.write_bytes(os.urandom(size))
    else:
        _flip(path, {"header": 20, "nonce": 60, "body": 100, "tag": size - 1}[where])
    screener, calls, _ = _screen(world, cache_dir, RECORDS)
    assert calls == 6
    (warning,) = screener.file_cache.warnings if screener.file_cache else ()
    assert "ignored and rebuilt" in warning or "rebuilt" in warning
    # Rebuilt: the next run trusts the new file and computes nothing.
    again, calls, _ = _screen(world, cache_dir, RECORDS)
    assert calls == 0
    assert again.file_cache is not None
    assert again.file_cache.warnings == ()


def test_a_file_from_another_organizer_key_is_not_trusted(world: World, tmp_path: Path) -> None:
    # Another organizer granted the same epoch holds the same epoch key; its
    # cache, put in place of ours, still does not open: it cannot plant
    # Argon2 outputs.
    other = HpkePrivateKey.generate()
    other_grant = tmp_path / "other.grant"
    world.committee.grant(GrantRequest(other.public_key, "Other Conf"), other_grant, now=NOW)
    theirs, mine = tmp_path / "theirs", tmp_path / "mine"
    _screen(world, theirs, RECORDS, organizer_key=other, grant=other_grant)
    _screen(world, mine, RECORDS[:1])
    ((their_file,), (my_file,)) = _files(theirs), _files(mine)
    assert their_file.name != my_file.name  # one file per organizer key
    shutil.copy(their_file, my_file)
    screener, calls, _ = _screen(world, mine, RECORDS)
    assert calls == 6
    assert screener.file_cache is not None
    assert len(screener.file_cache.warnings) == 1


def test_two_organizer_keys_sharing_a_state_directory_keep_a_file_each(
    world: World, tmp_path: Path
) -> None:
    other = HpkePrivateKey.generate()
    other_grant = tmp_path / "other.grant"
    world.committee.grant(GrantRequest(other.public_key, "Meetup"), other_grant, now=NOW)
    cache_dir = tmp_path / "cache"
    for _ in range(2):
        mine, _, _ = _screen(world, cache_dir, RECORDS)
        theirs, _, _ = _screen(world, cache_dir, RECORDS, organizer_key=other, grant=other_grant)
        assert mine.file_cache is not None
        assert theirs.file_cache is not None
        assert mine.file_cache.warnings == theirs.file_cache.warnings == ()
    assert len(_files(cache_dir)) == 2
    _, calls, _ = _screen(world, cache_dir, RECORDS)
    assert calls == 0


def test_a_file_from_another_epoch_under_this_epochs_name_is_not_trusted(
    world: World, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    _screen(world, cache_dir, RECORDS)
    (old,) = _files(cache_dir)
    saved = old.read_bytes()
    _new_version(world, rotate=True)
    later = NOW + timedelta(hours=2)
    world.committee.grant(
        GrantRequest(world.organizer.public_key, "Test Conf"), world.grant_path, now=later
    )
    _screen(world, cache_dir, RECORDS[:1], now=later)
    (current,) = _files(cache_dir)  # epoch 2's; epoch 1's went with its epoch
    current.write_bytes(saved)
    screener, calls, _ = _screen(world, cache_dir, RECORDS, now=later)
    assert calls == 6
    assert screener.file_cache is not None
    assert len(screener.file_cache.warnings) == 1


def test_the_cache_is_bounded_oldest_first(world: World, tmp_path: Path) -> None:
    cache = FileCache(
        tmp_path / "x.cache", CacheHeader(b"s" * 32, 1, NOW + timedelta(days=1)),
        key=b"k" * 32, max_entries=3,
    )  # fmt: skip
    for i in range(5):
        cache.put(bytes([i]) * 16, bytes([i]) * 32)
    assert cache.save()
    _, entries = open_cache((tmp_path / "x.cache").read_bytes(), key=b"k" * 32)
    assert [f[0] for f, _ in entries] == [2, 3, 4]
    assert not cache.save()  # nothing new: not written again


def test_sweep_and_forget(tmp_path: Path) -> None:
    def write(name: str, series: bytes, epoch: int, expires: datetime) -> Path:
        path = tmp_path / name
        header = CacheHeader(series, epoch, expires)
        path.write_bytes(seal_cache([], header=header, key=b"k" * 32, nonce=bytes(12)))
        return path

    week = NOW + timedelta(days=7)
    expired = write("a-1.cache", b"a" * 32, 1, NOW - timedelta(seconds=1))
    ended = write("b-1.cache", b"b" * 32, 1, week)
    current = write("b-2.cache", b"b" * 32, 2, week)
    other = write("c-5.cache", b"c" * 32, 5, week)
    stranger = tmp_path / "notes.txt"
    stranger.write_text("not ours")
    removed = sweep_caches(tmp_path, now=NOW, series=b"b" * 32, epoch=2)
    assert sorted(removed) == sorted([expired, ended])
    assert current.exists()
    assert other.exists()
    assert stranger.exists()
    assert forget_caches(tmp_path) == 2
    assert stranger.exists()
    assert not _files(tmp_path)
    assert forget_caches(tmp_path / "missing") == 0


def test_a_cache_and_a_cache_dir_together_are_refused(world: World, tmp_path: Path) -> None:
    with pytest.raises(InvalidParameters, match="not both"):
        world.screener(cache_dir=tmp_path, hashing=HashingOptions(cache=MemoryCache()))


def test_an_interrupted_run_keeps_what_it_finished(world: World, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"

    def records() -> Iterator[dict[str, str]]:
        yield from RECORDS
        raise KeyboardInterrupt

    screener = world.screener(cache_dir=cache_dir)
    screener.chunk_size = 1
    with pytest.raises(KeyboardInterrupt):
        screener.screen(records())
    _, calls, _ = _screen(world, cache_dir, RECORDS)
    assert calls < 6


def test_a_value_read_before_is_not_normalized_again(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cache also knows each value by the exact text it was read as: a
    # re-screen of the same export skips normalization for it, and a new
    # spelling of a known identifier is normalized and found by its form.
    from coc_hashscreen.core import canonical as original

    cache_dir = tmp_path / "cache"
    _, _, first = _screen(world, cache_dir, RECORDS)
    calls: list[str] = []

    def counting(kind: str, value: str, *, profile: str) -> str:
        calls.append(kind)
        return original(kind, value, profile=profile)

    monkeypatch.setattr("coc_hashscreen.organizer._run.canonical", counting)
    _, argon2, again = _screen(world, cache_dir, RECORDS)
    assert (argon2, again.identifiers_from_cache) == (0, 6)
    assert again.matches == first.matches
    # Only the name-only hit's name is normalized, for the cleared-match check.
    assert calls == ["name"]
    calls.clear()
    respelled = [{"name": "JOSÉ  GARCÍA", "email": "Jose.Garcia+Events@GMail.com"}]
    _, argon2, report = _screen(world, cache_dir, respelled)
    assert argon2 == 0
    # The new texts once each, and the name again for its name-only hit.
    assert sorted(calls) == ["email", "name", "name"]
    assert [m.case_ref for m in report.matches] == [world.case_refs["garcia"]]


def test_a_cleared_match_stays_cleared_when_the_cache_knows_the_text(
    world: World, tmp_path: Path
) -> None:
    from coc_hashscreen.core import Status
    from coc_hashscreen.organizer import clear_match

    cache_dir = tmp_path / "cache"
    person = [{"name": "Mallory Smith", "email": "someone.else@example.org"}]
    _, _, first = _screen(world, cache_dir, person)
    assert [m.case_ref for m in first.matches] == [world.case_refs["mallory"]]
    clear_match(world.state, world.committee.series, "Mallory Smith",
                case_ref=world.case_refs["mallory"], status=Status.FLAGGED)  # fmt: skip
    for _ in range(2):  # by its form, then by its text
        _, _, report = _screen(world, cache_dir, person)
        assert report.matches == ()
        assert [d.index for d in report.dismissed] == [1]


def test_no_canonical_form_starts_with_the_spelling_mark() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from coc_hashscreen.core import KINDS, canonical
    from coc_hashscreen.errors import InvalidIdentifier
    from coc_hashscreen.organizer._run import SPELLED

    @given(st.sampled_from(KINDS), st.text(max_size=30), st.sampled_from(["v1", "v2"]))
    def check(kind: str, value: str, profile: str) -> None:
        try:
            form = canonical(kind, SPELLED + value, profile=profile)
        except InvalidIdentifier:
            return
        assert not form.startswith(SPELLED)

    check()


def test_the_same_identifier_as_the_person_and_the_buyer_is_the_persons_on_every_path(
    world: World, tmp_path: Path
) -> None:
    # The attendee's e-mail and the order's differ in case: one identifier.
    # Once the cache knows one text and not the other, they are two keys, and
    # the buyer's must still not add an order-contact hit on the person.
    from coc_hashscreen.organizer import ScreenRecord

    cache_dir = tmp_path / "cache"
    _screen(world, cache_dir, [{"email": "petr@example.ru"}])

    def record() -> ScreenRecord:
        return ScreenRecord(
            emails=("petr@example.ru",), order_identifiers=(("email", "PETR@example.ru"),)
        )

    plain = world.screener().screen([record()])
    counter = CountingArgon2()
    cached = world.screener(cache_dir=cache_dir, hashing=HashingOptions(argon2=counter)).screen(
        [record()]
    )
    assert counter.calls == 0
    assert cached.matches == plain.matches
    assert cached.identifiers_hashed == plain.identifiers_hashed == 1
    (match,) = cached.matches
    assert {hit.strength.value for hit in match.hits} == {"strong"}


def test_an_unknown_kind_is_reported_with_a_cache_as_without(world: World, tmp_path: Path) -> None:
    from coc_hashscreen.organizer import ScreenRecord

    record = ScreenRecord(names=("Ada Lovelace",), order_identifiers=(("téléphone", "123"),))
    plain = world.screener().screen([record])
    cached = world.screener(cache_dir=tmp_path / "cache").screen([record])
    assert [(i.kind, i.rule) for i in cached.invalid] == [(i.kind, i.rule) for i in plain.invalid]
    assert len(cached.invalid) == 1
