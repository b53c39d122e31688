"""Reads that build the schedule's pages: the assignment preview (each athlete's calendar
with the sessions a block would add, and the conflicts ``preview.py`` finds they would
raise)."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from athletes.models import AthleteProfile, User
from programs import conflicts
from programs.models import Block, Weekday
from programs.schedule.calendar import add_proposed, build_calendars, monday
from programs.schedule.preview import preview_conflicts
from programs.schedule.services import plan_dates
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
) -> list[AssignPreview]:
    """Each athlete's calendar over the block's weeks, in ``user``'s units: their runs, the
    strength sessions they already have, the ones this assignment would add (on their own
    days where ``own_days`` has them, else on ``weekdays``), and the conflicts it would
    raise."""
    athletes = list(athletes)
    days = {a.pk: own_days.get(a.pk, weekdays) for a in athletes}
    dated = {a.pk: plan_dates(block=block, start=start, weekdays=days[a.pk]) for a in athletes}
    all_dates = [d.date for ds in dated.values() for d in ds]
    first = monday(min(all_dates))
    last = monday(max(all_dates)) + datetime.timedelta(days=6)
    calendars = build_calendars(
        athletes,
        first,
        last,
        today=local_today(user),
        distance_unit=user.distance_unit,
        weight_unit=user.weight_unit,
    )
    flags = preview_conflicts(
        block=block, athletes=athletes, start=start, weekdays=days, start_time=start_time
    )
    for athlete in athletes:
        add_proposed(calendars[athlete.pk], dated[athlete.pk])
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
