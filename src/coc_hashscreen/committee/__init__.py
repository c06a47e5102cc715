"""The committee's side: its directory, the register, publishing, grants and reports."""

from ._audit import (
    AUDIT_ACTIONS,
    MEMBER_ENV,
    AuditEntry,
    AuditLog,
    default_actor,
)
from ._backup import (
    DEFAULT_BACKUP_VALIDITY,
    BackupResult,
    RestoreOptions,
    RestoreResult,
    backup_committee,
    restore_committee,
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
from ._import import (
    IMPORT_FIELDS,
    ImportOptions,
    ImportPlan,
    ImportRow,
    export_rows,
    plan_import,
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
    ExpungePlan,
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
    DEFAULT_POLICY,
    DEFAULT_REPORT_RETENTION,
    Period,
    RetentionPolicy,
    check_decided,
    check_future,
    record_expiry,
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
from ._service import (
    DEFAULT_QUOTA,
    QuotaChange,
    QuotaOrder,
    ServiceDirectory,
    ServicePaths,
    quota_for,
)
from ._settings import (
    PublishFloor,
    SettingsStore,
)
from ._subject import (
    ExportedReport,
    SubjectExport,
    subject_export,
)

__all__ = [
    "AUDIT_ACTIONS",
    "DEFAULT_BACKUP_VALIDITY",
    "DEFAULT_GRANT_VALIDITY",
    "DEFAULT_LIST_VALIDITY",
    "DEFAULT_MINOR_RETENTION",
    "DEFAULT_POLICY",
    "DEFAULT_QUOTA",
    "DEFAULT_REPORT_RETENTION",
    "IMPORT_FIELDS",
    "KEEP",
    "MEMBER_ENV",
    "REPORT_STEPS",
    "SCHEMA_VERSION",
    "AuditEntry",
    "AuditLog",
    "BackupResult",
    "Committee",
    "CommitteePaths",
    "Epoch",
    "EpochStore",
    "ExportedReport",
    "ExpungePlan",
    "ExpungeResult",
    "GrantFailure",
    "GrantRecord",
    "GrantRequest",
    "IdentifierIndex",
    "ImportOptions",
    "ImportPlan",
    "ImportRow",
    "IntakeResult",
    "Keep",
    "Match",
    "NewRecord",
    "NewRecordFor",
    "Organizer",
    "OrganizerStore",
    "Period",
    "Publication",
    "PublishFloor",
    "PublishOptions",
    "PublishResult",
    "QuotaChange",
    "QuotaOrder",
    "RaisedRecord",
    "Record",
    "RecordChange",
    "RecordStore",
    "Register",
    "ReportStep",
    "ReportStore",
    "RestoreOptions",
    "RestoreResult",
    "RetentionPolicy",
    "ReviewAction",
    "SearchIndex",
    "ServiceDirectory",
    "ServicePaths",
    "SettingsStore",
    "StoredReport",
    "SubjectExport",
    "UpdateResult",
    "backup_committee",
    "check_decided",
    "check_future",
    "check_transition",
    "current_profile",
    "default_actor",
    "export_rows",
    "find",
    "list_expiry",
    "listed_records",
    "merge_entries",
    "new_identifiers",
    "plan_import",
    "plan_outcome",
    "published_keys",
    "quota_for",
    "record_expiry",
    "report_expiry",
    "report_retention",
    "restore_committee",
    "retention_for",
    "subject_export",
]
