"""Every byte position of every signed or sealed file type, flipped: each refused.

Not a sample: each position of each file is flipped twice (its lowest and
its highest bit) and the file must be refused by the function that reads
it.  The count of positions is printed at the end of the run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from coc_hashscreen.committee import Committee, GrantRequest, NewRecord, PublishOptions
from coc_hashscreen.core import KDF_PROFILES, HpkePrivateKey, Identifier, Status, Suite
from coc_hashscreen.errors import (
    FormatError,
    MismatchError,
    UnsupportedFormat,
    UntrustedSigner,
    VerificationError,
    WrongFileType,
)
from coc_hashscreen.formats import (
    Attachment,
    GrantTerms,
    IncidentReport,
    Person,
    issue_grant,
    open_sealed_report,
    parse_grant,
    parse_list,
    parse_trust,
    seal_report,
    sign_envelope,
    verify_receipt,
)
from coc_hashscreen.formats._rotation import parse_rotation
from coc_hashscreen.formats._wire import dump_json as dump

from ._tally import count
from .helpers import NOW, fixed_signing_key

REFUSALS = (
    FormatError,
    VerificationError,
    UntrustedSigner,
    MismatchError,
    UnsupportedFormat,
    WrongFileType,
)


@dataclass(frozen=True)
class Signed:
    name: str
    data: bytes
    read: Callable[[bytes], object]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Signed]:
    tmp: Path = tmp_path_factory.mktemp("tamper")
    committee = Committee.init(tmp / "c", name="Tamper Committee", now=NOW)
    committee.register.records.add(
        NewRecord(
            status=Status.BANNED,
            identifiers=[Identifier("name", "Mal Actor"), Identifier("email", "mal@example.org")],
        ),
        now=NOW,
    )
    committee.publish(tmp / "l", PublishOptions(kdf=KDF_PROFILES["test-only"]), now=NOW)
    organizers = {suite: HpkePrivateKey.generate(suite) for suite in Suite}
    for suite, key in organizers.items():
        committee.grant(GrantRequest(key.public_key, "x"), tmp / f"{suite.value}.grant", now=NOW)
    # An online epoch: list format 2 and grant format 3.
    online = PublishOptions(
        kdf=KDF_PROFILES["test-only"], rotate=True, endpoint="https://s.example", grants_dir=tmp
    )
    committee.publish(tmp / "ol", online, now=NOW)
    online_key = HpkePrivateKey.generate()
    committee.grant(GrantRequest(online_key.public_key, "y"), tmp / "online.grant", now=NOW)
    first_trust = committee.trust
    committee.rotate_signing_key(now=NOW)
    trust = committee.trust
    report = IncidentReport(
        event_name="Tamper Conf", event_start=date(2026, 1, 1), event_end=date(2026, 1, 2),
        reporter_name="Rita", reporter_email="coc@tamper.example",
        people=(Person("reported", "Mal Actor"),), facts="Facts.",
        attachments=(Attachment("n.txt", b"a note"),),
    )  # fmt: skip
    sealed = seal_report(report, trust=trust)
    receipt = committee.intake(sealed, now=NOW).receipt
    report_key = committee.report_key()
    old_keys = first_trust.trusted_keys()
    rotation = trust.rotations[0]
    result = [
        Signed("list", (tmp / "l").read_bytes(), lambda d: parse_list(d, old_keys)),
        *(
            Signed(
                f"grant ({suite.value})",
                (tmp / f"{suite.value}.grant").read_bytes(),
                lambda d, k=key: parse_grant(d, old_keys).open(k),  # type: ignore[misc]
            )
            for suite, key in organizers.items()
        ),
        Signed("online list", (tmp / "ol").read_bytes(), lambda d: parse_list(d, old_keys)),
        Signed(
            "online grant",
            (tmp / "online.grant").read_bytes(),
            lambda d: parse_grant(d, old_keys).open_token(online_key),
        ),
        Signed("trust file (generation 1)", first_trust.raw, parse_trust),
        Signed("trust file (generation 2)", trust.raw, parse_trust),
        Signed(
            "rotation statement",
            rotation,
            lambda d: parse_rotation(
                d, series=first_trust.signing_key_id, generation=2, previous=None, legacy=False
            ),
        ),
        Signed("receipt", receipt, lambda d: verify_receipt(d, trust=trust, sealed=sealed)),
        Signed("sealed report", sealed, lambda d: open_sealed_report(d, report_key)),
    ]
    committee.close()
    return result


def test_the_untampered_files_are_accepted(files: list[Signed]) -> None:
    for item in files:
        item.read(item.data)


@pytest.mark.parametrize(
    "name",
    [
        "list", "grant (x25519)", "grant (mlkem768-x25519)", "online list", "online grant",
        "trust file (generation 1)",
        "trust file (generation 2)", "rotation statement", "receipt", "sealed report",
    ],
)  # fmt: skip
def test_every_flipped_byte_is_refused(files: list[Signed], name: str) -> None:
    item = next(f for f in files if f.name == name)
    accepted = []
    for position in range(len(item.data)):
        for bit in (0x01, 0x80):
            tampered = bytearray(item.data)
            tampered[position] ^= bit
            try:
                item.read(bytes(tampered))
            except REFUSALS:
                continue
            accepted.append((position, bit))
        count(f"byte positions flipped, {name}")
    assert accepted == []


@pytest.mark.parametrize("cut", [1, 2, 32, 64, 65])
def test_truncated_and_extended_files_are_refused(files: list[Signed], cut: int) -> None:
    for item in files:
        for variant in (item.data[:-cut], item.data + b"\x00" * cut):
            with pytest.raises(REFUSALS):
                item.read(variant)


def test_every_grant_field_is_bound() -> None:
    # Even a grant re-signed by the committee cannot be moved to another
    # epoch or series: the HPKE info binds them.
    signer = fixed_signing_key("bind")
    organizer = HpkePrivateKey.generate()
    grant = issue_grant(
        GrantTerms(signer.key_id, 3, "o", NOW, NOW + timedelta(days=1)),
        epoch_key=b"\x05" * 32,
        organizer=organizer.public_key,
        signer=signer,
    )
    payload = json.loads(grant[9 + 5 + 32 + 8 : -64])
    for change in ({"epoch": 4}, {"series": "11" * 32}):
        forged = sign_envelope("grant", dump({**payload, **change}), signer)
        with pytest.raises(VerificationError):
            parse_grant(forged, {signer.key_id: signer.public_key}).open(organizer)
