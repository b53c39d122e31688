"""Today: the athlete's home on a phone. Today's strength session (or the next), each
exercise resolved to this athlete with what they did last time, one-tap set logging that
survives bad signal, the end of the session, and the day's run.

Sets normally arrive from static/js/today.js as JSON batches with ids made on the phone;
each set form also works as a plain POST (its id is rendered into the form, so a double
submit stores it once)."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from config import pagecache
from config.roles import athlete_required
from library.models import Exercise
from programs import caching
from programs.blocks.forms import ExerciseChoiceForm
from programs.logbook import services
from programs.logbook.forms import FinishForm, RunDoneForm
from programs.logbook.selectors import today_page_data
from programs.permissions import (
    get_run_for_athlete,
    get_scheduled_prescription_for_athlete,
    get_scheduled_session_for_athlete,
)
from programs.schedule.forms import SkipForm
from programs.units import local_today


@require_GET
@athlete_required
def today(request: HttpRequest) -> HttpResponse:
    """Cached per athlete until their data changes (``programs.caching``): a phone opens it
    between every set, and it only changes when something is logged or planned."""
    user = request.user
    key = pagecache.key(
        "today",
        user.pk,
        caching.athlete_version(user.athlete_profile.pk),
        caching.library_version(),
        local_today(user),
        user.weight_unit,
        user.distance_unit,
    )

    def context() -> dict:
        return {
            **vars(today_page_data(user=user)),
            "finish_form": FinishForm(),
            "skip_form": SkipForm(),
            "rpe_choices": range(6, 11),
        }

    return pagecache.render_cached(request, "programs/today.html", key, context)


@require_POST
@athlete_required
def set_sync(request: HttpRequest) -> HttpResponse:
    """A batch of sets from the phone's queue: ``{"sets": [...]}`` → ``{"results": [...]}``,
    one result per set, in order."""
    try:
        body = json.loads(request.body or b"{}")
        items = body["sets"]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": 'Send {"sets": [...]} as JSON.'}, status=400)
    try:
        results = services.set_logs_record(
            athlete=request.user.athlete_profile, items=items, unit=request.user.weight_unit
        )
    except ValidationError as error:
        return JsonResponse({"error": error.messages[0]}, status=400)
    return JsonResponse({"results": [r.to_json() for r in results]})


@require_POST
@athlete_required
def set_log(request: HttpRequest) -> HttpResponse:
    """The same for one set from a plain form, without JavaScript."""
    (result,) = services.set_logs_record(
        athlete=request.user.athlete_profile,
        items=[request.POST.dict()],
        unit=request.user.weight_unit,
    )
    if result.status == services.Status.INVALID:
        messages.error(request, f"Set not saved: {result.message}")
    elif result.new_record:
        messages.success(request, "New record!")
    return redirect("athlete_home")


@require_POST
@athlete_required
def session_finish(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_scheduled_session_for_athlete(request.user, session_id)
    form = FinishForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.session_finish(
                session=session,
                rpe=data["rpe"],
                notes=data["notes"],
                pain_area=data["pain_area"],
                pain_score=data["pain_score"],
                pain_note=data["pain_note"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Session done. Well trained!")
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("athlete_home")


@require_POST
@athlete_required
def exercise_skip(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = get_scheduled_prescription_for_athlete(request.user, prescription_id)
    form = SkipForm(request.POST)
    if form.is_valid():
        services.prescription_skip(prescription=prescription, reason=form.cleaned_data["reason"])
        messages.info(request, f"Skipped {prescription.exercise.name}.")
    else:
        messages.error(request, form.errors["reason"][0])
    return redirect("athlete_home")


@require_POST
@athlete_required
def exercise_swap(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = get_scheduled_prescription_for_athlete(request.user, prescription_id)
    form = ExerciseChoiceForm(request.POST, exercises=Exercise.objects.published())
    if not form.is_valid():
        messages.error(request, form.errors["exercise"][0])
        return redirect("athlete_home")
    exercise = form.cleaned_data["exercise"]
    try:
        services.prescription_swap(prescription=prescription, exercise=exercise)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.info(request, f"Doing {exercise.name} instead.")
    return redirect("athlete_home")


@require_POST
@athlete_required
def run_done(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_run_for_athlete(request.user, run_id)
    form = RunDoneForm(request.POST, unit=request.user.distance_unit)
    if form.is_valid():
        services.run_mark_done(
            run=run,
            distance_m=form.cleaned_data["distance_m"],
            duration_s=form.cleaned_data["duration_s"],
        )
        messages.success(request, f"{run.get_run_type_display()} done.")
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("athlete_home")
