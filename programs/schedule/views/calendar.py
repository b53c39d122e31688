"""The calendar: runs and strength sessions together, by week (phone first) or by month,
for the athlete and for their coach; moving a session or a run, and skipping a session.

A change made through htmx answers with the calendar fragment it was made on (the form
carries the view and the date shown); a plain POST redirects back to that calendar."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_POST

from athletes.models import AthleteProfile
from athletes.permissions import get_athlete_for_coach
from config import pagecache
from config.formfields import is_valid_id
from config.roles import coach_required
from programs import caching, units
from programs.dose import dose_for_athlete
from programs.models import Flag, OneRepMax, ScheduledSession
from programs.permissions import get_run_for_user, get_scheduled_session_for_user
from programs.schedule import runs as run_services
from programs.schedule import services
from programs.schedule.calendar import build_calendars, month_range, week_range
from programs.schedule.forms import DateForm, SessionMoveForm, SkipForm
from programs.schedule.squad import squad_group, squad_week_data
from programs.schedule.wayfinding import athlete_page

VIEWS = ("week", "month")
MAX_REACH_DAYS = 3650


def _position(data, today: datetime.date) -> tuple[str, datetime.date]:
    view = data.get("view") if data.get("view") in VIEWS else "week"
    try:
        anchor = datetime.date.fromisoformat(data.get("at", ""))
    except ValueError:
        anchor = today
    # Ten years either way: past that, a month's edges would fall off the calendar.
    if abs((anchor - today).days) > MAX_REACH_DAYS:
        anchor = today
    return view, anchor


def _calendar_url(request: HttpRequest, athlete: AthleteProfile) -> str:
    if athlete.user_id == request.user.pk:
        return reverse("schedule:calendar")
    return reverse("schedule:athlete_calendar", args=[athlete.pk])


def _context(request: HttpRequest, athlete: AthleteProfile, view: str, anchor: datetime.date):
    today = units.local_today(athlete.user)
    if view == "month":
        first, last = month_range(anchor)
        before = anchor.replace(day=1) - datetime.timedelta(days=1)
        after = anchor.replace(day=28) + datetime.timedelta(days=7)
        previous, following = before.replace(day=1), after.replace(day=1)
        title = date_format(anchor, "F Y")
    else:
        first, last = week_range(anchor)
        previous = first - datetime.timedelta(days=7)
        following = first + datetime.timedelta(days=7)
        title = f"{date_format(first, 'j M')} – {date_format(last, 'j M Y')}"
    weeks = build_calendars(
        [athlete],
        first,
        last,
        today=today,
        distance_unit=request.user.distance_unit,
        weight_unit=request.user.weight_unit,
        month=anchor.month if view == "month" else None,
    )[athlete.pk]
    flags = list(
        Flag.objects.for_athlete(athlete).open().filter(date__range=(first, last)).by_urgency()
    )
    flagged = {int(i) for flag in flags for i in flag.session_ids}
    for week in weeks:
        for day in week.days:
            for entry in day.sessions:
                entry.flagged = entry.session.pk in flagged
    return {
        "athlete": athlete,
        "own": athlete.user_id == request.user.pk,
        "flags": flags,
        "coach": athlete.user_id != request.user.pk,
        "back": f"{_calendar_url(request, athlete)}?view={view}&at={anchor.isoformat()}",
        "view": view,
        "anchor": anchor,
        "today": today,
        "title": title,
        "weeks": weeks,
        "previous": previous,
        "following": following,
        "calendar_url": _calendar_url(request, athlete),
    }


def _render(request: HttpRequest, context: dict) -> HttpResponse:
    template = "programs/calendar.html#calendar" if request.htmx else "programs/calendar.html"
    return render(request, template, context)


def _show(request: HttpRequest, athlete: AthleteProfile) -> HttpResponse:
    """Cached until the athlete's data changes (``programs.caching``), per viewer: the
    athlete and their coach see different controls and units."""
    today = units.local_today(athlete.user)
    view, anchor = _position(request.GET, today)
    user = request.user
    template = "programs/calendar.html#calendar" if request.htmx else "programs/calendar.html"
    key = pagecache.key(
        "calendar",
        user.pk,
        athlete.pk,
        caching.athlete_version(athlete.pk),
        caching.library_version(),
        today,
        view,
        anchor,
        template,
        user.weight_unit,
        user.distance_unit,
    )
    return pagecache.render_cached(
        request, template, key, lambda: _context(request, athlete, view, anchor)
    )


def _after_change(
    request: HttpRequest, athlete: AthleteProfile, message: str, problem: str = ""
) -> HttpResponse:
    view, anchor = _position(request.POST, units.local_today(athlete.user))
    if request.htmx:
        context = _context(request, athlete, view, anchor)
        context["problem"] = problem
        context["notice"] = "" if problem else message
        return _render(request, context)
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, message)
    query = urlencode({"view": view, "at": anchor.isoformat()})
    return redirect(f"{_calendar_url(request, athlete)}?{query}")


@require_GET
@athlete_page("calendar")
def calendar(request: HttpRequest) -> HttpResponse:
    return _show(request, request.user.athlete_profile)


@require_GET
@coach_required
def athlete_calendar(request: HttpRequest, athlete_id: int) -> HttpResponse:
    return _show(request, get_athlete_for_coach(request.user, athlete_id))


@require_GET
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    # The access helper has the athlete, their user and the assignment already.
    session = get_scheduled_session_for_user(request.user, session_id)
    athlete = session.athlete
    maxes = dict(
        OneRepMax.objects.filter(athlete_id=session.athlete_id).values_list("exercise_id", "kg")
    )
    rows = [
        (p, dose_for_athlete(p, maxes, request.user.weight_unit))
        for p in session.prescriptions.select_related("exercise").order_by("order")
    ]
    return render(
        request,
        "programs/scheduled_session.html",
        {
            "session": session,
            "rows": rows,
            "has_superset": any(p.superset for p, _dose in rows),
            "athlete": athlete,
            "own": athlete.user_id == request.user.pk,
            "calendar_url": _calendar_url(request, athlete),
            "comments": session.comments.select_related("author"),
            "move_form": SessionMoveForm(
                initial={"date": session.date, "start_time": session.start_time}
            ),
            "skip_form": SkipForm(),
        },
    )


def _session_label(session: ScheduledSession) -> str:
    when = date_format(session.date, "D j M")
    if session.start_time is not None:
        when = f"{when} {session.start_time:%H:%M}"
    return f"{session.title or 'Strength'} ({when})"


@require_POST
def session_move(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_scheduled_session_for_user(request.user, session_id)
    form = SessionMoveForm(request.POST)
    if not form.is_valid():
        problem = "Pick a valid time." if "date" not in form.errors else "Pick a valid date."
        return _after_change(request, session.athlete, "", problem=problem)
    try:
        services.scheduled_session_move(
            session=session,
            date=form.cleaned_data["date"],
            start_time=form.cleaned_data["start_time"],
        )
    except ValidationError as error:
        return _after_change(request, session.athlete, "", problem=error.messages[0])
    return _after_change(request, session.athlete, f"Moved {_session_label(session)}.")


@require_POST
def session_skip(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_scheduled_session_for_user(request.user, session_id)
    form = SkipForm(request.POST)
    if not form.is_valid():
        return _after_change(request, session.athlete, "", problem=form.errors["reason"][0])
    try:
        services.scheduled_session_skip(session=session, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        return _after_change(request, session.athlete, "", problem=error.messages[0])
    return _after_change(request, session.athlete, f"Skipped {_session_label(session)}.")


@require_POST
def session_unskip(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_scheduled_session_for_user(request.user, session_id)
    try:
        services.scheduled_session_unskip(session=session)
    except ValidationError as error:
        return _after_change(request, session.athlete, "", problem=error.messages[0])
    return _after_change(request, session.athlete, f"{_session_label(session)} is planned again.")


@require_POST
def run_move(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_run_for_user(request.user, run_id)
    form = DateForm(request.POST)
    if not form.is_valid():
        return _after_change(request, run.athlete, "", problem="Pick a valid date.")
    try:
        run_services.run_move(run=run, date=form.cleaned_data["date"])
    except ValidationError as error:
        return _after_change(request, run.athlete, "", problem=error.messages[0])
    return _after_change(
        request,
        run.athlete,
        f"Moved {run.get_run_type_display()} to {date_format(run.date, 'D j M')}.",
    )


@require_GET
@coach_required
def squad_calendar(request: HttpRequest) -> HttpResponse:
    """The coach's athletes (or one group), a page at a time, by week: sessions, key runs,
    races and flags. Not cached: it reads many athletes' data. A group that is not the
    coach's is ignored (all athletes are shown), as on the roster. htmx asks for the grid
    alone when the week or the page changes, and for one athlete's row (``athlete``) after
    a session was dragged to another day in it; a row of someone else's is a 404."""
    coach = request.user
    today = units.local_today(coach)
    _, anchor = _position(request.GET, today)
    group = squad_group(coach, request.GET.get("group"))
    athlete_id = None
    if request.htmx and "athlete" in request.GET:
        if not is_valid_id(request.GET["athlete"]):
            raise Http404
        athlete_id = int(request.GET["athlete"])
    data = squad_week_data(
        coach=coach,
        anchor=anchor,
        today=today,
        group=group,
        page_number=request.GET.get("page"),
        athlete_id=athlete_id,
    )
    # Week links keep the group and the page; page links keep the week and the group.
    keep = {"group": group.pk} if group is not None else {}
    if data.page is not None and data.page.number > 1:
        keep["page"] = data.page.number
    week_query = {"at": anchor.isoformat(), **({"group": group.pk} if group is not None else {})}
    context = {
        "squad": data,
        "anchor": anchor,
        "title": f"{date_format(data.first, 'j M')} – {date_format(data.last, 'j M Y')}",
        "keep": urlencode(keep),
        "week_query": urlencode(week_query),
        "page_numbers": (
            data.page.paginator.get_elided_page_range(data.page.number, on_each_side=2)
            if data.page is not None
            else []
        ),
    }
    if athlete_id is not None:
        if not data.rows:
            raise Http404
        context["row"] = data.rows[0]
        template = "programs/calendar_squad.html#row"
    elif request.htmx:
        template = "programs/calendar_squad.html#squad"
    else:
        template = "programs/calendar_squad.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
