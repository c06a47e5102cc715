"""Every file format: bytes in, verified value out, and the files they live in.

Each format has a ``parse_*`` (bytes to a verified value) or a builder
(values to signed bytes), and shells that read and write files atomically
with the format's size limit.  Trust decisions (which key to pin, whether a
version is a rollback) are the organizer's and the committee's, not made here.
"""

from ._attachment import (
    SavedAttachment,
    save_attachments,
)
from ._envelope import (
    FILE_TYPE_NAMES,
    FILE_TYPES,
    MAX_SIZES,
    Envelope,
    Signer,
    claimed_type,
    open_envelope,
    open_self_signed,
    peek_type,
    read_envelope,
    sign_envelope,
    type_prefix,
)
from ._files import (
    check_private_mode,
    fsync_directory,
    read_limited,
    write_atomic,
)
from ._grant import (
    Grant,
    GrantTerms,
    grant_info,
    issue_grant,
    parse_grant,
    read_grant,
)
from ._keyfiles import (
    PublicKeyFile,
    load_private_key,
    load_public_key,
    load_signing_key,
    save_private_key,
    save_public_key,
    save_signing_key,
)
from ._listfile import (
    ENTRY_LENGTH,
    EntryPayload,
    HashedList,
    ListHeader,
    Random,
    bucket_size,
    build_list,
    parse_list,
    read_list,
)
from ._receipt import (
    Receipt,
    parse_receipt,
    read_receipt,
    sign_receipt,
    verify_receipt,
)
from ._report import (
    MAX_REPORT_JSON,
    ROLES,
    Attachment,
    IncidentReport,
    Person,
    report_template,
)
from ._sealed import (
    MAX_SEALED_SIZE,
    open_sealed_report,
    padded_length,
    read_sealed,
    report_id_for,
    seal_report,
)
from ._trust import (
    TrustContent,
    TrustFile,
    check_successor,
    make_rotation,
    make_trust,
    parse_trust,
    read_trust,
)
from ._wire import (
    Fields,
    dump_json,
    load_json,
)

__all__ = [
    "ENTRY_LENGTH",
    "FILE_TYPES",
    "FILE_TYPE_NAMES",
    "MAX_REPORT_JSON",
    "MAX_SEALED_SIZE",
    "MAX_SIZES",
    "ROLES",
    "Attachment",
    "EntryPayload",
    "Envelope",
    "Fields",
    "Grant",
    "GrantTerms",
    "HashedList",
    "IncidentReport",
    "ListHeader",
    "Person",
    "PublicKeyFile",
    "Random",
    "Receipt",
    "SavedAttachment",
    "Signer",
    "TrustContent",
    "TrustFile",
    "bucket_size",
    "build_list",
    "check_private_mode",
    "check_successor",
    "claimed_type",
    "dump_json",
    "fsync_directory",
    "grant_info",
    "issue_grant",
    "load_json",
    "load_private_key",
    "load_public_key",
    "load_signing_key",
    "make_rotation",
    "make_trust",
    "open_envelope",
    "open_sealed_report",
    "open_self_signed",
    "padded_length",
    "parse_grant",
    "parse_list",
    "parse_receipt",
    "parse_trust",
    "peek_type",
    "read_envelope",
    "read_grant",
    "read_limited",
    "read_list",
    "read_receipt",
    "read_sealed",
    "read_trust",
    "report_id_for",
    "report_template",
    "save_attachments",
    "save_private_key",
    "save_public_key",
    "save_signing_key",
    "seal_report",
    "sign_envelope",
    "sign_receipt",
    "type_prefix",
    "verify_receipt",
    "write_atomic",
]
