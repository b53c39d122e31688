"""A planned season as data, and the coach's edits to it before it is applied: plain
Python, like the planner (docs/season-planner.md, "Reviewing and editing").

``plan_to_data`` and ``plan_from_data`` turn a ``SeasonPlan`` into JSON-ready data and
back, losslessly, so a draft can wait in the database between the coach's edits. The edits
(``move_session``, ``remove_session``, ``set_dose``) return a new plan and raise
``EditError`` with a stable code when the edit is refused; ``recheck`` then runs the engine
on the edited plan beside the athlete's runs and kept sessions, as the planner's own check
does, and gives the plan its new flags and explained exceptions. An edit is the coach's:
nothing is mended, what the engine says of it is shown.
"""

import datetime
from collections.abc import Iterable
from dataclasses import asdict, replace
from typing import Any

from programs.conflicts import evaluate
from programs.conflicts.model import Flag, Run, Thresholds
from programs.conflicts.schedule import monday
from programs.seasons.days import _after_runs as time_after_runs
from programs.seasons.model import (
    PlannedExercise,
    PlannedSession,
    PlannedWeek,
    Reason,
    SeasonPlan,
    SeasonRequest,
    Unavoidable,
)
from programs.seasons.planner import ID_PREFIX, in_season
from programs.seasons.search import exceptions
from programs.seasons.sessions import engine_session, session_kind

DATA_VERSION = 1
MAX_SETS = 20  # a block's prescription holds 1 to 20 sets
MAX_REPS = 100
WEEK_DAYS = 7


class EditError(ValueError):
    """An edit the plan does not take; ``code`` is stable, the message is for the coach."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


# The plan as data


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _flag_data(flag: Flag) -> dict[str, Any]:
    # The planner asks the engine for no suggestions, so there are none to keep.
    return {
        "code": str(flag.code),
        "severity": str(flag.severity),
        "date": flag.date.isoformat(),
        "dates": [d.isoformat() for d in flag.dates],
        "session_ids": list(flag.session_ids),
        "run_ids": list(flag.run_ids),
        "message": flag.message,
        "fingerprint": flag.fingerprint,
    }


def _flag(data: dict[str, Any]) -> Flag:
    return Flag(
        code=data["code"],
        severity=data["severity"],
        date=_date(data["date"]),
        dates=tuple(map(_date, data["dates"])),
        session_ids=tuple(data["session_ids"]),
        run_ids=tuple(data["run_ids"]),
        message=data["message"],
        suggestion=None,
        fingerprint=data["fingerprint"],
    )


def _session_data(session: PlannedSession) -> dict[str, Any]:
    return {
        "id": session.id,
        "date": session.date.isoformat(),
        "time": None if session.start_time is None else session.start_time.isoformat(),
        "name": session.name,
        "phase": str(session.phase),
        "heavy": session.heavy,
        "plyometric": session.plyometric,
        "lightened": session.lightened,
        "exercises": [{**asdict(e), "load_type": str(e.load_type)} for e in session.exercises],
    }


def _session(data: dict[str, Any]) -> PlannedSession:
    return PlannedSession(
        id=data["id"],
        date=_date(data["date"]),
        name=data["name"],
        phase=data["phase"],
        exercises=tuple(PlannedExercise(**e) for e in data["exercises"]),
        heavy=data["heavy"],
        plyometric=data["plyometric"],
        start_time=None if data["time"] is None else datetime.time.fromisoformat(data["time"]),
        lightened=data["lightened"],
    )


def plan_to_data(plan: SeasonPlan) -> dict[str, Any]:
    """Everything of ``plan``, in JSON's types (``plan.to_json()`` is the command's shorter
    shape, which cannot be read back)."""
    return {
        "version": DATA_VERSION,
        "start": plan.start.isoformat(),
        "end": plan.end.isoformat(),
        "weeks": [
            {
                "start": w.start.isoformat(),
                "phase": str(w.phase),
                "sessions": [_session_data(s) for s in w.sessions],
            }
            for w in plan.weeks
        ],
        "flags": [_flag_data(f) for f in plan.flags],
        "exceptions": [
            {
                "week": e.week.isoformat(),
                "reason": str(e.reason),
                "message": e.message,
                "flags": [_flag_data(f) for f in e.flags],
            }
            for e in plan.exceptions
        ],
        "kept": list(plan.kept),
        "replaced": list(plan.replaced),
    }


def plan_from_data(data: dict[str, Any]) -> SeasonPlan:
    """The plan ``plan_to_data`` wrote."""
    if data.get("version") != DATA_VERSION:
        raise ValueError(f"Not a season plan of version {DATA_VERSION}.")
    return SeasonPlan(
        start=_date(data["start"]),
        end=_date(data["end"]),
        weeks=tuple(
            PlannedWeek(
                start=_date(w["start"]),
                phase=w["phase"],
                sessions=tuple(_session(s) for s in w["sessions"]),
            )
            for w in data["weeks"]
        ),
        flags=tuple(_flag(f) for f in data["flags"]),
        exceptions=tuple(
            Unavoidable(
                week=_date(e["week"]),
                reason=e["reason"],
                message=e["message"],
                flags=tuple(_flag(f) for f in e["flags"]),
            )
            for e in data["exceptions"]
        ),
        kept=tuple(data["kept"]),
        replaced=tuple(data["replaced"]),
    )


# The coach's edits


def _find(plan: SeasonPlan, session_id: str) -> tuple[int, PlannedSession]:
    for index, week in enumerate(plan.weeks):
        for session in week.sessions:
            if session.id == session_id:
                return index, session
    raise EditError("That session is not in this season.", "no_such_session")


def _with_week(plan: SeasonPlan, index: int, sessions: list[PlannedSession]) -> SeasonPlan:
    weeks = list(plan.weeks)
    weeks[index] = replace(weeks[index], sessions=tuple(sorted(sessions, key=lambda s: s.date)))
    return replace(plan, weeks=tuple(weeks))


def move_targets(plan: SeasonPlan, session: PlannedSession) -> list[datetime.date]:
    """The days ``session`` may move to: the other days of its week (Monday to Sunday) in
    the season's dates that hold no other planned session."""
    first = monday(session.date)
    taken = {s.date for s in plan.sessions}
    days = (first + datetime.timedelta(days=n) for n in range(WEEK_DAYS))
    return [d for d in days if plan.start <= d <= plan.end and d not in taken]


def move_session(
    plan: SeasonPlan, *, session_id: str, date: datetime.date, runs: Iterable[Run]
) -> SeasonPlan:
    """``plan`` with the session moved to ``date``, another day of its week. Its time is
    the planner's for that day: after the day's runs that have a time (``runs``: the
    engine's runs of the athlete), else none."""
    index, session = _find(plan, session_id)
    if date == session.date:
        raise EditError("The session is on that day already.", "same_day")
    if date not in move_targets(plan, session):
        if monday(date) != monday(session.date):
            raise EditError("A session moves to another day of its own week.", "other_week")
        if not plan.start <= date <= plan.end:
            raise EditError("That day is outside the season.", "outside_season")
        raise EditError("Another session of the season is on that day.", "day_taken")
    moved = replace(
        session,
        id=f"{ID_PREFIX}{date:%Y%m%d}",
        date=date,
        start_time=time_after_runs(r for r in runs if r.date == date),
    )
    others = [s for s in plan.weeks[index].sessions if s.id != session_id]
    return _with_week(plan, index, [*others, moved])


def remove_session(plan: SeasonPlan, *, session_id: str) -> SeasonPlan:
    index = _find(plan, session_id)[0]
    return _with_week(plan, index, [s for s in plan.weeks[index].sessions if s.id != session_id])


def set_dose(
    plan: SeasonPlan,
    *,
    session_id: str,
    exercise: int,
    sets: int,
    reps_min: int | None,
    reps_max: int | None,
    thresholds: Thresholds,
) -> SeasonPlan:
    """``plan`` with the ``exercise``-th prescription of the session at ``sets`` ×
    ``reps_min``(–``reps_max``); a timed exercise takes sets only. Whether the session is
    heavy or plyometric is the engine's rule again, under the coach's ``thresholds``."""
    index, session = _find(plan, session_id)
    if not 0 <= exercise < len(session.exercises):
        raise EditError("That exercise is not in the session.", "no_such_exercise")
    if not 1 <= sets <= MAX_SETS:
        raise EditError(f"Sets are 1 to {MAX_SETS}.", "sets")
    old = session.exercises[exercise]
    if old.reps_min is None:
        if reps_min is not None or reps_max is not None:
            raise EditError("This exercise is timed: change its sets only.", "timed")
        new = replace(old, sets=sets)
    else:
        if reps_min is None or not 1 <= reps_min <= MAX_REPS:
            raise EditError(f"Reps are 1 to {MAX_REPS}.", "reps")
        if reps_max is not None and not reps_min <= reps_max <= MAX_REPS:
            raise EditError("The most reps are at least the fewest.", "reps_max")
        new = replace(old, sets=sets, reps_min=reps_min, reps_max=reps_max)
    exercises = list(session.exercises)
    exercises[exercise] = new
    heavy, plyometric = session_kind(tuple(exercises), thresholds)
    changed = replace(session, exercises=tuple(exercises), heavy=heavy, plyometric=plyometric)
    others = [s for s in plan.weeks[index].sessions if s.id != session_id]
    return _with_week(plan, index, [*others, changed])


def recheck(plan: SeasonPlan, request: SeasonRequest) -> SeasonPlan:
    """``plan`` with the engine's flags on it as ``request`` has the athlete's calendar now
    (its runs, its sessions less those the plan replaces, the coach's thresholds), and the
    explained exceptions they leave. The weeks the planner could not fill keep their
    explanation; nothing is mended."""
    replaced = set(plan.replaced)
    kept = [s for s in request.existing if s.id not in replaced]
    ids = {s.id for s in plan.sessions}
    first_monday = plan.weeks[0].start if plan.weeks else monday(plan.start)
    limits = request.thresholds
    flags = [
        f
        for f in evaluate(
            [*kept, *map(engine_session, plan.sessions)],
            request.runs,
            limits,
            distance_unit=request.distance_unit,
            suggest=False,
        )
        if in_season(f, first_monday=first_monday, end=plan.end, planned_ids=ids)
    ]
    short = {e.week: e.message for e in plan.exceptions if e.reason == Reason.FEWER_SESSIONS}
    return replace(
        plan,
        flags=tuple(flags),
        exceptions=tuple(exceptions(flags, ids, short, limits.spike_ratio)),
    )
