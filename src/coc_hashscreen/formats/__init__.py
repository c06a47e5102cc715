"""Every file format: bytes in, verified value out, and the files they live in.

Each format has a ``parse_*`` (bytes to a verified value) or a builder
(values to signed bytes), and shells that read and write files atomically
with the format's size limit.  Trust decisions (which key to pin, whether a
version is a rollback) are the organizer's and the committee's, not made here.
"""

from ._envelope import (
    FILE_TYPES,
    MAX_SIZES,
    Envelope,
    Signer,
    open_envelope,
    open_self_signed,
    peek_type,
    read_envelope,
    sign_envelope,
)
from ._files import (
    check_private_mode,
    fsync_directory,
    read_limited,
    write_atomic,
)
from ._grant import (
    Grant,
    grant_info,
    issue_grant,
    parse_grant,
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
)
from ._reports import (
    MAX_REPORT_JSON,
    MAX_SEALED_SIZE,
    ROLES,
    Attachment,
    IncidentReport,
    Person,
    Receipt,
    open_sealed_report,
    parse_receipt,
    read_sealed,
    report_id_for,
    report_template,
    seal_report,
    sign_receipt,
    verify_receipt,
)
from ._trust import (
    TrustFile,
    check_successor,
    make_rotation,
    make_trust,
    parse_trust,
)
from ._wire import (
    Fields,
    dump_json,
    load_json,
)

__all__ = [
    "ENTRY_LENGTH",
    "FILE_TYPES",
    "MAX_REPORT_JSON",
    "MAX_SEALED_SIZE",
    "MAX_SIZES",
    "ROLES",
    "Attachment",
    "EntryPayload",
    "Envelope",
    "Fields",
    "Grant",
    "HashedList",
    "IncidentReport",
    "ListHeader",
    "Person",
    "PublicKeyFile",
    "Random",
    "Receipt",
    "Signer",
    "TrustFile",
    "bucket_size",
    "build_list",
    "check_private_mode",
    "check_successor",
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
    "parse_grant",
    "parse_list",
    "parse_receipt",
    "parse_trust",
    "peek_type",
    "read_envelope",
    "read_limited",
    "read_sealed",
    "report_id_for",
    "report_template",
    "save_private_key",
    "save_public_key",
    "save_signing_key",
    "seal_report",
    "sign_envelope",
    "sign_receipt",
    "verify_receipt",
    "write_atomic",
]
