"""Access to programs' resources, one helper per resource: a stranger gets 404 (a page that
exists and one that is not yours look the same); a read-only viewer gets 403. Blocks: a
coach edits their own; built-in and shared templates are read-only. An athlete's data
(sessions, flags, runs, assignments): ``_for_athlete`` is their own, ``_for_coach`` their
current athletes', ``_for_user`` either (the querysets' ``visible_to``)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from athletes.models import User
from programs.models import (
    ActivityImport,
    Assignment,
    Block,
    Flag,
    GroupSeasonPlan,
    Prescription,
    Run,
    ScheduledPrescription,
    ScheduledSession,
    SeasonDraft,
    Session,
    Week,
)

READ_ONLY = "This is a template you can read and copy, not edit. Copy it to make it yours."


def get_block_for_viewing(user, block_id: int) -> Block:
    return get_object_or_404(Block.objects.visible_to(user), pk=block_id)


def get_block_for_editing(user, block_id: int) -> Block:
    block = get_block_for_viewing(user, block_id)
    if block.owner_id != user.pk:
        raise PermissionDenied(READ_ONLY)
    return block


def get_block_for_assigning(user: User, block_id: int) -> Block:
    """A block the coach may see (their own or a template), with its weeks, sessions and
    prescriptions for the preview."""
    return get_object_or_404(Block.objects.visible_to(user).with_structure(), pk=block_id)


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


def get_scheduled_session_for_athlete(user: User, session_id: int) -> ScheduledSession:
    """One of the athlete's own strength sessions, or 404."""
    return get_object_or_404(
        ScheduledSession.objects.owned_by(user).select_related("athlete__user"), pk=session_id
    )


def get_scheduled_session_for_coach(coach: User, session_id: int) -> ScheduledSession:
    """A session of one of the coach's current athletes, or 404; their own sessions as an
    athlete are not theirs to comment on."""
    return get_object_or_404(ScheduledSession.objects.coached_by(coach), pk=session_id)


def get_scheduled_prescription_for_athlete(
    user: User, prescription_id: int
) -> ScheduledPrescription:
    """One exercise of one of the athlete's own sessions, or 404."""
    return get_object_or_404(
        ScheduledPrescription.objects.filter(
            session__in=ScheduledSession.objects.owned_by(user)
        ).select_related("exercise", "swapped_from", "session__athlete"),
        pk=prescription_id,
    )


def get_run_for_user(user, run_id: int) -> Run:
    """One of ``user``'s runs (or their athletes'), or 404: someone else's run looks like
    no run at all."""
    return get_object_or_404(
        Run.objects.editable_by(user).select_related("athlete__user"), pk=run_id
    )


def get_run_for_athlete(user: User, run_id: int) -> Run:
    """One of the athlete's own runs, or 404."""
    return get_object_or_404(Run.objects.owned_by(user), pk=run_id)


def get_flag_for_user(user: User, flag_id: int) -> Flag:
    """One of the user's own flags or one of their athletes', or 404."""
    return get_object_or_404(Flag.objects.visible_to(user), pk=flag_id)


def get_flag_for_coach(coach: User, flag_id: int) -> Flag:
    """A flag of one of the coach's current athletes, or 404."""
    return get_object_or_404(Flag.objects.coached_by(coach), pk=flag_id)


def get_assignment_for_coach(coach: User, assignment_id: int) -> Assignment:
    """An assignment of one of the coach's own blocks to one of their current athletes,
    or 404: only the block's owner pushes its edits."""
    return get_object_or_404(
        Assignment.objects.coached_by(coach).filter(block__in=Block.objects.owned_by(coach)),
        pk=assignment_id,
    )


def get_activity_import_for_user(user: User, import_id) -> ActivityImport:
    """An upload of the user's own activity files, or of one of their athletes', or 404."""
    return get_object_or_404(
        ActivityImport.objects.visible_to(user).select_related("athlete__user"), pk=import_id
    )


def get_season_draft_for_coach(coach: User, athlete_id: int) -> SeasonDraft:
    """The coach's draft season for one of their current athletes, or 404: another coach's
    draft, or a draft for an athlete they no longer coach, looks like none."""
    return get_object_or_404(
        SeasonDraft.objects.for_coach(coach).select_related("athlete__user", "coach"),
        athlete_id=athlete_id,
    )


def get_group_season_plan_for_coach(coach: User, job_id) -> GroupSeasonPlan:
    """One of the coach's group season plannings, or 404."""
    return get_object_or_404(
        GroupSeasonPlan.objects.filter(coach=coach).select_related("group"), pk=job_id
    )
