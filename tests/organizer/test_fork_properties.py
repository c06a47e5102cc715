"""Properties of the organizer's fork and rollback memory, over any order of offered lists."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.errors import ForkError, RollbackError
from coc_hashscreen.organizer import SeriesState

from ..formats.test_listfile import _header

OFFERS = st.lists(
    st.tuples(st.integers(1, 6), st.integers(1, 3), st.integers(0, 2), st.booleans()),
    max_size=30,
)
KEYS = (b"\x01" * 32, b"\x02" * 32)


@given(OFFERS)
def test_no_two_lists_are_ever_accepted_for_one_version(
    offers: list[tuple[int, int, int, bool]],
) -> None:
    state = SeriesState("C", 1, KEYS[0])
    accepted: dict[int, tuple[int, bytes]] = {}
    last = (0, 0)
    for version, epoch, content, second_key in offers:
        digest = hashlib.sha256(bytes([version, epoch, content])).digest()
        header = replace(_header(), version=version, epoch=epoch)
        try:
            state = state.after_list(header, digest=digest, signer=KEYS[second_key])
        except (ForkError, RollbackError):
            continue
        # Whatever was accepted before for this version, this is the same list.
        assert accepted.setdefault(version, (epoch, digest)) == (epoch, digest)
        # Neither the version nor the epoch ever goes back.
        assert version >= last[0]
        assert epoch >= last[1]
        last = (version, epoch)
    assert state.list_version == last[0]


@given(OFFERS)
def test_forgetting_a_compromised_key_keeps_only_what_others_signed(
    offers: list[tuple[int, int, int, bool]],
) -> None:
    state = SeriesState("C", 1, KEYS[0])
    for version, epoch, content, second_key in offers:
        digest = hashlib.sha256(bytes([version, epoch, content])).digest()
        header = replace(_header(), version=version, epoch=epoch)
        try:
            state = state.after_list(header, digest=digest, signer=KEYS[second_key])
        except (ForkError, RollbackError):
            continue
    after = state.forget_compromised(frozenset({KEYS[1]}))
    assert all(seen.signer == KEYS[0] for seen in after.lists)
    assert after.list_version == max((s.version for s in after.lists), default=0)
    assert after.forget_compromised(frozenset({KEYS[1]})) == after  # idempotent
