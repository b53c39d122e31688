"""Write workflows for the run schedule, and the distance units people type and read.

Distances are stored in metres; people type and read them in their own unit
(``User.distance_unit``). Dates on the schedule are local dates in the athlete's time zone.
"""

import datetime
import zoneinfo
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from athletes.models import AthleteProfile, DistanceUnit, Run, RunStatus, User

METRES_PER_UNIT = {DistanceUnit.KM: Decimal(1000), DistanceUnit.MI: Decimal("1609.344")}
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


def to_metres(distance: Decimal, unit: str) -> int:
    """``distance`` in ``unit`` (km or mi) as whole metres: 10 mi is 16093 m."""
    metres = distance * METRES_PER_UNIT[DistanceUnit(unit)]
    return int(metres.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_metres(metres: int, unit: str, places: int = 2) -> Decimal:
    """``metres`` in ``unit``, rounded for reading (16093 m is 10 mi, 21097 m is 21.1 km)."""
    value = Decimal(metres) / METRES_PER_UNIT[DistanceUnit(unit)]
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    # normalize() alone would write 100 as 1E+2.
    return rounded.quantize(Decimal(1)) if rounded == rounded.to_integral() else rounded.normalize()


def format_distance(metres: int | None, unit: str) -> str:
    if metres is None:
        return ""
    return f"{from_metres(metres, unit)} {DistanceUnit(unit).value}"


def format_duration(seconds: int | None) -> str:
    """45 min, 1:30, 1:30:15: how a runner writes a duration."""
    if seconds is None:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if not hours and not secs:
        return f"{minutes} min"
    return f"{hours}:{minutes:02d}:{secs:02d}" if secs else f"{hours}:{minutes:02d}"


def local_today(user: User) -> datetime.date:
    """Today where ``user`` lives: a run's date is a local date."""
    return timezone.now().astimezone(zoneinfo.ZoneInfo(user.time_zone)).date()


def runs_changed(athlete: AthleteProfile) -> None:
    """Recheck the athlete's strength plan against their runs (the conflict flags)."""
    # programs depends on athletes; this one call goes the other way, at call time.
    from programs.services.conflicts import conflicts_sync

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
