"""coc_hashscreen: privacy-preserving screening against a Code of Conduct register.

The committee publishes a signed list of keyed, memory-hard hashes of the
identifiers of flagged and banned people; organizers holding the epoch's key
screen their attendee and speaker lists locally.  See README.md and docs/.

The names here are where a user starts.  Everything else is public in its
role package, each of which builds only on the ones before it:

- `core`: normalization, keyed hashing, keys, time and value types (pure);
- `formats`: every file format, bytes in and verified value out;
- `committee`: the committee's directory, register, publishing and reports;
- `organizer`: input records, screening, results, outputs and state;
- `service`: the online mode's evaluation service (the ``service`` extra;
  not imported here, so the rest works without Starlette and uvicorn);
- `errors`: the one exception hierarchy.
"""

from . import committee, core, errors, formats, organizer
from ._version import __version__
from .committee import Committee, NewRecord
from .core import Identifier, Status, canonical, variants
from .errors import CocHashscreenError
from .formats import IncidentReport, seal_report
from .organizer import (
    FileState,
    MemoryState,
    Screener,
    ScreenRecord,
    init_organizer,
    load_organizer_key,
    load_trust,
    read_csv,
    read_table,
)

__all__ = [
    "CocHashscreenError",
    "Committee",
    "FileState",
    "Identifier",
    "IncidentReport",
    "MemoryState",
    "NewRecord",
    "ScreenRecord",
    "Screener",
    "Status",
    "__version__",
    "canonical",
    "committee",
    "core",
    "errors",
    "formats",
    "init_organizer",
    "load_organizer_key",
    "load_trust",
    "organizer",
    "read_csv",
    "read_table",
    "seal_report",
    "variants",
]
