"""Reads that build the logbook's pages: Today, the athlete's home on a phone (today's
strength session or the next, each exercise resolved to this athlete with what they did
last time, the day's runs, the worst open flags ahead and their coaches)."""

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, DecimalField, F, OuterRef, Subquery, Value, When

from athletes.models import AthleteProfile, CoachingLink, User, WeightUnit
from programs.dose import load_for_athlete, resolved_kg, set_text
from programs.models import (
    Flag,
    LoadType,
    OneRepMax,
    Run,
    ScheduledPrescription,
    ScheduledSession,
    SessionComment,
    SessionStatus,
    SetLog,
)
from programs.units import STEP, format_distance, kg_to_unit, local_today, round_to_plates

# Today is for the workout: it names the worst few flags and leaves the rest, with their
# messages and fixes, to the calendar.
TODAY_FLAGS = 2


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
    summary: str = ""  # the sets done, once the prescribed number is: "3 × 10 @ 40 kg"

    @property
    def next_set(self) -> int:
        # After the highest number, not the count: numbers can have gaps (a set stored
        # under the next free number when two devices offered the same one).
        return max((log.set_number for log in self.logged), default=0) + 1

    @property
    def done(self) -> bool:
        """The prescribed sets are logged: the card folds to its summary (static/js/today.js
        decides the same on the phone, from the sets on screen)."""
        p = self.prescription
        return not p.skip_reason and len(self.logged) >= p.sets > 0


@dataclass
class MoreFlags:
    """The open flags Today leaves to the calendar, and where the calendar shows them: the
    week they share, else the month of the first."""

    count: int
    view: str
    at: datetime.date


@dataclass
class TodayPage:
    """Today's data; the template reads each field as a top-level name."""

    profile: AthleteProfile
    today: datetime.date
    session: ScheduledSession | None
    rows: list[ExerciseRow]
    comments: list[SessionComment]
    runs: list[tuple[Run, str]]
    flags: list[Flag]  # the worst ``TODAY_FLAGS``, critical first
    more_flags: MoreFlags | None
    unit: str
    step: Decimal
    distance_unit: str
    links: list[CoachingLink]
    left_text: str = ""  # "2 of 5 exercises left", "All done"
    # Whether any exercise has a superset letter, which the page then explains.
    has_superset: bool = False

    def __post_init__(self) -> None:
        self.has_superset = any(row.prescription.superset for row in self.rows)


def today_page_data(*, user: User) -> TodayPage:
    profile = user.athlete_profile
    unit = user.weight_unit
    today = local_today(user)
    session = _session_for(profile, today)
    runs = [
        (run, format_distance(run.distance_m, user.distance_unit))
        for run in Run.objects.for_athlete(profile).filter(date=today)
    ]
    flags = list(
        Flag.objects.for_athlete(profile)
        .open()
        .filter(severity__in=["critical", "warning"], date__lte=today + datetime.timedelta(days=14))
        .by_urgency()
    )
    shown, rest = flags[:TODAY_FLAGS], flags[TODAY_FLAGS:]
    rows = _rows(session, profile, unit) if session else []
    return TodayPage(
        profile=profile,
        today=today,
        session=session,
        rows=rows,
        comments=list(SessionComment.objects.filter(session=session).select_related("author"))
        if session
        else [],
        runs=runs,
        flags=shown,
        more_flags=_more_flags(rest),
        unit=unit,
        step=STEP[WeightUnit(unit)],
        distance_unit=user.distance_unit,
        links=list(CoachingLink.objects.active().filter(athlete=profile).select_related("coach")),
        left_text=left_text(rows),
    )


def left_text(rows: list[ExerciseRow]) -> str:
    """What is left of the session; a skipped exercise is not left. static/js/today.js
    writes the same words as sets are logged."""
    if not rows:
        return ""
    left = sum(1 for row in rows if not row.done and not row.prescription.skip_reason)
    if left == 0:
        return "All done"
    return f"{left} of {len(rows)} exercise{'' if len(rows) == 1 else 's'} left"


def _more_flags(rest: list[Flag]) -> MoreFlags | None:
    if not rest:
        return None
    first = min(flag.date for flag in rest)
    last = max(flag.date for flag in rest)
    same_week = first.isocalendar()[:2] == last.isocalendar()[:2]
    return MoreFlags(count=len(rest), view="week" if same_week else "month", at=first)


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
    # The loads to start the stepper at come with the prescriptions (no query of their
    # own): the last load lifted on the exercise, and for a dose by feel the last load
    # lifted at that effort (RIR n is RPE 10 - n).
    earlier = (
        SetLog.objects.filter(athlete=profile, exercise=OuterRef("exercise"), load_kg__gt=0)
        .exclude(session=session)
        .order_by("-performed_on", "-logged_at", "-set_number")
    )
    target_rpe = Case(
        When(load_type=LoadType.RPE, then=F("load_value")),
        When(load_type=LoadType.RIR, then=Value(Decimal(10)) - F("load_value")),
        output_field=DecimalField(max_digits=6, decimal_places=2),
    )
    prescriptions = list(
        session.prescriptions.select_related(
            "exercise", "exercise__easier", "swapped_from", "swapped_from__easier"
        )
        .prefetch_related("exercise__harder", "swapped_from__harder")
        .annotate(
            last_session=last_session,
            last_load=Subquery(earlier.values("load_kg")[:1]),
            target_rpe=target_rpe,
        )
        .annotate(
            rpe_load=Case(
                When(
                    target_rpe__isnull=False,
                    then=Subquery(earlier.filter(rpe=OuterRef("target_rpe")).values("load_kg")[:1]),
                )
            )
        )
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
        original = p.swapped_from or p.exercise
        variants = [e for e in [original.easier, *original.harder.all()] if e is not None]
        if p.swapped_from:
            variants = [original, *[v for v in variants if v.pk != p.exercise_id]]
        rows.append(
            ExerciseRow(
                prescription=p,
                dose=p.amount_text,
                load=suggested_load(p, maxes, unit),
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
        if row.done:
            row.summary = sets_summary(row.logged, unit)
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


def suggested_load(p: ScheduledPrescription, maxes: dict, unit: str) -> Decimal | None:
    """The load (in ``unit``) one tap logs before any set of the session is: the last
    load lifted on the exercise, as it was typed; else the prescription's (a % 1RM
    resolved from the athlete's 1RM, or its kg), rounded to plates; by feel (RPE, RIR),
    the last load lifted at that effort, else the last load; none for bodyweight. ``p``
    carries ``last_load`` and ``rpe_load`` (see ``_rows``). Sets logged in the session
    then carry their load forward."""
    if p.load_type == LoadType.BODYWEIGHT:
        return None
    if p.load_type in (LoadType.RPE, LoadType.RIR):
        lifted = p.rpe_load or p.last_load
    else:
        lifted = p.last_load
    if lifted:
        return Decimal(_typed_load(lifted, unit))
    kg = resolved_kg(p, maxes)
    return None if kg is None else _stepper_load(kg, unit)


def sets_summary(logs: list[SetLog], unit: str) -> str:
    """A finished exercise in a line: "3 × 10 @ 40 kg", or each set when they differ
    ("3 sets: 10 @ 40 kg, 10 @ 40 kg, 8 @ 40 kg"). static/js/today.js writes the same
    from the sets on screen."""
    parts = []
    for log in logs:
        amount = str(log.reps) if log.reps is not None else f"{log.duration_s} s"
        parts.append(
            f"{amount} @ {_typed_load(log.load_kg, unit)} {unit}" if log.load_kg else amount
        )
    if len(set(parts)) == 1:
        return f"{len(parts)} × {parts[0]}"
    return f"{len(parts)} sets: " + ", ".join(parts)


def _typed_load(kg: Decimal | None, unit: str) -> str:
    """A logged load as the athlete typed it, in their unit ("" for none); the phone
    reads it from the page to carry it to the next set."""
    if kg is None:
        return ""
    return f"{kg_to_unit(kg, unit).quantize(Decimal('0.1')).normalize():f}"


def _stepper_load(kg: Decimal, unit: str) -> Decimal:
    """The load the stepper starts at: the weight the card shows (``format_weight``)."""
    return round_to_plates(kg_to_unit(kg, unit), unit).normalize()
