"""A season the coach reviews and edits before applying it (docs/season-planner.md,
"Reviewing and editing").

``season_draft_plan`` plans an athlete's season and keeps it as the coach's
``SeasonDraft`` (one per coach and athlete; planning again replaces it). Each edit
(``season_draft_move``, ``season_draft_remove``, ``season_draft_dose``) changes the stored
plan and runs the engine on it again beside the athlete's calendar as it is now;
``season_draft_check`` does the same for a page without changing anything.
``season_draft_apply`` turns the edited plan back into a ``SeasonPlan`` and applies it
with ``season_apply``, in one transaction, and the draft is gone.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from athletes.models import AthleteProfile, User
from programs.models import Assignment, SeasonDraft
from programs.seasons.edits import (
    EditError,
    move_session,
    plan_from_data,
    plan_to_data,
    recheck,
    remove_session,
    set_dose,
)
from programs.seasons.model import SeasonPlan, SeasonRequest
from programs.seasons.planner import plan_season
from programs.seasons.services import season_apply, season_request_for


@dataclass(frozen=True)
class CheckedDraft:
    """A draft, its plan with the engine's flags on the athlete's calendar as it is now,
    and the request that calendar was read into (its runs and kept sessions, for a page)."""

    draft: SeasonDraft
    plan: SeasonPlan
    request: SeasonRequest


def _coached(coach: User, athlete: AthleteProfile) -> None:
    if not AthleteProfile.objects.coached_by(coach).filter(pk=athlete.pk).exists():
        raise ValidationError("You don't coach this athlete.", code="not_coached")


def _request(draft: SeasonDraft, plan: SeasonPlan) -> SeasonRequest:
    """The athlete's calendar as the planner reads it, in the plan's dates; no catalogue:
    checking a plan picks no exercise."""
    return season_request_for(
        athlete=draft.athlete,
        start=plan.start,
        end=plan.end,
        sessions_per_week=draft.sessions_per_week,
        weekdays=draft.weekday_list,
        replace_future=draft.replace_future,
        catalogue=(),
    )


@transaction.atomic
def season_draft_plan(
    *,
    coach: User,
    athlete: AthleteProfile,
    start: datetime.date,
    end: datetime.date | None = None,
    sessions_per_week: int = 2,
    weekdays: Sequence[int] = (),
    replace_future: bool = False,
) -> CheckedDraft:
    """Plan ``athlete``'s season (as ``season_request_for`` takes it; ``weekdays`` from
    0 = Monday) and keep it as ``coach``'s draft, replacing the one they had. Raises
    ValidationError by the request's field names (``end``: no A race and no end date)."""
    _coached(coach, athlete)
    request = season_request_for(
        athlete=athlete,
        start=start,
        end=end,
        sessions_per_week=sessions_per_week,
        weekdays=weekdays,
        replace_future=replace_future,
    )
    if errors := request.errors():
        raise ValidationError(
            {field: ValidationError(message, code=field) for field, message in errors.items()}
        )
    plan = plan_season(request)
    draft = SeasonDraft.objects.filter(coach=coach, athlete=athlete).first() or SeasonDraft(
        coach=coach, athlete=athlete
    )
    draft.sessions_per_week = sessions_per_week
    draft.weekdays = "".join(str(d + 1) for d in sorted(set(weekdays)))
    draft.replace_future = replace_future
    draft.plan = plan_to_data(plan)
    draft.edits = 0
    draft.created_at = draft.updated_at = timezone.now()
    draft.full_clean()
    draft.save()
    return CheckedDraft(draft, plan, request)


def season_draft_check(*, draft: SeasonDraft) -> CheckedDraft:
    """The draft's plan with the engine's word on it today, changing nothing."""
    plan = plan_from_data(draft.plan)
    request = _request(draft, plan)
    return CheckedDraft(draft, recheck(plan, request), request)


def _edit(
    draft: SeasonDraft, change: Callable[[SeasonPlan, SeasonRequest], SeasonPlan]
) -> CheckedDraft:
    # Edits of one draft take turns, each on the plan the one before left.
    locked = (
        SeasonDraft.objects.select_for_update().select_related("athlete__user").get(pk=draft.pk)
    )
    plan = plan_from_data(locked.plan)
    request = _request(locked, plan)
    try:
        edited = change(plan, request)
    except EditError as error:
        raise ValidationError(str(error), code=error.code) from error
    checked = recheck(edited, request)
    locked.plan = plan_to_data(checked)
    locked.edits += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=["plan", "edits", "updated_at"])
    return CheckedDraft(locked, checked, request)


@transaction.atomic
def season_draft_move(*, draft: SeasonDraft, session_id: str, date: datetime.date) -> CheckedDraft:
    """Move a planned session to another day of its week; its time follows that day's runs."""
    return _edit(
        draft,
        lambda plan, request: move_session(
            plan, session_id=session_id, date=date, runs=request.runs
        ),
    )


@transaction.atomic
def season_draft_remove(*, draft: SeasonDraft, session_id: str) -> CheckedDraft:
    return _edit(draft, lambda plan, _request: remove_session(plan, session_id=session_id))


@transaction.atomic
def season_draft_dose(
    *,
    draft: SeasonDraft,
    session_id: str,
    exercise: int,
    sets: int,
    reps_min: int | None = None,
    reps_max: int | None = None,
) -> CheckedDraft:
    """Change the sets (and reps) of one exercise of a planned session."""
    return _edit(
        draft,
        lambda plan, request: set_dose(
            plan,
            session_id=session_id,
            exercise=exercise,
            sets=sets,
            reps_min=reps_min,
            reps_max=reps_max,
            thresholds=request.thresholds,
        ),
    )


@transaction.atomic
def season_draft_apply(*, draft: SeasonDraft) -> list[Assignment]:
    """Apply the draft's plan, edits and all, as ``season_apply`` does (blocks and
    assignments, the replaced sessions deleted), and delete the draft; all or nothing.
    Raises ValidationError as ``season_apply`` does (``stale_plan``, ``in_the_past``…)."""
    locked = SeasonDraft.objects.select_for_update().select_related("athlete__user", "coach")
    locked = locked.get(pk=draft.pk)
    assignments = season_apply(
        plan=plan_from_data(locked.plan), athlete=locked.athlete, coach=locked.coach
    )
    locked.delete()
    return assignments


@transaction.atomic
def season_draft_discard(*, draft: SeasonDraft) -> None:
    SeasonDraft.objects.filter(pk=draft.pk).delete()
