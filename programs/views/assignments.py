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
from athletes.permissions import athlete_required, coach_required, get_athlete_for_coach
from athletes.runs import local_today
from library.models import Exercise
from programs import services
from programs.calendar import add_proposed, build_calendars, monday
from programs.forms import AssignForm, OneRepMaxForm
from programs.loads import format_weight
from programs.models import Assignment, Block, LoadType, OneRepMax, ScheduledPrescription
from programs.services.assignments import plan_dates, suggested_weekdays


def _next_monday(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=7 - today.weekday())


def _preview(request: HttpRequest, block: Block, form: AssignForm) -> list[dict]:
    """Each athlete's calendar over the block's weeks: their runs, the strength sessions
    they already have, and the ones this assignment would add."""
    athletes = list(form.cleaned_data["athletes"])
    dated = plan_dates(
        block=block, start=form.cleaned_data["start"], weekdays=form.cleaned_data["weekdays"]
    )
    first = monday(min(d.date for d in dated))
    last = monday(max(d.date for d in dated)) + datetime.timedelta(days=6)
    calendars = build_calendars(
        athletes,
        first,
        last,
        today=local_today(request.user),
        distance_unit=request.user.distance_unit,
        weight_unit=request.user.weight_unit,
    )
    for weeks in calendars.values():
        add_proposed(weeks, dated)
    return [
        {"athlete": athlete, "weeks": calendars[athlete.pk], "sessions": len(dated)}
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
    context = {"program": block, "form": form, "preview": None}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("confirm") == "1":
                assignments = services.assignment_create(
                    block=block,
                    athletes=list(data["athletes"]),
                    start=data["start"],
                    weekdays=data["weekdays"],
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
            context["preview"] = _preview(request, block, form)
        except ValidationError as error:
            form.add_error(None, error)
    template = "programs/block_assign.html"
    if request.htmx and request.method == "POST":
        template += "#assign"
    return render(request, template, context)


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
