"""Writes of the coaching screens: a runner who coaches themselves starts a template."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from athletes.models import AthleteProfile
from programs.blocks.services import block_copy
from programs.models import Assignment, Block
from programs.schedule.services import assignment_create


@transaction.atomic
def template_start(
    *, template: Block, athlete: AthleteProfile, start: datetime.date, weekdays: Sequence[int]
) -> Assignment:
    """A runner who coaches themselves makes ``template`` their own block and assigns it to
    themselves from ``start`` on ``weekdays``: the copy and the assignment any coach makes,
    so the same flags are computed. All or nothing: a refused assignment leaves no copy."""
    user = athlete.user
    if not AthleteProfile.objects.coached_by(user).filter(pk=athlete.pk).exists():
        raise ValidationError("Only a runner who coaches themselves.", code="not_self_coached")
    copy = block_copy(block=template, owner=user, name=template.name)
    block = Block.objects.with_structure().get(pk=copy.pk)
    (assignment,) = assignment_create(
        block=block, athletes=[athlete], start=start, weekdays=weekdays, assigned_by=user
    )
    return assignment
