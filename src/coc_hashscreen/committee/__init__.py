"""The committee's side: its directory, the register, publishing, grants and reports."""

from ._committee import (
    Committee,
    IntakeResult,
    PublishResult,
    merge_entries,
)
from ._register import (
    DEFAULT_MINOR_RETENTION,
    KEEP,
    REPORT_STEPS,
    SCHEMA_VERSION,
    Epoch,
    ExpungeResult,
    GrantRecord,
    Keep,
    Organizer,
    Publication,
    Record,
    Register,
    ReportStep,
    StoredReport,
)

__all__ = [
    "DEFAULT_MINOR_RETENTION",
    "KEEP",
    "REPORT_STEPS",
    "SCHEMA_VERSION",
    "Committee",
    "Epoch",
    "ExpungeResult",
    "GrantRecord",
    "IntakeResult",
    "Keep",
    "Organizer",
    "Publication",
    "PublishResult",
    "Record",
    "Register",
    "ReportStep",
    "StoredReport",
    "merge_entries",
]
