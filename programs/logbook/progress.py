"""Progress read from the logged sets: estimated 1RM (Epley) per session, personal records,
and per week the sets per muscle group and compliance with the plan.

Everything is in kg and plain numbers; the reader's unit is applied when it is shown. Each
function costs a fixed number of queries however long the history: sets come back as rows
and the arithmetic is done here, so Epley has one definition (SQLite would do integer
division on a stored whole-kg load).
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Max, Q

from athletes.models import AthleteProfile
from config import sqlrows
from library.models import Exercise, ExerciseMuscle
from programs.models import ScheduledPrescription, SetLog
from programs.schedule.calendar import monday
from programs.units import local_today

CENT = Decimal("0.01")


def epley(load_kg: Decimal | None, reps: int | None) -> Decimal | None:
    """Estimated 1RM, load × (1 + reps/30), to the hundredth of a kg; None when there is
    nothing to estimate from (bodyweight, no load, a timed set, no rep)."""
    if load_kg is None or load_kg <= 0 or reps is None or reps < 1:
        return None
    return (Decimal(load_kg) * (30 + reps) / 30).quantize(CENT, rounding=ROUND_HALF_UP)


class _Bests:
    """The best e1RM and the best load at each rep count so far, walking sets in the order
    they were done; says whether the next set beats them.

    A record has to beat something: the first loaded set of an exercise, or the first set
    at a new rep count that does not also beat the best e1RM, is not one. Ties are not.
    """

    def __init__(self, rows: Iterable[tuple[int | None, Decimal | None]] = ()) -> None:
        self.e1rm: Decimal | None = None
        self.load_at: dict[int, Decimal] = {}
        for reps, load_kg in rows:
            self.add(reps, load_kg)

    def beaten_by(self, reps: int | None, load_kg: Decimal | None) -> bool:
        e1rm = epley(load_kg, reps)
        if e1rm is None:
            return False
        if self.e1rm is not None and e1rm > self.e1rm:
            return True
        best_load = self.load_at.get(reps)
        return best_load is not None and load_kg > best_load

    def add(self, reps: int | None, load_kg: Decimal | None) -> None:
        e1rm = epley(load_kg, reps)
        if e1rm is None:
            return
        if self.e1rm is None or e1rm > self.e1rm:
            self.e1rm = e1rm
        if load_kg > self.load_at.get(reps, Decimal(-1)):
            self.load_at[reps] = load_kg


@dataclass
class SessionPoint:
    """One session's sets of one exercise (or one day's, for sets logged outside a
    session's date)."""

    date: datetime.date
    session_id: int
    title: str
    sets: list[SetLog] = field(default_factory=list)
    best_e1rm: Decimal | None = None
    top_set: SetLog | None = None
    # Sets that beat everything logged before them when they were done.
    records: list[SetLog] = field(default_factory=list)


def _top_key(set_log: SetLog) -> tuple:
    e1rm = epley(set_log.load_kg, set_log.reps)
    return (e1rm or Decimal(-1), set_log.load_kg or Decimal(-1), set_log.reps or 0)


def exercise_history(athlete: AthleteProfile, exercise: Exercise | int) -> list[SessionPoint]:
    """Every session the athlete logged ``exercise`` in, oldest first. One query."""
    sets = (
        SetLog.objects.filter(athlete=athlete, exercise=exercise)
        .select_related("session")
        .order_by("performed_on", "logged_at", "set_number")
    )
    points: dict[tuple[datetime.date, int], SessionPoint] = {}
    bests = _Bests()
    for set_log in sets:
        key = (set_log.performed_on, set_log.session_id)
        point = points.get(key)
        if point is None:
            point = points[key] = SessionPoint(
                set_log.performed_on, set_log.session_id, set_log.session.title
            )
        point.sets.append(set_log)
        if bests.beaten_by(set_log.reps, set_log.load_kg):
            point.records.append(set_log)
        bests.add(set_log.reps, set_log.load_kg)
    for point in points.values():
        point.sets.sort(key=lambda s: (s.set_number, s.logged_at))
        point.top_set = max(point.sets, key=_top_key)
        point.best_e1rm = epley(point.top_set.load_kg, point.top_set.reps)
    return list(points.values())


@dataclass(frozen=True)
class RepRecord:
    reps: int
    load_kg: Decimal
    performed_on: datetime.date
    e1rm: Decimal


@dataclass
class PersonalRecords:
    best_e1rm: RepRecord | None = None
    # The heaviest load at each rep count, fewest reps first; the date is when it was
    # first lifted.
    by_reps: list[RepRecord] = field(default_factory=list)


def personal_records(athlete: AthleteProfile, exercise: Exercise | int) -> PersonalRecords:
    """The best e1RM and the best load at each rep count. One query."""
    rows = (
        SetLog.objects.filter(athlete=athlete, exercise=exercise, load_kg__gt=0, reps__gte=1)
        .order_by("performed_on", "logged_at")
        .values_list("reps", "load_kg", "performed_on")
    )
    best: RepRecord | None = None
    by_reps: dict[int, RepRecord] = {}
    for reps, load_kg, performed_on in rows:
        record = RepRecord(reps, load_kg, performed_on, epley(load_kg, reps))
        if best is None or record.e1rm > best.e1rm:
            best = record
        if reps not in by_reps or load_kg > by_reps[reps].load_kg:
            by_reps[reps] = record
    return PersonalRecords(best, [by_reps[reps] for reps in sorted(by_reps)])


def is_new_record(athlete: AthleteProfile, exercise: Exercise | int, set_log: SetLog) -> bool:
    """Whether ``set_log`` beats every set of ``exercise`` done before it: a higher e1RM,
    or a heavier load at its rep count. One query, whatever the history."""
    if epley(set_log.load_kg, set_log.reps) is None:
        return False
    earlier = Q(performed_on__lt=set_log.performed_on) | Q(
        performed_on=set_log.performed_on, logged_at__lt=set_log.logged_at
    )
    # The heaviest load at each rep count is all the history that matters: Epley grows
    # with the load, so the best e1RM is one of these.
    rows = (
        SetLog.objects.filter(earlier, athlete=athlete, exercise=exercise, load_kg__gt=0)
        .filter(reps__gte=1)
        .exclude(pk=set_log.pk)
        .order_by()
        .values("reps")
        .annotate(best=Max("load_kg"))
        .values_list("reps", "best")
    )
    return _Bests(rows).beaten_by(set_log.reps, set_log.load_kg)


def new_records(set_logs: Iterable[SetLog], history: list[tuple]) -> set:
    """The ids of ``set_logs`` (not yet stored) that set a record by the rule of
    ``is_new_record``: each judged against the sets done before it, stored or in the
    batch, so a set synced late from a queue counts as it would have on the day.
    ``history`` is the athlete's rows from a ``history_query`` whose prescriptions and
    days take in the sets' (set logging reads it with the batch's other reads)."""
    new = [s for s in set_logs if epley(s.load_kg, s.reps) is not None]
    if not new:
        return set()
    # Stored sets first on a tie: a set in the batch is judged against what came before.
    walk = sorted(
        [(day, at, 0, exercise, reps, load, None) for exercise, reps, load, day, at in history]
        + [(s.performed_on, s.logged_at, 1, s.exercise_id, s.reps, s.load_kg, s.pk) for s in new],
        key=lambda row: row[:3],
    )
    bests: dict[int, _Bests] = defaultdict(_Bests)
    records = set()
    for _day, _at, _batch, exercise, reps, load, pk in walk:
        if pk is not None and bests[exercise].beaten_by(reps, load):
            records.add(pk)
        bests[exercise].add(reps, load)
    return records


# The athlete's loaded sets on the exercises up to ``last``: those before ``first`` summed
# up per rep count (heaviest load, latest day and time), those from ``first`` on one row
# each. The sets before the batch's first day all come before each set in it: only their
# heaviest load at each rep count matters. The rest (the batch's days, usually today's few
# sets) come one row each, to walk in order. So the rows grow with the rep counts ever
# done, not with the history. Written in SQL because this is read on every set logged,
# and Django took 0.8 ms to build and compile the same query against 0.07 ms to run it
# (issue #17).
_HISTORY_SQL = """
    SELECT exercise_id, reps, MAX(load_kg), MAX(performed_on), MAX(logged_at)
    FROM {table}
    WHERE athlete_id = %s AND exercise_id IN ({exercises})
      AND load_kg > 0 AND reps >= 1 AND performed_on <= %s
    GROUP BY exercise_id, reps, CASE WHEN performed_on < %s THEN NULL ELSE {pk} END
"""
_EXERCISES_OF_SQL = "SELECT exercise_id FROM {table} WHERE {pk} IN ({prescriptions})"


def history_query(
    athlete_id: int, first: datetime.date, last: datetime.date, prescription_ids: set[int]
) -> sqlrows.Query:
    """The query ``new_records`` reads for the athlete's sets done from ``first`` to
    ``last`` of the exercises those prescriptions (anyone's: the sets read are the
    athlete's) prescribe. Any wider span or set of prescriptions gives the same records."""
    ops = connection.ops
    rx = ScheduledPrescription._meta
    sql = _HISTORY_SQL.format(
        table=ops.quote_name(SetLog._meta.db_table),
        exercises=_EXERCISES_OF_SQL.format(
            table=ops.quote_name(rx.db_table),
            pk=ops.quote_name(rx.pk.column),
            prescriptions=sqlrows.placeholders(prescription_ids),
        ),
        pk=ops.quote_name(SetLog._meta.pk.column),
    )
    params = [
        athlete_id,
        *prescription_ids,
        ops.adapt_datefield_value(last),
        ops.adapt_datefield_value(first),
    ]
    fields = [SetLog._meta.get_field(f) for f in ("load_kg", "performed_on", "logged_at")]
    return sql, params, [None, None, *fields]


@dataclass(frozen=True)
class ExerciseProgress:
    exercise_id: int
    name: str
    sets: int
    last_done: datetime.date
    latest_e1rm: Decimal | None
    best_e1rm: Decimal | None


def exercise_summaries(athlete: AthleteProfile) -> list[ExerciseProgress]:
    """Each exercise the athlete logged, last done first, with the e1RM of its latest
    session and its best. Two queries: grouped by day and rep count in the database, so
    the rows grow with sessions, not sets."""
    logged = (
        SetLog.objects.filter(athlete=athlete)
        .order_by()
        .values("exercise_id", "exercise__name")
        .annotate(sets=Count("pk"), last_done=Max("performed_on"))
    )
    heaviest = (
        SetLog.objects.filter(athlete=athlete, load_kg__gt=0, reps__gte=1)
        .order_by()
        .values("exercise_id", "performed_on", "reps")
        .annotate(best=Max("load_kg"))
        .values_list("exercise_id", "performed_on", "reps", "best")
    )
    by_day: dict[int, dict[datetime.date, Decimal]] = defaultdict(dict)
    for exercise_id, performed_on, reps, load_kg in heaviest:
        e1rm = epley(load_kg, reps)
        days = by_day[exercise_id]
        if performed_on not in days or e1rm > days[performed_on]:
            days[performed_on] = e1rm
    summaries = []
    for row in logged:
        days = by_day.get(row["exercise_id"], {})
        summaries.append(
            ExerciseProgress(
                exercise_id=row["exercise_id"],
                name=row["exercise__name"],
                sets=row["sets"],
                last_done=row["last_done"],
                latest_e1rm=days[max(days)] if days else None,
                best_e1rm=max(days.values()) if days else None,
            )
        )
    summaries.sort(key=lambda s: s.name.casefold())
    summaries.sort(key=lambda s: s.last_done, reverse=True)
    return summaries


@dataclass
class WeekProgress:
    """One Monday-to-Sunday week: what was done against what was planned."""

    start: datetime.date
    # (muscle label, sets) in the library's muscle order.
    muscle_sets: list[tuple[str, int]] = field(default_factory=list)
    done_sets: int = 0
    planned_sets: int = 0

    @property
    def end(self) -> datetime.date:
        return self.start + datetime.timedelta(days=6)

    @property
    def compliance(self) -> int | None:
        """Done sets as a whole percentage of planned sets; above 100 when the athlete
        did extra."""
        if not self.planned_sets:
            return None
        percent = Decimal(self.done_sets * 100) / self.planned_sets
        return int(percent.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def weekly_summary(
    athlete: AthleteProfile, *, weeks: int = 8, today: datetime.date | None = None
) -> list[WeekProgress]:
    """The last ``weeks`` weeks to the one holding ``today`` (the athlete's), oldest first.

    Sets per muscle group count what the body did that week, by the day each set was
    performed; a set counts once for each primary muscle of its exercise. Compliance
    compares the week's planned sessions with what was logged against them, so a session
    done a day late still counts for the week it was planned in. Planned sets include
    skipped sessions and skipped exercises: they were planned. Three queries.
    """
    today = today or local_today(athlete.user)
    first = monday(today) - datetime.timedelta(weeks=weeks - 1)
    last = monday(today) + datetime.timedelta(days=6)
    summary = {
        first + datetime.timedelta(weeks=n): WeekProgress(first + datetime.timedelta(weeks=n))
        for n in range(weeks)
    }

    logs = list(
        SetLog.objects.filter(athlete=athlete)
        .filter(Q(performed_on__range=(first, last)) | Q(session__date__range=(first, last)))
        .order_by()
        .values_list("performed_on", "session__date", "exercise_id")
    )
    muscles: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for exercise_id, order, label in ExerciseMuscle.objects.filter(
        primary=True, exercise_id__in={exercise_id for _, _, exercise_id in logs}
    ).values_list("exercise_id", "muscle__order", "muscle__label"):
        muscles[exercise_id].append((order, label))

    counts: dict[datetime.date, Counter] = defaultdict(Counter)
    for performed_on, session_date, exercise_id in logs:
        if first <= performed_on <= last:
            for muscle in muscles[exercise_id]:
                counts[monday(performed_on)][muscle] += 1
        if first <= session_date <= last:
            summary[monday(session_date)].done_sets += 1
    for start, counter in counts.items():
        summary[start].muscle_sets = [(label, n) for (_, label), n in sorted(counter.items())]

    for session_date, sets in ScheduledPrescription.objects.filter(
        session__athlete=athlete, session__date__range=(first, last)
    ).values_list("session__date", "sets"):
        summary[monday(session_date)].planned_sets += sets
    return list(summary.values())
