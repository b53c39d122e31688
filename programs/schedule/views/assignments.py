"""Assigning a block to athletes (with a preview of their calendars first), pushing block
edits to an athlete's future sessions, and the 1RMs that % loads resolve from."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from athletes.models import AthleteProfile
from athletes.permissions import get_athlete_for_coach
from config.roles import athlete_required, coach_required
from library.models import Exercise
from programs.models import Assignment, Block, LoadType, OneRepMax, ScheduledPrescription, Weekday
from programs.schedule import services
from programs.schedule.calendar import add_proposed, build_calendars, monday
from programs.schedule.forms import AssignForm, OneRepMaxForm
from programs.schedule.preview import arrange, preview_conflicts
from programs.schedule.services import parse_weekdays, plan_dates, suggested_weekdays
from programs.units import format_weight, local_today

WEEKDAY_LABELS = dict(Weekday.choices)


def _next_monday(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=7 - today.weekday())


def _own_days(request: HttpRequest, form: AssignForm) -> dict[int, list[int]]:
    """Per-athlete days chosen by "arrange automatically", while the coach's days are
    still the ones they were arranged from."""
    days = form.cleaned_data["weekdays"]
    if request.POST.get("arranged_from") != ",".join(map(str, days)):
        return {}
    own = {}
    for athlete in form.cleaned_data["athletes"]:
        try:
            own[athlete.pk] = parse_weekdays(request.POST.get(f"days-{athlete.pk}", ""))
        except ValidationError:
            continue
        if len(own[athlete.pk]) != len(days):
            del own[athlete.pk]
    return own


def _preview(
    request: HttpRequest, block: Block, form: AssignForm, own_days: dict[int, list[int]]
) -> list[dict]:
    """Each athlete's calendar over the block's weeks: their runs, the strength sessions
    they already have, the ones this assignment would add, and the conflicts it would
    raise."""
    athletes = list(form.cleaned_data["athletes"])
    start = form.cleaned_data["start"]
    days = {a.pk: own_days.get(a.pk, form.cleaned_data["weekdays"]) for a in athletes}
    dated = {a.pk: plan_dates(block=block, start=start, weekdays=days[a.pk]) for a in athletes}
    all_dates = [d.date for ds in dated.values() for d in ds]
    first = monday(min(all_dates))
    last = monday(max(all_dates)) + datetime.timedelta(days=6)
    calendars = build_calendars(
        athletes,
        first,
        last,
        today=local_today(request.user),
        distance_unit=request.user.distance_unit,
        weight_unit=request.user.weight_unit,
    )
    flags = preview_conflicts(block=block, athletes=athletes, start=start, weekdays=days)
    for athlete in athletes:
        add_proposed(calendars[athlete.pk], dated[athlete.pk])
    return [
        {
            "athlete": athlete,
            "weeks": calendars[athlete.pk],
            "sessions": len(dated[athlete.pk]),
            "days": days[athlete.pk],
            "day_names": ", ".join(str(WEEKDAY_LABELS[d]) for d in days[athlete.pk]),
            "own_days": athlete.pk in own_days,
            "flags": flags[athlete.pk],
            "critical": sum(f.severity == "critical" for f in flags[athlete.pk]),
            "warning": sum(f.severity == "warning" for f in flags[athlete.pk]),
        }
        for athlete in athletes
    ]


@require_http_methods(["GET", "POST"])
@coach_required
def block_assign(request: HttpRequest, block_id: int) -> HttpResponse:
    block = get_object_or_404(Block.objects.visible_to(request.user).with_structure(), pk=block_id)
    today = local_today(request.user)
    initial = {
        "start": _next_monday(today),
        "weekdays": [str(d) for d in suggested_weekdays(block)],
        "athletes": request.GET.getlist("athlete"),
    }
    form = AssignForm(request.POST or None, coach=request.user, today=today, initial=initial)
    context = {"program": block, "form": form, "preview": None, "arranged_from": ""}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        own_days = _own_days(request, form)
        try:
            if request.POST.get("arrange") == "1":
                own_days = arrange(
                    block=block,
                    athletes=list(data["athletes"]),
                    start=data["start"],
                    weekdays=data["weekdays"],
                )
            if own_days:
                context["arranged_from"] = ",".join(map(str, data["weekdays"]))
            if request.POST.get("confirm") == "1":
                return _confirm(request, block, form, own_days)
            context["preview"] = _preview(request, block, form, own_days)
        except ValidationError as error:
            form.add_error(None, error)
    template = "programs/block_assign.html"
    if request.htmx and request.method == "POST":
        template += "#assign"
    return render(request, template, context)


def _confirm(
    request: HttpRequest, block: Block, form: AssignForm, own_days: dict[int, list[int]]
) -> HttpResponse:
    data = form.cleaned_data
    assignments = services.assignment_create(
        block=block,
        athletes=list(data["athletes"]),
        start=data["start"],
        weekdays=data["weekdays"],
        weekdays_for=own_days,
        assigned_by=request.user,
    )
    messages.success(
        request,
        f"Assigned “{block.name}” to {len(assignments)} "
        f"athlete{'s' if len(assignments) != 1 else ''} "
        f"from {date_format(data['start'], 'D j M Y')}.",
    )
    target = reverse("coach_home")
    if len(assignments) == 1:
        target = (
            f"{reverse('schedule:athlete_calendar', args=[assignments[0].athlete_id])}"
            f"?view=month&at={data['start'].isoformat()}"
        )
    # htmx would swap a followed redirect into the form; send the page there.
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)


@require_POST
@coach_required
def assignment_push(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Rewrite an athlete's future, unlogged sessions from the block as it is now."""
    assignment = get_object_or_404(
        Assignment.objects.filter(
            athlete__in=AthleteProfile.objects.coached_by(request.user),
            block__in=Block.objects.owned_by(request.user),
        ),
        pk=assignment_id,
    )
    try:
        report = services.assignment_push(
            assignment=assignment, today=local_today(assignment.athlete.user)
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            f"Pushed “{assignment.block_name}”: {report.updated} sessions updated, "
            f"{report.added} added, {report.removed} removed; {report.kept} done, skipped "
            "or past sessions kept as they were.",
        )
    return redirect("coach_athlete", assignment.athlete_id)


def _maxes(request: HttpRequest, athlete: AthleteProfile, back_url: str) -> HttpResponse:
    """The athlete's 1RMs, and a form to record one for any exercise their plan loads by
    % 1RM (or any exercise already recorded)."""
    unit = request.user.weight_unit
    planned = ScheduledPrescription.objects.filter(
        session__athlete=athlete, load_type=LoadType.PERCENT_1RM
    ).values("exercise_id")
    recorded = OneRepMax.objects.filter(athlete=athlete).values("exercise_id")
    exercises = Exercise.objects.filter(Q(pk__in=planned) | Q(pk__in=recorded)).order_by("name")
    form = OneRepMaxForm(request.POST or None, unit=unit, exercises=exercises)
    if request.method == "POST" and form.is_valid():
        record = services.one_rep_max_set(
            athlete=athlete,
            exercise=form.cleaned_data["exercise"],
            kg=form.cleaned_data["kg"],
            tested_on=form.cleaned_data["tested_on"],
        )
        messages.success(
            request,
            f"{record.exercise.name}: 1RM {format_weight(record.kg, unit, plates=False)}.",
        )
        return redirect(request.path)
    maxes = {m.exercise_id: m for m in OneRepMax.objects.filter(athlete=athlete)}
    rows = [
        (
            exercise,
            maxes.get(exercise.pk),
            format_weight(maxes[exercise.pk].kg, unit, plates=False)
            if exercise.pk in maxes
            else "",
        )
        for exercise in exercises
    ]
    return render(
        request,
        "programs/one_rep_max_list.html",
        {
            "athlete": athlete,
            "own": athlete.user_id == request.user.pk,
            "rows": rows,
            "form": form,
            "unit": unit,
            "back_url": back_url,
        },
    )


@require_http_methods(["GET", "POST"])
@athlete_required
def maxes(request: HttpRequest) -> HttpResponse:
    return _maxes(request, request.user.athlete_profile, reverse("schedule:calendar"))


@require_http_methods(["GET", "POST"])
@coach_required
def athlete_maxes(request: HttpRequest, athlete_id: int) -> HttpResponse:
    athlete = get_athlete_for_coach(request.user, athlete_id)
    return _maxes(request, athlete, reverse("schedule:athlete_calendar", args=[athlete.pk]))
