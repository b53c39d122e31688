"""The coach's season planner screens: plan an athlete's season, review it on a calendar,
edit it (move a session within its week, remove it, change its sets and reps; each edit
checked by the engine again), see what applying changes, apply it; and plan a whole group
in the background, with its progress."""

import datetime
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from athletes.models import AthleteProfile
from athletes.permissions import get_athlete_for_coach, get_group_for_coach
from config.roles import coach_required
from programs.models import RacePriority, Run, RunType, SeasonDraft
from programs.permissions import get_group_season_plan_for_coach, get_season_draft_for_coach
from programs.seasons.drafts import (
    CheckedDraft,
    season_draft_apply,
    season_draft_check,
    season_draft_discard,
    season_draft_dose,
    season_draft_move,
    season_draft_plan,
    season_draft_remove,
)
from programs.seasons.edits import plan_from_data
from programs.seasons.forms import (
    SESSION_ID_LENGTH,
    DoseForm,
    GroupSeasonForm,
    MoveForm,
    SeasonForm,
    SessionForm,
)
from programs.seasons.model import PlannedSession
from programs.seasons.selectors import (
    SERIOUS,
    SessionEditor,
    season_draft_page_data,
    season_session_data,
    week_anchor,
)
from programs.seasons.tasks import season_plan_group_queue
from programs.units import local_today

DRAFT_TEMPLATE = "programs/season_draft.html"
RECENT_JOBS = 5


def _settings(draft: SeasonDraft | None) -> dict:
    if draft is None:
        return {"sessions_per_week": "2"}
    return {
        "sessions_per_week": str(draft.sessions_per_week),
        "weekdays": list(draft.weekdays),
        "replace_future": draft.replace_future,
    }


@require_http_methods(["GET", "POST"])
@coach_required
def season_plan(request: HttpRequest, athlete_id: int) -> HttpResponse:
    """What to plan: the dates, sessions a week, preferred days; planning makes the draft."""
    athlete = get_athlete_for_coach(request.user, athlete_id)
    today = local_today(athlete.user)
    draft = SeasonDraft.objects.for_coach(request.user).filter(athlete=athlete).first()
    form = SeasonForm(
        request.POST if request.method == "POST" else None,
        today=today,
        initial={"start": today, **_settings(draft)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            season_draft_plan(
                coach=request.user,
                athlete=athlete,
                start=data["start"],
                end=data["end"],
                sessions_per_week=data["sessions_per_week"],
                weekdays=form.planner_weekdays,
                replace_future=data["replace_future"],
            )
        except ValidationError as error:
            form.add_plan_errors(error)
        else:
            return redirect("seasons:draft", athlete.pk)
    races = list(
        Run.objects.for_athlete(athlete)
        .filter(run_type=RunType.RACE, date__gte=today)
        .order_by("date")[:12]
    )
    last_a = max((r.date for r in races if r.race_priority == RacePriority.A), default=None)
    return render(
        request,
        "programs/season_plan.html",
        {"athlete": athlete, "form": form, "draft": draft, "races": races, "last_a": last_a},
    )


def _draft_context(checked: CheckedDraft, **extra) -> dict:
    return {
        "page": season_draft_page_data(checked=checked),
        "athlete": checked.draft.athlete,
        **extra,
    }


@require_GET
@coach_required
def season_draft(request: HttpRequest, athlete_id: int) -> HttpResponse:
    """The draft season on a calendar, with the engine's flags on it today."""
    draft = get_season_draft_for_coach(request.user, athlete_id)
    return render(request, DRAFT_TEMPLATE, _draft_context(season_draft_check(draft=draft)))


@require_GET
@coach_required
def season_session(request: HttpRequest, athlete_id: int, session_id: str) -> HttpResponse:
    """One planned session's editor: loaded into the calendar when the coach opens it, or
    a page of its own without JavaScript."""
    draft = get_season_draft_for_coach(request.user, athlete_id)
    editor = season_session_data(draft=draft, session_id=session_id)
    if editor is None:
        raise Http404("No such session in this season.")
    context = {"editor": editor, "athlete": draft.athlete, "standalone": not request.htmx}
    if request.htmx:
        return render(request, f"{DRAFT_TEMPLATE}#editor", context)
    return render(request, "programs/season_session.html", context)


def _flags_said(checked: CheckedDraft) -> str:
    serious = sum(f.severity in SERIOUS for f in checked.plan.flags)
    if not serious:
        return "No warning or critical flag."
    return f"{serious} warning or critical flag{'s' if serious != 1 else ''}: see the list."


Edit = Callable[[SeasonDraft, dict], CheckedDraft]
Said = Callable[[dict, PlannedSession], str]


def _edit(
    request: HttpRequest, athlete_id: int, form: SessionForm, edit: Edit, said: Said
) -> HttpResponse:
    """One edit of the draft: an htmx request gets the season region again (the edited
    week's row takes the focus, the status says what changed and what the engine says
    now); a plain one goes back to the page at the edited week. A refused edit shows why,
    at status 200, and changes nothing."""
    draft = get_season_draft_for_coach(request.user, athlete_id)
    checked = None
    if form.is_valid():
        before = {s.id: s for s in plan_from_data(draft.plan).sessions}
        try:
            checked = edit(draft, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    if checked is not None:
        edited = before[form.cleaned_data["session"]]
        status = f"{said(form.cleaned_data, edited)} {_flags_said(checked)}"
        if not request.htmx:
            messages.success(request, status)
            target = reverse("seasons:draft", args=[athlete_id])
            return redirect(f"{target}#{_edited_week(form, checked)}")
    else:
        checked = season_draft_check(draft=draft)
        status = " ".join(e for errors in form.errors.values() for e in errors)
    context = _draft_context(
        checked,
        form=form,
        status=status,
        refused=not form.is_valid(),
        edited_week=_edited_week(form, checked),
        # A refused edit leaves its session's editor open, with the reason in it.
        editor=None if form.is_valid() else _editor(draft, form),
        oob=bool(request.htmx),
    )
    return render(request, f"{DRAFT_TEMPLATE}#draft" if request.htmx else DRAFT_TEMPLATE, context)


def _editor(draft: SeasonDraft, form: SessionForm) -> SessionEditor | None:
    session = form.data.get("session", "")
    if not isinstance(session, str) or len(session) > SESSION_ID_LENGTH:
        return None
    return season_session_data(draft=draft, session_id=session)


def _edited_week(form: SessionForm, checked: CheckedDraft) -> str:
    """The anchor of the week the edit was about (its session's date is in its id)."""
    session = form.cleaned_data.get("session") or form.data.get("session", "")
    try:
        day = datetime.date.fromisoformat(str(session).removeprefix("plan-"))
    except ValueError:
        return ""
    return week_anchor(day) if checked.plan.start <= day <= checked.plan.end else ""


def _day(date: datetime.date) -> str:
    return date_format(date, "D j M")


@require_POST
@coach_required
def season_move(request: HttpRequest, athlete_id: int) -> HttpResponse:
    return _edit(
        request,
        athlete_id,
        MoveForm(request.POST),
        lambda draft, data: season_draft_move(
            draft=draft, session_id=data["session"], date=data["date"]
        ),
        lambda data, session: (
            f"Moved “{session.name}” from {_day(session.date)} to {_day(data['date'])}."
        ),
    )


@require_POST
@coach_required
def season_remove(request: HttpRequest, athlete_id: int) -> HttpResponse:
    return _edit(
        request,
        athlete_id,
        SessionForm(request.POST),
        lambda draft, data: season_draft_remove(draft=draft, session_id=data["session"]),
        lambda data, session: f"Removed “{session.name}” ({_day(session.date)}).",
    )


def _dose_said(data: dict, session: PlannedSession) -> str:
    dose = str(data["sets"])
    if data["reps_min"] is not None:
        reps = data["reps_min"]
        top = data["reps_max"]
        dose += f" × {reps}" + (f"–{top}" if top and top != reps else "")
    else:
        dose += " sets"
    name = session.exercises[data["exercise"]].name
    return f"{name} in “{session.name}” ({_day(session.date)}) is now {dose}."


@require_POST
@coach_required
def season_dose(request: HttpRequest, athlete_id: int) -> HttpResponse:
    return _edit(
        request,
        athlete_id,
        DoseForm(request.POST),
        lambda draft, data: season_draft_dose(
            draft=draft,
            session_id=data["session"],
            exercise=data["exercise"],
            sets=data["sets"],
            reps_min=data["reps_min"],
            reps_max=data["reps_max"],
        ),
        _dose_said,
    )


@require_POST
@coach_required
def season_apply(request: HttpRequest, athlete_id: int) -> HttpResponse:
    """Apply the draft, edits and all: blocks and assignments, in one transaction."""
    draft = get_season_draft_for_coach(request.user, athlete_id)
    start = draft.plan.get("start", "")
    try:
        assignments = season_draft_apply(draft=draft)
    except ValidationError as error:
        context = _draft_context(
            season_draft_check(draft=draft),
            apply_error=error.messages,
            status=f"Not applied: {' '.join(error.messages)}",
            refused=True,
        )
        return render(request, DRAFT_TEMPLATE, context)
    athlete = draft.athlete
    messages.success(
        request,
        f"Applied the season to {athlete.user.name or athlete.user.email}'s calendar: "
        f"{sum(a.sessions.count() for a in assignments)} sessions.",
    )
    target = f"{reverse('schedule:athlete_calendar', args=[athlete.pk])}?view=month&at={start}"
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)


@require_POST
@coach_required
def season_discard(request: HttpRequest, athlete_id: int) -> HttpResponse:
    draft = get_season_draft_for_coach(request.user, athlete_id)
    season_draft_discard(draft=draft)
    messages.info(request, "Draft season discarded; nothing on the calendar changed.")
    return redirect("seasons:plan", athlete_id)


@require_http_methods(["GET", "POST"])
@coach_required
def group_season(request: HttpRequest, group_id: int) -> HttpResponse:
    """Plan every athlete of a group around their own runs and races, in the background."""
    group = get_group_for_coach(request.user, group_id)
    today = local_today(request.user)
    form = GroupSeasonForm(
        request.POST if request.method == "POST" else None,
        today=today,
        initial={"start": today, "sessions_per_week": "2"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = season_plan_group_queue(
                group=group,
                coach=request.user,
                start=data["start"],
                end=data["end"],
                sessions_per_week=data["sessions_per_week"],
                weekdays=form.planner_weekdays,
                replace_future=data["replace_future"],
                apply=data["apply"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("seasons:group_job", job.pk)
    athletes = list(
        AthleteProfile.objects.coached_by(request.user)
        .filter(athlete_groups=group)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    jobs = group.season_plans.filter(coach=request.user)[:RECENT_JOBS]
    return render(
        request,
        "programs/season_group.html",
        {"group": group, "form": form, "athletes": athletes, "jobs": jobs},
    )


@require_GET
@coach_required
def group_season_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """A group's planning as it goes (htmx polls the progress), then each athlete's line."""
    job = get_group_season_plan_for_coach(request.user, job_id)
    coached = set(AthleteProfile.objects.coached_by(request.user).values_list("pk", flat=True))
    template = "programs/season_group_job.html"
    if request.htmx:
        template += "#progress"
    return render(request, template, {"job": job, "group": job.group, "coached": coached})
