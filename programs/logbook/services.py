"""Logging a session from the phone: sets sent in batches (stored once whatever the number
of times they are sent), the end of the session, skipping or swapping an exercise, and
the day's run marked done.

Every set is checked and answered on its own: stored, already stored, or refused with a
message the phone shows beside it. Nothing is dropped silently.
"""

import datetime
import functools
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from athletes.models import AthleteProfile, WeightUnit
from config import sqlrows
from library.models import Exercise
from programs import caching
from programs.conflicts.services import conflicts_sync
from programs.logbook.progress import history_query, new_records
from programs.models import (
    BodyArea,
    PainNote,
    Run,
    RunStatus,
    ScheduledPrescription,
    ScheduledSession,
    SessionStatus,
    SetLog,
)
from programs.models.logging import MAX_LOAD_KG, MAX_REPS
from programs.schedule.runs import run_update
from programs.units import local_today, unit_to_kg

logger = logging.getLogger(__name__)

MAX_BATCH = 100
# A set logged ahead of the athlete's calendar day (a phone clock off, a time zone
# crossed) is allowed a day; beyond that it is a mistake.
FUTURE_SLACK = datetime.timedelta(days=1)
PAST_LIMIT = datetime.timedelta(days=366)
NO_ID = "This set has no id: log it again."
MAX_SET_NUMBER = 50  # the model's set_log_number_1_to_50
# What logging reads of a session: whether it can take sets, and what marking it done
# changes.
SESSION_FIELDS = ("athlete", "status", "date", "updated_at")


class Status:
    STORED = "stored"
    DUPLICATE = "duplicate"
    INVALID = "invalid"


@dataclass
class SetResult:
    id: str
    status: str
    message: str = ""
    field: str = ""
    new_record: bool = False
    # The number the set is stored under, when it is not the one sent (see _set_logs_store).
    set_number: int | None = None

    def to_json(self) -> dict:
        data = {"id": self.id, "status": self.status}
        if self.message:
            data["message"], data["field"] = self.message, self.field
        if self.new_record:
            data["new_record"] = True
        if self.set_number is not None:
            data["set"] = self.set_number
        return data


class _RefusedError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _number(data: Mapping, field: str, *, label: str, low, high, whole: bool):
    value = data.get(field)
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise _RefusedError(field, f"{label} must be a number.") from None
    if not number.is_finite() or (whole and number != number.to_integral_value()):
        raise _RefusedError(field, f"{label} must be a whole number." if whole else f"{label}?")
    if not low <= number <= high:
        raise _RefusedError(field, f"{label} must be between {low} and {high}.")
    return int(number) if whole else number


def _performed_on(data: Mapping, today: datetime.date) -> datetime.date:
    """The day the set says it was done, if a set can be logged on it."""
    try:
        performed_on = datetime.date.fromisoformat(str(data.get("performed_on")))
    except ValueError:
        raise _RefusedError(
            "performed_on", "The day of the set is missing or not a date."
        ) from None
    if performed_on > today + FUTURE_SLACK:
        raise _RefusedError("performed_on", "A set can't be logged for a day still to come.")
    if performed_on < today - PAST_LIMIT:
        raise _RefusedError("performed_on", "That day is more than a year ago.")
    return performed_on


def _parse(
    data: Mapping,
    *,
    sessions: Mapping[int, ScheduledSession],
    prescriptions: Mapping[int, ScheduledPrescription],
    today: datetime.date,
    unit: str,
) -> SetLog:
    session = sessions.get(_int(data.get("session")))
    if session is None:
        raise _RefusedError("session", "This session is not in your plan.")
    if session.status == SessionStatus.SKIPPED:
        raise _RefusedError("session", "This session was skipped: plan it again to log it.")
    prescription = None
    if data.get("prescription") not in (None, ""):
        try:
            prescription = prescriptions[int(data["prescription"])]
        except (TypeError, ValueError, KeyError):
            raise _RefusedError("prescription", "This exercise is not in the session.") from None
        if prescription.session_id != session.pk:
            raise _RefusedError("prescription", "This exercise is not in the session.")
    if prescription is None:
        raise _RefusedError("prescription", "Say which exercise of the session this set is for.")
    set_number = _number(data, "set", label="Set number", low=1, high=MAX_SET_NUMBER, whole=True)
    if set_number is None:
        raise _RefusedError("set", "Set number is missing.")
    reps = _number(data, "reps", label="Reps", low=0, high=MAX_REPS, whole=True)
    duration = _number(data, "duration", label="Time", low=1, high=3600, whole=True)
    if reps is None and duration is None:
        raise _RefusedError("reps", "Enter the reps (or the time) you did.")
    load = _number(data, "load", label="Load", low=0, high=10**4, whole=False)
    load_kg = None
    if load is not None:
        load_kg = unit_to_kg(load, unit).quantize(Decimal("0.01"))
        if load_kg > MAX_LOAD_KG:
            limit = "500 kg" if unit == WeightUnit.KG else "1102 lb"
            raise _RefusedError("load", f"Load must be at most {limit}.")
    rpe = _number(data, "rpe", label="RPE", low=1, high=10, whole=False)
    performed_on = _performed_on(data, today)
    try:
        logged_at = parse_datetime(str(data.get("logged_at") or "")) or timezone.now()
    except ValueError:
        raise _RefusedError("logged_at", "The time of the set is not a real time.") from None
    if timezone.is_naive(logged_at):
        logged_at = timezone.make_aware(logged_at, datetime.UTC)
    return SetLog(
        session=session,
        prescription=prescription,
        exercise_id=prescription.exercise_id,
        set_number=set_number,
        reps=reps,
        duration_s=duration,
        load_kg=load_kg,
        rpe=rpe,
        performed_on=performed_on,
        logged_at=min(logged_at, timezone.now()),
    )


def set_logs_record(
    *, athlete: AthleteProfile, items: Sequence[Mapping], unit: str
) -> list[SetResult]:
    """Store a batch of sets from the phone, each once, in a fixed number of queries.

    ``unit`` is the unit loads are typed in. A session with a set logged is done, on
    the day its sets were done (the conflict rules count it there).

    The sets are committed before the flags are recomputed, in a transaction of their
    own: a recompute that fails (a lock wait cut short, a deadlock) is logged and leaves
    the flags as they were, to be recomputed by the athlete's next change, and the
    answer still says stored, which is true. Failing the batch for it would roll back
    sets the athlete did, and the phone would send them again into the same failure.
    """
    results, recompute = _set_logs_store(athlete=athlete, items=items, unit=unit)
    if any(result.status == Status.STORED for result in results):
        # After the sets' commit, not inside it: on SQLite the write lock is held no longer.
        caching.athlete_changed(athlete)
    if recompute:
        try:
            conflicts_sync(athletes=[athlete])
        except DatabaseError:
            # conflicts_sync is atomic: inside a caller's transaction its savepoint is
            # rolled back, and the caller's writes (these sets) stand.
            logger.exception("Flags of athlete %s not recomputed after sets", athlete.pk)
    return results


def _set_logs_store(
    *, athlete: AthleteProfile, items: Sequence[Mapping], unit: str
) -> tuple[list[SetResult], bool]:
    """The sets stored, and whether the flags need recomputing.

    Set numbers never collide: a set sent with a number its exercise already has under
    another id (two tabs, two phones, or a page cached before the other sets were logged,
    each offering "set 3") is stored as the exercise's next free number, and its result
    says which. Two batches for the same exercises number their sets one after the
    other: PostgreSQL locks the exercises' rows for it, in one transaction with the
    batch's reads. SQLite locks the whole database for any write instead, so there the
    reads come first and the write transaction holds only the numbering and the insert:
    every other process's writes wait for as long as it lasts.
    """
    if len(items) > MAX_BATCH:
        raise ValidationError(
            "Send at most %(max)s sets at a time.", code="batch_too_big", params={"max": MAX_BATCH}
        )
    if connection.features.has_select_for_update:
        with transaction.atomic():
            return _set_logs_check_and_store(athlete=athlete, items=items, unit=unit)
    try:
        return _set_logs_check_and_store(athlete=athlete, items=items, unit=unit)
    except IntegrityError:
        if connection.in_atomic_block:
            raise  # a caller's transaction: it is theirs to end
        # A session read before the write was taken out of the plan in between (the
        # coach unassigned the block): the sets are checked again, read and written in
        # one transaction, and each answered as the plan is now.
        with transaction.atomic():
            return _set_logs_check_and_store(athlete=athlete, items=items, unit=unit)


def _set_logs_check_and_store(
    *, athlete: AthleteProfile, items: Sequence[Mapping], unit: str
) -> tuple[list[SetResult], bool]:
    ids: list[str] = []
    for item in items:
        try:
            ids.append(str(uuid.UUID(str(item.get("id")))))
        except (ValueError, AttributeError):
            ids.append("")
    today = local_today(athlete.user)
    # In this transaction on PostgreSQL, after the targets' locks: the sets stored already,
    # read with the other reads. SQLite reads them in its write transaction below.
    reads = _batch_read(
        athlete, items, ids, today, stored=connection.features.has_select_for_update
    )
    # Each set checked, before the write: the set, or why it is refused.
    parsed: list[SetLog | _RefusedError | None] = []
    for set_id, item in zip(ids, items, strict=True):
        if not set_id:
            parsed.append(None)
            continue
        try:
            log = _parse(
                item,
                sessions=reads.sessions,
                prescriptions=reads.prescriptions,
                today=today,
                unit=unit,
            )
        except _RefusedError as refused:
            parsed.append(refused)
            continue
        log.id, log.athlete = uuid.UUID(set_id), athlete
        parsed.append(log)
    # Against what was stored before this batch (a batch replayed from a queue may hold
    # older sets than some already stored; they are judged in the order done).
    logs = [p for p in parsed if isinstance(p, SetLog)]
    records = {str(pk) for pk in new_records(logs, reads.history)}
    with transaction.atomic(savepoint=False):
        return _set_logs_number_and_store(athlete, items, ids, parsed, records, stored=reads.stored)


# The sets stored under a batch's ids (id → owner, number), and the numbers its exercises
# have (prescription → numbers).
type _Stored = tuple[dict[uuid.UUID, tuple[int, int]], defaultdict[int, set[int]]]


@dataclass
class _BatchReads:
    sessions: dict[int, ScheduledSession]
    prescriptions: dict[int, ScheduledPrescription]
    history: list[tuple]  # progress.history_query's rows, for new_records
    stored: _Stored | None  # _sets_stored's answer, when read here


def _batch_read(
    athlete: AthleteProfile,
    items: Sequence[Mapping],
    ids: list[str],
    today: datetime.date,
    *,
    stored: bool,
) -> _BatchReads:
    """What checking the batch reads, in one round trip on PostgreSQL (issue #17: each
    round trip cost more than its statement):
    - the athlete's sessions and exercises the batch names, locked for the numbering
      where the database locks rows (a no-op on SQLite);
    - the athlete's history on those exercises, for records, over the days the batch's
      sets can be on;
    - with ``stored``, the sets already stored under the batch's ids and the set numbers
      its exercises have (``_sets_stored``), read after the locks are held.
    The athlete is in each WHERE clause: a session or an exercise of anyone else's is not
    found, as with the access helpers. A session named with none of its exercises (a set
    refused) is read on its own, for the message.

    In SQL: Django took longer to build these queries than PostgreSQL took to answer
    them (issue #17)."""
    session_ids = {_int(item.get("session")) for item in items} - {None}
    named = {_int(item.get("prescription")) for item in items} - {None}
    set_ids = [i for i in ids if i]
    queries: dict[str, sqlrows.Query] = {}  # run in this order: the locks first
    if named and session_ids:
        queries["targets"] = _targets_query(athlete, named, session_ids)
    if named and (days := _days_sent(items, today)):
        queries["history"] = history_query(athlete.pk, min(days), max(days), named)
    if stored and (query := _stored_query(set_ids, named)):
        queries["stored"] = query
    answers = dict(zip(queries, sqlrows.rows_together(list(queries.values())), strict=True))
    sessions: dict[int, ScheduledSession] = {}
    prescriptions: dict[int, ScheduledPrescription] = {}
    for prescription in _targets_made(answers.get("targets", [])):
        prescription.session = sessions.setdefault(prescription.session_id, prescription.session)
        prescriptions[prescription.pk] = prescription
    found = _stored_made(answers.get("stored", []), set_ids, named) if stored else None
    if missing := session_ids - sessions.keys():
        sessions.update(
            (s.pk, s)
            for s in ScheduledSession.objects.filter(athlete=athlete, pk__in=missing).only(
                *SESSION_FIELDS
            )
        )
    return _BatchReads(sessions, prescriptions, answers.get("history", []), found)


def _days_sent(items: Sequence[Mapping], today: datetime.date) -> set[datetime.date]:
    """The days the batch's sets say they were done, of those a set can be logged on
    (``_parse`` refuses the others)."""
    days = set()
    for item in items:
        try:
            days.add(_performed_on(item, today))
        except _RefusedError:
            continue
    return days


# Only placeholders and quoted names are put in.
_TARGETS_SQL = (
    "SELECT {columns} FROM {rx} INNER JOIN {session} ON {rx_session} = {session_id}"
    " WHERE {rx_id} IN ({prescriptions}) AND {rx_session} IN ({sessions}) AND {athlete} = %s"
)


@functools.cache
def _target_fields() -> tuple[list, list]:
    """The fields the targets query reads: the prescription's (id, session, exercise),
    then its session's (``SESSION_FIELDS``)."""
    rx_fields = [
        f
        for f in ScheduledPrescription._meta.concrete_fields
        if f.primary_key or f.name in ("session", "exercise")
    ]
    session_fields = [
        f
        for f in ScheduledSession._meta.concrete_fields
        if f.primary_key or f.name in SESSION_FIELDS
    ]
    return rx_fields, session_fields


def _targets_query(
    athlete: AthleteProfile, prescription_ids: set[int], session_ids: set[int]
) -> sqlrows.Query:
    """The prescriptions among ``prescription_ids`` of the athlete's sessions among
    ``session_ids``, each with its session, both rows locked ``FOR UPDATE`` where the
    database can (``_targets_made`` makes the rows model objects)."""
    ops = connection.ops
    rx_fields, session_fields = _target_fields()

    def column(field) -> str:
        return f"{ops.quote_name(field.model._meta.db_table)}.{ops.quote_name(field.column)}"

    rx, session = ScheduledPrescription._meta, ScheduledSession._meta
    sql = _TARGETS_SQL.format(
        columns=", ".join(column(f) for f in [*rx_fields, *session_fields]),
        rx=ops.quote_name(rx.db_table),
        session=ops.quote_name(session.db_table),
        rx_session=column(rx.get_field("session")),
        session_id=column(session.pk),
        rx_id=column(rx.pk),
        prescriptions=sqlrows.placeholders(prescription_ids),
        sessions=sqlrows.placeholders(session_ids),
        athlete=column(session.get_field("athlete")),
    )
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    params = [*prescription_ids, *session_ids, athlete.pk]
    return sql, params, [*rx_fields, *session_fields]


def _targets_made(rows: list[tuple]) -> list[ScheduledPrescription]:
    rx_fields, session_fields = _target_fields()
    found = []
    for row in rows:
        prescription = ScheduledPrescription.from_db(
            connection.alias, [f.attname for f in rx_fields], row[: len(rx_fields)]
        )
        prescription.session = ScheduledSession.from_db(
            connection.alias, [f.attname for f in session_fields], row[len(rx_fields) :]
        )
        found.append(prescription)
    return found


def _set_logs_number_and_store(
    athlete: AthleteProfile,
    items: Sequence[Mapping],
    ids: list[str],
    parsed: Sequence[SetLog | _RefusedError | None],
    records: set[str],
    *,
    stored: _Stored | None,
) -> tuple[list[SetResult], bool]:
    """In the write transaction: the sets already stored under the batch's ids, the set
    numbers taken (``stored``, when read already), and the new sets numbered and stored.
    A set already stored is answered as such, whatever its check says now (its session
    may be done since)."""
    if stored is None:
        logged = {log.prescription_id for log in parsed if isinstance(log, SetLog)}
        stored = _sets_stored([i for i in ids if i], logged)
    existing, taken = stored
    results: list[SetResult] = []
    new: list[SetLog] = []
    seen: dict[str, int] = {}  # id → set number, for the sets this batch stores
    for set_id, item, log in zip(ids, items, parsed, strict=True):
        if not set_id:
            results.append(SetResult(str(item.get("id", "")), Status.INVALID, NO_ID, "id"))
            continue
        owner, stored_number = existing.get(uuid.UUID(set_id), (None, None))
        if set_id in seen or owner == athlete.pk:
            # A retry whose first answer was lost learns the number the set got.
            number = seen.get(set_id, stored_number)
            moved = number if number != _int(item.get("set")) else None
            results.append(SetResult(set_id, Status.DUPLICATE, set_number=moved))
            continue
        if owner is not None:
            results.append(SetResult(set_id, Status.INVALID, "This set id is taken.", "id"))
            continue
        try:
            if isinstance(log, _RefusedError):
                raise log
            moved = _number_apart(log, taken[log.prescription_id])
        except _RefusedError as refused:
            results.append(SetResult(set_id, Status.INVALID, refused.message, refused.field))
            continue
        seen[set_id] = log.set_number
        new.append(log)
        results.append(
            SetResult(set_id, Status.STORED, set_number=moved, new_record=set_id in records)
        )
    if new:
        # A retry racing this request can't store a set twice: the id is the primary key.
        sqlrows.insert(new)
    # The rules read a session's day and status, not its sets: only a session that
    # became done, or moved to the day it was done, changes the flags.
    return results, bool(new and _mark_done(new))


# Only placeholders and quoted names are put in.
_STORED_SQL = "SELECT {id}, athlete_id, prescription_id, set_number FROM {table} WHERE {where}"


def _sets_stored(set_ids: list[str], prescription_ids: Iterable[int]) -> _Stored:
    """In one query: the sets already stored under ``set_ids`` (id → owner, number), and
    the set numbers the prescriptions already have (prescription → numbers).

    In SQL: read on every set logged, inside SQLite's write lock, and Django took longer
    to build this query than the database to answer it (issue #17)."""
    query = _stored_query(set_ids, prescription_ids)
    return _stored_made(sqlrows.rows(*query) if query else [], set_ids, prescription_ids)


def _stored_query(set_ids: list[str], prescription_ids: Iterable[int]) -> sqlrows.Query | None:
    pk = SetLog._meta.pk
    ops = connection.ops
    where, params = [], []
    if set_ids:
        wanted = set(set_ids)
        where.append(f"{ops.quote_name(pk.column)} IN ({sqlrows.placeholders(wanted)})")
        params += [pk.get_db_prep_value(set_id, connection) for set_id in wanted]
    if prescription_ids:
        prescription_ids = set(prescription_ids)
        where.append(f"prescription_id IN ({sqlrows.placeholders(prescription_ids)})")
        params += prescription_ids
    if not where:
        return None
    sql = _STORED_SQL.format(
        id=ops.quote_name(pk.column),
        table=ops.quote_name(SetLog._meta.db_table),
        where=" OR ".join(where),
    )
    return sql, params, [pk, None, None, None]


def _stored_made(rows: list[tuple], set_ids: list[str], prescription_ids: Iterable[int]) -> _Stored:
    wanted, prescription_ids = set(set_ids), set(prescription_ids)
    existing: dict[uuid.UUID, tuple[int, int]] = {}
    taken: defaultdict[int, set[int]] = defaultdict(set)
    for set_id, owner, prescription_id, number in rows:
        if str(set_id) in wanted:
            existing[set_id] = (owner, number)
        if prescription_id in prescription_ids:
            taken[prescription_id].add(number)
    return existing, taken


def _number_apart(log: SetLog, numbers: set[int]) -> int | None:
    """Give ``log`` a number its exercise has no set under yet (``numbers``, which it
    joins); the new number when it had to move, else None."""
    moved = None
    if log.set_number in numbers:
        if max(numbers) >= MAX_SET_NUMBER:
            raise _RefusedError("set", f"This exercise already has {MAX_SET_NUMBER} sets.")
        log.set_number = moved = max(numbers) + 1
    numbers.add(log.set_number)
    return moved


def _int(value) -> int | None:
    """A primary key from the phone, or None: a number past the database's range is no
    session of anyone's."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _mark_done(logs: Sequence[SetLog]) -> list[ScheduledSession]:
    """Sessions with sets logged are done, on the (latest) day of those sets; returns the
    sessions that changed."""
    changed = {}
    for log in logs:
        session = log.session
        day = (
            max(log.performed_on, changed[session.pk].date)
            if session.pk in changed
            else (log.performed_on)
        )
        if session.status != SessionStatus.DONE or session.date != day:
            session.status, session.date = SessionStatus.DONE, day
            changed[session.pk] = session
    now = timezone.now()
    for session in changed.values():
        session.updated_at = now  # bulk_update skips auto_now; the feed reads it
    ScheduledSession.objects.bulk_update(changed.values(), ["status", "date", "updated_at"])
    return list(changed.values())


@transaction.atomic
def session_finish(
    *,
    session: ScheduledSession,
    rpe: int | None,
    notes: str,
    pain_area: str = "",
    pain_score: int | None = None,
    pain_note: str = "",
    today: datetime.date | None = None,
) -> ScheduledSession:
    """Close a session with how it went, and a pain flag when the athlete felt some."""
    if session.status == SessionStatus.SKIPPED:
        raise ValidationError("This session was skipped.", code="skipped")
    today = today or local_today(session.athlete.user)
    # Done ahead of plan: it counts on the day it was done.
    session.date = min(session.date, today)
    session.status = SessionStatus.DONE
    session.rpe, session.notes = rpe, notes.strip()
    session.completed_at = timezone.now()
    session.full_clean(exclude={"athlete", "assignment", "source"})
    session.save()
    if pain_area:
        if pain_area not in BodyArea.values or pain_score is None:
            raise ValidationError("Say where it hurts and how much (0–10).", code="pain")
        note = PainNote(
            athlete=session.athlete,
            session=session,
            date=session.date,
            area=pain_area,
            score=pain_score,
            note=pain_note.strip(),
        )
        note.full_clean()
        note.save()
    conflicts_sync(athletes=[session.athlete])
    return session


@transaction.atomic
def prescription_skip(*, prescription: ScheduledPrescription, reason: str) -> ScheduledPrescription:
    if not reason.strip():
        raise ValidationError("Say why you skip it.", code="no_reason")
    prescription.skip_reason = reason.strip()[:200]
    prescription.save(update_fields=["skip_reason"])
    caching.athletes_changed([prescription.session.athlete_id])
    return prescription


@transaction.atomic
def prescription_swap(
    *, prescription: ScheduledPrescription, exercise: Exercise
) -> ScheduledPrescription:
    """Do a variant instead: the plan keeps what was prescribed in ``swapped_from``."""
    original = prescription.swapped_from or prescription.exercise
    allowed = {original.easier_id, *original.harder.values_list("pk", flat=True)} - {None}
    if exercise.pk not in allowed and exercise.pk != original.pk:
        raise ValidationError("Pick one of the variants of this exercise.", code="not_a_variant")
    prescription.exercise = exercise
    prescription.swapped_from = None if exercise.pk == original.pk else original
    prescription.save(update_fields=["exercise", "swapped_from"])
    conflicts_sync(athletes=[prescription.session.athlete])
    return prescription


@transaction.atomic
def run_mark_done(*, run: Run, distance_m: int | None, duration_s: int | None) -> Run:
    return run_update(
        run=run,
        data={
            "status": RunStatus.DONE,
            "actual_distance_m": distance_m,
            "actual_duration_s": duration_s,
        },
    )
