"""Reads that build the schedule's pages: the assignment preview (each athlete's calendar
with the sessions a block would add, and the conflicts ``preview.py`` finds they would
raise)."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from athletes.models import AthleteProfile, User
from programs import conflicts
from programs.models import Block, Weekday
from programs.schedule.calendar import add_proposed, build_calendars
from programs.schedule.preview import preview_conflicts
from programs.schedule.services import (
    assignments_overlapping,
    block_last_day,
    plan_dates,
    sessions_replaced,
)
from programs.units import local_today

WEEKDAY_LABELS = dict(Weekday.choices)


@dataclass
class AssignPreview:
    """One athlete's part of the preview."""

    athlete: AthleteProfile
    weeks: list
    sessions: int
    days: list[int]
    day_names: str
    own_days: bool
    flags: list[conflicts.Flag]
    critical: int
    warning: int


def assign_preview_data(
    *,
    user: User,
    block: Block,
    athletes: Sequence[AthleteProfile],
    start: datetime.date,
    weekdays: list[int],
    own_days: dict[int, list[int]],
    start_time: datetime.time | None = None,
    replace_current: bool = False,
) -> list[AssignPreview]:
    """Each athlete's calendar over the block's weeks, in ``user``'s units: their runs, the
    strength sessions they already have, the ones this assignment would add (on their own
    days where ``own_days`` has them, else on ``weekdays``), and the conflicts it would
    raise. With ``replace_current``, the sessions of a current block it would remove are
    marked so, and raise no conflict.

    A row is a week of the block: the seven days from ``start``, as the form says."""
    athletes = list(athletes)
    days = {a.pk: own_days.get(a.pk, weekdays) for a in athletes}
    dated = {a.pk: plan_dates(block=block, start=start, weekdays=days[a.pk]) for a in athletes}
    first = start
    last = max(
        block_last_day(block=block, start=start), *(d.date for ds in dated.values() for d in ds)
    )
    replaced: set[int] = set()
    if replace_current:
        overlapping = assignments_overlapping(athletes=athletes, first=start, last=last)
        replaced = set(
            sessions_replaced(assignments=overlapping, start=start).values_list("pk", flat=True)
        )
    calendars = build_calendars(
        athletes,
        first,
        last,
        today=local_today(user),
        distance_unit=user.distance_unit,
        weight_unit=user.weight_unit,
    )
    flags = preview_conflicts(
        block=block,
        athletes=athletes,
        start=start,
        weekdays=days,
        start_time=start_time,
        without=replaced,
    )
    for athlete in athletes:
        add_proposed(calendars[athlete.pk], dated[athlete.pk])
        for week in calendars[athlete.pk]:
            for day in week.days:
                for entry in day.sessions:
                    entry.replaced = entry.session.pk in replaced
    return [
        AssignPreview(
            athlete=athlete,
            weeks=calendars[athlete.pk],
            sessions=len(dated[athlete.pk]),
            days=days[athlete.pk],
            day_names=", ".join(str(WEEKDAY_LABELS[d]) for d in days[athlete.pk]),
            own_days=athlete.pk in own_days,
            flags=flags[athlete.pk],
            critical=sum(f.severity == "critical" for f in flags[athlete.pk]),
            warning=sum(f.severity == "warning" for f in flags[athlete.pk]),
        )
        for athlete in athletes
    ]
