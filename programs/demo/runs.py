"""A realistic 16-week marathon plan for the demo athletes, shaped like the plans runners
import from training platforms: an easy base, one or two quality sessions a week, a long
run on Sunday that builds to 32 km with a cut-back every fourth week, a half marathon
tune-up race, and a two-week taper to the marathon. And the autumn after it for one of
them: two easy weeks, then a 10-week build to a half marathon with a 10 km tune-up."""

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


AUTUMN_WEEKS = 12
# Sunday long runs by week of the autumn, in km: week 7 is the 10 km tune-up, week 12 the
# half marathon.
AUTUMN_LONG_KM = (8, 10, 14, 16, 18, 14, 10, 18, 20, 16, 14, 21.1)
AUTUMN_TUNE_UP_WEEK = 7
AUTUMN_EASY_WEEKS = 2


def _autumn_week(week: int, monday: datetime.date) -> list[PlannedRun]:
    def on(offset: int, run_type: str, km: float, title: str, priority: str = "") -> PlannedRun:
        return PlannedRun(monday + datetime.timedelta(days=offset), run_type, km, title, priority)

    long_km = AUTUMN_LONG_KM[week - 1]
    if week <= AUTUMN_EASY_WEEKS:  # the marathon's recovery: easy running only
        return [on(1, RunType.EASY, 5, "Easy 5 km"), on(3, RunType.EASY, 6, "Easy 6 km"),
                on(6, RunType.EASY, long_km, f"Easy {long_km:g} km")]  # fmt: skip
    runs = [
        on(0, RunType.EASY, 8, "Easy 8 km"),
        on(1, RunType.INTERVALS, 10, "Intervals 5x1 km")
        if week % 2
        else on(1, RunType.HILLS, 9, "Hill repeats 10x45 s"),
        on(3, RunType.TEMPO, 10, "Tempo 6 km @ 10K pace"),
        on(5, RunType.RECOVERY, 5, "Recovery 5 km"),
    ]
    if week == AUTUMN_TUNE_UP_WEEK:
        runs.append(on(6, RunType.RACE, long_km, "Autumn 10K", "B"))
    elif week == AUTUMN_WEEKS:
        runs.append(on(6, RunType.RACE, long_km, "Autumn Half Marathon", "A"))
    else:
        runs.append(on(6, RunType.LONG, long_km, f"Long run {long_km:g} km"))
    return runs


def autumn_plan(start: datetime.date) -> list[PlannedRun]:
    """Twelve weeks from ``start`` (the Monday after the marathon) to a half marathon."""
    return [
        run
        for week in range(1, AUTUMN_WEEKS + 1)
        for run in _autumn_week(week, start + datetime.timedelta(weeks=week - 1))
    ]
