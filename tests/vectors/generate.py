"""Produce the known-answer vectors in this directory.

Usage (from the repository root)::

    python tests/vectors/generate.py normalization > tests/vectors/normalization-v1.json
    python tests/vectors/generate.py hashing > tests/vectors/hashing-v1.json

The files are frozen.  ``tests/test_vectors.py`` checks the code against
them; a difference means the code changed an output that committees and
organizers must agree on.  Do not regenerate a file to make that test pass:
add a new profile or format version instead, with new files.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

from coc_hashscreen import KDF_PROFILES, InvalidIdentifier, canonical, keyed_hash, variants
from coc_hashscreen._hashing import key_check, pepper

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
            case["canonical"] = canonical(kind, value)
            case["variants"] = sorted(variants(kind, value))
        except InvalidIdentifier as exc:
            case["error"] = exc.rule
        cases.append(case)
    return {
        "description": "canonical() and variants() under normalization profile v1",
        "produced_by": _produced_by("normalization"),
        "profile": "v1",
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
    for profile in ("test-only", "default"):
        params = KDF_PROFILES[profile]
        for kind, form in HASHING_INPUTS if profile == "test-only" else HASHING_INPUTS[:2]:
            result = keyed_hash(
                epoch_key=HASHING_KEY,
                salt=HASHING_SALT,
                params=params,
                kind=kind,
                canonical_form=form,
            )
            cases.append(
                {
                    "kdf": params.to_dict(),
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
                    HASHING_KEY, series=HASHING_SERIES, epoch=epoch, salt=HASHING_SALT
                ).hex(),
            }
            for epoch in (1, 2, 2**40)
        ],
    }


def _produced_by(what: str) -> str:
    return (
        f"python tests/vectors/generate.py {what} with coc_hashscreen "
        f"{version('coc-hashscreen')}, unidecode {version('unidecode')}, "
        f"argon2-cffi {version('argon2-cffi')}, cryptography {version('cryptography')}"
    )


GENERATORS: dict[str, Callable[[], dict[str, Any]]] = {
    "normalization": normalization,
    "hashing": hashing,
}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in GENERATORS:
        sys.exit(f"usage: generate.py {{{','.join(GENERATORS)}}}")
    json.dump(GENERATORS[sys.argv[1]](), sys.stdout, ensure_ascii=True, indent=1)
    sys.stdout.write("\n")
