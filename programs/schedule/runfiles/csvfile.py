"""The run CSV: date,type,distance,unit,duration,notes. Export writes what import reads
back unchanged."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from athletes.models import AthleteProfile
from config.csvcells import guard_row, unguard_cell
from programs.models import Run, RunType
from programs.schedule.runfiles.records import (
    MAX_DISTANCE_M,
    MAX_DURATION_S,
    MAX_ROWS,
    Incoming,
    Parsed,
    RunFileError,
    schedule_order,
)
from programs.units import METRES_PER_UNIT

COLUMNS = ("date", "type", "distance", "unit", "duration", "notes")
REQUIRED_COLUMNS = ("date", "type")
UNIT_METRES = {**METRES_PER_UNIT, "m": Decimal(1)}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"(?:(\d+):)?([0-5]?\d):([0-5]\d)")


def _type_key(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").replace("_", " ").split())


_TYPES = {
    **{_type_key(label): value for value, label in RunType.choices},
    **{_type_key(value): value for value in RunType.values},
}


def read_csv(text: str) -> Parsed:
    """The rows as runs matched by date and type; row problems in ``errors`` with the
    line each row starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        line = 1
        for cells in reader:
            records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise RunFileError(f"Malformed CSV on line {reader.line_num}: {error}.") from None
    header = [" ".join(name.strip().lower().split()) for name in records[0][1]]
    unknown = [name for name in header if name not in COLUMNS]
    if unknown or any(name not in header for name in REQUIRED_COLUMNS):
        found = ",".join(header)
        raise RunFileError(
            f"The first line must be the header {','.join(COLUMNS)} "
            f"(date and type required); found: {found if len(found) <= 200 else found[:199] + '…'}."
        )
    if len(set(header)) != len(header):
        raise RunFileError("The CSV header repeats a column.")
    rows = [(number, cells) for number, cells in records[1:] if any(c.strip() for c in cells)]
    if len(rows) > MAX_ROWS:
        raise RunFileError(f"The file has {len(rows):,} rows; the limit is {MAX_ROWS:,}.")
    parsed = Parsed()
    for number, raw in rows:
        cells = [unguard_cell(cell) for cell in raw]
        row = dict.fromkeys(COLUMNS, "") | dict(zip(header, cells, strict=False))
        problems: list[str] = []
        values = _clean(row, problems)
        if len(cells) > len(header):
            problems.append(f"{len(cells)} values for {len(header)} columns")
        if problems:
            parsed.errors.extend((number, problem) for problem in problems)
        else:
            parsed.runs.append(Incoming(line=number, values=values))
    if rows and not parsed.runs:
        first_line, first = parsed.errors[0]
        raise RunFileError(
            f"No row of the file can be read (line {first_line}, {first}); nothing was imported."
        )
    return parsed


def _clean(row: dict[str, str], problems: list[str]) -> dict:
    values: dict = {"notes": row["notes"] if row["notes"].strip() else ""}
    text = row["date"].strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        values["date"] = date.fromisoformat(text)
    except ValueError:
        problems.append(f"date: {text!r} is not a date (YYYY-MM-DD)")
    run_type = _TYPES.get(_type_key(row["type"]))
    if run_type is None:
        problems.append(f"type: {row['type']!r} is not one of {', '.join(RunType.values)}")
    values["run_type"] = run_type
    values["distance_m"] = _distance(row["distance"].strip(), row["unit"].strip(), problems)
    values["duration_s"] = _duration(row["duration"].strip(), problems)
    return values


def _distance(text: str, unit: str, problems: list[str]) -> int | None:
    if not text:
        return None
    try:
        number = Decimal(text)
        # adjusted() is the power of ten: past a million km there is nothing to convert.
        if not number.is_finite() or number < 0 or number.adjusted() > 6:
            raise InvalidOperation
    except InvalidOperation:
        problems.append(f"distance: {text!r} is not a number (use a decimal point)")
        return None
    factor = UNIT_METRES.get(unit.lower())
    if factor is None:
        problems.append(f"unit: {unit!r} is not km, mi or m")
        return None
    metres = round(number * factor)
    if metres > MAX_DISTANCE_M:
        problems.append(f"distance: {text} {unit} is more than 1000 km")
        return None
    return metres


def _duration(text: str, problems: list[str]) -> int | None:
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) <= 9:
        seconds = int(text)
    elif match := _CLOCK.fullmatch(text):
        hours, minutes, secs = match.groups()
        seconds = int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)
    else:
        problems.append(f"duration: {text!r} is not seconds, H:MM:SS or MM:SS")
        return None
    if seconds > MAX_DURATION_S:
        problems.append(f"duration: {text!r} is more than a week")
        return None
    return seconds


def export_runs_csv(*, athlete: AthleteProfile) -> str:
    """Every run of the athlete, in schedule order, distance in km to the metre."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for run in sorted(Run.objects.filter(athlete=athlete), key=schedule_order):
        distance = run.distance_m
        writer.writerow(
            guard_row(
                [
                    run.date.isoformat(),
                    run.run_type,
                    "" if distance is None else f"{distance // 1000}.{distance % 1000:03d}",
                    "" if distance is None else "km",
                    "" if run.duration_s is None else _clock(run.duration_s),
                    run.notes,
                ]
            )
        )
    return out.getvalue()


def _clock(seconds: int) -> str:
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
