"""The conflict engine against the database: load an athlete's plan as plain data, run the
engine, and keep the stored flags in step, acknowledgements included.

Loading reads plain rows (no model instances) in a fixed number of queries per batch of
athletes, because a season is hundreds of sessions and thousands of prescriptions each.
"""

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import FloatField, Max, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from athletes.models import AthleteProfile, CoachingLink, User
from library.models import Exercise
from programs import caching, conflicts
from programs.conflicts.model import LONG_RUN_WINDOW_DAYS, NOT_RUNS
from programs.models import (
    ConflictSettings,
    Flag,
    LoadType,
    OneRepMax,
    Run,
    RunStatus,
    RunType,
    ScheduledPrescription,
    ScheduledSession,
    SessionStatus,
    SetLog,
)
from programs.units import local_today

# Enough history for the rules that look back: a load spike against the four weeks before,
# and the run of loading weeks before a deload.
LOOK_BACK = datetime.timedelta(weeks=10)
BATCH = 100


@dataclass(frozen=True)
class Plan:
    """One athlete's plan as the engine reads it."""

    sessions: tuple[conflicts.StrengthSession, ...]
    runs: tuple[conflicts.Run, ...]
    thresholds: conflicts.Thresholds
    today: datetime.date
    distance_unit: str


def thresholds_for(athletes: Sequence[AthleteProfile]) -> dict[int, conflicts.Thresholds]:
    """Each athlete's thresholds: those of the coach who has coached them longest, or the
    defaults."""
    links = (
        CoachingLink.objects.active()
        .filter(athlete__in=athletes)
        .order_by("athlete_id", "started_at", "pk")
        .values_list("athlete_id", "coach_id")
    )
    coach_of: dict[int, int] = {}
    for athlete_id, coach_id in links:
        coach_of.setdefault(athlete_id, coach_id)
    saved = {
        s.coach_id: s.thresholds()
        for s in ConflictSettings.objects.filter(coach_id__in=set(coach_of.values()))
    }
    return {a.pk: saved.get(coach_of.get(a.pk), conflicts.Thresholds()) for a in athletes}


def load_kg(load_type: str, value: float | None, one_rm: float | None) -> float | None:
    if load_type == LoadType.KG and value is not None:
        return value
    if load_type == LoadType.PERCENT_1RM and value is not None and one_rm is not None:
        return one_rm * value / 100
    return None


def load_plans(
    athletes: Sequence[AthleteProfile], *, since: datetime.date | None = None
) -> dict[int, Plan]:
    """The plans of ``athletes`` (with ``user`` loaded) from ten weeks before ``since``
    (default: their today), in seven queries."""
    todays = {a.pk: local_today(a.user) for a in athletes}
    first = (since or min(todays.values(), default=timezone.localdate())) - LOOK_BACK
    sessions = ScheduledSession.objects.filter(athlete__in=athletes, date__gte=first).exclude(
        status=SessionStatus.SKIPPED
    )
    maxes = {
        (athlete_id, exercise_id): float(kg)
        for athlete_id, exercise_id, kg in OneRepMax.objects.filter(
            athlete__in=athletes
        ).values_list("athlete_id", "exercise_id", "kg")
    }
    rows = list(
        ScheduledPrescription.objects.filter(session__in=sessions)
        .order_by("session_id", "order")
        .values_list(
            "session_id",
            "session__athlete_id",
            "exercise_id",
            "sets",
            "reps_min",
            "load_type",
            # As a float: converting 10⁵ Decimals costs more than the rules that read them.
            Cast("load_value", FloatField()),
        )
    )
    exercises = {
        row[0]: row[1:]
        for row in Exercise.objects.filter(pk__in={r[2] for r in rows}).values_list(
            "pk",
            "name",
            "load_class",
            "foot_contacts_per_rep",
            "easier__name",
            "easier__load_class",
        )
    }
    # A squad's sessions repeat the same few doses: one frozen Item serves them all.
    shared: dict[tuple, conflicts.Item] = {}
    items: dict[int, list[conflicts.Item]] = defaultdict(list)
    for session_id, athlete_id, exercise_id, sets, reps, load_type, value in rows:
        one_rm = maxes.get((athlete_id, exercise_id))
        key = (exercise_id, sets, reps, load_type, value, one_rm)
        item = shared.get(key)
        if item is None:
            name, load_class, contacts, easier, easier_class = exercises[exercise_id]
            item = shared[key] = conflicts.Item(
                exercise=name,
                load_class=load_class,
                sets=sets,
                reps=reps,
                load_type=load_type,
                load_value=value,
                load_kg=load_kg(load_type, value, one_rm),
                foot_contacts=contacts,
                easier=easier,
                easier_load_class=easier_class,
                one_rm_kg=one_rm,
            )
        items[session_id].append(item)
    by_athlete: dict[int, list[conflicts.StrengthSession]] = defaultdict(list)
    # A move stays inside the session's assignment: from its start date to the last day of
    # its last week (start + weeks * 7 - 1). The weeks are counted from the assignment's own
    # sessions (skipped ones too), not from the block, which may have been edited or deleted
    # since; a correlated subquery, so no query is added.
    weeks = Subquery(
        ScheduledSession.objects.filter(assignment=OuterRef("assignment_id"))
        .order_by()
        .values("assignment_id")
        .annotate(weeks=Max("week_number"))
        .values("weeks")[:1]
    )
    # A session's time: when its first set was logged, on the athlete's clock; until then,
    # the time it is planned for. Also a correlated subquery, so no query is added.
    first_set = Subquery(
        SetLog.objects.filter(session=OuterRef("pk")).order_by("logged_at").values("logged_at")[:1]
    )
    zones = {a.pk: zoneinfo.ZoneInfo(a.user.time_zone) for a in athletes}
    for row in sessions.values_list(
        "pk",
        "athlete_id",
        "date",
        "title",
        "phase",
        "status",
        "assignment__start_date",
        weeks,
        "start_time",
        first_set,
    ):
        pk, athlete_id, date, title, phase, status, start, last_week, planned, logged = row
        when = planned if logged is None else logged.astimezone(zones[athlete_id]).time()
        by_athlete[athlete_id].append(
            conflicts.StrengthSession(
                id=str(pk),
                date=date,
                title=title or "Strength",
                start_time=when,
                items=tuple(items[pk]),
                phase=phase,
                done=status == SessionStatus.DONE,
                earliest=start,
                latest=start + datetime.timedelta(days=last_week * 7 - 1) if last_week else None,
            )
        )
    runs: dict[int, list[conflicts.Run]] = defaultdict(list)
    zones = {a.pk: zoneinfo.ZoneInfo(a.user.time_zone) for a in athletes}
    # Runs from four weeks further back: whether a run is long depends on the runs of the
    # LONG_RUN_WINDOW_DAYS before it.
    runs_from = first - datetime.timedelta(days=LONG_RUN_WINDOW_DAYS)
    for row in (
        Run.objects.filter(athlete__in=athletes, date__gte=runs_from)
        .exclude(status=RunStatus.SKIPPED)
        .exclude(run_type=RunType.REST)
        .values_list(
            "pk",
            "athlete_id",
            "date",
            "run_type",
            "title",
            "distance_m",
            "duration_s",
            "start_time",
            "race_priority",
            "status",
            "actual_distance_m",
            "started_at",
        )
    ):
        pk, athlete_id, date, run_type, title, distance, duration, start, priority = row[:9]
        status, actual, started_at = row[9:]
        if started_at is not None:
            # Done from a watch file: when it really started, on the athlete's clock.
            start = started_at.astimezone(zones[athlete_id]).time()
        runs[athlete_id].append(
            conflicts.Run(
                str(pk),
                date,
                run_type,
                title,
                distance,
                duration,
                start,
                priority,
                done=status == RunStatus.DONE,
                actual_distance_m=actual,
            )
        )
    thresholds = thresholds_for(athletes)
    return {
        a.pk: Plan(
            sessions=tuple(by_athlete[a.pk]),
            runs=tuple(runs[a.pk]),
            thresholds=thresholds[a.pk],
            today=todays[a.pk],
            distance_unit=a.user.distance_unit,
        )
        for a in athletes
    }


def recent_distances(athlete: AthleteProfile, *, before: datetime.date) -> list[int]:
    """The distances (metres) of ``athlete``'s runs of the LONG_RUN_WINDOW_DAYS days before
    ``before`` (that day not included), as ``is_long_by_distance`` reads them: a done run's
    done distance, else its planned one; skipped runs, rest days, cross-training and runs
    without a distance left out. One query, for one athlete and one day (typing a new run);
    the engine counts them itself from the runs ``load_plans`` loads for a batch."""
    rows = (
        Run.objects.for_athlete(athlete)
        .filter(date__gte=before - datetime.timedelta(days=LONG_RUN_WINDOW_DAYS), date__lt=before)
        .exclude(status=RunStatus.SKIPPED)
        .exclude(run_type__in=NOT_RUNS)
        .values_list("status", "actual_distance_m", "distance_m")
    )
    distances = (
        actual if status == RunStatus.DONE and actual else planned
        for status, actual, planned in rows
    )
    return [distance for distance in distances if distance]


def evaluate_plan(plan: Plan, *, suggest: bool = True) -> list[conflicts.Flag]:
    """The plan's flags from the Monday of the athlete's week on: older ones are history
    nobody can act on."""
    this_monday = plan.today - datetime.timedelta(days=plan.today.weekday())
    flags = conflicts.evaluate(
        plan.sessions,
        plan.runs,
        plan.thresholds,
        distance_unit=plan.distance_unit,
        suggest=suggest,
        today=plan.today,
    )
    return [f for f in flags if f.date >= this_monday]


def suggestion_data(suggestion: conflicts.Suggestion | None) -> dict | None:
    """The suggestion as JSON; written out by hand, as ``asdict`` costs more than the
    engine for a squad's worth of flags."""
    if suggestion is None:
        return None
    changes = []
    for change in suggestion.changes:
        data = {"index": change.index}
        for name in ("exercise", "load_class", "load_type", "load_value", "sets"):
            value = getattr(change, name)
            if value is not None:
                data[name] = value
        if change.drop:
            data["drop"] = True
        changes.append(data)
    return {
        "kind": suggestion.kind,
        "session_id": suggestion.session_id,
        "to_date": suggestion.to_date.isoformat() if suggestion.to_date else None,
        "changes": changes,
        "text": suggestion.text,
    }


@dataclass(frozen=True)
class SyncReport:
    created: int
    updated: int
    removed: int
    kept: int


STORED_FIELDS = ("severity", "date", "message", "suggestion", "session_ids", "run_ids", "code")


def _row(athlete_id: int, flag: conflicts.Flag) -> Flag:
    return Flag(
        athlete_id=athlete_id,
        code=flag.code,
        severity=flag.severity,
        date=flag.date,
        message=flag.message,
        suggestion=suggestion_data(flag.suggestion),
        session_ids=list(flag.session_ids),
        run_ids=list(flag.run_ids),
        fingerprint=flag.fingerprint,
    )


@transaction.atomic
def conflicts_sync(*, athletes: Iterable[AthleteProfile]) -> SyncReport:
    """Recompute and store the flags of ``athletes``. Idempotent: a flag raised again keeps
    its row and its acknowledgement; one no longer raised is deleted."""
    # In pk order, so that two syncs of overlapping squads lock their athletes in one order.
    athletes = sorted(athletes, key=lambda a: a.pk)
    created = updated = removed = kept = 0
    for start in range(0, len(athletes), BATCH):
        ids = [a.pk for a in athletes[start : start + BATCH]]
        # Syncs of one athlete take turns: each reads the stored flags, then deletes, inserts
        # and updates against what it read, so two at once (two phones logging the first
        # set of a session) would insert the same fingerprint and fail on the unique
        # constraint, or undo each other's writes. The lock is held to the commit, and the
        # next sync's reads, made after it, see this one's flags. (``ignore_conflicts``
        # would only hide the insert clash, not the lost updates.) SQLite has no row locks;
        # its write transactions start IMMEDIATE (settings), which serializes them anyway.
        batch = list(
            AthleteProfile.objects.select_related("user")
            .select_for_update(of=("self",))
            .filter(pk__in=ids)
            .order_by("pk")
        )
        plans = load_plans(batch)
        stored: dict[tuple[int, str], Flag] = {
            (f.athlete_id, f.fingerprint): f for f in Flag.objects.filter(athlete__in=batch)
        }
        new, changed, seen = [], [], set()
        for athlete in batch:
            for flag in evaluate_plan(plans[athlete.pk]):
                key = (athlete.pk, flag.fingerprint)
                if key in seen:
                    continue
                seen.add(key)
                fresh = _row(athlete.pk, flag)
                row = stored.get(key)
                if row is None:
                    new.append(fresh)
                elif any(getattr(row, f) != getattr(fresh, f) for f in STORED_FIELDS):
                    for name in STORED_FIELDS:
                        setattr(row, name, getattr(fresh, name))
                    changed.append(row)
                else:
                    kept += 1
        gone = [row.pk for key, row in stored.items() if key not in seen]
        Flag.objects.filter(pk__in=gone).delete()
        Flag.objects.bulk_create(new)
        Flag.objects.bulk_update(changed, STORED_FIELDS)
        created, updated, removed = created + len(new), updated + len(changed), removed + len(gone)
    # Every change to a plan ends here: what the athlete's pages show moves on with it.
    caching.athletes_changed(a.pk for a in athletes)
    return SyncReport(created=created, updated=updated, removed=removed, kept=kept)


@transaction.atomic
def flag_acknowledge(*, flag: Flag, user: User, note: str = "") -> Flag:
    """The coach has seen it and accepts it; it stays quiet while the situation that raised
    it is unchanged."""
    flag.acknowledged_at = timezone.now()
    flag.acknowledged_by = user
    flag.note = note.strip()
    flag.full_clean(exclude={"athlete", "acknowledged_by"})
    flag.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
    return flag


@transaction.atomic
def flag_reopen(*, flag: Flag) -> Flag:
    flag.acknowledged_at, flag.acknowledged_by, flag.note = None, None, ""
    flag.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
    return flag


@transaction.atomic
def conflict_settings_save(*, settings: ConflictSettings) -> SyncReport:
    """Save a coach's thresholds and recheck every one of their athletes with them."""
    settings.full_clean()
    settings.save()
    return conflicts_sync(athletes=AthleteProfile.objects.coached_by(settings.coach))
