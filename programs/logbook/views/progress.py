"""Progress, for the athlete and for their coach: each exercise's estimated 1RM over time
and personal records, per week the sets per muscle group and compliance with the plan, and
beside them the running planned and done.

Loads and distances are shown in the reader's units: a coach reads an athlete's progress in
their own."""

from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from athletes.models import AthleteProfile
from athletes.permissions import get_athlete_for_coach
from config.roles import athlete_required, coach_required
from library.models import Exercise
from programs.dose import set_text
from programs.logbook.charts import bar_chart, line_chart
from programs.logbook.progress import (
    exercise_history,
    exercise_summaries,
    personal_records,
    weekly_summary,
)
from programs.logbook.running import running_volume
from programs.models import OneRepMax
from programs.schedule.wayfinding import athlete_page
from programs.units import format_weight, kg_to_unit


def _weight(kg: Decimal | None, unit: str) -> str:
    return format_weight(kg, unit, plates=False) if kg is not None else ""


def _urls(request: HttpRequest, athlete: AthleteProfile) -> dict[str, str]:
    if athlete.user_id == request.user.pk:
        return {
            "progress_url": reverse("progress:mine"),
            "calendar_url": reverse("schedule:calendar"),
            "maxes_url": reverse("schedule:maxes"),
        }
    return {
        "progress_url": reverse("progress:athlete", args=[athlete.pk]),
        "calendar_url": reverse("schedule:athlete_calendar", args=[athlete.pk]),
        "maxes_url": reverse("schedule:athlete_maxes", args=[athlete.pk]),
    }


def _exercise_url(request: HttpRequest, athlete: AthleteProfile, exercise_id: int) -> str:
    if athlete.user_id == request.user.pk:
        return reverse("progress:exercise", args=[exercise_id])
    return reverse("progress:athlete_exercise", args=[athlete.pk, exercise_id])


def _overview(request: HttpRequest, athlete: AthleteProfile) -> HttpResponse:
    unit = request.user.weight_unit
    maxes = dict(
        OneRepMax.objects.filter(athlete=athlete).order_by().values_list("exercise_id", "kg")
    )
    exercises = [
        {
            "summary": summary,
            "url": _exercise_url(request, athlete, summary.exercise_id),
            "latest": _weight(summary.latest_e1rm, unit),
            "best": _weight(summary.best_e1rm, unit),
            "recorded": _weight(maxes.get(summary.exercise_id), unit),
        }
        for summary in exercise_summaries(athlete)
    ]
    weeks = weekly_summary(athlete)
    this_week = weeks[-1]
    return render(
        request,
        "programs/progress.html",
        {
            "athlete": athlete,
            "own": athlete.user_id == request.user.pk,
            "exercises": exercises,
            "weeks": weeks,
            "this_week": this_week,
            "muscle_chart": bar_chart(
                this_week.muscle_sets,
                unit_label="sets",
                title="Sets per muscle group this week",
                chart_id="muscle-sets",
            )
            if this_week.muscle_sets
            else "",
            "running": running_volume(athlete, unit=request.user.distance_unit),
            **_urls(request, athlete),
        },
    )


def _exercise(request: HttpRequest, athlete: AthleteProfile, exercise_id: int) -> HttpResponse:
    exercise = get_object_or_404(Exercise, pk=exercise_id)
    history = exercise_history(athlete, exercise)
    if not history:
        raise Http404("No sets of this exercise are logged.")
    records = personal_records(athlete, exercise)
    recorded = OneRepMax.objects.filter(athlete=athlete, exercise=exercise).first()
    unit = request.user.weight_unit
    points = [
        (point.date, float(kg_to_unit(point.best_e1rm, unit)))
        for point in history
        if point.best_e1rm is not None
    ]
    sessions = [
        {
            "point": point,
            "best": _weight(point.best_e1rm, unit),
            "sets": [(set_text(s, unit), s in point.records) for s in point.sets],
        }
        for point in reversed(history)
    ]
    latest = history[-1]
    best = records.best_e1rm
    return render(
        request,
        "programs/exercise_progress.html",
        {
            "athlete": athlete,
            "own": athlete.user_id == request.user.pk,
            "exercise": exercise,
            "unit": unit,
            "chart": line_chart(
                points,
                unit_label=unit,
                title=f"Estimated 1RM per session, {exercise.name}",
                chart_id="e1rm",
            )
            if points
            else "",
            "sessions": sessions,
            "new_records": [set_text(s, unit) for s in latest.records],
            "latest": latest,
            "best": best,
            "best_text": _weight(best.e1rm, unit) if best else "",
            "best_set": f"{best.reps} × {_weight(best.load_kg, unit)}" if best else "",
            "by_reps": [(r, _weight(r.load_kg, unit)) for r in records.by_reps],
            "recorded": recorded,
            "recorded_text": _weight(recorded.kg, unit) if recorded else "",
            # The recorded 1RM is what % loads resolve from: worth updating once lifts beat it.
            "above_recorded": bool(recorded and best and best.e1rm > recorded.kg),
            **_urls(request, athlete),
        },
    )


@require_GET
@athlete_page("progress")
def progress(request: HttpRequest) -> HttpResponse:
    return _overview(request, request.user.athlete_profile)


@require_GET
@athlete_required
def exercise_progress(request: HttpRequest, exercise_id: int) -> HttpResponse:
    return _exercise(request, request.user.athlete_profile, exercise_id)


@require_GET
@coach_required
def athlete_progress(request: HttpRequest, athlete_id: int) -> HttpResponse:
    return _overview(request, get_athlete_for_coach(request.user, athlete_id))


@require_GET
@coach_required
def athlete_exercise_progress(
    request: HttpRequest, athlete_id: int, exercise_id: int
) -> HttpResponse:
    return _exercise(request, get_athlete_for_coach(request.user, athlete_id), exercise_id)
