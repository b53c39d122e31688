"""Blocks as a whole: create, copy (templates included), rename, rebuild by progression."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from programs.blocks import progression
from programs.blocks.data import block_to_dict, block_write
from programs.blocks.editing import _clone
from programs.models import Block, Phase, Prescription, Session, Week


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
            Session(
                week=w,
                order=s.order,
                day=s.day,
                label=s.label,
                title=s.title,
                start_time=s.start_time,
            )
            for w in targets
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
