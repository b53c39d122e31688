"""An athlete's sessions and runs indexed by day and by week, so each rule looks only at
the days it is about. Moving or lightening one session gives a new schedule that shares
everything else with the old one, which keeps checking a suggestion cheap."""

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter

from programs.conflicts.classify import Classification, Volume, classify, session_volume
from programs.conflicts.model import (
    EASY_PHASES,
    KEY_RUNS,
    LONG_RUN_MIN_M,
    LONG_RUN_WINDOW_DAYS,
    LONG_RUNS,
    NOT_RUNS,
    Run,
    RunType,
    StrengthSession,
    Thresholds,
    is_long_by_distance,
    recovery_days,
)

WEEK = datetime.timedelta(days=7)
NO_VOLUME = Volume()


def monday(date: datetime.date) -> datetime.date:
    return date - datetime.timedelta(days=date.weekday())


def _order(session: StrengthSession) -> tuple[datetime.date, str]:
    return (session.date, session.id)


@dataclass
class Schedule:
    thresholds: Thresholds
    unit: str
    classes: dict[str, Classification]
    session_volumes: dict[str, Volume]
    runs_on: dict[int, tuple[Run, ...]]  # by date ordinal: cheaper than date arithmetic
    races: tuple[tuple[int, Run], ...]  # (date ordinal, race) in date order
    long_by_distance: frozenset[str]  # ids of the runs long by distance, not by type
    on_day: dict[datetime.date, tuple[StrengthSession, ...]]
    in_week: dict[datetime.date, tuple[StrengthSession, ...]]
    volumes: dict[datetime.date, Volume] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        sessions: tuple[StrengthSession, ...] | list[StrengthSession],
        runs: tuple[Run, ...] | list[Run],
        thresholds: Thresholds,
        unit: str,
    ) -> "Schedule":
        on_day: dict[datetime.date, list[StrengthSession]] = defaultdict(list)
        in_week: dict[datetime.date, list[StrengthSession]] = defaultdict(list)
        for session in sorted(sessions, key=_order):
            on_day[session.date].append(session)
            in_week[monday(session.date)].append(session)
        runs_on: dict[int, list[Run]] = defaultdict(list)
        for run in sorted(runs, key=lambda r: (r.date, r.id)):
            runs_on[run.date.toordinal()].append(run)
        schedule = cls(
            thresholds=thresholds,
            unit=unit,
            classes={s.id: classify(s, thresholds) for s in sessions},
            session_volumes={s.id: session_volume(s) for s in sessions},
            runs_on={d: tuple(rs) for d, rs in runs_on.items()},
            races=tuple(
                (day, r)
                for day in sorted(runs_on)
                for r in runs_on[day]
                if r.run_type == RunType.RACE
            ),
            long_by_distance=long_by_distance(runs),
            on_day={d: tuple(ss) for d, ss in on_day.items()},
            in_week={w: tuple(ss) for w, ss in in_week.items()},
        )
        schedule.volumes = {w: schedule.week_volume(ss) for w, ss in schedule.in_week.items()}
        return schedule

    @cached_property
    def sessions(self) -> tuple[StrengthSession, ...]:
        return tuple(s for d in sorted(self.on_day) for s in self.on_day[d])

    @cached_property
    def weeks(self) -> tuple[datetime.date, ...]:
        """Every Monday from the first strength session's week to the last one's."""
        if not self.in_week:
            return ()
        first, last = min(self.in_week), max(self.in_week)
        return tuple(first + WEEK * n for n in range((last - first).days // 7 + 1))

    def is_long(self, run: Run) -> bool:
        """A long run: typed long, a race, or long by its distance (``is_long_by_distance``)."""
        return run.run_type in LONG_RUNS or run.id in self.long_by_distance

    def is_key(self, run: Run) -> bool:
        """A key run: long, tempo, intervals, hills or a race."""
        return run.run_type in KEY_RUNS or run.id in self.long_by_distance

    def runs_near(self, date: datetime.date, offset: int) -> tuple[Run, ...]:
        return self.runs_on.get(date.toordinal() + offset, ())

    def races_from(self, date: datetime.date, days: int) -> Iterator[tuple[int, Run]]:
        """(days ahead, race) for the races from ``date`` to ``days`` days later, nearest
        first."""
        start = date.toordinal()
        for index in range(
            bisect.bisect_left(self.races, start, key=lambda r: r[0]), len(self.races)
        ):
            day, race = self.races[index]
            if day - start > days:
                return
            yield day - start, race

    def races_before(self, date: datetime.date, days: int) -> Iterator[tuple[int, Run]]:
        """(days after, race) for the races from ``days`` days before ``date`` to the day
        before it, most recent first."""
        start = date.toordinal()
        index = bisect.bisect_left(self.races, start, key=lambda r: r[0]) - 1
        while index >= 0:
            day, race = self.races[index]
            if start - day > days:
                return
            yield start - day, race
            index -= 1

    @cached_property
    def no_move_days(self) -> frozenset[int]:
        """The days (ordinals) a suggestion never moves a session to: a long run's or a
        race's day and the recovery days after a race."""
        days = {d for d, runs in self.runs_on.items() if any(map(self.is_long, runs))}
        for day, race in self.races:
            days.update(range(day + 1, day + recovery_days(race) + 1))
        return frozenset(days)

    def close_to(
        self, session_id: str, date: datetime.date, *, both_sides: bool
    ) -> Iterator[tuple[int, StrengthSession]]:
        """(days apart, other session) for the other sessions fewer than
        ``min_days_between`` days from ``date``. With ``both_sides`` false, only earlier
        ones (and, on the same day, smaller ids), so that a sweep pairs each once."""
        gap = self.thresholds.min_days_between
        for offset in range(-(gap - 1), gap if both_sides else 1):
            day = date + datetime.timedelta(days=offset)
            for other in self.on_day.get(day, ()):
                if other.id == session_id or (
                    not both_sides and offset == 0 and other.id > session_id
                ):
                    continue
                yield offset, other

    def week_volume(self, sessions: tuple[StrengthSession, ...]) -> Volume:
        kg, sets, contacts = 0.0, 0, 0
        for session in sessions:
            volume = self.session_volumes[session.id]
            kg, sets, contacts = kg + volume.kg, sets + volume.sets, contacts + volume.contacts
        return Volume(kg, sets, contacts)

    def volume(self, week: datetime.date) -> Volume:
        return self.volumes.get(week, NO_VOLUME)

    def is_easy_week(self, week: datetime.date) -> bool:
        """A deload, taper or recovery week, as its sessions' phase says."""
        return any(s.phase in EASY_PHASES for s in self.in_week.get(week, ()))

    def replacing(self, old: StrengthSession, new: StrengthSession) -> "Schedule":
        """This schedule with ``old`` swapped for ``new`` (moved, lightened, or both)."""
        on_day, in_week = dict(self.on_day), dict(self.in_week)
        _remove(on_day, old.date, old)
        _remove(in_week, monday(old.date), old)
        _insert(on_day, new.date, new)
        _insert(in_week, monday(new.date), new)
        changed = Schedule(
            self.thresholds,
            self.unit,
            self.classes,
            self.session_volumes,
            self.runs_on,
            self.races,
            self.long_by_distance,
            on_day,
            in_week,
            dict(self.volumes),
        )
        if new.items is not old.items:
            changed.classes = {**self.classes, new.id: classify(new, self.thresholds)}
            changed.session_volumes = {**self.session_volumes, new.id: session_volume(new)}
        for week in {monday(old.date), monday(new.date)}:
            if week in in_week:
                changed.volumes[week] = changed.week_volume(in_week[week])
            else:
                changed.volumes.pop(week, None)
        return changed


def long_by_distance(runs: Iterable[Run]) -> frozenset[str]:
    """The ids of the runs that are long by their distance (``is_long_by_distance``) and
    not already by their type. Only runs of LONG_RUN_MIN_M or more can be (LONG_RUN_ALWAYS_M
    is longer), so only their windows are read: a slice of the runs in date order."""
    counted = sorted(
        ((r.date.toordinal(), r) for r in runs if r.run_type not in NOT_RUNS),
        key=itemgetter(0),
    )
    days: list[int] = []
    metres: list[int] = []
    candidates = []
    for day, run in counted:
        distance = run.distance
        if not distance:
            continue
        days.append(day)
        metres.append(distance)
        if distance >= LONG_RUN_MIN_M and run.run_type not in LONG_RUNS:
            candidates.append((day, run, distance))
    long_ids = set()
    for day, run, distance in candidates:
        # The window's days: from LONG_RUN_WINDOW_DAYS before to the day before.
        first = bisect.bisect_left(days, day - LONG_RUN_WINDOW_DAYS)
        if is_long_by_distance(distance, metres[first : bisect.bisect_left(days, day)]):
            long_ids.add(run.id)
    return frozenset(long_ids)


def _remove(
    index: dict[datetime.date, tuple[StrengthSession, ...]],
    key: datetime.date,
    session: StrengthSession,
) -> None:
    kept = tuple(s for s in index.get(key, ()) if s.id != session.id)
    if kept:
        index[key] = kept
    else:
        index.pop(key, None)


def _insert(
    index: dict[datetime.date, tuple[StrengthSession, ...]],
    key: datetime.date,
    session: StrengthSession,
) -> None:
    index[key] = tuple(sorted((*index.get(key, ()), session), key=_order))
