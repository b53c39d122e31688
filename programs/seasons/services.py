"""The season planner against the database (docs/season-planner.md, "Applying").

``season_request_for`` loads an athlete's calendar into a ``SeasonRequest`` the way the
conflicts service loads it for the engine (``load_plans``): the runs, the strength sessions
with ten weeks of history (the load-spike rule looks four back), the thresholds of the
athlete's coach, 1RMs by exercise slug, and the library's published exercises.

``season_apply`` turns a ``SeasonPlan`` into ordinary blocks and assignments, in one
transaction: a block for the season (one per 52 weeks, a block's limit), whose week n is
the plan's n-th Monday-to-Sunday week, each session on the weekday slot of its planned
date and at its planned time, assigned from the first Monday on every day of the week, so
each session lands on exactly its planned date (``plan_dates`` keeps day slots when every
day is a strength day). With ``replace_future`` the sessions the plan replaces (planned,
from today on, nothing logged) are deleted first, in the same transaction.

``season_diff`` says what applying would change, for the coach to see first.
"""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from athletes.models import AthleteProfile, User
from library.models import Exercise, Status
from programs.blocks.data import FORMAT, VERSION, block_write
from programs.blocks.files import validate_block
from programs.blocks.services import block_free_name
from programs.conflicts.schedule import monday
from programs.conflicts.services import conflicts_sync, load_plans
from programs.models import (
    Assignment,
    Block,
    OneRepMax,
    ScheduledSession,
    SessionStatus,
)
from programs.schedule.services import assignment_create
from programs.seasons.model import (
    CatalogueExercise,
    PlannedExercise,
    PlannedSession,
    PlannedWeek,
    SeasonPlan,
    SeasonRequest,
)
from programs.units import local_today

# A block holds at most 52 weeks (Week.number); a longer season gets one block per 52.
BLOCK_WEEKS = 52
EVERY_DAY = tuple(range(1, 8))
CENT = Decimal("0.01")


def published_catalogue() -> tuple[CatalogueExercise, ...]:
    """The library's published exercises as the planner reads them, in one query. An easier
    variant that is not published is left out, as the planner may not prescribe it."""
    rows = Exercise.objects.published().values_list(
        "slug",
        "name",
        "load_class",
        "pattern",
        "foot_contacts_per_rep",
        "easier__slug",
        "easier__status",
    )
    return tuple(
        CatalogueExercise(
            slug=slug,
            name=name,
            load_class=load_class,
            pattern=pattern,
            foot_contacts_per_rep=contacts,
            easier=easier if easier_status == Status.PUBLISHED else None,
        )
        for slug, name, load_class, pattern, contacts, easier, easier_status in rows.order_by(
            "slug"
        )
    )


def season_request_for(
    *,
    athlete: AthleteProfile,
    start: datetime.date,
    end: datetime.date | None = None,
    sessions_per_week: int = 2,
    weekdays: Sequence[int] = (),
    replace_future: bool = False,
    catalogue: tuple[CatalogueExercise, ...] | None = None,
) -> SeasonRequest:
    """The request to plan ``athlete``'s season from ``start`` (to ``end``, default the last
    A race), ``sessions_per_week`` in the building phases, on the preferred ``weekdays``
    (0 = Monday). Every existing session is kept, unless ``replace_future``: then the
    planned ones from the athlete's today on with nothing logged may be replaced (the
    others are passed as done, which is what the planner keeps). ``catalogue`` saves the
    library's query when planning many athletes.

    Call ``request.errors()`` before planning: it says what is missing (an end date when
    there is no A race) by field."""
    today = local_today(athlete.user)
    plan = load_plans([athlete], since=min(start, today))[athlete.pk]
    existing = plan.sessions
    if replace_future:
        replaceable = {
            str(pk)
            for pk in ScheduledSession.objects.for_athlete(athlete)
            .editable_on(today)
            .values_list("pk", flat=True)
        }
        existing = tuple(
            s if s.done or s.id in replaceable else dataclasses.replace(s, done=True)
            for s in existing
        )
    maxes = OneRepMax.objects.filter(athlete=athlete).values_list("exercise__slug", "kg")
    return SeasonRequest(
        start=start,
        end=end,
        runs=plan.runs,
        catalogue=published_catalogue() if catalogue is None else catalogue,
        sessions_per_week=sessions_per_week,
        weekdays=tuple(weekdays),
        existing=existing,
        replace_existing=replace_future,
        thresholds=plan.thresholds,
        one_rep_maxes={slug: float(kg) for slug, kg in maxes},
        distance_unit=plan.distance_unit,
    )


# Applying


def _number(value: float | None) -> float | int | None:
    """A load as the block file writes it: at most two decimals."""
    if value is None:
        return None
    exact = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP).normalize()
    return int(exact) if exact == exact.to_integral_value() else float(exact)


def _prescription(exercise: PlannedExercise) -> dict[str, Any]:
    return {
        "exercise": exercise.slug,
        "sets": exercise.sets,
        "reps_min": exercise.reps_min,
        "reps_max": exercise.reps_max if exercise.reps_min is not None else None,
        "duration_s": exercise.duration_s,
        "per_side": exercise.per_side,
        "load_type": exercise.load_type,
        "load_value": _number(exercise.load_value),
    }


def _session(session: PlannedSession) -> dict[str, Any]:
    data: dict[str, Any] = {
        "day": session.date.isoweekday(),
        "title": session.name[:100],
        "prescriptions": [_prescription(e) for e in session.exercises],
    }
    if session.start_time is not None:
        data["time"] = f"{session.start_time:%H:%M}"
    return data


def _block_data(weeks: Sequence[PlannedWeek], plan: SeasonPlan, name: str) -> dict[str, Any]:
    """The block in the block file's shape (docs/block-format.md), so it is checked as an
    imported file is: week n is the plan's n-th week; a week's notes say what the planner
    could not avoid in it."""
    notes = defaultdict(list)
    for exception in plan.exceptions:
        notes[exception.week].append(exception.message)
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": name,
        "goal": f"Season from {plan.start:%d %b %Y} to {plan.end:%d %b %Y}",
        "notes": "Planned by the season planner around the athlete's runs and races.",
        "weeks": [
            {
                "number": number,
                "phase": week.phase,
                "notes": "\n".join(notes[week.start]),
                "sessions": [_session(s) for s in week.sessions],
            }
            for number, week in enumerate(weeks, start=1)
        ],
    }


def _parts(weeks: Sequence[PlannedWeek]) -> list[Sequence[PlannedWeek]]:
    """The weeks in runs of at most BLOCK_WEEKS, leaving out a run without a session."""
    parts = [weeks[i : i + BLOCK_WEEKS] for i in range(0, len(weeks), BLOCK_WEEKS)]
    return [part for part in parts if any(w.sessions for w in part)]


def _block(
    weeks: Sequence[PlannedWeek], plan: SeasonPlan, *, athlete: AthleteProfile, coach: User,
    part: int, parts: int,
) -> Block:  # fmt: skip
    who = athlete.user.name or athlete.user.email
    name = f"{who}: season {weeks[0].start:%d %b %Y}"
    if parts > 1:
        name += f" (part {part} of {parts})"
    data = _block_data(weeks, plan, name)
    clean, errors, exercises = validate_block(data, user=coach)
    if errors:
        raise ValidationError([f"{e.path}: {e.message}" for e in errors], code="invalid_plan")
    block = block_write(
        data=clean, exercises=exercises, owner=coach, name=block_free_name(coach, name)
    )
    return Block.objects.with_structure().get(pk=block.pk)


def _in_plan(athlete: AthleteProfile, plan: SeasonPlan):
    """The athlete's sessions in the plan's dates that the planner saw (skipped ones aside,
    as ``load_plans`` leaves them out)."""
    return (
        ScheduledSession.objects.for_athlete(athlete)
        .between(plan.start, plan.end)
        .exclude(status=SessionStatus.SKIPPED)
    )


def _replace(plan: SeasonPlan, athlete: AthleteProfile, today: datetime.date) -> int:
    """Delete the sessions the plan replaces, after checking the calendar is still the one
    the plan was made on: every session in its dates is one it kept or replaced, and every
    one it replaces is still planned, from today on, with nothing logged."""
    known = {*plan.kept, *plan.replaced}
    current = {str(pk) for pk in _in_plan(athlete, plan).values_list("pk", flat=True)}
    replaced = {int(i) for i in plan.replaced if i in current}
    editable = set(
        _in_plan(athlete, plan)
        .editable_on(today)
        .filter(pk__in=replaced)
        .values_list("pk", flat=True)
    )
    if current - known or replaced - editable:
        raise ValidationError(
            "The athlete's strength sessions changed since this season was planned: plan it again.",
            code="stale_plan",
        )
    ScheduledSession.objects.filter(pk__in=editable).delete()
    return len(editable)


def _check_dates(assignments: Iterable[Assignment], plan: SeasonPlan) -> None:
    """Every planned session landed on its date, at its time, once."""
    landed = sorted(
        ScheduledSession.objects.filter(assignment__in=list(assignments)).values_list(
            "date", "start_time", "title"
        ),
        key=lambda row: (row[0], row[2]),
    )
    wanted = sorted(((s.date, s.start_time, s.name[:100]) for s in plan.sessions),
                    key=lambda row: (row[0], row[2]))  # fmt: skip
    if landed != wanted:
        raise ValidationError(
            "The season's sessions did not land on their planned dates.", code="dates_moved"
        )


@transaction.atomic
def season_apply(*, plan: SeasonPlan, athlete: AthleteProfile, coach: User) -> list[Assignment]:
    """Make ``plan`` ``athlete``'s: ordinary blocks of ``coach``'s and their assignments,
    every session on its planned date and time, the sessions the plan replaces deleted;
    all of it or nothing. Raises ValidationError when ``coach`` does not coach the
    athlete, the plan starts before the athlete's today, or the athlete's sessions changed
    since the plan was made."""
    if not AthleteProfile.objects.coached_by(coach).filter(pk=athlete.pk).exists():
        raise ValidationError("You don't coach this athlete.", code="not_coached")
    # Applies to one athlete take turns: each checks the calendar it replaces, then writes.
    list(AthleteProfile.objects.select_for_update().filter(pk=athlete.pk))
    today = local_today(athlete.user)
    if plan.start < today:
        raise ValidationError(
            "This season starts before today: plan it again from today.", code="in_the_past"
        )
    days = [s.date for s in plan.sessions]
    if len(set(days)) != len(days):
        raise ValidationError("Two planned sessions share a day.", code="same_day")
    removed = _replace(plan, athlete, today)
    parts = _parts(plan.weeks)
    assignments = []
    for number, weeks in enumerate(parts, start=1):
        block = _block(weeks, plan, athlete=athlete, coach=coach, part=number, parts=len(parts))
        assignments += assignment_create(
            block=block,
            athletes=[athlete],
            start=weeks[0].start,
            weekdays=EVERY_DAY,
            assigned_by=coach,
        )
    _check_dates(assignments, plan)
    if removed and not assignments:
        conflicts_sync(athletes=[athlete])
    return assignments


# Re-planning: what applying would change


@dataclass(frozen=True)
class CurrentSession:
    """One of the athlete's sessions as it is now."""

    id: int
    date: datetime.date
    start_time: datetime.time | None
    title: str


@dataclass(frozen=True)
class Moved:
    before: CurrentSession
    after: PlannedSession


@dataclass(frozen=True)
class SeasonDiff:
    """What applying a plan changes in the athlete's future, unlogged sessions in the plan's
    dates. A session the plan replaces and one it plans with the same name in the same
    week are the same session: ``moved`` when its day or time changes, ``unchanged`` when
    not (its exercises may still differ). ``kept`` are the sessions the plan keeps."""

    added: tuple[PlannedSession, ...]
    removed: tuple[CurrentSession, ...]
    moved: tuple[Moved, ...]
    unchanged: tuple[Moved, ...]
    kept: tuple[CurrentSession, ...]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.moved)

    def to_json(self) -> dict[str, list[dict[str, object]]]:
        def current(s: CurrentSession) -> dict[str, object]:
            time = None if s.start_time is None else f"{s.start_time:%H:%M}"
            return {"id": s.id, "date": s.date.isoformat(), "time": time, "name": s.title}

        def planned(s: PlannedSession) -> dict[str, object]:
            data = s.to_json()
            return {k: data[k] for k in ("date", "time", "name")}

        return {
            "added": [planned(s) for s in self.added],
            "removed": [current(s) for s in self.removed],
            "moved": [{"from": current(m.before), "to": planned(m.after)} for m in self.moved],
            "unchanged": [current(m.before) for m in self.unchanged],
            "kept": [current(s) for s in self.kept],
        }


def season_diff(*, athlete: AthleteProfile, plan: SeasonPlan) -> SeasonDiff:
    """The sessions applying ``plan`` would add, remove and move, against ``athlete``'s
    current future unlogged sessions in the plan's dates, for the coach to see first."""
    today = local_today(athlete.user)
    rows = (
        _in_plan(athlete, plan)
        .editable_on(today)
        .order_by("date", "start_time", "pk")
        .values_list("pk", "date", "start_time", "title")
    )
    current = [
        CurrentSession(pk, date, time, title or "Strength") for pk, date, time, title in rows
    ]
    replaced = set(plan.replaced)
    going = [s for s in current if str(s.id) in replaced]
    by_key: dict[tuple[datetime.date, str], list[PlannedSession]] = defaultdict(list)
    for session in plan.sessions:
        by_key[monday(session.date), session.name].append(session)
    removed, moved, unchanged, matched = [], [], [], set()
    for session in going:
        candidates = by_key.get((monday(session.date), session.title))
        if not candidates:
            removed.append(session)
            continue
        after = min(candidates, key=lambda p: abs((p.date - session.date).days))
        candidates.remove(after)
        matched.add(after.id)
        same = (after.date, after.start_time) == (session.date, session.start_time)
        (unchanged if same else moved).append(Moved(session, after))
    return SeasonDiff(
        added=tuple(s for s in plan.sessions if s.id not in matched),
        removed=tuple(removed),
        moved=tuple(moved),
        unchanged=tuple(unchanged),
        kept=tuple(s for s in current if str(s.id) not in replaced),
    )
