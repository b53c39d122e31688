"""Write workflows of blocks: create, copy, progress, and the builder's edits.

Keyword-only, atomic, raising ``ValidationError`` with a stable code.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from library.models import Exercise, LoadClass
from programs import progression
from programs.blockdata import (
    block_to_dict,
    block_write,
    prescription_from_dict,
    prescription_to_dict,
)
from programs.models import (
    MAX_PRESCRIPTIONS_PER_SESSION,
    MAX_SESSIONS_PER_WEEK,
    Block,
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
def block_create(
    *, owner, name: str, weeks: int, phase: str = Phase.FOUNDATION, goal: str = ""
) -> Block:
    if not 1 <= weeks <= 52:
        raise ValidationError("A block has 1 to 52 weeks.", code="weeks_out_of_range")
    block = Block(owner=owner, name=name.strip(), goal=goal.strip())
    block.full_clean()
    block.save()
    Week.objects.bulk_create(
        Week(block=block, number=number, phase=phase) for number in range(1, weeks + 1)
    )
    return block


def _structured(block: Block) -> Block:
    if "weeks" in getattr(block, "_prefetched_objects_cache", {}):
        return block
    return Block.objects.with_structure().get(pk=block.pk)


def block_free_name(owner, name: str) -> str:
    """``name``, or the first of "name (2)", "name (3)"... the owner does not use (any
    case), cut to fit the column."""
    limit = Block._meta.get_field("name").max_length
    name = name.strip()[:limit]
    taken = {n.lower() for n in Block.objects.filter(owner=owner).values_list("name", flat=True)}
    candidate, number = name, 1
    while candidate.lower() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = f"{name[: limit - len(suffix)].rstrip()}{suffix}"
    return candidate


@transaction.atomic
def block_copy(
    *,
    block: Block,
    owner,
    name: str | None = None,
    as_template: bool = False,
) -> Block:
    """A new block of ``owner``'s with the same weeks, sessions and prescriptions.

    Used to start from a template, to copy a block and to save one as a template. It reads
    the block in five queries and writes it in four, whatever its size.
    """
    source = _structured(block)
    data = block_to_dict(source)
    exercises = {
        p.exercise.slug: p.exercise_id
        for week in source.weeks.all()
        for session in week.sessions.all()
        for p in session.prescriptions.all()
    }
    return block_write(
        data=data,
        exercises=exercises,
        owner=owner,
        name=block_free_name(owner, name or source.name),
        is_template=as_template,
        created_from=source,
    )


@transaction.atomic
def block_update(*, block: Block, fields: dict[str, Any]) -> Block:
    for name, value in fields.items():
        setattr(block, name, value)
    block.full_clean()
    block.save()
    return block


@transaction.atomic
def week_update(*, week: Week, phase: str, notes: str | None = None) -> Week:
    week.phase = phase
    if notes is not None:
        week.notes = notes
    week.full_clean()
    week.save(update_fields=["phase", "notes"])
    return week


@transaction.atomic
def session_add(*, week: Week, day: int | None = None, title: str = "") -> Session:
    order = (week.sessions.aggregate(last=Max("order"))["last"] or 0) + 1
    if order > MAX_SESSIONS_PER_WEEK:
        raise ValidationError(
            "A week holds at most %(max)s sessions.",
            code="too_many_sessions",
            params={"max": MAX_SESSIONS_PER_WEEK},
        )
    session = Session(week=week, order=order, day=day, title=title.strip())
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_update(*, session: Session, day: int | None, title: str) -> Session:
    session.day, session.title = day, title.strip()
    session.full_clean()
    session.save(update_fields=["day", "title"])
    return session


@transaction.atomic
def session_delete(*, session: Session) -> None:
    week = session.week
    session.delete()
    _renumber(list(week.sessions.order_by("order")))


def _copy_sessions(sessions: list[Session], week: Week, *, start: int) -> None:
    new = Session.objects.bulk_create(
        Session(week=week, order=start + i, day=s.day, label=s.label, title=s.title)
        for i, s in enumerate(sessions)
    )
    Prescription.objects.bulk_create(
        _clone(p, session=copy)
        for source, copy in zip(sessions, new, strict=True)
        for p in source.prescriptions.all()
    )


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
    if order > MAX_PRESCRIPTIONS_PER_SESSION:
        raise ValidationError(
            "A session holds at most %(max)s exercises.",
            code="too_many_exercises",
            params={"max": MAX_PRESCRIPTIONS_PER_SESSION},
        )
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
    return undo


@transaction.atomic
def prescription_restore(*, session: Session, order: int, data: dict[str, Any]) -> Prescription:
    """Put a deleted prescription back where it was (or last if the session changed)."""
    exercise = Exercise.objects.filter(slug=data["exercise"]).first()
    if exercise is None:
        raise ValidationError("That exercise is no longer in the library.", code="gone")
    rows = list(session.prescriptions.order_by("order"))
    position = max(1, min(order, len(rows) + 1))
    restored = prescription_from_dict(
        data, session=session, order=_ORDER_OFFSET * 3, exercises={exercise.slug: exercise.pk}
    )
    restored.full_clean(exclude=["order"])
    restored.save()
    rows.insert(position - 1, restored)
    _renumber(rows)
    return restored


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
        prescription.order = _ORDER_OFFSET * 3
        prescription.session = session
        prescription.save(update_fields=["order", "session"])
        _renumber(list(source.prescriptions.order_by("order")))
        _renumber(list(session.prescriptions.order_by("order")))
        return prescription
    rows = list(source.prescriptions.order_by("order"))
    index = next(i for i, row in enumerate(rows) if row.pk == prescription.pk)
    target = max(0, min(len(rows) - 1, index + offset))
    rows.insert(target, rows.pop(index))
    _renumber(rows)
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


def _dose(p: Prescription) -> progression.Dose:
    return progression.Dose(p.sets, p.reps_min, p.reps_max, p.load_type, p.load_value)


def _rule(p: Prescription) -> progression.Rule:
    return progression.Rule(p.progression, p.load_step, p.reps_cap)


@transaction.atomic
def block_apply_progression(
    *,
    block: Block,
    from_week: int,
    deload_every: int | None,
    deload_fraction: Decimal = Decimal("0.5"),
) -> int:
    """Rebuild weeks ``from_week``..end from the week before it, by each prescription's
    rule, with a deload every ``deload_every`` weeks. Weeks before ``from_week`` (and any
    hand edits in them) stay as they are. Returns the number of weeks rebuilt."""
    block = _structured(block)
    weeks = list(block.weeks.all())
    if not 2 <= from_week <= len(weeks):
        raise ValidationError(
            "Choose a week between 2 and %(last)s.", code="bad_week", params={"last": len(weeks)}
        )
    block.deload_every, block.deload_fraction = deload_every, deload_fraction
    block.full_clean()
    block.save(update_fields=["deload_every", "deload_fraction", "updated_at"])

    source = weeks[from_week - 2]
    trained_week = next(
        (w for w in reversed(weeks[: from_week - 1]) if w.phase != Phase.DELOAD), source
    )
    trained = {
        (s.order, p.order): _dose(p)
        for s in trained_week.sessions.all()
        for p in s.prescriptions.all()
    }
    targets = weeks[from_week - 1 :]
    numbers = [w.number for w in targets]
    Session.objects.filter(week__in=targets).delete()
    sessions, prescriptions = [], []
    for s in source.sessions.all():
        copies = [
            Session(week=w, order=s.order, day=s.day, label=s.label, title=s.title) for w in targets
        ]
        sessions.extend(copies)
        for p in s.prescriptions.all():
            doses = progression.doses_after(
                _dose(p),
                _rule(p),
                week_numbers=numbers,
                deload_every=deload_every,
                fraction=deload_fraction,
                trained=trained.get((s.order, p.order)),
            )
            for copy, dose in zip(copies, doses, strict=True):
                clone = _clone(p, session=copy)
                clone.sets, clone.reps_min, clone.reps_max = dose.sets, dose.reps_min, dose.reps_max
                clone.load_value = dose.load_value
                prescriptions.append(clone)
    Session.objects.bulk_create(sessions)
    Prescription.objects.bulk_create(prescriptions)
    for week in targets:
        deload = progression.is_deload_week(week.number, deload_every)
        if deload:
            week.phase = Phase.DELOAD
        elif week.phase == Phase.DELOAD:
            week.phase = source.phase if source.phase != Phase.DELOAD else trained_week.phase
    Week.objects.bulk_update(targets, ["phase"])
    return len(targets)
