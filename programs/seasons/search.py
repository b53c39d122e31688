"""After the days are picked: keep each week's volume within the load-spike limit, then let
the engine check the whole season and mend what it still flags.

The volume pass walks the weeks in order, as LOAD_SPIKE does: each measure (kg lifted, the
sets of unloaded work, plyometric foot contacts) must stay within ``spike_ratio`` × its
mean over the four weeks before that had some; a week over it loses a set at a time from
its biggest prescriptions (then reps of jumps, then whole accessories) until it is not. A
week only ever lowers the means of the weeks after it, so one pass in date order settles
every week.

The engine then evaluates the planned sessions with the kept ones and the runs. What it
still flags at warning or worse on a planned session is mended (a hard session lightened,
else dropped; a session too close to another dropped; a week over the limit cut again) and
the season checked again; what is left, or was never the plan's doing (a kept session's
flags), becomes an explained exception."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from programs.conflicts import evaluate
from programs.conflicts.classify import Volume, external_kg, session_volume
from programs.conflicts.model import (
    HARD_SESSION_CODES,
    Code,
    Flag,
    Item,
    LoadClass,
    Run,
    Severity,
    StrengthSession,
    Thresholds,
)
from programs.conflicts.rules import LOOKBACK_WEEKS, SPIKE_MEASURES
from programs.conflicts.schedule import WEEK, monday
from programs.seasons.model import PlannedExercise, PlannedSession, Reason, Unavoidable
from programs.seasons.sessions import engine_session, session_kind

MAX_ROUNDS = 4
# How the volume pass cuts, in the order it tries them (highest first).
CUT_SET, CUT_REP, DROP = 2, 1, 0
SERIOUS = frozenset({Severity.WARNING, Severity.CRITICAL})
DROPPED_FOR = frozenset({Code.STRENGTH_DAYS_TOO_CLOSE, Code.TOO_MANY_STRENGTH_SESSIONS})
# Below the coach's ratio by a hair: a mended week must not sit on the boundary, where the
# order of a float sum could tip it over.
MENDING_MARGIN = 0.999

Weeks = dict[datetime.date, list[PlannedSession]]


def _volume(sessions: Sequence[StrengthSession]) -> Volume:
    kg, sets, contacts = 0.0, 0, 0
    for session in sessions:
        volume = session_volume(session)
        kg, sets, contacts = kg + volume.kg, sets + volume.sets, contacts + volume.contacts
    return Volume(kg, sets, contacts)


def _over(current: Volume, history: Sequence[Volume], ratio: float) -> set[str]:
    """The measures of ``current`` over ``ratio`` × their mean in ``history``, as
    LOAD_SPIKE reads them (weeks without the measure left out)."""
    over = set()
    for name, _unit, _short in SPIKE_MEASURES:
        now = getattr(current, name)
        before = [v for week in history if (v := getattr(week, name))]
        if now and before and now > ratio * (sum(before) / len(before)):
            over.add(name)
    return over


def _measure(exercise_item: Item) -> str:
    if exercise_item.load_class == LoadClass.PLYOMETRIC and exercise_item.reps is not None:
        return "contacts"
    if external_kg(exercise_item) is not None and exercise_item.reps is not None:
        return "kg"
    return "sets"


def _cut_one(sessions: list[PlannedSession], measures: set[str]) -> list[PlannedSession] | None:
    """``sessions`` with less of what counts in ``measures``: a set off the biggest
    prescription (the latest of equals); when all are down to one set, a rep off a set of
    jumps (their foot contacts); then the last such prescription of the biggest session
    left out, never its only one. None when nothing is left to cut."""
    best = None
    for s_index, session in enumerate(sessions):
        engine = engine_session(session)
        for e_index, exercise_item in enumerate(engine.items):
            measure = _measure(exercise_item)
            if not (measure in measures or ("sets" in measures and measure == "contacts")):
                continue
            if exercise_item.sets > 1:
                rank = (CUT_SET, exercise_item.sets, s_index, e_index)
            elif measure == "contacts" and "contacts" in measures and exercise_item.reps > 1:
                rank = (CUT_REP, exercise_item.reps, s_index, e_index)
            elif len(engine.items) > 1:
                rank = (DROP, len(engine.items), s_index, e_index)
            else:
                continue
            best = rank if best is None or rank > best else best
    if best is None:
        return None
    how, _size, s_index, e_index = best
    session = sessions[s_index]
    exercises = list(session.exercises)
    exercise = exercises.pop(e_index)
    if how == CUT_SET:
        exercises.insert(e_index, replace(exercise, sets=exercise.sets - 1))
    elif how == CUT_REP:
        reps = (exercise.reps_min or 1) - 1
        top = None if exercise.reps_max is None else max(reps, exercise.reps_max - 1)
        exercises.insert(e_index, replace(exercise, reps_min=reps, reps_max=top))
    cut = list(sessions)
    cut[s_index] = replace(session, exercises=tuple(exercises))
    return cut


def ramp(
    weeks: Weeks,
    kept: Sequence[StrengthSession],
    ratio: float,
    only: set[datetime.date] | None = None,
) -> Weeks:
    """``weeks`` with each week cut to the load-spike limit, in date order (only the weeks
    in ``only`` when it is given)."""
    kept_by_week: dict[datetime.date, list[StrengthSession]] = defaultdict(list)
    for session in kept:
        kept_by_week[monday(session.date)].append(session)
    volumes = {week: _volume(sessions) for week, sessions in kept_by_week.items()}
    result = dict(weeks)
    for week in sorted(set(weeks) | set(volumes)):
        planned = result.get(week, [])
        history = [volumes.get(week - WEEK * n, Volume()) for n in range(1, LOOKBACK_WEEKS + 1)]
        mine = kept_by_week.get(week, [])
        current = _volume([*mine, *map(engine_session, planned)])
        while planned and (only is None or week in only):
            over = _over(current, history, ratio)
            cut = _cut_one(planned, over) if over else None
            if cut is None:
                break
            planned = cut
            current = _volume([*mine, *map(engine_session, planned)])
        if week in result:
            result[week] = planned
        volumes[week] = current
    return result


@dataclass
class Checked:
    weeks: Weeks
    flags: list[Flag]


def check(
    weeks: Weeks,
    *,
    kept: Sequence[StrengthSession],
    runs: Sequence[Run],
    thresholds: Thresholds,
    unit: str,
    in_plan: Callable[[Flag], bool],
    lighter: Callable[[PlannedSession], PlannedSession | None],
) -> Checked:
    """The engine's flags on the season, after mending what it flags on planned sessions
    (at most MAX_ROUNDS times). ``lighter`` gives a session's lighter version, or None."""
    flags: list[Flag] = []
    for _round in range(MAX_ROUNDS + 1):
        planned = {s.id: s for sessions in weeks.values() for s in sessions}
        every = [*kept, *(engine_session(s) for s in planned.values())]
        flags = [
            f
            for f in evaluate(every, runs, thresholds, distance_unit=unit, suggest=False)
            if in_plan(f)
        ]
        mending = [
            f for f in flags if f.severity in SERIOUS and any(i in planned for i in f.session_ids)
        ]
        if not mending or _round == MAX_ROUNDS:
            break
        weeks = _mend(
            weeks, mending, planned=planned, kept=kept, thresholds=thresholds, lighter=lighter
        )
    return Checked(weeks, flags)


def _mend(
    weeks: Weeks,
    flags: Sequence[Flag],
    *,
    planned: dict[str, PlannedSession],
    kept: Sequence[StrengthSession],
    thresholds: Thresholds,
    lighter: Callable[[PlannedSession], PlannedSession | None],
) -> Weeks:
    changed: dict[str, PlannedSession | None] = {}
    spiking = set()
    for f in flags:
        mine = [planned[i] for i in f.session_ids if i in planned and i not in changed]
        if not mine:
            continue
        if f.code in HARD_SESSION_CODES:
            changed[mine[0].id] = lighter(mine[0])
        elif f.code in DROPPED_FOR:
            changed[max(mine, key=lambda s: (s.date, s.id)).id] = None
        elif f.code == Code.LOAD_SPIKE:
            spiking.add(f.date)
    mended: Weeks = {
        week: [m for s in sessions if (m := changed.get(s.id, s)) is not None]
        for week, sessions in weeks.items()
    }
    if spiking:
        mended = ramp(mended, kept, thresholds.spike_ratio * MENDING_MARGIN, only=spiking)
    return mended


def lightened(
    session: PlannedSession, light: tuple[PlannedExercise, ...], thresholds: Thresholds
) -> PlannedSession:
    heavy, plyometric = session_kind(light, thresholds)
    return replace(
        session,
        name=session.name if session.lightened else f"{session.name} (light)",
        exercises=light,
        heavy=heavy,
        plyometric=plyometric,
        lightened=True,
    )


def exceptions(
    flags: Sequence[Flag],
    planned_ids: set[str],
    short_weeks: dict[datetime.date, str],
    ratio: float,
) -> list[Unavoidable]:
    """One explained exception per week and reason: the weeks that got fewer sessions than
    asked (with their flags of that week), and every flag at warning or worse that is
    left."""
    grouped: dict[tuple[datetime.date, str], list[Flag]] = defaultdict(list)
    messages: dict[tuple[datetime.date, str], str] = {}
    for week, message in short_weeks.items():
        key = (week, Reason.FEWER_SESSIONS)
        messages[key] = message
        grouped[key] = [
            f for f in flags if monday(f.date) == week and f.code == Code.TOO_FEW_STRENGTH_SESSIONS
        ]
    for f in flags:
        if f.severity not in SERIOUS:
            continue
        week = monday(f.date)
        if f.code == Code.LOAD_SPIKE:
            reason = Reason.VOLUME
        elif not any(i in planned_ids for i in f.session_ids):
            reason = Reason.KEPT_SESSION
        else:
            reason = Reason.NO_SAFE_DAY
        message = {
            Reason.VOLUME: (
                f"The strength volume of the week of {week:%d %b %Y} can't be brought within "
                f"{ratio:g}× that of the weeks before: what is left is kept sessions or "
                "single sets."
            ),
            Reason.KEPT_SESSION: (
                "A session you kept raises it; the planner does not move kept sessions."
            ),
            Reason.NO_SAFE_DAY: (
                "No day of the week takes this session without a conflict with the runs."
            ),
        }[reason]
        key = (week, reason)
        messages.setdefault(key, message)
        grouped[key].append(f)
    return [
        Unavoidable(week=week, reason=reason, message=messages[week, reason], flags=tuple(fs))
        for (week, reason), fs in sorted(grouped.items())
    ]
