"""Review: cases where the epoch cache changes a screening result."""
from __future__ import annotations
from pathlib import Path
from coc_hashscreen.core import HashingOptions, Strength
from coc_hashscreen.organizer import ScreenRecord
from ..conftest import World
from ..helpers import CountingArgon2


def _rec(email, order_email, name="Ann Other"):
    return ScreenRecord.from_kinds({"name": [name], "email": [email]}, ref={"id": 1},
                                   order={"email": [order_email]})


def test_order_contact_dedupe_differs_with_cache(world: World, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    # Attendee is herself listed; her e-mail is also the order's, spelled differently.
    recs = [_rec("Jose.Garcia+events@gmail.com", "jose.garcia+events@gmail.com")]
    plain = world.screener().screen(recs)
    first = world.screener(cache_dir=cache_dir).screen(recs)
    second = world.screener(cache_dir=cache_dir).screen(recs)
    print(plain.matches[0].hits)
    print(second.matches[0].hits)
    assert first.matches == plain.matches
    assert second.matches == plain.matches
    assert second.identifiers_hashed == plain.identifiers_hashed


def test_two_organizers_same_state_dir_thrash_one_cache_file(world: World, tmp_path: Path) -> None:
    from coc_hashscreen.committee import GrantRequest
    from coc_hashscreen.core import HpkePrivateKey
    from ..helpers import NOW
    other = HpkePrivateKey.generate()
    other_grant = tmp_path / "other.grant"
    world.committee.grant(GrantRequest(other.public_key, "Meetup"), other_grant, now=NOW)
    cache_dir = tmp_path / "cache"
    recs = [{"name": "Ada Lovelace", "email": "ada@example.org"}]
    world.screener(cache_dir=cache_dir).screen(recs)
    b = world.screener(cache_dir=cache_dir, grant=other_grant, organizer_key=other)
    print(b.file_cache.warnings)
    b.screen(recs)
    a = world.screener(cache_dir=cache_dir)
    print(a.file_cache.warnings)
    assert not a.file_cache.warnings and not b.file_cache.warnings


def test_non_ascii_order_kind_crashes_only_with_cache(world: World, tmp_path: Path) -> None:
    rec = ScreenRecord(names=("Ada Lovelace",), order_identifiers=(("téléphone", "123"),))
    plain = world.screener().screen([rec])
    print(plain.invalid)
    world.screener(cache_dir=tmp_path / "c").screen([rec])
