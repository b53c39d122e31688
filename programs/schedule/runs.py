"""Write workflows for the run schedule. Distances are stored in metres and dates are local
dates in the athlete's time zone (see ``programs.units``)."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from athletes.models import AthleteProfile
from programs.conflicts.services import conflicts_sync
from programs.models import Run, RunStatus

MAX_DISTANCE_M = 1_000_000
MAX_DURATION_S = 7 * 86400

# What a hand edit may change; the source and import bookkeeping stay as they are.
EDITABLE_FIELDS = frozenset(
    {
        "date",
        "start_time",
        "run_type",
        "title",
        "distance_m",
        "duration_s",
        "notes",
        "race_priority",
        "status",
        "actual_distance_m",
        "actual_duration_s",
    }
)


def runs_changed(athlete: AthleteProfile) -> None:
    """Recheck the athlete's strength plan against their runs (the conflict flags)."""
    conflicts_sync(athletes=[athlete])


@transaction.atomic
def run_create(
    *,
    athlete: AthleteProfile,
    date: datetime.date,
    run_type: str,
    distance_m: int | None = None,
    duration_s: int | None = None,
    start_time: datetime.time | None = None,
    title: str = "",
    notes: str = "",
    race_priority: str = "",
    status: str = RunStatus.PLANNED,
) -> Run:
    run = Run(
        athlete=athlete,
        date=date,
        run_type=run_type,
        distance_m=distance_m,
        duration_s=duration_s,
        start_time=start_time,
        title=title,
        notes=notes,
        race_priority=race_priority,
        status=status,
    )
    run.full_clean()
    run.save()
    runs_changed(athlete)
    return run


@transaction.atomic
def run_update(*, run: Run, data: Mapping[str, Any]) -> Run:
    """Change the fields in ``data`` (a subset of ``EDITABLE_FIELDS``)."""
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Runs cannot be edited in: {', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(run, name, value)
    run.full_clean()
    run.save()
    runs_changed(run.athlete)
    return run


@transaction.atomic
def run_move(*, run: Run, date: datetime.date) -> Run:
    return run_update(run=run, data={"date": date})


@transaction.atomic
def run_set_status(*, run: Run, status: str) -> Run:
    return run_update(run=run, data={"status": status})


@transaction.atomic
def run_delete(*, run: Run) -> Run:
    """Delete ``run``; the returned object keeps its fields (not its pk) for a message."""
    athlete = run.athlete
    run.delete()
    runs_changed(athlete)
    return run
