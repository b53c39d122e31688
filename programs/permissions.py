"""Access to programs' resources, one helper per resource: a stranger gets 404 (a page that
exists and one that is not yours look the same); a read-only viewer gets 403. Blocks: a
coach edits their own; built-in and shared templates are read-only."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from programs.models import Block, Prescription, Run, ScheduledSession, Session, Week

READ_ONLY = "This is a template you can read and copy, not edit. Copy it to make it yours."


def get_block_for_viewing(user, block_id: int) -> Block:
    return get_object_or_404(Block.objects.visible_to(user), pk=block_id)


def get_block_for_editing(user, block_id: int) -> Block:
    block = get_block_for_viewing(user, block_id)
    if block.owner_id != user.pk:
        raise PermissionDenied(READ_ONLY)
    return block


def _for_editing(user, queryset, pk: int, block_path: str):
    obj = queryset.filter(pk=pk, **{f"{block_path}__owner": user}).first()
    if obj is not None:
        return obj
    if queryset.filter(pk=pk, **{f"{block_path}__in": Block.objects.visible_to(user)}).exists():
        raise PermissionDenied(READ_ONLY)
    raise Http404


def get_week_for_editing(user, block_id: int, number: int) -> Week:
    block = get_block_for_editing(user, block_id)
    return get_object_or_404(Week.objects.select_related("block"), block=block, number=number)


def get_session_for_editing(user, session_id: int) -> Session:
    return _for_editing(
        user, Session.objects.select_related("week__block"), session_id, "week__block"
    )


def get_prescription_for_editing(user, prescription_id: int) -> Prescription:
    return _for_editing(
        user,
        Prescription.objects.select_related("exercise", "session__week__block"),
        prescription_id,
        "session__week__block",
    )


def get_scheduled_session_for_user(user, session_id: int) -> ScheduledSession:
    """One of the user's own strength sessions or one of their athletes', or 404."""
    return get_object_or_404(
        ScheduledSession.objects.visible_to(user).select_related("athlete__user", "assignment"),
        pk=session_id,
    )


def get_run_for_user(user, run_id: int) -> Run:
    """One of ``user``'s runs (or their athletes'), or 404: someone else's run looks like
    no run at all."""
    return get_object_or_404(
        Run.objects.editable_by(user).select_related("athlete__user"), pk=run_id
    )
