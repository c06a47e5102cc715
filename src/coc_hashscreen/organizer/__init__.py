"""The organizer's side: input records, screening, results, outputs and state."""

from ._adapters import (
    SECRET_FIELDS,
    eventbrite_attendee_record,
    luma_guest_record,
    pretalx_speaker_record,
    pretix_export_records,
    pretix_order_records,
    pretix_position_record,
    pretix_questions,
    tito_ticket_record,
)
from ._annotate import (
    annotate_csv,
    annotate_xlsx,
)
from ._cleared import ClearedMatch, ClearedMatches
from ._csvinput import (
    Column,
    ColumnPlan,
    CsvSource,
    detect_columns,
    read_csv,
    read_table,
)
from ._directory import (
    OrganizerKeys,
    OrganizerPaths,
    change_organizer_passphrase,
    init_organizer,
    load_organizer_key,
)
from ._headers import (
    COLUMN_KINDS,
)
from ._input import read_input
from ._jsoninput import (
    JsonRecords,
    read_json,
    read_json_records,
)
from ._output import (
    report_to_csv,
    report_to_json,
    report_to_table,
    safe_cell,
)
from ._records import (
    ScreenRecord,
)
from ._results import (
    MAX_DETAILS,
    DismissedMatch,
    Hit,
    InvalidValue,
    ListInfo,
    Match,
    RecordRef,
    ScreeningReport,
)
from ._screening import (
    Screener,
    ScreenerOptions,
    ScreenProgress,
    Source,
    load_trust,
)
from ._state import (
    FIRST_PIN_MAX_GENERATION,
    FileState,
    MemoryState,
    SeenList,
    SeriesState,
    StateChange,
    StateStore,
    check_list,
    check_trust,
    clear_match,
    default_state_path,
    list_digest,
    pin_trust,
    record_list,
    unclear_match,
)
from ._tables import (
    TableOptions,
    TableOrigin,
)

__all__ = [
    "COLUMN_KINDS",
    "FIRST_PIN_MAX_GENERATION",
    "MAX_DETAILS",
    "SECRET_FIELDS",
    "ClearedMatch",
    "ClearedMatches",
    "Column",
    "ColumnPlan",
    "CsvSource",
    "DismissedMatch",
    "FileState",
    "Hit",
    "InvalidValue",
    "JsonRecords",
    "ListInfo",
    "Match",
    "MemoryState",
    "OrganizerKeys",
    "OrganizerPaths",
    "RecordRef",
    "ScreenProgress",
    "ScreenRecord",
    "Screener",
    "ScreenerOptions",
    "ScreeningReport",
    "SeenList",
    "SeriesState",
    "Source",
    "StateChange",
    "StateStore",
    "TableOptions",
    "TableOrigin",
    "annotate_csv",
    "annotate_xlsx",
    "change_organizer_passphrase",
    "check_list",
    "check_trust",
    "clear_match",
    "default_state_path",
    "detect_columns",
    "eventbrite_attendee_record",
    "init_organizer",
    "list_digest",
    "load_organizer_key",
    "load_trust",
    "luma_guest_record",
    "pin_trust",
    "pretalx_speaker_record",
    "pretix_export_records",
    "pretix_order_records",
    "pretix_position_record",
    "pretix_questions",
    "read_csv",
    "read_input",
    "read_json",
    "read_json_records",
    "read_table",
    "record_list",
    "report_to_csv",
    "report_to_json",
    "report_to_table",
    "safe_cell",
    "tito_ticket_record",
    "unclear_match",
]
