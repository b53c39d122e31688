"""The builder's edits inside a block: weeks, sessions and prescriptions."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from library.models import Exercise, LoadClass
from programs import caching
from programs.blocks.data import prescription_from_dict, prescription_to_dict
from programs.models import (
    MAX_PRESCRIPTIONS_PER_SESSION,
    MAX_SESSIONS_PER_WEEK,
    LoadType,
    Phase,
    Prescription,
    Session,
    Week,
)

# Orders are moved out of the way first when a session is renumbered, so the unique
# (session, order) constraint holds at every statement on every database.
_ORDER_OFFSET = 1000


@transaction.atomic
def week_update(*, week: Week, phase: str, notes: str | None = None) -> Week:
    week.phase = phase
    if notes is not None:
        week.notes = notes
    week.full_clean()
    week.save(update_fields=["phase", "notes"])
    return week


@transaction.atomic
def session_add(
    *, week: Week, day: int | None = None, title: str = "", start_time: datetime.time | None = None
) -> Session:
    order = (week.sessions.aggregate(last=Max("order"))["last"] or 0) + 1
    if order > MAX_SESSIONS_PER_WEEK:
        raise ValidationError(
            "A week holds at most %(max)s sessions.",
            code="too_many_sessions",
            params={"max": MAX_SESSIONS_PER_WEEK},
        )
    session = Session(week=week, order=order, day=day, title=title.strip(), start_time=start_time)
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_update(
    *, session: Session, day: int | None, title: str, start_time: datetime.time | None
) -> Session:
    session.day, session.title, session.start_time = day, title.strip(), start_time
    session.full_clean()
    session.save(update_fields=["day", "title", "start_time"])
    return session


@transaction.atomic
def session_delete(*, session: Session) -> None:
    week = session.week
    session.delete()
    caching.block_changed(week.block_id, weeks=[week.pk])
    _renumber(list(week.sessions.order_by("order")))


def _copy_sessions(sessions: list[Session], week: Week, *, start: int) -> None:
    new = Session.objects.bulk_create(
        Session(
            week=week,
            order=start + i,
            day=s.day,
            label=s.label,
            title=s.title,
            start_time=s.start_time,
        )
        for i, s in enumerate(sessions)
    )
    Prescription.objects.bulk_create(
        _clone(p, session=copy)
        for source, copy in zip(sessions, new, strict=True)
        for p in source.prescriptions.all()
    )
    caching.block_changed(week.block_id, weeks=[week.pk])  # bulk_create sends no signal


def _clone(p: Prescription, *, session: Session, order: int | None = None) -> Prescription:
    return Prescription(
        session=session,
        order=p.order if order is None else order,
        exercise_id=p.exercise_id,
        superset=p.superset,
        sets=p.sets,
        reps_min=p.reps_min,
        reps_max=p.reps_max,
        duration_s=p.duration_s,
        distance_m=p.distance_m,
        per_side=p.per_side,
        load_type=p.load_type,
        load_value=p.load_value,
        tempo=p.tempo,
        rest_s=p.rest_s,
        notes=p.notes,
        progression=p.progression,
        load_step=p.load_step,
        reps_cap=p.reps_cap,
    )


@transaction.atomic
def session_copy(*, session: Session, weeks: list[Week]) -> int:
    """Append a copy of ``session`` to each of ``weeks`` (same block). Returns how many."""
    source = Session.objects.prefetch_related("prescriptions").get(pk=session.pk)
    last = {
        row["week"]: row["last"]
        for row in Session.objects.filter(week__in=weeks).values("week").annotate(last=Max("order"))
    }
    full = [w.number for w in weeks if (last.get(w.pk) or 0) >= MAX_SESSIONS_PER_WEEK]
    if full:
        raise ValidationError(
            "Week(s) %(weeks)s already hold %(max)s sessions.",
            code="too_many_sessions",
            params={"weeks": ", ".join(map(str, full)), "max": MAX_SESSIONS_PER_WEEK},
        )
    for week in weeks:
        _copy_sessions([source], week, start=(last.get(week.pk) or 0) + 1)
    return len(weeks)


@transaction.atomic
def week_copy(*, source: Week, targets: list[Week]) -> int:
    """Replace the sessions of each target week by copies of ``source``'s."""
    targets = [t for t in targets if t.pk != source.pk]
    sessions = list(source.sessions.prefetch_related("prescriptions").order_by("order"))
    Session.objects.filter(week__in=targets).delete()
    for week in targets:
        _copy_sessions(sessions, week, start=1)
    return len(targets)


def _default_dose(exercise: Exercise, phase: str) -> dict[str, Any]:
    """A sensible first dose, which the coach then edits."""
    if exercise.load_class == LoadClass.PLYOMETRIC:
        return {"sets": 3, "reps_min": 5, "load_type": LoadType.BODYWEIGHT}
    if exercise.load_class == LoadClass.HEAVY_LOWER:
        reps = {Phase.STRENGTH: 8, Phase.POWER: 5}.get(phase, 10)
        return {"sets": 3, "reps_min": reps, "load_type": LoadType.RPE, "load_value": Decimal(7)}
    if exercise.load_class == LoadClass.CORE and exercise.pattern == "core":
        return {"sets": 3, "reps_min": 10, "load_type": LoadType.BODYWEIGHT}
    return {"sets": 2, "reps_min": 12, "load_type": LoadType.BODYWEIGHT}


@transaction.atomic
def prescription_add(*, session: Session, exercise: Exercise, user) -> Prescription:
    if not Exercise.objects.pickable_by(user).filter(pk=exercise.pk).exists():
        raise ValidationError(
            "%(name)s can't be added: it is retired or not yours to use.",
            code="exercise_not_pickable",
            params={"name": exercise.name},
        )
    order = (session.prescriptions.aggregate(last=Max("order"))["last"] or 0) + 1
    _room_for_one(session, current=order - 1)
    prescription = Prescription(
        session=session,
        exercise=exercise,
        order=order,
        per_side=exercise.unilateral,
        **_default_dose(exercise, session.week.phase),
    )
    prescription.full_clean()
    prescription.save()
    return prescription


@transaction.atomic
def prescription_delete(*, prescription: Prescription) -> dict[str, Any]:
    """Delete it and return what ``prescription_restore`` needs to undo the deletion."""
    undo = {
        "session": prescription.session_id,
        "order": prescription.order,
        "data": prescription_to_dict(prescription),
    }
    session = prescription.session
    prescription.delete()
    _renumber(list(session.prescriptions.order_by("order")))
    caching.block_changed(session.week.block_id, weeks=[session.week_id])
    return undo


@transaction.atomic
def prescription_restore(*, session: Session, order: int, data: dict[str, Any]) -> Prescription:
    """Put a deleted prescription back where it was (or last if the session changed)."""
    exercise = Exercise.objects.filter(slug=data["exercise"]).first()
    if exercise is None:
        raise ValidationError("That exercise is no longer in the library.", code="gone")
    rows = list(session.prescriptions.order_by("order"))
    _room_for_one(session, current=len(rows))
    position = max(1, min(order, len(rows) + 1))
    restored = prescription_from_dict(
        data, session=session, order=_ORDER_OFFSET * 3, exercises={exercise.slug: exercise.pk}
    )
    restored.full_clean(exclude=["order"])
    restored.save()
    rows.insert(position - 1, restored)
    _renumber(rows)
    return restored


def _room_for_one(session: Session, *, current: int) -> None:
    """Every way into a session (add, move, undo) keeps to the limit the file format
    holds, so a block always exports and imports back."""
    if current >= MAX_PRESCRIPTIONS_PER_SESSION:
        raise ValidationError(
            "A session holds at most %(max)s exercises.",
            code="too_many_exercises",
            params={"max": MAX_PRESCRIPTIONS_PER_SESSION},
        )


def _renumber(rows: list) -> None:
    """Give ``rows`` (prescriptions or sessions) orders 1..n in list order."""
    if not rows:
        return
    model = type(rows[0])
    for index, row in enumerate(rows, start=1):
        row.order = _ORDER_OFFSET + index
    model.objects.bulk_update(rows, ["order"])
    for row in rows:
        row.order -= _ORDER_OFFSET
    model.objects.bulk_update(rows, ["order"])


@transaction.atomic
def prescription_move(
    *, prescription: Prescription, session: Session | None = None, offset: int = 0
) -> Prescription:
    """Move up (offset -1) or down (+1) within its session, or to the end of ``session``
    (another session of the same block)."""
    source = prescription.session
    if session is not None and session.pk != source.pk:
        if session.week.block_id != source.week.block_id:
            raise ValidationError("Move within the same block.", code="other_block")
        _room_for_one(session, current=session.prescriptions.count())
        prescription.order = _ORDER_OFFSET * 3
        prescription.session = session
        prescription.save(update_fields=["order", "session"])
        _renumber(list(source.prescriptions.order_by("order")))
        _renumber(list(session.prescriptions.order_by("order")))
        # The save's signal names the week it went to; the one it left changed too.
        caching.block_changed(source.week.block_id, weeks=[source.week_id, session.week_id])
        return prescription
    rows = list(source.prescriptions.order_by("order"))
    index = next(i for i, row in enumerate(rows) if row.pk == prescription.pk)
    target = max(0, min(len(rows) - 1, index + offset))
    rows.insert(target, rows.pop(index))
    _renumber(rows)
    caching.block_changed(source.week.block_id, weeks=[source.week_id])  # bulk_update: no signal
    return prescription


@transaction.atomic
def prescription_update(*, prescription: Prescription) -> Prescription:
    """Save an edited prescription. Its fields are validated here; the dose rules are the
    database's constraints, checked as it saves rather than by a query each beforehand
    (PrescriptionForm reports the same rules on their fields first)."""
    prescription.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            prescription.save()
    except IntegrityError as error:
        raise ValidationError(
            "That dose breaks a rule of the block (sets 1–20, reps, load range).",
            code="dose_rule",
        ) from error
    return prescription
