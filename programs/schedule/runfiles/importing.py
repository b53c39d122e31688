"""Importing a run file (iCalendar or CSV) into an athlete's schedule: match each row to
a run, then create, update or leave it, in one transaction and a fixed number of queries."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any

from django.db import transaction

from athletes.models import AthleteProfile
from config.textfiles import decode_text_file
from programs.models import Run, RunSource
from programs.schedule.runfiles import csvfile, ics
from programs.schedule.runfiles.records import (
    Incoming,
    RunFileError,
    schedule_order,
)
from programs.schedule.runs import runs_changed

MAX_FILE_BYTES = 2 * 1024 * 1024
EDITED = "edited by hand since the last import"
ADDED_BY_HAND = "added by hand; not overwritten"
# The fields an import writes and checksums, in a fixed order.
RUN_FIELDS = (
    "date",
    "start_time",
    "run_type",
    "title",
    "distance_m",
    "duration_s",
    "notes",
    "race_priority",
)
_BATCH_SIZE = 500


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # (line, summary, reason): events that are not runs, and runs left alone.
    skipped: list[tuple[int | None, str, str]] = field(default_factory=list)
    # (line, message): rows that could not be read; the other rows are imported.
    errors: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": [
                {"line": line, "summary": summary, "reason": reason}
                for line, summary, reason in self.skipped
            ],
            "errors": [{"line": line, "message": message} for line, message in self.errors],
            "dry_run": self.dry_run,
        }

    def summary(self) -> str:
        parts = [
            f"{self.created} created",
            f"{self.updated} updated",
            f"{self.unchanged} unchanged",
            f"{len(self.skipped)} skipped",
            f"{len(self.errors)} error{'s' if len(self.errors) != 1 else ''}",
        ]
        text = ", ".join(parts)
        return f"{text} (dry run: nothing was written)" if self.dry_run else text


def import_runs(
    *, athlete: AthleteProfile, data: bytes, filename: str, dry_run: bool = False
) -> ImportReport:
    """Create or update the athlete's runs from an .ics or .csv file, in one transaction.

    Raises RunFileError when the file cannot be read at all; then nothing is written.
    Rows that cannot be read come back in ``report.errors`` and the others are imported.
    A run changed by hand since it was imported (or added by hand) is never overwritten:
    it is reported as skipped."""
    suffix = Path(filename).suffix.lower()
    if suffix not in (".ics", ".csv"):
        raise RunFileError(
            f"{Path(filename).name} is not an .ics or .csv file; export the plan as one."
        )
    text = decode_text_file(data, max_bytes=MAX_FILE_BYTES, error=RunFileError)
    if suffix == ".ics":
        parsed = ics.read_calendar(text, time_zone=athlete.user.time_zone)
    else:
        parsed = csvfile.read_csv(text)
    report = ImportReport(skipped=parsed.skipped, errors=parsed.errors, dry_run=dry_run)
    with transaction.atomic():
        existing = list(Run.objects.filter(athlete=athlete))
        pairs = _match(parsed.runs, existing)
        to_create, to_update = _plan(athlete, pairs, report)
        if not dry_run and (to_create or to_update):
            # One upsert on the primary key writes new and changed runs alike: an UPDATE
            # through bulk_update's CASE expressions is several times slower.
            Run.objects.bulk_create(
                [*to_create, *to_update],
                batch_size=_BATCH_SIZE,
                update_conflicts=True,
                unique_fields=["id"],
                update_fields=[*RUN_FIELDS, "imported_checksum", "updated_at"],
            )
            runs_changed(athlete)
    report.skipped.sort(key=lambda item: item[0] or 0)
    report.errors.sort()
    return report


def _match(runs: list[Incoming], existing: list[Run]) -> list[tuple[Incoming, Run | None]]:
    """Pair each incoming run with the run it updates: by ``external_id`` when it has a
    key, else the n-th run of that date and type (file order; schedule order)."""
    by_key = {run.external_id: run for run in existing if run.external_id}
    by_day: dict[tuple[date, str], list[Run]] = {}
    for run in sorted(existing, key=schedule_order):
        by_day.setdefault((run.date, run.run_type), []).append(run)
    seen: dict[tuple[date, str], int] = {}
    pairs = []
    for incoming in runs:
        if incoming.key:
            pairs.append((incoming, by_key.get(incoming.key)))
            continue
        day = (incoming.values["date"], incoming.values["run_type"])
        index = seen.get(day, 0)
        seen[day] = index + 1
        same_day = by_day.get(day, [])
        pairs.append((incoming, same_day[index] if index < len(same_day) else None))
    return pairs


def _plan(
    athlete: AthleteProfile, pairs: list[tuple[Incoming, Run | None]], report: ImportReport
) -> tuple[list[Run], list[Run]]:
    to_create, to_update = [], []
    for incoming, run in pairs:
        if run is None:
            values = dict.fromkeys(RUN_FIELDS) | {"title": "", "notes": "", "race_priority": ""}
            values |= incoming.values
            to_create.append(
                Run(
                    athlete=athlete,
                    source=RunSource.IMPORT,
                    external_id=incoming.key,
                    imported_checksum=run_checksum(values),
                    **values,
                )
            )
            report.created += 1
            continue
        current = run_values(run)
        wanted = current | incoming.values
        if wanted == current:
            report.unchanged += 1
        elif run.source != RunSource.IMPORT or not run.imported_checksum:
            report.skipped.append((incoming.line, _label(run), ADDED_BY_HAND))
        elif run_checksum(current) != run.imported_checksum:
            report.skipped.append((incoming.line, _label(run), EDITED))
        else:
            for name, value in wanted.items():
                setattr(run, name, value)
            run.imported_checksum = run_checksum(wanted)
            to_update.append(run)
            report.updated += 1
    return to_create, to_update


def run_values(run: Run) -> dict[str, Any]:
    return {name: getattr(run, name) for name in RUN_FIELDS}


def run_checksum(values: dict[str, Any]) -> str:
    """sha256 of the imported fields: what an untouched run still matches."""
    canonical = json.dumps(
        [_canonical(values[name]) for name in RUN_FIELDS], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def _label(run: Run) -> str:
    return run.title or f"{run.get_run_type_display()} {run.date.isoformat()}"
