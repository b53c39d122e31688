"""The thirteen rules. Each is a small function over a ``Schedule`` that yields flags with its
stable code; the engine decides which sessions and weeks to run it on.

Session rules look at one strength session and the runs around it; weekly rules look at
one Monday–Sunday week (and, for LOAD_SPIKE, the four weeks before it); RUN_DISTANCE_SPIKE
looks at the runs alone."""

import datetime
import functools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from programs.conflicts import text
from programs.conflicts.classify import Volume, is_heavy, is_plyometric
from programs.conflicts.model import (
    CRITICAL_RECOVERY_FROM_M,
    LONGEST_RECOVERY_DAYS,
    NOT_RUNS,
    QUALITY_RUNS,
    SPIKE_BANDS,
    SPIKE_WINDOW_DAYS,
    Code,
    Flag,
    Run,
    RunType,
    Severity,
    StrengthSession,
    flag,
    recovery_days,
)
from programs.conflicts.schedule import WEEK, Schedule, monday

LOOKBACK_WEEKS = 4
DELOAD_FRACTION = 0.6


def _run_facts(run: Run) -> tuple[object, ...]:
    return (run.run_type, run.distance_m, run.duration_s, run.race_priority)


def _run_phrase(schedule: Schedule, run: Run) -> str:
    """The run as a message names it; a run long by its distance says so, with the
    distance that makes it long (its done distance when it is done)."""
    if run.id in schedule.long_by_distance:
        return text.run_phrase(replace(run, distance_m=run.distance), schedule.unit, long=True)
    return text.run_phrase(run, schedule.unit)


def _hard_phrase(schedule: Schedule, session: StrengthSession, *, plyometric: bool) -> str:
    cls = schedule.classes[session.id]
    items = [
        i
        for i in session.items
        if is_heavy(i, schedule.thresholds) or (plyometric and is_plyometric(i))
    ]
    return text.session_phrase(cls, items)


def _hard_flag(
    code: Code,
    schedule: Schedule,
    session: StrengthSession,
    run: Run,
    *,
    dates: tuple[datetime.date, ...],
    relation: str,
    plyometric: bool = True,
    severity: Severity | None = None,
) -> Flag:
    """A hard-session rule's flag about ``session`` and ``run``: the message is the session's
    hard work, its day and ``relation`` (how it stands to the run); the fingerprint holds the
    session's kind and the run's facts. ``plyometric`` counts jumps as hard work."""
    return flag(
        code,
        date=session.date,
        dates=dates,
        sessions=(session,),
        runs=(run,),
        message=(
            f"{_hard_phrase(schedule, session, plyometric=plyometric)} on "
            f"{text.day(session.date)} {relation}"
        ),
        facts=(schedule.classes[session.id].kind, *_run_facts(run)),
        severity=severity,
    )


def _before(schedule: Schedule, session: StrengthSession, code: Code, days: int) -> Iterator[Flag]:
    cls = schedule.classes[session.id]
    if not cls.hard:
        return
    long_days = schedule.thresholds.heavy_before_long_days
    for offset in range(1, days + 1):
        for run in schedule.runs_near(session.date, offset):
            if code == Code.HEAVY_BEFORE_LONG_RUN:
                if not schedule.is_long(run):
                    continue
            elif run.run_type not in QUALITY_RUNS or (
                # A quality run that is also a long run: HEAVY_BEFORE_LONG_RUN says it.
                offset <= long_days and schedule.is_long(run)
            ):
                continue
            yield _hard_flag(
                code,
                schedule,
                session,
                run,
                dates=(session.date, run.date),
                relation=(
                    f"is {text.days_apart(offset, 'before')} "
                    f"{_run_phrase(schedule, run)} on {text.day(run.date)}"
                ),
            )


def heavy_before_long_run(schedule: Schedule, session: StrengthSession) -> Iterator[Flag]:
    """HEAVY_BEFORE_LONG_RUN: a hard session 1..n days before a long run (typed long, or
    long by its distance) or a race."""
    days = schedule.thresholds.heavy_before_long_days
    yield from _before(schedule, session, Code.HEAVY_BEFORE_LONG_RUN, days)


def heavy_before_key_run(schedule: Schedule, session: StrengthSession) -> Iterator[Flag]:
    """HEAVY_BEFORE_KEY_RUN: a hard session 1..n days before tempo, intervals or hills. A
    tempo run long enough to be a long run gets HEAVY_BEFORE_LONG_RUN instead, where that
    rule's window reaches it: one flag about a pair, the stronger."""
    days = schedule.thresholds.heavy_before_key_days
    yield from _before(schedule, session, Code.HEAVY_BEFORE_KEY_RUN, days)


def _taper_windows(schedule: Schedule, priority: str) -> tuple[int, int] | None:
    """(warning days, critical days) of a race's taper by its priority; None for C races
    and races without a priority, which get no taper."""
    limits = schedule.thresholds
    if priority == "A":
        return limits.taper_warning_days, limits.taper_critical_days
    if priority == "B":
        return limits.b_taper_warning_days, limits.b_taper_critical_days
    return None


def heavy_in_taper(schedule: Schedule, session: StrengthSession) -> Iterator[Flag]:
    """HEAVY_IN_TAPER: a hard session 0..n days before an A race, or a B race's shorter
    window (the race day itself counts). One flag per session, about the nearest race whose
    taper it is in."""
    cls, limits = schedule.classes[session.id], schedule.thresholds
    if not cls.hard:
        return
    longest = max(limits.taper_warning_days, limits.b_taper_warning_days)
    for offset, run in schedule.races_from(session.date, longest):
        windows = _taper_windows(schedule, run.race_priority)
        if windows is None or offset > windows[0]:
            continue
        warning_days, critical_days = windows
        critical = offset <= critical_days
        window = (
            f"the last {critical_days} days before it"
            if critical
            else f"the {warning_days}-day taper"
        )
        yield _hard_flag(
            Code.HEAVY_IN_TAPER,
            schedule,
            session,
            run,
            dates=(session.date, run.date),
            relation=(
                f"is {text.days_apart(offset, 'before')} "
                f"{text.run_phrase(run, schedule.unit)} on {text.day(run.date)}, "
                f"inside {window}"
            ),
            severity=Severity.CRITICAL if critical else Severity.WARNING,
        )
        return


def strength_before_run_same_day(schedule: Schedule, session: StrengthSession) -> Iterator[Flag]:
    """STRENGTH_BEFORE_RUN_SAME_DAY: a strength session on a key run's day that is, or may
    be, before the run: not when both have a time and the session starts at or after the
    run's start (nor when the session is hard and the run a long run or a race)."""
    hard = schedule.classes[session.id].hard
    for run in schedule.runs_near(session.date, 0):
        if not schedule.is_key(run) or (hard and schedule.is_long(run)):
            # Hard work on a long run's or race's day is HEAVY_SAME_DAY_AS_LONG_RUN, a
            # warning in either order: "run first" would say less.
            continue
        if session.start_time is not None and run.start_time is not None:
            if session.start_time >= run.start_time:
                continue
            when = (
                f"at {session.start_time:%H:%M} on {text.day(session.date)} comes before "
                f"{_run_phrase(schedule, run)} at {run.start_time:%H:%M}"
            )
        else:
            when = f"on {text.day(session.date)} is on the same day as {_run_phrase(schedule, run)}"
        yield flag(
            Code.STRENGTH_BEFORE_RUN_SAME_DAY,
            date=session.date,
            dates=(session.date,),
            sessions=(session,),
            runs=(run,),
            message=f"{session.title or 'Strength session'} {when}",
            facts=_run_facts(run),
        )


def heavy_after_long_run(schedule: Schedule, session: StrengthSession) -> Iterator[Flag]:
    """HEAVY_AFTER_LONG_RUN: a heavy lower-body session the day after a long run, typed long
    or long by its distance (plyometrics alone do not count here). After a race,
    HEAVY_AFTER_RACE says it instead."""
    cls = schedule.classes[session.id]
    if not cls.heavy:
        return
    for run in schedule.runs_near(session.date, -1):
        if run.run_type != RunType.RACE and schedule.is_long(run):
            yield _hard_flag(
                Code.HEAVY_AFTER_LONG_RUN,
                schedule,
                session,
                run,
                dates=(run.date, session.date),
                relation=f"is the day after {_run_phrase(schedule, run)} on {text.day(run.date)}",
                plyometric=False,
            )


def heavy_after_race(schedule: Schedule, session: StrengthSession) -> Iterator[Flag]:
    """HEAVY_AFTER_RACE: a hard session in a race's recovery, 1..n days after race day with
    n by the race's distance (``recovery_days``), whatever its priority. Critical the day
    after a half marathon or longer. One flag per session, about the latest such race."""
    cls = schedule.classes[session.id]
    if not cls.hard:
        return
    for offset, race in schedule.races_before(session.date, LONGEST_RECOVERY_DAYS):
        recovery = recovery_days(race)
        if offset > recovery:
            continue
        critical = offset == 1 and (race.distance_m or 0) >= CRITICAL_RECOVERY_FROM_M
        yield _hard_flag(
            Code.HEAVY_AFTER_RACE,
            schedule,
            session,
            race,
            dates=(race.date, session.date),
            relation=(
                f"is {text.days_apart(offset, 'after')} "
                f"{text.run_phrase(race, schedule.unit)} on {text.day(race.date)}, "
                f"inside its {recovery}-day recovery"
            ),
            severity=Severity.CRITICAL if critical else Severity.WARNING,
        )
        return


def heavy_same_day_as_long_run(schedule: Schedule, session: StrengthSession) -> Iterator[Flag]:
    """HEAVY_SAME_DAY_AS_LONG_RUN: a hard session on the day of a long run (typed long, or
    long by its distance) or a race, before or after it."""
    cls = schedule.classes[session.id]
    if not cls.hard:
        return
    for run in schedule.runs_near(session.date, 0):
        if schedule.is_long(run):
            yield _hard_flag(
                Code.HEAVY_SAME_DAY_AS_LONG_RUN,
                schedule,
                session,
                run,
                dates=(session.date,),
                relation=f"is on the same day as {_run_phrase(schedule, run)}",
            )


SessionRule = Callable[[Schedule, StrengthSession], Iterator[Flag]]
# Rules about hard sessions only: skipping them for the others saves a third of the time.
HARD_SESSION_RULES: tuple[SessionRule, ...] = (
    heavy_before_long_run,
    heavy_before_key_run,
    heavy_in_taper,
    heavy_after_long_run,
    heavy_after_race,
    heavy_same_day_as_long_run,
)


def session_rules(schedule: Schedule, session: StrengthSession, *, checked: bool) -> Iterator[Flag]:
    """Every session rule's flags for ``session``; with ``checked``, only the rules that can
    raise a warning or worse (what a suggestion is checked against)."""
    if schedule.classes[session.id].hard:
        for rule in HARD_SESSION_RULES:
            yield from rule(schedule, session)
    if not checked:
        yield from strength_before_run_same_day(schedule, session)


def strength_days_too_close(
    schedule: Schedule, session: StrengthSession, *, both_sides: bool
) -> Iterator[Flag]:
    """STRENGTH_DAYS_TOO_CLOSE: this session and another fewer than ``min_days_between``
    days apart. With ``both_sides`` false only earlier partners are paired, so that a
    sweep over every session reports each pair once."""
    gap = schedule.thresholds.min_days_between
    for offset, other in schedule.close_to(session.id, session.date, both_sides=both_sides):
        first, second = sorted((session, other), key=lambda s: (s.date, s.id))
        apart = abs(offset)
        distance = "on the same day" if apart == 0 else f"only {apart} day{'s' * (apart > 1)} apart"
        yield flag(
            Code.STRENGTH_DAYS_TOO_CLOSE,
            date=second.date,
            dates=(first.date, second.date),
            sessions=(first, second),
            message=(
                f"Strength sessions {first.title or 'Session'} ({text.day(first.date)}) "
                f"and {second.title or 'Session'} ({text.day(second.date)}) are "
                f"{distance}; keep at least {gap} days between them"
            ),
        )


def too_many(schedule: Schedule, week: datetime.date) -> Iterator[Flag]:
    """TOO_MANY_STRENGTH_SESSIONS: more than the maximum in a Monday–Sunday week."""
    sessions, most = schedule.in_week.get(week, ()), schedule.thresholds.max_per_week
    if len(sessions) > most:
        days = text.and_list([text.DAYS[s.date.weekday()] for s in sessions])
        yield flag(
            Code.TOO_MANY_STRENGTH_SESSIONS,
            date=week,
            dates=(week,),
            sessions=by_id(sessions),
            message=(
                f"{len(sessions)} strength sessions in the week of {text.day(week)} ({days}), "
                f"more than the maximum of {most}"
            ),
        )


def too_few(schedule: Schedule, week: datetime.date) -> Iterator[Flag]:
    """TOO_FEW_STRENGTH_SESSIONS: fewer than the minimum in a week that is not a deload,
    taper or recovery week. Only asked for weeks inside the plan (see ``Schedule.weeks``)."""
    sessions, least = schedule.in_week.get(week, ()), schedule.thresholds.min_per_week
    if len(sessions) < least and not schedule.is_easy_week(week):
        count = f"{len(sessions)} strength session" if sessions else "No strength session"
        yield flag(
            Code.TOO_FEW_STRENGTH_SESSIONS,
            date=week,
            dates=(week,),
            sessions=by_id(sessions),
            message=f"{count} in the week of {text.day(week)}, fewer than the minimum of {least}",
        )


# LOAD_SPIKE's measures: (Volume field, what a week holds, what a mean holds).
SPIKE_MEASURES = (
    ("kg", "kg lifted", "kg"),
    ("sets", "sets", "sets"),
    ("contacts", "foot contacts", "foot contacts"),
)


def load_spike(schedule: Schedule, week: datetime.date) -> Iterator[Flag]:
    """LOAD_SPIKE: kg lifted, the sets of unloaded work, or plyometric foot contacts above
    ratio × their mean over the previous four weeks that had some of them: a week off (or
    weeks without jumps) is left out of the mean, not counted as zero, so the week after a
    break is compared with the loaded weeks before it. A measure none of the four weeks had
    is not compared, so neither a plan's first week nor its first week of loaded work or
    jumps fires. One flag per week, about the measure furthest over."""
    current = schedule.volumes.get(week)
    if not current:
        return
    history = [schedule.volume(week - WEEK * n) for n in range(1, LOOKBACK_WEEKS + 1)]
    ratio, worst = schedule.thresholds.spike_ratio, None
    for name, unit, short in SPIKE_MEASURES:
        now = getattr(current, name)
        if not now:
            continue
        before = [value for week_volume in history if (value := getattr(week_volume, name))]
        if not before:
            continue
        mean = sum(before) / len(before)
        if now > ratio * mean and (worst is None or now / mean > worst[0]):
            worst = (now / mean, now, mean, len(before), unit, short)
    if worst is None:
        return
    times, now, mean, weeks, unit, short = worst
    if weeks == LOOKBACK_WEEKS:
        baseline = f"the mean of the previous {LOOKBACK_WEEKS} weeks"
    elif weeks == 1:
        baseline = f"the only week with {unit} among the previous {LOOKBACK_WEEKS}"
    else:
        baseline = f"the mean of the {weeks} weeks with {unit} among the previous {LOOKBACK_WEEKS}"
    yield flag(
        Code.LOAD_SPIKE,
        date=week,
        dates=(week,),
        sessions=by_id(schedule.in_week[week]),
        message=(
            f"Strength volume in the week of {text.day(week)} ({text.whole(now)} {unit}) is "
            f"{times:.1f}× {baseline} ({text.whole(mean)} {short}), above the limit of "
            f"{text.number(ratio)}×"
        ),
        facts=(unit, f"{times:.1f}"),
    )


def _light_after(current: Volume, previous: Volume) -> bool:
    """At most 60% of the previous week in each part (a part that was zero must stay zero)."""
    return current.kg <= DELOAD_FRACTION * previous.kg and (
        current.sets <= DELOAD_FRACTION * previous.sets
    )


def no_deload(schedule: Schedule) -> Iterator[Flag]:
    """NO_DELOAD: more than ``max_loading_weeks`` loading weeks in a row. A deload, taper or
    recovery week, a week at most 60% of the week before, and a week with no strength session at all
    (a full rest from lifting) each end the run. Flagged once per run, on the first week
    past the maximum."""
    most, streak, start = schedule.thresholds.max_loading_weeks, 0, None
    for week in schedule.weeks:
        # An empty week is 0% of the week before, so the 60% test counts it as a rest.
        if schedule.is_easy_week(week) or _light_after(
            schedule.volume(week), schedule.volume(week - WEEK)
        ):
            streak, start = 0, None
            continue
        streak += 1
        start = start or week
        if streak == most + 1:
            yield flag(
                Code.NO_DELOAD,
                date=week,
                dates=(start, week),
                sessions=by_id(schedule.in_week[week]),
                message=(
                    f"{streak} loading weeks in a row since the week of {text.day(start)} "
                    f"with no deload week, more than the maximum of {most}"
                ),
            )


def run_distance_spike(schedule: Schedule) -> Iterator[Flag]:
    """RUN_DISTANCE_SPIKE: a run (planned, or done at its done distance) more than 10% longer
    than the longest run of the 30 days before its date (its own day not included): over
    10% up to 30% info, over 30% up to 100% warning, over 100% critical (SPIKE_BANDS).

    The rule needs a baseline, so it raises nothing for a run with no run in its 30 days,
    nor for one whose 30 days start before the first run the engine knows of: a plan
    imported without its history (or a single sample week) would otherwise flag every long
    run against the first easy run. Rest days, cross-training and runs without a distance
    neither raise it nor count as the longest. Of equally long runs, the latest is named."""
    counted: dict[int, list[Run]] = {}
    for day in sorted(schedule.runs_on):
        runs = [r for r in schedule.runs_on[day] if r.run_type not in NOT_RUNS and r.distance]
        if runs:
            counted[day] = runs
    if not counted:
        return
    history_from = min(counted)
    window: deque[tuple[int, Run]] = deque()  # (day, its longest run), longest first
    for day, runs in counted.items():
        while window and window[0][0] < day - SPIKE_WINDOW_DAYS:
            window.popleft()
        if window and day - SPIKE_WINDOW_DAYS >= history_from:
            for run in runs:
                yield from _spike(schedule, run, window[0][1])
        longest = max(runs, key=lambda r: r.distance or 0)
        while window and (window[-1][1].distance or 0) <= (longest.distance or 0):
            window.pop()
        window.append((day, longest))


def _spike(schedule: Schedule, run: Run, longest: Run) -> Iterator[Flag]:
    metres, before = run.distance or 0, longest.distance or 0
    band = next((b for b in SPIKE_BANDS if metres * 100 > before * (100 + b[0])), None)
    if band is None:
        return
    more = round((metres - before) * 100 / before, 1)
    unit = schedule.unit
    phrase = text.run_phrase(replace(run, distance_m=metres), unit)
    previous = text.run_phrase(replace(longest, distance_m=before), unit)
    yield flag(
        Code.RUN_DISTANCE_SPIKE,
        date=run.date,
        dates=(longest.date, run.date),
        sessions=(),
        runs=(run, longest),
        message=(
            f"{phrase[:1].upper()}{phrase[1:]} on {text.day(run.date)} is "
            f"{text.number(more)}% longer than the longest run of the previous "
            f"{SPIKE_WINDOW_DAYS} days, {previous} on {text.day(longest.date)}"
        ),
        facts=(run.run_type, metres, longest.run_type, before),
        severity=Severity(band[1]),
    )


def by_id(sessions: Iterable[StrengthSession]) -> list[StrengthSession]:
    """A weekly flag is about a set of sessions: moving one within the week keeps it."""
    return sorted(sessions, key=lambda s: s.id)


WEEK_RULES = (too_many, too_few, load_spike)
CHECKED_WEEK_RULES = (too_many, load_spike)


def affected_weeks(*dates: datetime.date) -> frozenset[datetime.date]:
    """The weeks whose weekly flags can change when a session on these dates changes: its
    own week and the four after it (whose spike looks back at it)."""
    first, *others = dates
    weeks = _weeks_from(monday(first))
    for date in others:
        weeks = weeks | _weeks_from(monday(date))
    return weeks


@functools.lru_cache(maxsize=1024)
def _weeks_from(week: datetime.date) -> frozenset[datetime.date]:
    # Checking a suggestion asks for the same weeks again and again.
    return frozenset(week + WEEK * n for n in range(LOOKBACK_WEEKS + 1))
