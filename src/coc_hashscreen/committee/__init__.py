"""The committee's side: its directory, the register, publishing, grants and reports."""

from ._audit import (
    AuditEntry,
)
from ._committee import (
    Committee,
    CommitteePaths,
    IntakeResult,
)
from ._db import (
    SCHEMA_VERSION,
)
from ._epochs import (
    Epoch,
    EpochStore,
    Publication,
)
from ._grants import (
    DEFAULT_GRANT_VALIDITY,
    GrantFailure,
    GrantRequest,
)
from ._lookup import (
    Match,
    SearchIndex,
    current_profile,
    find,
)
from ._organizers import (
    GrantRecord,
    Organizer,
    OrganizerStore,
)
from ._publish import (
    DEFAULT_LIST_VALIDITY,
    PublishOptions,
    PublishResult,
    list_expiry,
    listed_records,
    merge_entries,
    published_keys,
)
from ._records import (
    KEEP,
    IdentifierIndex,
    Keep,
    NewRecord,
    Record,
    RecordChange,
    RecordStore,
)
from ._register import (
    ExpungeResult,
    Register,
    UpdateResult,
)
from ._reports import (
    ReportStep,
    ReportStore,
    StoredReport,
)
from ._retention import (
    DEFAULT_MINOR_RETENTION,
    DEFAULT_REPORT_RETENTION,
    check_future,
    report_expiry,
    retention_for,
)
from ._review import (
    REPORT_STEPS,
    NewRecordFor,
    RaisedRecord,
    ReviewAction,
    check_transition,
    new_identifiers,
    plan_outcome,
    report_retention,
)
from ._subject import (
    ExportedReport,
    SubjectExport,
    subject_export,
)

__all__ = [
    "DEFAULT_GRANT_VALIDITY",
    "DEFAULT_LIST_VALIDITY",
    "DEFAULT_MINOR_RETENTION",
    "DEFAULT_REPORT_RETENTION",
    "KEEP",
    "REPORT_STEPS",
    "SCHEMA_VERSION",
    "AuditEntry",
    "Committee",
    "CommitteePaths",
    "Epoch",
    "EpochStore",
    "ExportedReport",
    "ExpungeResult",
    "GrantFailure",
    "GrantRecord",
    "GrantRequest",
    "IdentifierIndex",
    "IntakeResult",
    "Keep",
    "Match",
    "NewRecord",
    "NewRecordFor",
    "Organizer",
    "OrganizerStore",
    "Publication",
    "PublishOptions",
    "PublishResult",
    "RaisedRecord",
    "Record",
    "RecordChange",
    "RecordStore",
    "Register",
    "ReportStep",
    "ReportStore",
    "ReviewAction",
    "SearchIndex",
    "StoredReport",
    "SubjectExport",
    "UpdateResult",
    "check_future",
    "check_transition",
    "current_profile",
    "find",
    "list_expiry",
    "listed_records",
    "merge_entries",
    "new_identifiers",
    "plan_outcome",
    "published_keys",
    "report_expiry",
    "report_retention",
    "retention_for",
    "subject_export",
]
