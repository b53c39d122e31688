"""The 1RMs that % loads resolve from: the athlete's own page and their coach's."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from athletes.models import AthleteProfile
from athletes.permissions import get_athlete_for_coach
from config.roles import athlete_required, coach_required
from library.models import Exercise
from programs.models import LoadType, OneRepMax, ScheduledPrescription
from programs.schedule import services
from programs.schedule.forms import OneRepMaxForm
from programs.units import format_weight


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
