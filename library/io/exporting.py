"""Writing the library in the same format it is read in, so that export → import round-trips."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from config.csvcells import guard_row
from library.io.formats import COLUMNS, LIST_SEPARATOR, exercise_record
from library.io.importing import _with_vocabulary
from library.models import (
    Exercise,
)


def export_exercises(*, fmt: str = "json", queryset=None) -> str:
    """Every exercise (or those of ``queryset``) by slug, in the import format."""
    if fmt not in ("json", "csv"):
        raise ValueError(f"Unknown export format {fmt!r}: use json or csv.")
    exercises = _with_vocabulary(
        (queryset if queryset is not None else Exercise.objects.all()).order_by("slug")
    )
    records = [exercise_record(exercise) for exercise in exercises]
    if fmt == "json":
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow(guard_row(_csv_cell(record[column]) for column in COLUMNS))
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return str(value)
