"""Produce the known-answer vectors in this directory.

Usage (from the repository root)::

    python tests/vectors/generate.py normalization > tests/vectors/normalization-v1.json
    python tests/vectors/generate.py normalization-v2 > tests/vectors/normalization-v2.json
    python tests/vectors/generate.py hashing > tests/vectors/hashing-v1.json
    python tests/vectors/generate.py formats > tests/vectors/formats-v1.json
    python tests/vectors/generate.py reports > tests/vectors/reports-v1.json
    python tests/vectors/generate.py grants > tests/vectors/grants-v2.json
    python tests/vectors/generate.py trust > tests/vectors/trust-v2.json
    python tests/vectors/generate.py keyfiles > tests/vectors/keyfiles-v2.json
    python tests/vectors/generate.py sealed-v2 > tests/vectors/sealed-report-v2.json
    python tests/vectors/generate.py cache > tests/vectors/cache-v1.json
    python tests/vectors/generate.py online > tests/vectors/online-v2.json

``rfc9497-ristretto255-sha512.json`` is not produced here: it holds RFC
9497's own vectors, copied from the RFC (its "source" says where), and
``tests/core/test_oprf.py`` checks them.

The files are frozen.  ``tests/test_vectors.py`` checks the code against
them; a difference means the code changed an output that committees and
organizers must agree on.  Do not regenerate a file to make that test pass:
add a new profile or format version instead, with new files.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from coc_hashscreen.core import (
    KDF_PROFILES,
    EpochKey,
    canonical,
    key_check,
    keyed_hash,
    pepper,
    variants,
)
from coc_hashscreen.errors import InvalidIdentifier

NORMALIZATION_INPUTS: list[tuple[str, str]] = [
    ("name", "  Dr. GARCÍA, José "),
    ("name", "José García"),
    ("name", "José María García López"),
    ("name", "García López, José María"),
    ("name", "Prof. Dr. Ada Lovelace, PhD"),
    ("name", "Martin Luther King, Jr."),
    ("name", "Seán O’Brien"),
    ("name", "Jean-Luc Picard"),
    ("name", "Ｊｏｈｎ　Ｓｍｉｔｈ"),
    ("name", "Jo\u200bhn\u00ad Sm\u202eith"),
    ("name", "Jоhn Ѕmith"),
    ("name", "ВОВ Smith"),
    ("name", "Νick Κent"),
    ("name", "Пётр Иванов"),
    ("name", "Ελένη Παπαδοπούλου"),
    ("name", "김민준"),
    ("name", "北京 東京"),
    ("name", "山田太郎"),
    ("name", "محمد عبد الله"),
    ("name", "Nguyễn Văn Anh"),
    ("name", "Łukasz Żółć"),
    ("name", "Zoë Brontë-Smith III"),
    ("name", "J. R. R. Tolkien"),
    ("name", "Ruﬁno Giﬀord"),
    ("name", "Dr. Jr."),
    ("name", ""),
    ("email", "Jose.Garcia+dcus@GoogleMail.com"),
    ("email", "josegarcia@gmail.com"),
    ("email", "Jane.Doe@Example.COM"),
    ("email", "jane+pycon@example.com"),
    ("email", "user@Bücher.de"),
    ("email", "user@xn--bcher-kva.de"),
    ("email", "user@пример.рф"),
    ("email", "José@Example.com"),
    ("email", "straße@straße.de"),
    ("email", "<mailto:jane@example.com>"),
    ("email", "mailto:jane@example.com"),
    ("email", "ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
    ("email", "jane.example.com"),
    ("email", "jane@localhost"),
    ("github", "https://github.com/Octocat/"),
    ("github", "@octocat"),
    ("github", "github.com/octo-cat"),
    ("github", "-octocat"),
    ("twitter", "x.com/jack"),
    ("twitter", "https://twitter.com/Jack?lang=en"),
    ("twitter", "@Jack_Dorsey"),
    ("twitter", "jack-dorsey"),
    ("mastodon", "@Gargron@mastodon.social"),
    ("mastodon", "https://mastodon.social/@Gargron"),
    ("mastodon", "https://mastodon.social/users/gargron"),
    ("mastodon", "alice.b@Fosstodon.org"),
    ("mastodon", "gargron"),
]


def normalization() -> dict[str, Any]:
    cases: list[dict[str, Any]] = []
    for kind, value in NORMALIZATION_INPUTS:
        case: dict[str, Any] = {"kind": kind, "input": value}
        try:
            case["canonical"] = canonical(kind, value, profile="v1")
            case["variants"] = sorted(variants(kind, value, profile="v1"))
        except InvalidIdentifier as exc:
            case["error"] = exc.rule
        cases.append(case)
    return {
        "description": "canonical() and variants() under normalization profile v1",
        "produced_by": _produced_by("normalization"),
        "profile": "v1",
        "cases": cases,
    }


# One or more inputs per rule of profile v2 (docs/normalization.md), and
# every v1 input.
NORMALIZATION_V2_INPUTS: list[tuple[str, str]] = [
    *NORMALIZATION_INPUTS,
    ("name", "JosÃ© GarcÃ­a"),
    ("name", "JosÃƒÂ© GarcÃƒÂ­a"),
    ("name", "Ã…sa Ã˜stergÃ¥rd"),
    ("name", "Ёлкин Фёдор"),
    ("name", "王小明"),
    ("name", "王明"),
    ("name", "欧阳娜娜"),
    ("name", "曾国藩"),
    ("name", "王 小明"),
    ("name", "김서연"),
    ("name", "남궁민수"),
    ("name", "김 서연"),
    ("name", "さとう ゆうこ"),
    ("name", "オオノ コウジ"),
    ("name", "Anne-Marie Dupont"),
    ("name", "Xiao-Ming Wang"),
    ("name", "FNU Rahman"),
    ("name", "Priya LNU"),
    ("name", "Ludwig van Beethoven"),
    ("name", "Ursula von der Leyen"),
    ("name", "Luis Fernández de Córdoba"),
    ("name", "Ahmed bin Rashid al Maktoum"),
    ("name", "Pedro y Gómez"),
    ("name", "Robert J. Smith"),
    ("name", "K. S. Ramesh"),
    ("name", "Phillip Lloyd"),
    ("name", "Hugh Herr"),
    ("name", "Md Karim"),
    ("name", "Dr. Md Karim"),
    ("name", "Karim, Dr. Md"),
    ("name", "Jo\u17b4hn Sm\u17b5ith"),
    ("name", "Jo\u115fhn\ufe0f Smith\U000e0041"),
    ("name", "\u13abohn Smith"),
    ("name", "S\u057dsan Smith"),
    ("name", "J\u03c3hn Smith"),
    ("name", "\u0408\u043e\u04bb\u0578 Smith"),
    ("name", "Вера Smith"),
    ("name", "Вера Иванова"),
    ("name", "FNU"),
    ("name", "Matteo Ricci (he/him)"),
    ("name", "Ana [Speaker] Lima"),
    ("name", "Rajesh Kumar Pani"),
    ("name", "Mei Ling Ing"),
    ("name", "Du Jia Hui"),
    ("name", "Ann Lee"),
    ("name", "Jan VÍŠEK"),
    ("name", "宁 王"),
    ("name", "Jo\U0001e031n Smith"),
    ("name", "王\U00031350明"),
    ("name", "خالد المنصوري"),
    ("name", "Κωνσταντίνος Χατζής"),
    ("email", "Jo\u17b4hn@example.com"),
    ("github", "\u13abohn-dev"),
    ("twitter", "\u0251da_l"),
    ("mastodon", "@\u057dsan@mastodon.social"),
]


def normalization_v2() -> dict[str, Any]:
    """Profile v2: canonical forms frozen; variants listed are a floor (they may grow)."""
    cases: list[dict[str, Any]] = []
    for kind, value in NORMALIZATION_V2_INPUTS:
        case: dict[str, Any] = {"kind": kind, "input": value}
        try:
            case["canonical"] = canonical(kind, value, profile="v2")
            case["variants_include"] = sorted(variants(kind, value, profile="v2"))
        except InvalidIdentifier as exc:
            case["error"] = exc.rule
        cases.append(case)
    return {
        "description": "canonical() (frozen) and variants() (at least these) under profile v2",
        "produced_by": _produced_by("normalization-v2"),
        "profile": "v2",
        "cases": cases,
    }


HASHING_KEY = bytes(range(32))
HASHING_SALT = bytes(range(0xA0, 0xB0))
HASHING_SERIES = bytes(range(0x40, 0x60))
HASHING_INPUTS: list[tuple[str, str]] = [
    ("name", "garcia jose"),
    ("email", "josegarcia@gmail.com"),
    ("github", "octocat"),
    ("twitter", "octocat"),
    ("mastodon", "gargron@mastodon.social"),
    ("email", "josé@example.com"),
]


def hashing() -> dict[str, Any]:
    cases: list[dict[str, Any]] = []
    for profile, list_version in (("test-only", 1), ("test-only", 2), ("default", 1)):
        params = KDF_PROFILES[profile]
        first = (profile, list_version) == ("test-only", 1)
        inputs = HASHING_INPUTS if first else HASHING_INPUTS[:2]
        for kind, form in inputs:
            result = keyed_hash(
                EpochKey(HASHING_KEY, HASHING_SALT, params),
                version=list_version,
                kind=kind,
                canonical_form=form,
            )
            cases.append(
                {
                    "kdf": params.to_dict(),
                    "version": list_version,
                    "kind": kind,
                    "canonical": form,
                    "pepper": pepper(HASHING_KEY, kind, form).hex(),
                    "tag": result.tag.hex(),
                    "payload_key": result.payload_key.hex(),
                }
            )
    return {
        "description": "pepper, tag and payload key of the keyed-hashing construction (DESIGN §5)",
        "produced_by": _produced_by("hashing"),
        "epoch_key": HASHING_KEY.hex(),
        "salt": HASHING_SALT.hex(),
        "cases": cases,
        "key_checks": [
            {
                "series": HASHING_SERIES.hex(),
                "epoch": epoch,
                "key_check": key_check(
                    EpochKey(HASHING_KEY, HASHING_SALT, KDF_PROFILES["test-only"]),
                    series=HASHING_SERIES,
                    epoch=epoch,
                ).hex(),
            }
            for epoch in (1, 2, 2**40)
        ],
    }


def formats() -> dict[str, Any]:
    """Every signed file format, built from fixed keys, randomness and time.

    Lists are deterministic given those inputs (Ed25519 signatures are), so
    the test rebuilds them byte for byte.  HPKE encryption is randomized by
    design, so a grant is frozen as produced and the test checks that it
    verifies and opens to the expected epoch key.  The trust files and the
    rotation statement frozen in formats-v1.json are format 1, which this
    release no longer makes (ADR 0012); `trust` makes format 2.
    """
    from coc_hashscreen.core import KeyPurpose, Status, Strength, Suite
    from coc_hashscreen.formats import (
        EntryPayload,
        GrantTerms,
        ListHeader,
        build_list,
        issue_grant,
        save_private_key,
        save_public_key,
        save_signing_key,
    )
    from tests.helpers import NOW, fixed_hpke_key, fixed_rng, fixed_signing_key

    root = fixed_signing_key("vector committee gen1")
    params = KDF_PROFILES["test-only"]
    header = ListHeader(
        series=root.key_id,
        epoch=1,
        version=1,
        issued_at=NOW,
        expires_at=NOW.replace(month=2),
        kdf=params,
        salt=HASHING_SALT,
        key_check=key_check(
            EpochKey(HASHING_KEY, HASHING_SALT, params), series=root.key_id, epoch=1
        ),
        entry_count=64,
        # The frozen list was made under v1; the header says so.
        profile="v1",
    )
    people = [
        (
            "email",
            "josegarcia@gmail.com",
            EntryPayload(Status.BANNED, Strength.STRONG, "CoC-VECTOR01"),
        ),
        ("name", "garcia jose", EntryPayload(Status.BANNED, Strength.NAME_ONLY, "CoC-VECTOR01")),
        ("github", "octocat", EntryPayload(Status.FLAGGED, Strength.STRONG, "CoC-VECTOR02")),
    ]
    entries = [
        (
            keyed_hash(
                EpochKey(HASHING_KEY, HASHING_SALT, params),
                version=1,
                kind=kind,
                canonical_form=form,
            ),
            payload,
        )
        for kind, form, payload in people
    ]
    hashed_list = build_list(header, entries, root, rng=fixed_rng(b"vector list"))
    # The grants frozen in formats-v1.json are grant format 1, made when
    # issue_grant wrote it; it now writes format 2 (see grants()).
    grants = {}
    for suite in Suite:
        organizer = fixed_hpke_key(f"vector organizer {suite.value}", suite)
        grants[suite.value] = issue_grant(
            GrantTerms(root.key_id, 1, "Vector Conf", NOW, NOW.replace(month=4)),
            epoch_key=HASHING_KEY,
            organizer=organizer.public_key,
            signer=root,
        ).hex()
    organizer = fixed_hpke_key("vector organizer x25519", Suite.X25519)
    key_files = {}
    with tempfile.TemporaryDirectory() as tmp:
        save_signing_key(f"{tmp}/s", root, name="Vector Committee")
        save_private_key(f"{tmp}/o", organizer, purpose=KeyPurpose.ORGANIZER, name="Vector Conf")
        save_public_key(
            f"{tmp}/o.pub", organizer.public_key, purpose=KeyPurpose.ORGANIZER, name="Vector Conf"
        )
        for name in ("s", "o", "o.pub"):
            with open(f"{tmp}/{name}", encoding="utf-8") as handle:
                key_files[name] = handle.read()
    return {
        "description": "signed file formats, version 1 (docs/formats.md)",
        "produced_by": _produced_by("formats"),
        "now": NOW.isoformat(),
        "keys": {
            "committee_gen1": "sha256('vector committee gen1') as Ed25519 private key",
            "committee_gen2": "sha256('vector committee gen2') as Ed25519 private key",
            "report": "shake256('vector committee reports', 32) as X25519 private key",
            "organizer": "shake256('vector organizer <suite>', private size) per suite",
            "epoch_key": HASHING_KEY.hex(),
            "salt": HASHING_SALT.hex(),
            "list_rng": "SHAKE-256 counter stream seeded with 'vector list' (tests/helpers.py)",
        },
        "list": hashed_list.hex(),
        "list_entries": [
            {
                "kind": kind,
                "canonical": form,
                "status": p.status.value,
                "strength": p.strength.value,
                "case_ref": p.case_ref,
            }
            for kind, form, p in people
        ],
        "grants": grants,
        "signing_key_file": key_files["s"],
        "organizer_key_file": key_files["o"],
        "organizer_public_key_file": key_files["o.pub"],
    }


def trust() -> dict[str, Any]:
    """Trust files and rotation statements, format 2: deterministic, rebuilt byte for byte.

    Generation 3 is reached by a rotation that declares generation 2's key
    compromised and carries a new report key.
    """
    from datetime import timedelta

    from coc_hashscreen.formats import (
        RotationTerms,
        TrustContent,
        make_rotation,
        make_trust,
        sign_rotation,
    )
    from tests.helpers import NOW, fixed_hpke_key, fixed_signing_key

    keys = [fixed_signing_key(f"vector committee gen{n}") for n in (1, 2, 3)]
    report = fixed_hpke_key("vector committee reports").public_key
    report3 = fixed_hpke_key("vector committee reports gen3").public_key
    series = keys[0].key_id
    later = NOW + timedelta(days=30)
    rotation2 = make_rotation(
        series=series, generation=2, old=keys[0], new_public=keys[1].public_bytes, now=NOW
    )
    rotation3 = sign_rotation(
        RotationTerms(series, 3, keys[2].public_bytes, later, compromised=True), keys[1]
    )
    content = TrustContent("Vector Committee", series, report)
    files = {
        "trust_gen1": make_trust(content, signing_key=keys[0], now=NOW),
        "rotation_gen2": rotation2,
        "trust_gen2": make_trust(
            TrustContent("Vector Committee", series, report, (rotation2,)),
            signing_key=keys[1],
            now=NOW,
        ),
        "rotation_gen3": rotation3,
        "trust_gen3": make_trust(
            TrustContent("Vector Committee", series, report3, (rotation2, rotation3)),
            signing_key=keys[2],
            now=later,
        ),
    }
    return {
        "description": "trust files and rotation statements, format 2 (docs/formats.md)",
        "produced_by": _produced_by("trust"),
        "now": NOW.isoformat(),
        "keys": {
            "committee_gen<n>": "sha256('vector committee gen<n>') as Ed25519 private key",
            "report": "shake256('vector committee reports', 32) as X25519 private key",
            "report_gen3": "shake256('vector committee reports gen3', 32) as X25519",
        },
        **{name: data.hex() for name, data in files.items()},
    }


def reports() -> dict[str, Any]:
    """A sealed incident report (randomized by HPKE: frozen as produced) and a
    receipt for it (deterministic: rebuilt byte for byte)."""
    from datetime import date

    from coc_hashscreen.core import Identifier
    from coc_hashscreen.formats import (
        Attachment,
        IncidentReport,
        Person,
        TrustContent,
        make_trust,
        parse_trust,
        seal_report,
        sign_receipt,
    )
    from tests.helpers import NOW, fixed_hpke_key, fixed_signing_key

    committee = fixed_signing_key("vector committee gen1")
    report_key = fixed_hpke_key("vector committee reports")
    trust = parse_trust(
        make_trust(
            TrustContent("Vector Committee", committee.key_id, report_key.public_key),
            signing_key=committee,
            now=NOW,
        )
    )
    report = IncidentReport(
        event_name="Vector Conf",
        event_start=date(2026, 1, 10),
        event_end=date(2026, 1, 12),
        reporter_name="Vera Vector",
        reporter_email="coc@vector.example",
        people=(
            Person("reported", "Mallory Example", (Identifier("email", "mallory@example.org"),)),
            Person("affected", "Alice Example"),
        ),
        facts="Facts determined by the event team.",
        review="Reviewed.",
        actions="Asked to leave.",
        responses="Left.",
        attachments=(Attachment("note.txt", b"a message copy\n"),),
    )
    sealed = seal_report(report, trust=trust)
    receipt = sign_receipt(
        committee="Vector Committee",
        series=committee.key_id,
        sealed=sealed,
        received_at=NOW,
        signer=committee,
    )
    return {
        "description": "sealed incident report and receipt, format 1 (docs/formats.md)",
        "produced_by": _produced_by("reports"),
        "keys": {
            "committee": "sha256('vector committee gen1') as Ed25519 private key",
            "report": "shake256('vector committee reports', 32) as X25519 private key",
        },
        "trust": trust.raw.hex(),
        "sealed_report": sealed.hex(),
        "report_json": report.to_dict(),
        "receipt": receipt.hex(),
        "received_at": NOW.isoformat(),
    }


GRANT_NAMES: dict[str, str] = {
    "x25519": "Vector Conf",
    # Multi-byte UTF-8, to pin how the sealed name is measured and padded.
    "mlkem768-x25519": "Conférence Vecteur 東京",
}


def grants() -> dict[str, Any]:
    """Grant format 2, one per suite: the organizer's name sealed with the epoch key.

    HPKE is randomized, so the grants are frozen as produced; the test
    checks that each verifies, opens to the epoch key and the name, and
    that the name appears nowhere in the file.
    """
    from coc_hashscreen.core import Suite
    from coc_hashscreen.formats import GrantTerms, issue_grant
    from tests.helpers import NOW, fixed_hpke_key, fixed_signing_key

    root = fixed_signing_key("vector committee gen1")
    issued = {}
    for suite in Suite:
        organizer = fixed_hpke_key(f"vector organizer {suite.value}", suite)
        terms = GrantTerms(root.key_id, 1, GRANT_NAMES[suite.value], NOW, NOW.replace(month=4))
        issued[suite.value] = issue_grant(
            terms, epoch_key=HASHING_KEY, organizer=organizer.public_key, signer=root
        ).hex()
    return {
        "description": "grants, format 2: the organizer's name sealed (docs/formats.md)",
        "produced_by": _produced_by("grants"),
        "now": NOW.isoformat(),
        "keys": {
            "committee": "sha256('vector committee gen1') as Ed25519 private key",
            "organizer": "shake256('vector organizer <suite>', private size) per suite",
            "epoch_key": HASHING_KEY.hex(),
        },
        "names": GRANT_NAMES,
        "grants": issued,
    }


KEYFILE_PASSPHRASE = "correct horse battery staple"


def keyfiles() -> dict[str, Any]:
    """Private key files of format 2, encrypted under a fixed passphrase.

    Deterministic given the key, the passphrase, the Argon2 cost and the
    salt and nonce (from a fixed stream): the test rebuilds each file byte
    for byte, and opens it.  One file is at the default cost, the others at
    the cheapest, to keep the test fast.
    """
    from coc_hashscreen.core import KeyPurpose, Suite
    from coc_hashscreen.formats import (
        DEFAULT_PASSPHRASE_KDF,
        KeyProtection,
        Passphrase,
        PassphraseKdf,
        save_private_key,
        save_signing_key,
    )
    from tests.helpers import fixed_hpke_key, fixed_rng, fixed_signing_key

    passphrase = Passphrase.from_text(KEYFILE_PASSPHRASE)
    cheap = PassphraseKdf(time_cost=1, memory_cost=8, parallelism=1)
    files = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, kdf in (("signing_default_kdf", DEFAULT_PASSPHRASE_KDF), ("signing", cheap)):
            protection = KeyProtection(passphrase, kdf=kdf, rng=fixed_rng(label.encode()))
            save_signing_key(
                f"{tmp}/{label}",
                fixed_signing_key("vector committee gen1"),
                name="Vector Committee",
                protection=protection,
            )
        for suite in Suite:
            label = f"organizer_{suite.value}"
            save_private_key(
                f"{tmp}/{label}",
                fixed_hpke_key(f"vector organizer {suite.value}", suite),
                purpose=KeyPurpose.ORGANIZER,
                name="Vector Conf",
                protection=KeyProtection(passphrase, kdf=cheap, rng=fixed_rng(label.encode())),
            )
        for name in sorted(os.listdir(tmp)):
            with open(f"{tmp}/{name}", encoding="utf-8") as handle:
                files[name] = handle.read()
    return {
        "description": "private key files, format 2: encrypted under a passphrase (ADR 0015)",
        "produced_by": _produced_by("keyfiles"),
        "passphrase": KEYFILE_PASSPHRASE,
        "keys": {
            "signing": "sha256('vector committee gen1') as Ed25519 private key",
            "organizer": "shake256('vector organizer <suite>', private size) per suite",
            "salt_and_nonce": "SHAKE-256 counter stream seeded with the file's label "
            "(tests/helpers.py): salt first, then nonce",
        },
        "files": files,
    }


def sealed_v2() -> dict[str, Any]:
    """A sealed incident report of version 2 (padded to a size bucket), frozen as
    produced (HPKE is randomized); opened with the fixed report key alone."""
    from coc_hashscreen.formats import TrustContent, make_trust, parse_trust, seal_report
    from tests.helpers import NOW, fixed_hpke_key, fixed_signing_key, sample_report

    committee = fixed_signing_key("vector committee gen1")
    report_key = fixed_hpke_key("vector committee reports")
    trust = parse_trust(
        make_trust(
            TrustContent("Vector Committee", committee.key_id, report_key.public_key),
            signing_key=committee,
            now=NOW,
        )
    )
    report = sample_report()
    sealed = seal_report(report, trust=trust)
    return {
        "description": "sealed incident report, version 2: plaintext padded with zeros "
        "to a size bucket (docs/formats.md)",
        "produced_by": _produced_by("sealed-v2"),
        "keys": {"report": "shake256('vector committee reports', 32) as X25519 private key"},
        "sealed_report": sealed.hex(),
        "plaintext_length": len(report.to_plaintext()),
        "padded_length": 64 * 2**10,
        "report_json": report.to_dict(),
    }


def cache() -> dict[str, Any]:
    """An organizer's Argon2 cache file, format 1, with two entries and a fixed nonce."""
    from coc_hashscreen.core import cache_fingerprint, cache_key
    from coc_hashscreen.formats import CacheHeader, cache_file_key, seal_cache
    from tests.helpers import NOW, fixed_hpke_key

    organizer = fixed_hpke_key("vector organizer x25519")
    key = EpochKey(HASHING_KEY, bytes(range(16)), KDF_PROFILES["test-only"])
    series = bytes(range(32))
    fingerprint_key = cache_key(key)
    entries = [
        (cache_fingerprint(fingerprint_key, kind, form), bytes([i]) * 32)
        for i, (kind, form) in enumerate([("name", "jose garcia"), ("email", "p@example.org")])
    ]
    header = CacheHeader(series, 3, NOW.replace(month=4))
    file_key = cache_file_key(organizer, key, series=series, epoch=3)
    return {
        "description": "Argon2 cache file, format 1 (organizer/_cache.py, ADR 0021)",
        "produced_by": _produced_by("cache"),
        "keys": {
            "organizer": "shake256('vector organizer x25519', 32) as X25519 private key",
            "epoch_key": HASHING_KEY.hex(),
            "salt": bytes(range(16)).hex(),
        },
        "series": series.hex(),
        "epoch": 3,
        "expires": header.expires.isoformat(),
        "fingerprint_key": fingerprint_key.hex(),
        "file_key": file_key.hex(),
        "entries": [[f.hex(), x.hex()] for f, x in entries],
        "identifiers": [["name", "jose garcia"], ["email", "p@example.org"]],
        "file": seal_cache(entries, header=header, key=file_key, nonce=bytes(12)).hex(),
    }


ONLINE_SEED = bytes(range(32, 64))
ONLINE_ENDPOINT = "https://screening.example.org/coc"


def online() -> dict[str, Any]:
    """The online mode (ADR 0025): VOPRF peppers, an online list, online grants, a seed file.

    The committee's VOPRF key is DeriveKeyPair(seed, info) with the info of
    `oprf_key_info`; each case's pepper is its direct Evaluate, from which
    Argon2 and HKDF run as in v1.  The list is deterministic and rebuilt
    byte for byte; the grants are HPKE (randomized), frozen as produced.
    """
    from coc_hashscreen.core import OprfEpochKey, Status, Strength, Suite, oprf_input
    from coc_hashscreen.formats import (
        EntryPayload,
        GrantTerms,
        ListHeader,
        OnlineService,
        ServiceSeed,
        build_list,
        issue_online_grant,
    )
    from tests.helpers import NOW, fixed_hpke_key, fixed_rng, fixed_signing_key

    root = fixed_signing_key("vector committee gen1")
    seed = ServiceSeed(root.key_id, 3, ONLINE_SEED)
    oprf = seed.key()
    params = KDF_PROFILES["test-only"]
    key = OprfEpochKey(oprf, HASHING_SALT, params, HASHING_KEY)
    cases = []
    for kind, form in HASHING_INPUTS:
        result = keyed_hash(key, version=1, kind=kind, canonical_form=form)
        cases.append(
            {
                "kind": kind,
                "canonical": form,
                "input": oprf_input(kind, form).hex(),
                "pepper": key.pepper(kind, form).hex(),
                "tag": result.tag.hex(),
                "payload_key": result.payload_key.hex(),
            }
        )
    header = ListHeader(
        series=root.key_id,
        epoch=3,
        version=1,
        issued_at=NOW,
        expires_at=NOW.replace(month=2),
        kdf=params,
        salt=HASHING_SALT,
        key_check=b"",
        entry_count=64,
        profile="v2",
        online=OnlineService(ONLINE_ENDPOINT, oprf.public_key),
    )
    payload = EntryPayload(Status.BANNED, Strength.STRONG, "CoC-VECTOR03")
    kind, form = HASHING_INPUTS[0]
    entries = [(keyed_hash(key, version=1, kind=kind, canonical_form=form), payload)]
    hashed_list = build_list(header, entries, root, rng=fixed_rng(b"vector online list"))
    grants = {}
    for suite in Suite:
        organizer = fixed_hpke_key(f"vector organizer {suite.value}", suite)
        grants[suite.value] = issue_online_grant(
            GrantTerms(root.key_id, 3, GRANT_NAMES[suite.value], NOW, NOW.replace(month=4)),
            access_token=HASHING_KEY,
            endpoint=ONLINE_ENDPOINT,
            organizer=organizer.public_key,
            signer=root,
        ).hex()
    return {
        "description": "online mode: VOPRF peppers, list format 2, grant format 3, seed file",
        "produced_by": _produced_by("online"),
        "now": NOW.isoformat(),
        "series": root.key_id.hex(),
        "epoch": 3,
        "seed": ONLINE_SEED.hex(),
        "public_key": oprf.public_key.hex(),
        "salt": HASHING_SALT.hex(),
        "kdf": params.to_dict(),
        "cases": cases,
        "list": hashed_list.hex(),
        "list_rng": "SHAKE-256 counter stream seeded with 'vector online list'",
        "list_entry": {"kind": kind, "canonical": form, "case_ref": payload.case_ref},
        "access_token": HASHING_KEY.hex(),
        "endpoint": ONLINE_ENDPOINT,
        "names": GRANT_NAMES,
        "grants": grants,
        "seed_file": seed.to_json().decode("ascii"),
    }


def _produced_by(what: str) -> str:
    return (
        f"python tests/vectors/generate.py {what} with coc_hashscreen "
        f"{version('coc-hashscreen')}, unidecode {version('unidecode')}, "
        f"argon2-cffi {version('argon2-cffi')}, cryptography {version('cryptography')}"
    )


GENERATORS: dict[str, Callable[[], dict[str, Any]]] = {
    "normalization": normalization,
    "normalization-v2": normalization_v2,
    "hashing": hashing,
    "formats": formats,
    "reports": reports,
    "grants": grants,
    "trust": trust,
    "keyfiles": keyfiles,
    "sealed-v2": sealed_v2,
    "cache": cache,
    "online": online,
}

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parents[2]))  # for tests.helpers
    if len(sys.argv) != 2 or sys.argv[1] not in GENERATORS:
        sys.exit(f"usage: generate.py {{{','.join(GENERATORS)}}}")
    json.dump(GENERATORS[sys.argv[1]](), sys.stdout, ensure_ascii=True, indent=1)
    sys.stdout.write("\n")
