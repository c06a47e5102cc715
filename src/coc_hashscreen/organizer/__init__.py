"""The organizer's side: input records, screening, results, outputs and state."""

from ._csvinput import (
    Column,
    ColumnPlan,
    CsvSource,
    detect_columns,
    read_csv,
)
from ._directory import (
    OrganizerKeys,
    init_organizer,
    load_organizer_key,
)
from ._headers import (
    COLUMN_KINDS,
)
from ._output import (
    report_to_csv,
    report_to_dict,
    report_to_json,
    report_to_table,
    safe_cell,
)
from ._screen import (
    Hit,
    InvalidValue,
    ListInfo,
    Match,
    RecordRef,
    Screener,
    ScreeningReport,
    ScreenRecord,
    load_trust,
)
from ._state import (
    FileState,
    MemoryState,
    SeriesState,
    StateChange,
    StateStore,
    check_list,
    check_trust,
    default_state_path,
    pin_trust,
    record_list,
)

__all__ = [
    "COLUMN_KINDS",
    "Column",
    "ColumnPlan",
    "CsvSource",
    "FileState",
    "Hit",
    "InvalidValue",
    "ListInfo",
    "Match",
    "MemoryState",
    "OrganizerKeys",
    "RecordRef",
    "ScreenRecord",
    "Screener",
    "ScreeningReport",
    "SeriesState",
    "StateChange",
    "StateStore",
    "check_list",
    "check_trust",
    "default_state_path",
    "detect_columns",
    "init_organizer",
    "load_organizer_key",
    "load_trust",
    "pin_trust",
    "read_csv",
    "record_list",
    "report_to_csv",
    "report_to_dict",
    "report_to_json",
    "report_to_table",
    "safe_cell",
]
