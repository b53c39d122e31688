"""Running volume beside the strength plan: per Monday-to-Sunday week, the distance planned
and the distance done.

Planned is the planned distance of every run of the week, whatever became of it; done is
what the done runs covered, their own distance or, for a run marked done as planned, the
planned one. Rest days and cross-training are not running. Weeks are the athlete's own: a
run's date is already a local date, and "this week" is the one holding their today.
Everything is summed in the database, a day per row, so each function is one query however
long the history.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.safestring import SafeString

from athletes.models import AthleteProfile
from programs.logbook.charts import planned_done_chart
from programs.models import Run, RunStatus, RunType
from programs.schedule.calendar import monday
from programs.units import from_metres, local_today

WEEKS = 16
NOT_RUNNING = (RunType.REST, RunType.CROSS_TRAINING)

PLANNED_M = Coalesce(Sum("distance_m"), 0)
DONE_M = Coalesce(
    Sum(
        Case(
            When(status=RunStatus.DONE, then=Coalesce("actual_distance_m", "distance_m")),
            default=Value(0),
            output_field=IntegerField(),
        )
    ),
    0,
)


def _runs():
    return Run.objects.exclude(run_type__in=NOT_RUNNING).order_by()


@dataclass(frozen=True)
class RunningWeek:
    start: datetime.date
    planned_m: int = 0
    done_m: int = 0


def weekly_running(
    athlete: AthleteProfile, *, weeks: int = WEEKS, today: datetime.date | None = None
) -> list[RunningWeek]:
    """The last ``weeks`` weeks to the one holding ``today`` (the athlete's), oldest
    first. One query."""
    today = today or local_today(athlete.user)
    first = monday(today) - datetime.timedelta(weeks=weeks - 1)
    last = monday(today) + datetime.timedelta(days=6)
    planned: dict[datetime.date, int] = defaultdict(int)
    done: dict[datetime.date, int] = defaultdict(int)
    for date, planned_m, done_m in (
        _runs()
        .filter(athlete=athlete, date__range=(first, last))
        .values("date")
        .annotate(planned=PLANNED_M, done=DONE_M)
        .values_list("date", "planned", "done")
    ):
        planned[monday(date)] += planned_m
        done[monday(date)] += done_m
    starts = [first + datetime.timedelta(weeks=n) for n in range(weeks)]
    return [RunningWeek(start, planned[start], done[start]) for start in starts]


def last_week_running(todays: dict[int, datetime.date]) -> dict[int, RunningWeek]:
    """For each athlete (profile id → their today), the Monday-to-Sunday week before the
    one holding their today. Athletes with nothing that week are left out. One query for
    them all: a short OR, one term per distinct today (a few time zones)."""
    weeks: dict[datetime.date, list[int]] = defaultdict(list)
    for athlete_id, today in todays.items():
        weeks[monday(today) - datetime.timedelta(weeks=1)].append(athlete_id)
    condition = Q(pk__in=[])
    for start, athlete_ids in weeks.items():
        end = start + datetime.timedelta(days=6)
        condition |= Q(athlete_id__in=athlete_ids, date__range=(start, end))
    starts = {pk: monday(today) - datetime.timedelta(weeks=1) for pk, today in todays.items()}
    return {
        athlete_id: RunningWeek(starts[athlete_id], planned_m, done_m)
        for athlete_id, planned_m, done_m in _runs()
        .filter(condition)
        .values("athlete_id")
        .annotate(planned=PLANNED_M, done=DONE_M)
        .values_list("athlete_id", "planned", "done")
    }


@dataclass(frozen=True)
class VolumeRow:
    start: datetime.date
    planned: str
    done: str


@dataclass(frozen=True)
class RunningVolume:
    """The weeks of ``weekly_running`` as a page shows them, in the reader's unit: the
    chart, and its figures as a table (newest week first) and in total."""

    chart: SafeString
    rows: list[VolumeRow]
    planned: str
    done: str
    any: bool


def week_distance(metres: int, unit: str) -> str:
    """A week's running to a tenth of a km or mi: "42.2 km"."""
    return f"{from_metres(metres, unit, 1)} {unit}"


def running_volume(
    athlete: AthleteProfile, *, unit: str, chart_id: str = "running-volume"
) -> RunningVolume:
    """One query."""
    weeks = weekly_running(athlete)
    chart = planned_done_chart(
        [
            (
                w.start,
                float(from_metres(w.planned_m, unit, 1)),
                float(from_metres(w.done_m, unit, 1)),
            )
            for w in weeks
        ],
        unit_label=unit,
        title=f"Running per week, planned and done, the last {len(weeks)} weeks",
        chart_id=chart_id,
    )
    return RunningVolume(
        chart=chart,
        rows=[
            VolumeRow(w.start, week_distance(w.planned_m, unit), week_distance(w.done_m, unit))
            for w in reversed(weeks)
        ],
        planned=week_distance(sum(w.planned_m for w in weeks), unit),
        done=week_distance(sum(w.done_m for w in weeks), unit),
        any=any(w.planned_m or w.done_m for w in weeks),
    )
