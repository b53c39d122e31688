"""An athlete's logs against their prescription, as the coach reviews them and as the CSV
export writes them: for each prescribed exercise the sets done, marked done, changed or
skipped.

Loads are judged as the athlete loaded the bar: plan and set are both rounded to the plates
of the athlete's unit, so 60 kg planned and 130 lb lifted is the plan. A % 1RM load is
judged only when the 1RM on record was already in place on the session's day, because a
retest since would make every older session look light; without one, only reps count.
Loads are shown in the reader's unit.
"""

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from athletes.models import AthleteProfile
from library.models import Exercise
from programs.dose import dose_for_athlete, resolved_kg
from programs.models import (
    LoadType,
    OneRepMax,
    PainNote,
    ScheduledPrescription,
    ScheduledSession,
    SessionComment,
    SessionStatus,
    SetLog,
)
from programs.units import format_weight, kg_to_unit, round_to_plates

COLUMNS = (
    "date",
    "session",
    "exercise",
    "set",
    "reps",
    "load",
    "unit",
    "rpe",
    "duration_s",
    "planned",
    "status",
)
# Rows fetched at a time while streaming: memory stays flat however long the history.
CHUNK = 500

# Each 1RM in kg by exercise id, with the day from which it has been on record.
Maxes = Mapping[int, tuple[Decimal, datetime.date]]


class Mark(StrEnum):
    DONE = "done"
    CHANGED = "changed"
    SKIPPED = "skipped"
    NOT_LOGGED = "not logged"


@dataclass(frozen=True)
class SetDone:
    log: SetLog
    load: str  # in the reader's unit; "" for bodyweight
    mark: Mark
    changes: tuple[str, ...]

    @property
    def text(self) -> str:
        """ "5 × 60 kg", "5", "40 s × 10 kg"."""
        log = self.log
        amount = str(log.reps) if log.reps is not None else f"{log.duration_s} s"
        return f"{amount} × {self.load}" if self.load else amount


@dataclass(frozen=True)
class ExerciseLog:
    exercise: Exercise
    prescription: ScheduledPrescription | None  # None: done without being planned
    planned: str
    sets: tuple[SetDone, ...]
    mark: Mark
    changes: tuple[str, ...]
    skip_reason: str


@dataclass(frozen=True)
class SessionLog:
    session: ScheduledSession
    exercises: tuple[ExerciseLog, ...]


def logged_sessions(athlete: AthleteProfile) -> QuerySet[ScheduledSession]:
    """The sessions the athlete did something about: logged a set or pain, or marked
    done or skipped."""
    return ScheduledSession.objects.for_athlete(athlete).filter(
        Q(status__in=[SessionStatus.DONE, SessionStatus.SKIPPED])
        | Exists(SetLog.objects.filter(session=OuterRef("pk")))
        | Exists(PainNote.objects.filter(session=OuterRef("pk")))
    )


def _prescriptions() -> QuerySet[ScheduledPrescription]:
    return ScheduledPrescription.objects.select_related("exercise", "swapped_from")


def with_logs(sessions: QuerySet[ScheduledSession]) -> QuerySet[ScheduledSession]:
    """Everything the review page shows of each session, in four more queries in all."""
    return sessions.select_related("assignment").prefetch_related(
        Prefetch("prescriptions", queryset=_prescriptions().order_by("order")),
        Prefetch("set_logs", queryset=SetLog.objects.select_related("exercise")),
        "pain_notes",
        Prefetch("comments", queryset=SessionComment.objects.select_related("author")),
    )


def maxes_on_record(athlete: AthleteProfile) -> dict[int, tuple[Decimal, datetime.date]]:
    zone = zoneinfo.ZoneInfo(athlete.user.time_zone)
    rows = (
        OneRepMax.objects.filter(athlete=athlete)
        .order_by()
        .values_list("exercise_id", "kg", "updated_at")
    )
    return {e: (kg, updated_at.astimezone(zone).date()) for e, kg, updated_at in rows}


def review_sessions(
    sessions: Iterable[ScheduledSession], *, athlete: AthleteProfile, unit: str
) -> list[SessionLog]:
    """Sessions fetched ``with_logs``, each against its prescription."""
    maxes = maxes_on_record(athlete)
    return [
        review_session(
            session,
            list(session.prescriptions.all()),
            list(session.set_logs.all()),
            maxes=maxes,
            unit=unit,
            athlete_unit=athlete.user.weight_unit,
        )
        for session in sessions
    ]


def review_session(
    session: ScheduledSession,
    prescriptions: Sequence[ScheduledPrescription],
    set_logs: Sequence[SetLog],
    *,
    maxes: Maxes,
    unit: str,
    athlete_unit: str,
) -> SessionLog:
    """``session`` against its prescriptions (in order), then whatever the athlete did that
    was not planned. ``unit`` is the reader's, ``athlete_unit`` the one they loaded in."""
    on_the_day = {e: kg for e, (kg, since) in maxes.items() if since <= session.date}
    planned_ids = {p.pk for p in prescriptions}
    by_prescription: dict[int, list[SetLog]] = defaultdict(list)
    unplanned: dict[int, list[SetLog]] = defaultdict(list)
    for log in set_logs:
        if log.prescription_id in planned_ids:
            by_prescription[log.prescription_id].append(log)
        else:
            unplanned[log.exercise_id].append(log)
    exercises = [
        _review_prescription(
            session, p, by_prescription[p.pk], on_the_day, unit=unit, athlete_unit=athlete_unit
        )
        for p in prescriptions
    ]
    exercises += [_review_unplanned(logs, unit) for logs in unplanned.values()]
    return SessionLog(session=session, exercises=tuple(exercises))


def _review_prescription(
    session: ScheduledSession,
    prescription: ScheduledPrescription,
    logs: list[SetLog],
    maxes: Mapping[int, Decimal],
    *,
    unit: str,
    athlete_unit: str,
) -> ExerciseLog:
    planned = dose_for_athlete(prescription, maxes, unit)
    if not logs:
        finished = prescription.skip_reason or session.status != SessionStatus.PLANNED
        return ExerciseLog(
            exercise=prescription.exercise,
            prescription=prescription,
            planned=planned,
            sets=(),
            mark=Mark.SKIPPED if finished else Mark.NOT_LOGGED,
            changes=(),
            skip_reason=prescription.skip_reason,
        )
    target_kg = resolved_kg(prescription, maxes)
    sets = []
    for log in logs:
        changes = _set_changes(log, prescription, target_kg, athlete_unit)
        mark = Mark.CHANGED if changes or prescription.swapped_from_id else Mark.DONE
        sets.append(SetDone(log=log, load=_load_text(log, unit), mark=mark, changes=changes))
    changes = []
    if prescription.swapped_from_id:
        changes.append(f"swapped from {prescription.swapped_from.name}")
    if len(logs) != prescription.sets:
        changes.append(f"{len(logs)} of {prescription.sets} sets")
    # The set count already says there were extra sets.
    for change in (c for done in sets for c in done.changes if c != "extra set"):
        if change not in changes:
            changes.append(change)
    return ExerciseLog(
        exercise=prescription.exercise,
        prescription=prescription,
        planned=planned,
        sets=tuple(sets),
        mark=Mark.CHANGED if changes else Mark.DONE,
        changes=tuple(changes),
        skip_reason=prescription.skip_reason,
    )


def _review_unplanned(logs: list[SetLog], unit: str) -> ExerciseLog:
    changes = ("not in the plan",)
    return ExerciseLog(
        exercise=logs[0].exercise,
        prescription=None,
        planned="",
        sets=tuple(
            SetDone(log=log, load=_load_text(log, unit), mark=Mark.CHANGED, changes=changes)
            for log in logs
        ),
        mark=Mark.CHANGED,
        changes=changes,
        skip_reason="",
    )


def _set_changes(
    log: SetLog,
    prescription: ScheduledPrescription,
    target_kg: Decimal | None,
    athlete_unit: str,
) -> tuple[str, ...]:
    changes = []
    if log.exercise_id != prescription.exercise_id:
        changes.append(f"did {log.exercise.name}")
    if log.set_number > prescription.sets:
        changes.append("extra set")
    if prescription.reps_min is not None:
        top = prescription.reps_max or prescription.reps_min
        if log.reps is None or not prescription.reps_min <= log.reps <= top:
            changes.append("reps")
    elif prescription.duration_s is not None and log.duration_s != prescription.duration_s:
        changes.append("time")
    if prescription.load_type == LoadType.BODYWEIGHT:
        if log.load_kg:
            changes.append("load")
    elif target_kg is not None and (
        log.load_kg is None
        or _plates(log.load_kg, athlete_unit) != _plates(target_kg, athlete_unit)
    ):
        changes.append("load")
    return tuple(changes)


def _plates(kg: Decimal, unit: str) -> Decimal:
    return round_to_plates(kg_to_unit(kg, unit), unit)


def _load_text(log: SetLog, unit: str) -> str:
    return format_weight(log.load_kg, unit, plates=False) if log.load_kg else ""


class _Following:
    """Rows of one kind (prescriptions, sets) read alongside the sessions they belong to,
    both in session order, so one query of each streams the whole history."""

    def __init__(self, rows: QuerySet, *order: str) -> None:
        rows = rows.annotate(session_date=F("session__date"))
        self._rows = rows.order_by("session__date", "session_id", *order).iterator(CHUNK)
        self._next = None

    def take(self, session: ScheduledSession) -> list:
        key = (session.date, session.pk)
        taken = []
        while True:
            if self._next is None:
                self._next = next(self._rows, None)
                if self._next is None:
                    return taken
            row_key = (self._next.session_date, self._next.session_id)
            if row_key > key:
                return taken
            if row_key == key:
                taken.append(self._next)
            # A row of a session moved since the sessions were read is left behind.
            self._next = None


def export_rows(*, athlete: AthleteProfile, unit: str) -> Iterator[list[str]]:
    """The CSV rows, header first, oldest session first: one row per set, one per skipped
    exercise and one per skipped session. Loads in ``unit``, the reader's."""
    yield list(COLUMNS)
    sessions = logged_sessions(athlete).order_by("date", "pk")
    prescriptions = _Following(_prescriptions().filter(session__in=sessions), "order")
    set_logs = _Following(
        SetLog.objects.select_related("exercise").filter(session__in=sessions),
        "set_number",
        "logged_at",
    )
    maxes = maxes_on_record(athlete)
    for session in sessions.iterator(CHUNK):
        review = review_session(
            session,
            prescriptions.take(session),
            set_logs.take(session),
            maxes=maxes,
            unit=unit,
            athlete_unit=athlete.user.weight_unit,
        )
        yield from _session_rows(review, unit)


def _session_rows(review: SessionLog, unit: str) -> Iterator[list[str]]:
    session = review.session
    title = session.title or "Strength"
    skipped = session.status == SessionStatus.SKIPPED
    if skipped:
        yield [session.date.isoformat(), title, "", "", "", "", "", "", "", "", Mark.SKIPPED]
    for exercise in review.exercises:
        if exercise.mark == Mark.SKIPPED and not skipped:
            yield [
                session.date.isoformat(),
                title,
                exercise.exercise.name,
                "",
                "",
                "",
                "",
                "",
                "",
                exercise.planned,
                Mark.SKIPPED,
            ]
        planned = exercise.planned
        if exercise.prescription and exercise.prescription.swapped_from_id:
            planned = f"{planned} (swapped from {exercise.prescription.swapped_from.name})"
        for done in exercise.sets:
            log = done.log
            load = "" if not log.load_kg else kg_to_unit(log.load_kg, unit).quantize(Decimal("0.1"))
            yield [
                log.performed_on.isoformat(),
                title,
                log.exercise.name,
                str(log.set_number),
                _text(log.reps),
                _text(load),
                unit if load else "",
                _text(log.rpe),
                _text(log.duration_s),
                planned,
                done.mark,
            ]


def _text(value: int | Decimal | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)
