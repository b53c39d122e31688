"""A realistic 16-week marathon plan for the demo athletes, shaped like the plans runners
import from training platforms: an easy base, one or two quality sessions a week, a long
run on Sunday that builds to 32 km with a cut-back every fourth week, a half marathon
tune-up race, and a two-week taper to the marathon."""

import datetime
from dataclasses import dataclass

from programs.models import RunType

WEEKS = 16
# Sunday long runs by week, in km; week 10 is the tune-up half marathon, week 16 the race.
LONG_RUN_KM = (14, 16, 18, 14, 20, 22, 24, 18, 26, 21.1, 28, 22, 30, 32, 24, 42.2)
CUT_BACK_WEEKS = {4, 8, 12}
TUNE_UP_WEEK = 10


@dataclass(frozen=True)
class PlannedRun:
    date: datetime.date
    run_type: str
    km: float
    title: str
    race_priority: str = ""


def _week(week: int, monday: datetime.date) -> list[PlannedRun]:
    def on(offset: int, run_type: str, km: float, title: str, priority: str = "") -> PlannedRun:
        return PlannedRun(monday + datetime.timedelta(days=offset), run_type, km, title, priority)

    easy = 6 if week in CUT_BACK_WEEKS or week >= 15 else 8
    runs = [
        on(0, RunType.EASY, easy, f"Easy {easy} km"),
        on(1, RunType.INTERVALS, 10, "Intervals 6x800 m")
        if week % 2
        else on(1, RunType.HILLS, 9, "Hill repeats 8x60 s"),
        on(2, RunType.EASY, easy + 2, f"Easy {easy + 2} km"),
    ]
    if week not in CUT_BACK_WEEKS and week < WEEKS:
        runs.append(on(3, RunType.TEMPO, 12, "Tempo 8 km @ HM pace"))
    runs.append(on(5, RunType.RECOVERY, 5, "Recovery 5 km"))
    long_km = LONG_RUN_KM[week - 1]
    if week == TUNE_UP_WEEK:
        runs.append(on(6, RunType.RACE, long_km, "Tune-up half marathon", "B"))
    elif week == WEEKS:
        runs.append(on(6, RunType.RACE, long_km, "Spring Marathon", "A"))
    else:
        runs.append(on(6, RunType.LONG, long_km, f"Long run {long_km:g} km"))
    return runs


def marathon_plan(start: datetime.date) -> list[PlannedRun]:
    """Sixteen Monday-to-Sunday weeks from ``start`` (a Monday), race on the last Sunday."""
    return [
        run
        for week in range(1, WEEKS + 1)
        for run in _week(week, start + datetime.timedelta(weeks=week - 1))
    ]
