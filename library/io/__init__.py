"""Exercise library files: read CSV or JSON, validate every row, write in bulk, export.

The format is documented in docs/library-format.md. An import is all or nothing: any
invalid row means nothing is written and every problem is reported with its row number.
"""

from library.io.exporting import export_exercises
from library.io.formats import (
    BUILTIN_PATH,
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    ImportReport,
    LibraryFileError,
    Record,
    RowError,
    exercise_record,
    read_records,
    record_checksum,
)
from library.io.importing import import_exercises

__all__ = [
    "BUILTIN_PATH",
    "COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "ImportReport",
    "LibraryFileError",
    "Record",
    "RowError",
    "exercise_record",
    "export_exercises",
    "import_exercises",
    "read_records",
    "record_checksum",
]
