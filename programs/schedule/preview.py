"""What an assignment would do to each athlete's plan, before anything is written: the
conflicts it would create, and the strength weekdays that would create the fewest.

The block's sessions become engine sessions beside what the athlete already has; the
engine runs without suggestions (nothing is there to move yet) and only the flags that
involve a new session are the assignment's doing.
"""

import datetime
import itertools
from collections.abc import Collection, Sequence
from dataclasses import replace
from decimal import Decimal

from athletes.models import AthleteProfile
from programs import conflicts
from programs.conflicts.services import Plan, load_plans
from programs.models import Block, LoadType
from programs.schedule.calendar import one_rep_maxes
from programs.schedule.services import DatedSession, plan_dates

NEW = "new-"
# How much worse a critical flag is than a warning, and a warning than information.
WEIGHT = {conflicts.Severity.CRITICAL: 100, conflicts.Severity.WARNING: 10}


def _items(dated: DatedSession, maxes: dict[int, Decimal]) -> tuple[conflicts.Item, ...]:
    items = []
    for p in dated.session.prescriptions.all():
        load_kg = None
        if p.load_type == LoadType.KG:
            load_kg = float(p.load_value)
        elif p.load_type == LoadType.PERCENT_1RM and p.exercise_id in maxes:
            load_kg = float(maxes[p.exercise_id] * p.load_value / 100)
        items.append(
            conflicts.Item(
                exercise=p.exercise.name,
                load_class=p.exercise.load_class,
                sets=p.sets,
                reps=p.reps_min,
                load_type=p.load_type,
                load_value=None if p.load_value is None else float(p.load_value),
                load_kg=load_kg,
                foot_contacts=p.exercise.foot_contacts_per_rep,
                one_rm_kg=float(maxes[p.exercise_id]) if p.exercise_id in maxes else None,
            )
        )
    return tuple(items)


def _new_sessions(
    dated: Sequence[DatedSession],
    maxes: dict[int, Decimal],
    start_time: datetime.time | None = None,
) -> list[conflicts.StrengthSession]:
    # At the time the assignment would give them (see services._schedule).
    return [
        conflicts.StrengthSession(
            id=f"{NEW}{index}",
            date=d.date,
            start_time=start_time or d.session.start_time,
            title=d.session.title or d.session.label or "Strength",
            items=_items(d, maxes),
            phase=d.phase,
        )
        for index, d in enumerate(dated)
    ]


def _flags(plan: Plan, new: list[conflicts.StrengthSession]) -> list[conflicts.Flag]:
    flags = conflicts.evaluate(
        [*plan.sessions, *new],
        plan.runs,
        plan.thresholds,
        distance_unit=plan.distance_unit,
        suggest=False,
    )
    return [f for f in flags if any(i.startswith(NEW) for i in f.session_ids)]


def _score(flags: Sequence[conflicts.Flag]) -> int:
    return sum(WEIGHT.get(f.severity, 1) for f in flags)


def preview_conflicts(
    *,
    block: Block,
    athletes: Sequence[AthleteProfile],
    start: datetime.date,
    weekdays: dict[int, list[int]],
    start_time: datetime.time | None = None,
    without: Collection[int] = (),
) -> dict[int, list[conflicts.Flag]]:
    """The flags each athlete's assignment would raise, by profile id; the sessions in
    ``without`` (ids) are left out, as the assignment would remove them."""
    plans = load_plans(athletes, since=start)
    maxes = one_rep_maxes(athletes)
    gone = {str(pk) for pk in without}
    result = {}
    for athlete in athletes:
        dated = plan_dates(block=block, start=start, weekdays=weekdays[athlete.pk])
        new = _new_sessions(dated, maxes[athlete.pk], start_time)
        plan = plans[athlete.pk]
        if gone:
            plan = replace(plan, sessions=tuple(s for s in plan.sessions if s.id not in gone))
        result[athlete.pk] = _flags(plan, new)
    return result


def arrange(
    *,
    block: Block,
    athletes: Sequence[AthleteProfile],
    start: datetime.date,
    weekdays: Sequence[int],
    start_time: datetime.time | None = None,
) -> dict[int, list[int]]:
    """For each athlete, the set of as many weekdays as ``weekdays`` that raises the
    fewest and mildest conflicts against their runs; ties keep the coach's own choice,
    then the days closest to it."""
    count = len(weekdays)
    plans = load_plans(athletes, since=start)
    maxes = one_rep_maxes(athletes)
    dated = plan_dates(block=block, start=start, weekdays=weekdays)
    # Any choice of days keeps the sessions in the same order, so only the dates change.
    dates_for = {
        days: [d.date for d in plan_dates(block=block, start=start, weekdays=list(days))]
        for days in itertools.combinations(range(1, 8), count)
    }
    candidates = sorted(
        itertools.combinations(range(1, 8), count),
        key=lambda days: (
            list(days) != sorted(weekdays),
            sum(min(abs(d - w) for w in weekdays) for d in days),
            days,
        ),
    )
    choice = {}
    for athlete in athletes:
        template = _new_sessions(dated, maxes[athlete.pk], start_time)
        best, best_score = list(weekdays), None
        for days in candidates:
            new = [
                replace(session, date=date)
                for session, date in zip(template, dates_for[days], strict=True)
            ]
            score = _score(_flags(plans[athlete.pk], new))
            if best_score is None or score < best_score:
                best, best_score = list(days), score
            if score == 0:
                break
        choice[athlete.pk] = best
    return choice
