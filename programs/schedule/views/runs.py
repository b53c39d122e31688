"""The run schedule: an athlete's runs from this week on, grouped by day, with a quick add
at the top (phone first), and the same screen for a coach on one of their athletes.

Every screen that changes a run answers htmx with the schedule fragment and a plain POST
with a redirect to the schedule; setting a race's priority, a plain form on other pages,
goes back to the page it came from."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from athletes.models import AthleteProfile
from athletes.permissions import get_athlete_for_coach
from config.redirects import next_url
from config.roles import athlete_required, coach_required
from programs import units
from programs.models import RacePriority, Run, RunStatus, RunType
from programs.permissions import get_run_for_user
from programs.schedule import runs
from programs.schedule.run_forms import (
    QUICK_TYPES,
    SHORT_LABELS,
    MoveForm,
    PriorityForm,
    RunForm,
    StatusForm,
)
from programs.schedule.wayfinding import athlete_page

PAGE_SIZE = 100


@dataclass
class RunRow:
    run: Run
    distance: str
    duration: str


@dataclass
class Day:
    date: datetime.date
    label: str
    rows: list[RunRow] = field(default_factory=list)


def _day_label(day: datetime.date, today: datetime.date) -> str:
    names = {today: "Today", today + datetime.timedelta(days=1): "Tomorrow"}
    return names.get(day) or date_format(day, "D j M" if day.year == today.year else "D j M Y")


def _schedule_url(request: HttpRequest, athlete: AthleteProfile) -> str:
    if athlete.user_id == request.user.pk:
        return reverse("runs:list")
    return reverse("runs:athlete_list", args=[athlete.pk])


def _add_url(request: HttpRequest, athlete: AthleteProfile) -> str:
    if athlete.user_id == request.user.pk:
        return reverse("runs:add")
    return reverse("runs:athlete_add", args=[athlete.pk])


def _schedule(
    request: HttpRequest,
    athlete: AthleteProfile,
    *,
    past: bool = False,
    page_number: str | None = None,
    form: RunForm | None = None,
    problem: str = "",
) -> dict:
    """Everything the schedule screen shows, in a fixed number of queries."""
    unit = request.user.distance_unit
    today = units.local_today(athlete.user)
    week_start = today - datetime.timedelta(days=today.weekday())
    queryset = Run.objects.filter(athlete=athlete)
    if past:
        queryset = queryset.filter(date__lt=week_start).order_by("-date", "-start_time", "-pk")
    else:
        queryset = queryset.filter(date__gte=week_start).order_by("date", "start_time", "pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(page_number)
    days: list[Day] = []
    for run in page.object_list:
        if not days or days[-1].date != run.date:
            days.append(Day(run.date, _day_label(run.date, today)))
        days[-1].rows.append(
            RunRow(
                run,
                units.format_distance(run.distance_m, unit),
                units.format_duration(run.duration_s),
            )
        )
    if form is None:
        form = RunForm(unit=unit, today=today, initial={"date": today, "run_type": RunType.EASY})
    return {
        "athlete": athlete,
        "own": athlete.user_id == request.user.pk,
        "days": days,
        "page": page,
        "past": past,
        "today": today,
        "unit": unit,
        "form": form,
        "quick_types": [(t, SHORT_LABELS.get(t, t.label)) for t in QUICK_TYPES],
        "more_types": [(t, SHORT_LABELS.get(t, t.label)) for t in RunType if t not in QUICK_TYPES],
        "schedule_url": _schedule_url(request, athlete),
        "add_url": _add_url(request, athlete),
        "problem": problem,
    }


def _render_schedule(request: HttpRequest, context: dict) -> HttpResponse:
    template = "programs/run_list.html#schedule" if request.htmx else "programs/run_list.html"
    return render(request, template, context)


def _list(request: HttpRequest, athlete: AthleteProfile) -> HttpResponse:
    past = request.GET.get("past") == "1"
    context = _schedule(request, athlete, past=past, page_number=request.GET.get("page"))
    return _render_schedule(request, context)


def _create(request: HttpRequest, athlete: AthleteProfile) -> HttpResponse:
    """The quick add (on the schedule) and the full form (its own page) both post here."""
    today = units.local_today(athlete.user)
    quick = request.POST.get("quick") == "1"
    initial = {"date": _date_param(request, today), "run_type": RunType.EASY}
    form = RunForm(
        request.POST or None, unit=request.user.distance_unit, today=today, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            run = runs.run_create(athlete=athlete, **form.run_data())
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            if not request.htmx:
                messages.success(request, f"Added: {_describe(request, run)}.")
                return redirect(_schedule_url(request, athlete))
            return _render_schedule(request, _schedule(request, athlete))
    if quick or request.htmx:
        return _render_schedule(request, _schedule(request, athlete, form=form))
    return render(
        request,
        "programs/run_form.html",
        {"form": form, "athlete": athlete, "schedule_url": _schedule_url(request, athlete)},
    )


def _date_param(request: HttpRequest, today: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return today


def _describe(request: HttpRequest, run: Run) -> str:
    distance = units.format_distance(run.distance_m, request.user.distance_unit)
    return " ".join(filter(None, [run.get_run_type_display(), distance])) + (
        f" on {date_format(run.date, 'D j M')}"
    )


def _after_change(
    request: HttpRequest, run: Run, message: str = "", *, problem: str = ""
) -> HttpResponse:
    """The schedule the change was made on: the fragment for htmx (with the problem, if
    the change was refused), else a redirect with a message."""
    past = request.POST.get("past") == "1"
    if not request.htmx:
        if problem:
            messages.error(request, problem)
        elif message:
            messages.success(request, message)
        url = _schedule_url(request, run.athlete)
        return redirect(f"{url}?{urlencode({'past': 1})}" if past else url)
    return _render_schedule(request, _schedule(request, run.athlete, past=past, problem=problem))


@require_GET
@athlete_page("runs")
def run_list(request: HttpRequest) -> HttpResponse:
    return _list(request, request.user.athlete_profile)


@require_http_methods(["GET", "POST"])
@athlete_required
def run_create(request: HttpRequest) -> HttpResponse:
    return _create(request, request.user.athlete_profile)


@require_GET
@coach_required
def athlete_run_list(request: HttpRequest, athlete_id: int) -> HttpResponse:
    return _list(request, get_athlete_for_coach(request.user, athlete_id))


@require_http_methods(["GET", "POST"])
@coach_required
def athlete_run_create(request: HttpRequest, athlete_id: int) -> HttpResponse:
    return _create(request, get_athlete_for_coach(request.user, athlete_id))


@require_http_methods(["GET", "POST"])
def run_update(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_run_for_user(request.user, run_id)
    form = RunForm(
        request.POST or None,
        unit=request.user.distance_unit,
        today=units.local_today(run.athlete.user),
        run=run,
    )
    if request.method == "POST" and form.is_valid():
        try:
            runs.run_update(run=run, data=form.run_data())
        except ValidationError as error:
            form.add_model_errors(error)
        else:
            messages.success(request, f"Saved: {_describe(request, run)}.")
            return redirect(_schedule_url(request, run.athlete))
    return render(
        request,
        "programs/run_form.html",
        {
            "form": form,
            "run": run,
            "athlete": run.athlete,
            "schedule_url": _schedule_url(request, run.athlete),
        },
    )


@require_POST
def run_move(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_run_for_user(request.user, run_id)
    form = MoveForm(request.POST, today=units.local_today(run.athlete.user))
    if not form.is_valid():
        return _after_change(request, run, problem=" ".join(form.errors["date"]))
    runs.run_move(run=run, date=form.cleaned_data["date"])
    return _after_change(request, run, f"Moved: {_describe(request, run)}.")


@require_POST
def run_status(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_run_for_user(request.user, run_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _after_change(request, run, problem="Pick planned, done or skipped.")
    runs.run_set_status(run=run, status=form.cleaned_data["status"])
    label = RunStatus(run.status).label.lower()
    return _after_change(request, run, f"{_describe(request, run)}: {label}.")


@require_POST
def run_priority(request: HttpRequest, run_id: int) -> HttpResponse:
    """Set a race's priority in one click (the coach's athlete page lists the races that
    have none) and go back where the form came from; the flags are rechecked as after
    every run edit."""
    run = get_run_for_user(request.user, run_id)
    back = next_url(request, _schedule_url(request, run.athlete))
    form = PriorityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick A, B or C.")
        return redirect(back)
    try:
        runs.run_update(run=run, data={"race_priority": form.cleaned_data["race_priority"]})
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        label = RacePriority(run.race_priority).label
        messages.success(request, f"{_describe(request, run)}: {label}.")
    return redirect(back)


@require_http_methods(["GET", "POST"])
def run_delete(request: HttpRequest, run_id: int) -> HttpResponse:
    """GET asks for confirmation (the page a browser without JavaScript gets); htmx
    confirms in the browser and posts straight away."""
    run = get_run_for_user(request.user, run_id)
    if request.method == "GET":
        return render(
            request,
            "programs/run_form.html",
            {
                "run": run,
                "athlete": run.athlete,
                "confirm_delete": True,
                "description": _describe(request, run),
                "schedule_url": _schedule_url(request, run.athlete),
            },
        )
    description = _describe(request, run)
    runs.run_delete(run=run)
    return _after_change(request, run, f"Deleted: {description}.")
