"""Which days can take which session, and the best days for a week's sessions.

The engine itself says which days a hard session may go on: ``day_table`` evaluates a
heavy and a plyometric probe session on every day of the season against the runs, and a
day is closed to a kind of session when its probe raises any of the hard-session rules
(HEAVY_BEFORE_LONG_RUN, HEAVY_BEFORE_KEY_RUN, HEAVY_IN_TAPER, HEAVY_AFTER_LONG_RUN,
HEAVY_AFTER_RACE, HEAVY_SAME_DAY_AS_LONG_RUN). Those rules read a session's own day and
the runs only, so the table is exactly what ``evaluate`` would say of a real session there,
long runs by distance, C races and the coach's windows included.

``place_week`` then tries every set of days and every order of the week's sessions on
them, and keeps the best by, in this order: fewest sessions dropped, fewest lightened,
the sessions in their own order (A before B), then the days' cost (the coach's weekdays,
rest and easy days before quality-run days before long-run days, no race recovery days).
So a hard session first goes to another day, then swaps with an easier one, and only then
becomes lighter.
"""

import datetime
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from programs.conflicts import evaluate
from programs.conflicts.model import (
    HARD_SESSION_CODES,
    NOT_RUNS,
    Item,
    LoadClass,
    LoadType,
    Run,
    RunType,
    StrengthSession,
    Thresholds,
    recovery_days,
)
from programs.conflicts.schedule import Schedule
from programs.seasons.sessions import Choice

HEAVY_PROBE = Item("probe", LoadClass.HEAVY_LOWER, 1, 1, LoadType.RPE, 10.0)
PLYO_PROBE = Item("probe", LoadClass.PLYOMETRIC, 1, 1, foot_contacts=1)
# The sessions the coach asked for, in two-session and three-session weeks (seed 003's
# Monday and Thursday, seed 002's Monday, Wednesday and Friday).
DEFAULT_WEEKDAYS = {1: (0,), 2: (0, 3), 3: (0, 2, 4)}
NOT_PREFERRED = 2
QUALITY_DAY = 1
LONG_DAY = 4
RECOVERY_DAY = 2
CLOSE_GAP = 1  # two sessions only the minimum apart
RUN_FIRST_MINUTES = 30
UNKNOWN_RUN_MINUTES = 60
LATEST = datetime.time(23, 45)


@dataclass(frozen=True)
class Day:
    date: datetime.date
    heavy_ok: bool
    plyometric_ok: bool
    race: bool
    cost: int
    time: datetime.time | None  # after the day's runs that have a time

    def takes(self, heavy: bool, plyometric: bool) -> bool:
        return (self.heavy_ok or not heavy) and (self.plyometric_ok or not plyometric)


def _blocked(
    dates: Sequence[datetime.date], runs: tuple[Run, ...], thresholds: Thresholds, unit: str
) -> set[str]:
    # No spacing or weekly limit between the probes: only the hard-session rules matter.
    probing = replace(thresholds, min_days_between=0, max_per_week=2 * 7, min_per_week=0)
    probes = [
        StrengthSession(f"{kind}{d.toordinal()}", d, "probe", (probe,))
        for d in dates
        for kind, probe in (("h", HEAVY_PROBE), ("p", PLYO_PROBE))
    ]
    flags = evaluate(probes, runs, probing, distance_unit=unit, suggest=False)
    return {i for f in flags if f.code in HARD_SESSION_CODES for i in f.session_ids}


def _after_runs(runs: Iterable[Run]) -> datetime.time | None:
    """A time after the day's runs that have one: the last one's end plus half an hour, on
    the quarter hour (seed 003: run first), at the latest LATEST."""
    latest = None
    for run in runs:
        if run.start_time is None or run.run_type in NOT_RUNS:
            continue
        start = run.start_time.hour * 60 + run.start_time.minute + (run.start_time.second > 0)
        length = -(-run.duration_s // 60) if run.duration_s else UNKNOWN_RUN_MINUTES
        end = start + length + RUN_FIRST_MINUTES
        latest = end if latest is None else max(latest, end)
    if latest is None:
        return None
    minutes = -(-latest // 15) * 15
    if minutes > LATEST.hour * 60 + LATEST.minute:
        return LATEST
    return datetime.time(minutes // 60, minutes % 60)


def day_table(
    first: datetime.date,
    last: datetime.date,
    runs: tuple[Run, ...],
    thresholds: Thresholds,
    unit: str,
) -> dict[datetime.date, Day]:
    """Every day from ``first`` to ``last`` with what it takes and what it costs."""
    dates = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    if not dates:
        return {}
    blocked = _blocked(dates, runs, thresholds, unit)
    schedule = Schedule.build((), runs, thresholds, unit)
    recovering: set[int] = set()
    for day, race in schedule.races:
        recovering.update(range(day + 1, day + recovery_days(race) + 1))
    table = {}
    for date in dates:
        ordinal = date.toordinal()
        todays = schedule.runs_near(date, 0)
        cost = 0
        if any(schedule.is_long(r) for r in todays):
            cost += LONG_DAY
        elif any(schedule.is_key(r) for r in todays):
            cost += QUALITY_DAY
        if ordinal in recovering:
            cost += RECOVERY_DAY
        table[date] = Day(
            date=date,
            heavy_ok=f"h{ordinal}" not in blocked,
            plyometric_ok=f"p{ordinal}" not in blocked,
            race=any(r.run_type == RunType.RACE for r in todays),
            cost=cost,
            time=_after_runs(todays),
        )
    return table


@dataclass(frozen=True)
class Placed:
    choice: Choice
    day: Day
    light: bool


@dataclass(frozen=True)
class Placement:
    """A week's sessions on their days, and what that cost: (dropped, lightened, out of
    order, days' cost)."""

    placed: tuple[Placed, ...]
    cost: tuple[int, int, int, int]

    @property
    def last(self) -> datetime.date | None:
        return max((p.day.date for p in self.placed), default=None)


def _spaced(days: Sequence[Day], gap: int) -> bool:
    return all(b.date.toordinal() - a.date.toordinal() >= gap for a, b in itertools.pairwise(days))


def rank_week(
    choices: Sequence[Choice],
    days: Sequence[Day],
    taken: Iterable[datetime.date],
    gap: int,
    preferred: tuple[int, ...],
) -> list[Placement]:
    """Every way to put the most of ``choices`` that fit on ``days``, best first.
    ``taken`` are the days of the athlete's other sessions, which every new session keeps
    ``gap`` days from; a day not in ``preferred`` (weekdays, 0 = Monday) costs more."""
    taken = [d.toordinal() for d in taken]
    free = [
        d for d in days if not d.race and all(abs(d.date.toordinal() - t) >= gap for t in taken)
    ]
    for count in range(len(choices), 0, -1):
        ranked = []
        for combo in itertools.combinations(free, count):
            if not _spaced(combo, gap):
                continue
            day_cost = sum(
                d.cost + (NOT_PREFERRED * (d.date.weekday() not in preferred)) for d in combo
            ) + sum(
                CLOSE_GAP
                for a, b in itertools.pairwise(combo)
                if b.date.toordinal() - a.date.toordinal() <= gap
            )
            for order in itertools.permutations(range(len(choices)), count):
                placement = _assign(choices, combo, order, day_cost, len(choices) - count)
                if placement is not None:
                    ranked.append(placement)
        if ranked:
            ranked.sort(key=lambda p: p.cost)
            return ranked
    return []


def _assign(
    choices: Sequence[Choice],
    combo: Sequence[Day],
    order: Sequence[int],
    day_cost: int,
    dropped: int,
) -> Placement | None:
    placed, lightened = [], 0
    for index, day in zip(order, combo, strict=True):
        choice = choices[index]
        if day.takes(choice.heavy, choice.plyometric):
            placed.append(Placed(choice, day, light=False))
        elif choice.light is not None:
            placed.append(Placed(choice, day, light=True))
            lightened += 1
        else:
            return None
    in_order = tuple(order) == tuple(range(len(order)))
    return Placement(tuple(placed), (dropped, lightened, int(not in_order), day_cost))


def preferred_weekdays(weekdays: tuple[int, ...], count: int) -> tuple[int, ...]:
    return weekdays or DEFAULT_WEEKDAYS.get(count, ())
