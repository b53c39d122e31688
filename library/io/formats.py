"""Reading library files (CSV, JSON) into records, and the canonical record of an
exercise that export writes and the built-in loader checksums."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.validators import URLValidator

from config.csvcells import unguard_cell
from config.textfiles import check_json_value, decode_text_file
from library.models import (
    Exercise,
    clean_aliases,
)

COLUMNS = (
    "name",
    "slug",
    "aliases",
    "pattern",
    "load_class",
    "primary_muscles",
    "secondary_muscles",
    "equipment",
    "unilateral",
    "foot_contacts_per_rep",
    "cues",
    "faults",
    "demo_url",
    "status",
    "easier",
)
REQUIRED_COLUMNS = ("name", "pattern", "load_class", "primary_muscles")
LIST_SEPARATOR = "|"
TRUE_WORDS = ("true", "yes", "1")
FALSE_WORDS = ("false", "no", "0")
MAX_FILE_BYTES = 5 * 1024 * 1024
# A bound on memory, time and query parameters (SQLite allows 32,766 per query).
MAX_ROWS = 10_000
MAX_FOOT_CONTACTS = 20
MAX_TEXT_LENGTH = 120
# A list of objects whose values are text or lists of text is three levels; a few more
# let a wrong value (an object for a name) get its row error.
MAX_JSON_DEPTH = 6
MAX_COLUMNS = 100
BUILTIN_PATH = Path(__file__).resolve().parent.parent / "data" / "exercises.json"
KEPT_EDITED = "kept (edited by a curator; use --force to overwrite)"
KEPT_NOT_BUILTIN = "kept (not from the built-in library; use --force to overwrite)"
_BATCH_SIZE = 500
_validate_url = URLValidator(schemes=["https"])


class LibraryFileError(Exception):
    """The whole file is unusable (size, encoding, syntax, type); str() is the message."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return f"row {self.row}, {self.column}: {self.message}"
        return f"row {self.row}: {self.message}"


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    # Built-in loads only: slug → why the row was left alone.
    kept: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            count = len(self.errors)
            return f"{count} error{'s' if count != 1 else ''}: nothing was written"
        parts = [
            f"{len(self.created)} created",
            f"{len(self.updated)} updated",
            f"{len(self.unchanged)} unchanged",
        ]
        if self.kept:
            parts.append(f"{len(self.kept)} kept")
        text = ", ".join(parts)
        return f"{text} (dry run: nothing was written)" if self.dry_run else text


class Record(dict):
    """One exercise as read from a file, keyed by column, with its row number."""

    def __init__(self, values: dict, *, row: int) -> None:
        super().__init__(values)
        self.row = row


# Reading


def read_records(data: bytes, filename: str) -> list[dict]:
    """The file's rows as dicts keyed by column name (lower case, ``_`` for spaces), each a
    ``Record`` with its ``row`` number. Cells beyond the header are under the key None.
    Raises LibraryFileError when the file as a whole cannot be read."""
    return _read(data, filename)[0]


def _read(data: bytes, filename: str) -> tuple[list[Record], list[str] | None]:
    """The records, and the CSV header (None for JSON, whose keys vary per row)."""
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".json"):
        raise LibraryFileError(
            f"{Path(filename).name} is not a .csv or .json file; save the library as one."
        )
    text = decode_text_file(data, max_bytes=MAX_FILE_BYTES, error=LibraryFileError)
    records, header = _read_json(text) if suffix == ".json" else _read_csv(text)
    if len(records) > MAX_ROWS:
        raise LibraryFileError(
            f"The file has {len(records):,} rows; the limit is {MAX_ROWS:,} per file."
        )
    return records, header


def _column_key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _read_json(text: str) -> tuple[list[Record], None]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise LibraryFileError(
            f"Malformed JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from None
    except RecursionError:
        raise LibraryFileError("Malformed JSON: nested too deeply.") from None
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        raise LibraryFileError(f"Malformed JSON: {error}.") from None
    check_json_value(items, max_depth=MAX_JSON_DEPTH, error=LibraryFileError)
    if not isinstance(items, list):
        raise LibraryFileError("The JSON file must hold a list of exercises: [{...}, {...}].")
    records = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise LibraryFileError(f"Item {number} of the JSON list is not an object {{...}}.")
        if len(item) > MAX_COLUMNS:
            raise LibraryFileError(
                f"Item {number} of the JSON list has {len(item):,} keys; an exercise has "
                f"{len(COLUMNS)}."
            )
        records.append(Record({_column_key(k): v for k, v in item.items()}, row=number))
    return records, None


def _read_csv(text: str) -> tuple[list[Record], list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        rows.extend(reader)
    except csv.Error as error:
        raise LibraryFileError(
            f"Malformed CSV on line {reader.line_num}: {error} (check the quotes)."
        ) from None
    if len(rows[0]) > MAX_COLUMNS:
        raise LibraryFileError(
            f"The CSV header has {len(rows[0]):,} columns; the library format has {len(COLUMNS)}."
        )
    filled = sum(1 for cells in rows[1:] if any(cell.strip() for cell in cells))
    if filled > MAX_ROWS:
        raise LibraryFileError(f"The file has {filled:,} rows; the limit is {MAX_ROWS:,} per file.")
    header = [_column_key(name) for name in rows[0]]
    if len(header) == 1 and any(sep in rows[0][0] for sep in ";\t"):
        raise LibraryFileError(
            "The CSV header has a single column; separate the columns with commas."
        )
    named = [name for name in header if name]
    if not named:
        raise LibraryFileError("The first row must be the header: name, pattern, load_class, ...")
    duplicates = sorted(name for name, count in Counter(named).items() if count > 1)
    if duplicates:
        raise LibraryFileError(f"The CSV header repeats the column(s): {', '.join(duplicates)}.")
    records = []
    # Row numbers count records, the header being row 1, as a spreadsheet numbers them
    # (a cell with line breaks stays on one row). Blank rows keep their number.
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values: dict[str | None, Any] = dict.fromkeys(named, "")
        stray = []
        for index, cell in enumerate(cells):
            name = header[index] if index < len(header) else ""
            if name:
                values[name] = unguard_cell(cell)
            elif cell.strip():
                stray.append(cell)
        if stray:
            values[None] = stray
        records.append(Record(values, row=number))
    return records, named


# Canonical values: the same normalisation applies to what a file says and to what the
# database holds, so that an unedited exercise compares equal to its exported row.


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _clean_lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def exercise_record(exercise: Exercise) -> dict:
    """The canonical row of one exercise: slugs not labels, sorted vocabulary lists, one
    cue per line. Export writes it; the built-in loader checksums it."""
    roles = list(exercise.muscle_roles.all())
    return {
        "name": _one_line(exercise.name),
        "slug": exercise.slug,
        "aliases": clean_aliases(exercise.aliases or []),
        "pattern": exercise.pattern,
        "load_class": exercise.load_class,
        "primary_muscles": sorted(role.muscle.slug for role in roles if role.primary),
        "secondary_muscles": sorted(role.muscle.slug for role in roles if not role.primary),
        "equipment": sorted(item.slug for item in exercise.equipment.all()),
        "unilateral": exercise.unilateral,
        "foot_contacts_per_rep": exercise.foot_contacts_per_rep,
        "cues": _clean_lines(exercise.cues),
        "faults": _clean_lines(exercise.faults),
        "demo_url": exercise.demo_url.strip(),
        "status": exercise.status,
        "easier": exercise.easier.slug if exercise.easier_id else "",
    }


def record_checksum(record: dict) -> str:
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# Validating one row
