"""Write workflows of the exercise library."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from library.models import (
    Equipment,
    Exercise,
    ExerciseMuscle,
    Muscle,
    Source,
    Status,
    clean_aliases,
)


class MergeError(StrEnum):
    """Stable codes of the ValidationError that ``exercise_merge`` raises."""

    SAME_EXERCISE = "merge_same_exercise"
    KEEP_MERGED = "merge_keep_merged"
    KEEP_RETIRED = "merge_keep_retired"
    KEEP_NOT_PUBLISHED = "merge_keep_not_published"
    ALREADY_MERGED = "merge_already_merged"
    REFERENCE_CONFLICT = "merge_reference_conflict"


@transaction.atomic
def exercise_propose(
    *,
    coach: AbstractBaseUser,
    fields: dict[str, Any],
    aliases: list[str],
    primary_muscles: list[Muscle],
    secondary_muscles: list[Muscle],
    equipment: list[Equipment],
) -> Exercise:
    """A coach adds an exercise the library lacks: a draft they may use at once, in the
    curators' approval queue (draft with ``proposed_by``) for everyone else."""
    if not coach.is_coach:
        raise ValidationError(_("Only coaches can propose exercises."), code="not_a_coach")
    exercise = Exercise(
        **fields,
        status=Status.DRAFT,
        source=Source.COACH,
        proposed_by=coach,
    )
    exercise.aliases = clean_aliases(aliases, name=exercise.name)
    exercise.slug = _free_slug(exercise.name)
    exercise.full_clean()
    exercise.save()
    primary = {muscle.pk for muscle in primary_muscles}
    ExerciseMuscle.objects.bulk_create(
        [
            ExerciseMuscle(exercise=exercise, muscle=muscle, primary=True)
            for muscle in primary_muscles
        ]
        + [
            ExerciseMuscle(exercise=exercise, muscle=muscle, primary=False)
            for muscle in secondary_muscles
            if muscle.pk not in primary
        ]
    )
    exercise.equipment.set(equipment)
    return exercise


def _free_slug(name: str) -> str:
    """A slug no exercise has used, retired ones included: "rdl", then "rdl-2"..."""
    max_length = Exercise._meta.get_field("slug").max_length
    base = slugify(name)[: max_length - 6].strip("-") or "exercise"
    taken = set(Exercise._base_manager.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def demo_file_discard(*, name: str) -> None:
    """Delete a demonstration file that a row no longer points at, once the write that let
    go of it has committed (a rolled-back edit keeps its file)."""
    storage = Exercise._meta.get_field("demo_file").storage
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def exercise_merge(*, keep: Exercise, merge: Exercise) -> Exercise:
    """Fold the duplicate ``merge`` into ``keep``.

    Every row of any app that points at ``merge`` through a foreign key, a one-to-one or
    a many-to-many is moved onto ``keep``; relations are found through ``_meta``, so apps
    added later need no change here. ``merge``'s muscles and equipment are added to
    ``keep``'s, its name and aliases become aliases of ``keep``, and it is retired with
    ``merged_into=keep``. Nothing is deleted.
    """
    if keep.pk == merge.pk:
        raise ValidationError(
            _("An exercise cannot be merged into itself."), code=MergeError.SAME_EXERCISE
        )
    locked = Exercise.objects.select_for_update().in_bulk([keep.pk, merge.pk])
    keep, merge = locked[keep.pk], locked[merge.pk]
    _check_mergeable(keep=keep, merge=merge)

    keep.easier_id = _easier_after_merge(keep=keep, merge=merge)
    for relation in exercise_references():
        _move_references(relation, keep=keep, merge=merge)
    _union_muscles(keep=keep, merge=merge)
    keep.equipment.add(*merge.equipment.all())

    keep.aliases = clean_aliases([*keep.aliases, merge.name, *merge.aliases], name=keep.name)
    keep.full_clean()
    keep.save()
    merge.status = Status.RETIRED
    merge.merged_into = keep
    merge.save(update_fields=["status", "merged_into", "updated_at"])
    return keep


def exercise_references() -> list:
    """Every relation from any installed model to Exercise: ``_meta.related_objects``
    plus the hidden ones (``related_name="+"``), but not the rows of the automatic
    many-to-many tables, which their many-to-many relation stands for."""
    return [
        relation
        for relation in Exercise._meta.get_fields(include_hidden=True)
        if relation.auto_created
        and not relation.concrete
        and (relation.many_to_many or not relation.related_model._meta.auto_created)
    ]


def _check_mergeable(*, keep: Exercise, merge: Exercise) -> None:
    if keep.merged_into_id is not None:
        raise ValidationError(
            _("“%(keep)s” was itself merged into another exercise; merge into that one."),
            code=MergeError.KEEP_MERGED,
            params={"keep": keep},
        )
    if keep.status == Status.RETIRED:
        raise ValidationError(
            _("“%(keep)s” is retired: publish it first, or keep the other exercise."),
            code=MergeError.KEEP_RETIRED,
            params={"keep": keep},
        )
    if merge.merged_into_id is not None:
        raise ValidationError(
            _("“%(merge)s” has already been merged."),
            code=MergeError.ALREADY_MERGED,
            params={"merge": merge},
        )
    if merge.status == Status.PUBLISHED and keep.status != Status.PUBLISHED:
        # Programs that could pick the published exercise would point at a draft.
        raise ValidationError(
            _("“%(merge)s” is published but “%(keep)s” is not: publish it first."),
            code=MergeError.KEEP_NOT_PUBLISHED,
            params={"keep": keep, "merge": merge},
        )


def _easier_chain(start_id: int | None, *, merge: Exercise, keep: Exercise) -> list[int]:
    """The ids down an easier-variant chain, reading ``merge`` as ``keep`` (as it will be
    once merged). Stops at a repeat, so a cycle already in the data cannot hang us."""
    chain: list[int] = []
    current = start_id
    while current is not None and current not in chain:
        if current == merge.pk:
            current = keep.pk
            if current in chain:
                break
        chain.append(current)
        current = Exercise.objects.filter(pk=current).values_list("easier_id", flat=True).first()
    return chain


def _easier_after_merge(*, keep: Exercise, merge: Exercise) -> int | None:
    """``keep`` keeps its own easier variant; else it takes ``merge``'s. Either way the
    link is dropped if it would make ``keep`` easier than itself, directly or round a loop
    (once ``merge``'s harder variants point at ``keep``)."""
    if keep.easier_id is not None and keep.easier_id != merge.pk:
        candidate = keep.easier_id
    else:
        candidate = merge.easier_id
    if candidate is None or keep.pk in _easier_chain(candidate, merge=merge, keep=keep):
        return None
    return candidate


def _move_references(relation, *, keep: Exercise, merge: Exercise) -> None:
    field = relation.field
    model = relation.related_model
    if model is ExerciseMuscle:
        return  # Unioned by _union_muscles: the (exercise, muscle) pair is unique.
    if relation.many_to_many:
        through = relation.through
        if through._meta.auto_created:
            _move_m2m_links(through, field, keep=keep, merge=merge)
        return  # An explicit through model has its own foreign key in this list.
    rows = model._base_manager.filter(**{field.name: merge})
    if field is Exercise._meta.get_field("easier"):
        rows = rows.exclude(pk=keep.pk)  # Settled by _easier_after_merge.
    try:
        with transaction.atomic():
            rows.update(**{field.name: keep})
    except IntegrityError as error:
        raise ValidationError(
            _("Both exercises are used by the same %(model)s, which allows only one: %(error)s"),
            code=MergeError.REFERENCE_CONFLICT,
            params={"model": model._meta.verbose_name, "error": error},
        ) from error


def _move_m2m_links(through: type[models.Model], field, *, keep: Exercise, merge: Exercise):
    """A plain many-to-many link carries no data: where the other side already links
    ``keep``, ``merge``'s link is redundant and goes; the others move."""
    ours = field.m2m_reverse_field_name()
    theirs = field.m2m_field_name()
    links = through._base_manager.filter(**{ours: merge})
    already = through._base_manager.filter(**{ours: keep}).values(theirs)
    links.filter(**{f"{theirs}__in": already}).delete()
    links.update(**{ours: keep})


def _union_muscles(*, keep: Exercise, merge: Exercise) -> None:
    """``keep`` gains ``merge``'s muscles; a muscle primary in either stays primary."""
    kept = {role.muscle_id: role for role in keep.muscle_roles.all()}
    for role in merge.muscle_roles.all():
        existing = kept.get(role.muscle_id)
        if existing is None:
            ExerciseMuscle.objects.create(
                exercise=keep, muscle_id=role.muscle_id, primary=role.primary
            )
        elif role.primary and not existing.primary:
            existing.primary = True
            existing.save(update_fields=["primary"])
