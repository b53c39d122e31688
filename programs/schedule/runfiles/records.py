"""What a run file reads into, shared by the readers (csvfile, ics) and the importer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import Any

from programs.models import Run

MAX_ROWS = 10_000
MAX_DISTANCE_M = 1_000_000
MAX_DURATION_S = 7 * 86400


class RunFileError(Exception):
    """The whole file is unusable (size, encoding, format, no usable date); str() is why."""


@dataclass
class Incoming:
    """One run as a file gives it. ``values`` holds some or all of RUN_FIELDS; ``key`` is
    its ``external_id`` (iCalendar), or empty when it is matched by date and type (CSV)."""

    line: int
    values: dict[str, Any]
    key: str = ""


@dataclass
class Parsed:
    """A file read into runs, plus what was skipped and what could not be read."""

    runs: list[Incoming] = field(default_factory=list)
    skipped: list[tuple[int | None, str, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def schedule_order(run: Run) -> tuple:
    """Runs of a day in calendar order: untimed first, then by time, then as added."""
    return (run.date, run.start_time is not None, run.start_time or time.min, run.pk or 0)
