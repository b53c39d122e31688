"""Runs and strength sessions on one calendar, for one athlete or many at once.

Reading is a fixed number of queries whatever the range or the number of athletes: runs,
sessions with their prescriptions and exercises, and 1RMs, one query each.
"""

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Self

from athletes.models import AthleteProfile
from programs.dose import dose_for_athlete
from programs.models import OneRepMax, Run, RunStatus, ScheduledSession
from programs.units import format_distance, format_duration, format_pace

ONE_DAY = datetime.timedelta(days=1)


@dataclass
class RunEntry:
    """A run as the calendar shows it: the plan, and once done what was run. A done run
    without its own distance ran the planned one; without its own time, it took the planned
    time only if it has no distance of its own either (done as planned): a run that went
    further than planned has no known time, and no pace."""

    run: Run
    distance: str
    duration: str
    done_distance: str = ""
    done_duration: str = ""
    pace: str = ""

    @classmethod
    def of(cls, run: Run, unit: str) -> Self:
        entry = cls(run, format_distance(run.distance_m, unit), format_duration(run.duration_s))
        if run.status == RunStatus.DONE:
            metres = run.actual_distance_m or run.distance_m
            seconds = run.actual_duration_s or (None if run.actual_distance_m else run.duration_s)
            entry.done_distance = format_distance(metres, unit)
            entry.done_duration = format_duration(seconds)
            entry.pace = format_pace(metres, seconds, unit)
        return entry

    @property
    def summary(self) -> str:
        return " ".join(filter(None, [self.run.get_run_type_display(), self.distance]))

    @property
    def planned_text(self) -> str:
        return " · ".join(filter(None, [self.distance, self.duration]))

    @property
    def done_text(self) -> str:
        return " · ".join(filter(None, [self.done_distance, self.done_duration, self.pace]))


@dataclass
class StrengthEntry:
    session: ScheduledSession
    lines: list[str]
    flagged: bool = False
    # An assignment's preview: the new block would remove this session.
    replaced: bool = False

    @property
    def summary(self) -> str:
        return self.session.title or "Strength"


@dataclass
class CalendarDay:
    date: datetime.date
    today: bool = False
    outside: bool = False
    runs: list[RunEntry] = field(default_factory=list)
    sessions: list[StrengthEntry] = field(default_factory=list)
    # Sessions an assignment would add, shown in its preview.
    proposed: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.runs or self.sessions or self.proposed)


@dataclass
class CalendarWeek:
    start: datetime.date
    days: list[CalendarDay]


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def week_range(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = monday(day)
    return first, first + datetime.timedelta(days=6)


def month_range(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The Monday before the 1st to the Sunday after the last day: whole weeks."""
    last_day = calendar.monthrange(day.year, day.month)[1]
    first = monday(day.replace(day=1))
    last = monday(day.replace(day=last_day)) + datetime.timedelta(days=6)
    return first, last


def one_rep_maxes(athletes: Iterable[AthleteProfile]) -> dict[int, dict[int, Decimal]]:
    """Each athlete's 1RMs in kg by exercise id."""
    maxes: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for athlete_id, exercise_id, kg in OneRepMax.objects.filter(athlete__in=athletes).values_list(
        "athlete_id", "exercise_id", "kg"
    ):
        maxes[athlete_id][exercise_id] = kg
    return maxes


def build_calendars(
    athletes: Sequence[AthleteProfile],
    first: datetime.date,
    last: datetime.date,
    *,
    today: datetime.date,
    distance_unit: str,
    weight_unit: str,
    month: int | None = None,
) -> dict[int, list[CalendarWeek]]:
    """Week rows from ``first`` (a Monday) to ``last`` for each athlete, by profile id.

    Units are the reader's: a coach reads their athletes' plans in their own units.
    ``month`` marks the days outside it, for a month view.
    """
    weeks: dict[int, list[CalendarWeek]] = {}
    days: dict[tuple[int, datetime.date], CalendarDay] = {}
    for athlete in athletes:
        rows = []
        start = first
        while start <= last:
            row = []
            for offset in range(7):
                date = start + datetime.timedelta(days=offset)
                day = CalendarDay(
                    date, today=date == today, outside=month is not None and date.month != month
                )
                days[athlete.pk, date] = day
                row.append(day)
            rows.append(CalendarWeek(start, row))
            start += datetime.timedelta(days=7)
        weeks[athlete.pk] = rows

    for run in Run.objects.filter(athlete__in=athletes, date__gte=first, date__lte=last):
        days[run.athlete_id, run.date].runs.append(RunEntry.of(run, distance_unit))
    maxes = one_rep_maxes(athletes)
    sessions = (
        ScheduledSession.objects.filter(athlete__in=athletes)
        .between(first, last)
        .with_prescriptions()
    )
    for session in sessions:
        athlete_maxes = maxes.get(session.athlete_id, {})
        lines = [
            f"{p.exercise.name} {dose_for_athlete(p, athlete_maxes, weight_unit)}"
            for p in session.prescriptions.all()
        ]
        days[session.athlete_id, session.date].sessions.append(StrengthEntry(session, lines))
    return weeks


def add_proposed(weeks: list[CalendarWeek], proposed: Iterable) -> None:
    """Put sessions an assignment would create (anything with a ``date``) on their days."""
    by_date = {day.date: day for week in weeks for day in week.days}
    for item in proposed:
        day = by_date.get(item.date)
        if day is not None:
            day.proposed.append(item)
