"""Today: the athlete's home on a phone. Today's strength session (or the next), each
exercise resolved to this athlete with what they did last time, one-tap set logging that
survives bad signal, the end of the session, and the day's run.

Sets normally arrive from static/js/today.js as JSON batches with ids made on the phone;
each set form also works as a plain POST (its id is rendered into the form, so a double
submit stores it once)."""

import datetime
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from athletes.models import CoachingLink, WeightUnit
from config.roles import athlete_required
from library.models import Exercise
from programs.blocks.forms import ExerciseChoiceForm
from programs.dose import load_for_athlete, resolved_kg, set_text
from programs.logbook import services
from programs.logbook.forms import FinishForm, RunDoneForm
from programs.models import (
    Flag,
    OneRepMax,
    Run,
    ScheduledPrescription,
    ScheduledSession,
    SessionComment,
    SessionStatus,
    SetLog,
)
from programs.schedule.forms import SkipForm
from programs.units import STEP, format_distance, kg_to_unit, local_today, round_to_plates


@dataclass
class ExerciseRow:
    prescription: ScheduledPrescription
    dose: str
    load: Decimal | None  # the suggested load in the athlete's unit, for the stepper
    logged: list[SetLog] = field(default_factory=list)
    last: list[SetLog] = field(default_factory=list)
    variants: list = field(default_factory=list)
    set_id: str = ""
    load_text: str = ""
    logged_lines: list = field(default_factory=list)
    last_text: str = ""

    @property
    def next_set(self) -> int:
        # After the highest number, not the count: numbers can have gaps (a set stored
        # under the next free number when two devices offered the same one).
        return max((log.set_number for log in self.logged), default=0) + 1


def _session_for(profile, today: datetime.date) -> ScheduledSession | None:
    """Today's session, done or not; else the next planned one."""
    sessions = ScheduledSession.objects.for_athlete(profile).select_related("assignment")
    return (
        sessions.filter(date=today).exclude(status=SessionStatus.SKIPPED).first()
        or sessions.filter(date__gt=today, status=SessionStatus.PLANNED).first()
    )


def _rows(session: ScheduledSession, profile, unit: str) -> list[ExerciseRow]:
    last_session = Subquery(
        SetLog.objects.filter(athlete=profile, exercise=OuterRef("exercise"))
        .exclude(session=session)
        .order_by("-performed_on", "-logged_at")
        .values("session")[:1]
    )
    prescriptions = list(
        session.prescriptions.select_related(
            "exercise", "exercise__easier", "swapped_from", "swapped_from__easier"
        )
        .prefetch_related("exercise__harder", "swapped_from__harder")
        .annotate(last_session=last_session)
        .order_by("order")
    )
    maxes = dict(OneRepMax.objects.filter(athlete=profile).values_list("exercise_id", "kg"))
    logged = SetLog.objects.filter(session=session).order_by("set_number", "logged_at")
    previous = SetLog.objects.filter(
        athlete=profile,
        session_id__in={p.last_session for p in prescriptions if p.last_session},
        exercise_id__in={p.exercise_id for p in prescriptions},
    ).order_by("set_number")
    rows = []
    for p in prescriptions:
        kg = resolved_kg(p, maxes)
        original = p.swapped_from or p.exercise
        variants = [e for e in [original.easier, *original.harder.all()] if e is not None]
        if p.swapped_from:
            variants = [original, *[v for v in variants if v.pk != p.exercise_id]]
        rows.append(
            ExerciseRow(
                prescription=p,
                dose=f"{p.sets}×{p.reps_text}{' per side' if p.per_side else ''}",
                load=None if kg is None else _stepper_load(kg, unit),
                variants=variants,
                set_id=str(uuid.uuid4()),
            )
        )
    by_rx = {row.prescription.pk: row for row in rows}
    for log in logged:
        if log.prescription_id in by_rx:
            by_rx[log.prescription_id].logged.append(log)
    for log in previous:
        for row in rows:
            p = row.prescription
            if log.session_id == p.last_session and log.exercise_id == p.exercise_id:
                row.last.append(log)
    for row in rows:
        row.load_text = load_for_athlete(row.prescription, maxes, unit)
        row.logged_lines = [
            (log, set_text(log, unit), _typed_load(log.load_kg, unit)) for log in row.logged
        ]
        if row.logged:
            # The load carries forward: the next set starts at what the last one lifted.
            last = max(row.logged, key=lambda log: (log.set_number, log.logged_at))
            if last.load_kg:
                row.load = Decimal(_typed_load(last.load_kg, unit))
        if row.last:
            day = row.last[0].performed_on
            row.last_text = f"{day:%a} {day.day} {day:%b}: " + ", ".join(
                set_text(log, unit) for log in row.last
            )
    return rows


def _typed_load(kg: Decimal | None, unit: str) -> str:
    """A logged load as the athlete typed it, in their unit ("" for none); the phone
    reads it from the page to carry it to the next set."""
    if kg is None:
        return ""
    return f"{kg_to_unit(kg, unit).quantize(Decimal('0.1')).normalize():f}"


def _stepper_load(kg: Decimal, unit: str) -> Decimal:
    """The load the stepper starts at: the weight the card shows (``format_weight``)."""
    return round_to_plates(kg_to_unit(kg, unit), unit).normalize()


def _context(request: HttpRequest) -> dict:
    profile = request.user.athlete_profile
    unit = request.user.weight_unit
    today = local_today(request.user)
    session = _session_for(profile, today)
    runs = [
        (run, format_distance(run.distance_m, request.user.distance_unit))
        for run in Run.objects.for_athlete(profile).filter(date=today)
    ]
    flags = list(
        Flag.objects.for_athlete(profile)
        .open()
        .filter(severity__in=["critical", "warning"], date__lte=today + datetime.timedelta(days=14))
        .by_urgency()
    )
    return {
        "profile": profile,
        "today": today,
        "session": session,
        "rows": _rows(session, profile, unit) if session else [],
        "comments": SessionComment.objects.filter(session=session).select_related("author")
        if session
        else [],
        "runs": runs,
        "flags": flags,
        "back": request.get_full_path(),
        "unit": unit,
        "step": STEP[WeightUnit(unit)],
        "distance_unit": request.user.distance_unit,
        "links": CoachingLink.objects.active().filter(athlete=profile).select_related("coach"),
        "finish_form": FinishForm(),
        "skip_form": SkipForm(),
        "rpe_choices": range(6, 11),
    }


@require_GET
@athlete_required
def today(request: HttpRequest) -> HttpResponse:
    return render(request, "programs/today.html", _context(request))


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


def _own_session(request: HttpRequest, session_id: int) -> ScheduledSession:
    return get_object_or_404(
        ScheduledSession.objects.for_athlete(request.user.athlete_profile).select_related(
            "athlete__user"
        ),
        pk=session_id,
    )


@require_POST
@athlete_required
def session_finish(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _own_session(request, session_id)
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


def _own_prescription(request: HttpRequest, prescription_id: int) -> ScheduledPrescription:
    return get_object_or_404(
        ScheduledPrescription.objects.filter(
            session__athlete=request.user.athlete_profile
        ).select_related("exercise", "swapped_from", "session__athlete"),
        pk=prescription_id,
    )


@require_POST
@athlete_required
def exercise_skip(request: HttpRequest, prescription_id: int) -> HttpResponse:
    prescription = _own_prescription(request, prescription_id)
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
    prescription = _own_prescription(request, prescription_id)
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
    run = get_object_or_404(Run.objects.for_athlete(request.user.athlete_profile), pk=run_id)
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
