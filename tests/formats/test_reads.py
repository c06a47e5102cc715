"""The read_* shells: a file's size limit before reading it, then the parser's checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from coc_hashscreen.errors import FileTooLarge, VerificationError
from coc_hashscreen.formats import (
    MAX_SIZES,
    parse_grant,
    parse_list,
    parse_trust,
    read_grant,
    read_list,
    read_receipt,
    read_trust,
    seal_report,
)

from ..conftest import World
from ..helpers import NOW, sample_report


def _readers(world: World) -> dict[str, Callable[[Path], object]]:
    trusted = world.committee.trust.trusted_keys()
    return {
        "list": lambda path: read_list(path, trusted),
        "grant": lambda path: read_grant(path, trusted),
        "trust": read_trust,
        "receipt": read_receipt,
    }


@pytest.mark.parametrize("file_type", ["list", "grant", "trust", "receipt"])
def test_an_oversized_file_is_refused_before_it_is_read(
    world: World, tmp_path: Path, file_type: str
) -> None:
    path = tmp_path / f"huge.{file_type}"
    with path.open("wb") as handle:
        handle.truncate(MAX_SIZES[file_type] + 1)  # sparse: nothing to read
    with pytest.raises(FileTooLarge, match="limit"):
        _readers(world)[file_type](path)


def test_files_read_as_their_bytes_parse(world: World, tmp_path: Path) -> None:
    trusted = world.committee.trust.trusted_keys()
    assert read_list(world.list_path, trusted).header == (
        parse_list(world.list_path.read_bytes(), trusted).header
    )
    assert read_grant(world.grant_path, trusted) == parse_grant(
        world.grant_path.read_bytes(), trusted
    )
    assert read_trust(world.trust_path) == parse_trust(world.trust_path.read_bytes())
    receipt = world.committee.intake(
        seal_report(sample_report(), trust=world.committee.trust), now=NOW
    ).receipt
    (tmp_path / "r.receipt").write_bytes(receipt)
    assert read_receipt(tmp_path / "r.receipt") == receipt


def test_a_read_file_is_verified(world: World, tmp_path: Path) -> None:
    data = bytearray(world.grant_path.read_bytes())
    data[-1] ^= 0x01  # the signature
    (tmp_path / "bad.grant").write_bytes(bytes(data))
    with pytest.raises(VerificationError):
        read_grant(tmp_path / "bad.grant", world.committee.trust.trusted_keys())
