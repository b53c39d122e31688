"""Giving a block to athletes on real dates, and keeping their copy in step with it.

A block's weeks are the athlete's weeks from the start date: week 1 is the seven days
from the start, week 2 the next seven, and so on. In each week the block's sessions take
the athlete's strength weekdays in order, counted from the start date's weekday, so a
block started on a Thursday on Mon/Thu puts session A on Thursday and B on the Monday
after. Nothing of a week is lost and no session lands before the start.

With every day of the week a strength day, a week whose sessions all have their own day
slot keeps them on those days: that is how a season planned day by day (the season
planner's blocks, whose days change week to week) lands on exactly its planned dates.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from athletes.models import AthleteProfile, User
from programs.conflicts.services import conflicts_sync
from programs.models import (
    WEEKDAYS_VALIDATOR,
    Assignment,
    Block,
    Dose,
    OneRepMax,
    Prescription,
    ScheduledPrescription,
    ScheduledSession,
    Session,
    SessionStatus,
)

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DOSE_FIELDS = tuple(f.name for f in Dose._meta.get_fields())
# A spread that keeps two days between sessions where the week allows it (DOMAIN.md).
DEFAULT_WEEKDAYS = {1: [2], 2: [1, 4], 3: [1, 3, 5], 4: [1, 2, 4, 6]}


@dataclass(frozen=True)
class DatedSession:
    """One of the block's sessions on the date an assignment gives it."""

    date: datetime.date
    week_number: int
    phase: str
    order: int
    session: Session


def parse_weekdays(text: str) -> list[int]:
    """``"mon,thu"`` (or ``"1,4"``) as ISO weekdays ``[1, 4]``."""
    days = set()
    for part in filter(None, (p.strip().lower() for p in text.split(","))):
        if part.isdigit() and 1 <= int(part) <= 7:
            days.add(int(part))
        elif part[:3] in WEEKDAY_NAMES:
            days.add(WEEKDAY_NAMES.index(part[:3]) + 1)
        else:
            raise ValidationError(
                "“%(day)s” is not a weekday; write days like mon,thu.",
                code="bad_weekday",
                params={"day": part},
            )
    if not days:
        raise ValidationError("Pick at least one strength day.", code="no_weekdays")
    return sorted(days)


def _ordered_sessions(sessions: Iterable[Session]) -> list[Session]:
    # Day slots first in weekday order, then labelled sessions (A, B, C) in block order.
    return sorted(sessions, key=lambda s: (s.day is None, s.day or 0, s.order))


def suggested_weekdays(block: Block) -> list[int]:
    """The days the block itself names in its busiest week, or a well-spaced default."""
    weeks = list(block.weeks.all())
    busiest = max((list(w.sessions.all()) for w in weeks), key=len, default=[])
    days = sorted({s.day for s in busiest if s.day})
    if busiest and len(days) == len(busiest):
        return days
    return DEFAULT_WEEKDAYS.get(len(busiest), list(range(1, len(busiest) + 1)) or [1, 4])


def plan_dates(
    *, block: Block, start: datetime.date, weekdays: Sequence[int]
) -> list[DatedSession]:
    """Every session of ``block`` (fetched ``with_structure()``) on its date."""
    days = sorted(set(weekdays), key=lambda d: (d - start.isoweekday()) % 7)
    if not days or not all(1 <= d <= 7 for d in days):
        raise ValidationError("Pick at least one strength day.", code="no_weekdays")
    every_day = len(days) == 7
    dated = []
    for week in block.weeks.all():
        sessions = _ordered_sessions(week.sessions.all())
        if len(sessions) > len(days):
            raise ValidationError(
                "Week %(week)s has %(count)s sessions: pick at least %(count)s strength days.",
                code="too_few_days",
                params={"week": week.number, "count": len(sessions)},
            )
        week_start = start + datetime.timedelta(weeks=week.number - 1)
        slots = [s.day for s in sessions]
        on_slots = every_day and all(slots) and len(set(slots)) == len(slots)
        for session, day in zip(sessions, slots if on_slots else days, strict=False):
            offset = (day - start.isoweekday()) % 7
            dated.append(
                DatedSession(
                    date=week_start + datetime.timedelta(days=offset),
                    week_number=week.number,
                    phase=week.phase,
                    order=session.order,
                    session=session,
                )
            )
    if not dated:
        raise ValidationError(
            "This block has no sessions yet: add some before assigning it.", code="empty_block"
        )
    return dated


def block_last_day(*, block: Block, start: datetime.date) -> datetime.date:
    """The last day of ``block``'s last week when it starts on ``start``."""
    weeks = max((week.number for week in block.weeks.all()), default=1)
    return start + datetime.timedelta(days=7 * weeks - 1)


def assignments_overlapping(
    *, athletes: Sequence[AthleteProfile], first: datetime.date, last: datetime.date
) -> QuerySet[Assignment]:
    """The athletes' assignments that still have a planned session from ``first`` to
    ``last``: the blocks a new one on those dates would run beside, or replace."""
    return (
        Assignment.objects.filter(
            athlete__in=athletes,
            sessions__status=SessionStatus.PLANNED,
            sessions__date__gte=first,
            sessions__date__lte=last,
        )
        .distinct()
        .select_related("athlete__user")
        .order_by("athlete__user__name", "start_date", "pk")
    )


def sessions_replaced(
    *, assignments: QuerySet[Assignment], start: datetime.date
) -> QuerySet[ScheduledSession]:
    """What replacing ``assignments`` from ``start`` removes: their planned sessions from
    that date on with nothing logged. Done, skipped and logged sessions are history."""
    return ScheduledSession.objects.filter(
        assignment__in=assignments.order_by().values("pk")
    ).editable_on(start)


def _replace_from(
    *, athletes: Sequence[AthleteProfile], start: datetime.date, last: datetime.date
) -> None:
    # The ids first: once their sessions are gone, the assignments no longer overlap.
    ids = list(
        assignments_overlapping(athletes=athletes, first=start, last=last)
        .order_by()
        .values_list("pk", flat=True)
    )
    overlapping = Assignment.objects.filter(pk__in=ids)
    sessions_replaced(assignments=overlapping, start=start).delete()
    # An assignment left with no session at all was wholly in the future: nothing of it
    # remains to show.
    overlapping.filter(sessions__isnull=True).delete()


def _copy_prescriptions(sessions: QuerySet[ScheduledSession]) -> None:
    """Copy the block's prescriptions onto ``sessions`` in one INSERT … SELECT.

    Django has no INSERT … SELECT, and building the rows in Python costs seconds for a
    squad (50 athletes × 16 weeks is 14,400 rows) where the database takes a few
    hundred milliseconds. The statement is portable SQL built from the models' metadata.
    """
    quote = connection.ops.quote_name
    target, source = ScheduledPrescription._meta, Prescription._meta
    scheduled = ScheduledSession._meta
    copied = ["exercise", *DOSE_FIELDS]
    into = ", ".join(quote(target.get_field(name).column) for name in ["session", *copied])
    picked = ", ".join(f"p.{quote(source.get_field(name).column)}" for name in copied)
    scheduled_pk = f"s.{quote(scheduled.pk.column)}"
    joined = (
        f"{quote(scheduled.db_table)} s JOIN {quote(source.db_table)} p "
        f"ON p.{quote(source.get_field('session').column)} = "
        f"s.{quote(scheduled.get_field('source').column)}"
    )
    try:
        subquery, params = sessions.values("pk").query.sql_with_params()
    except EmptyResultSet:
        return
    # Identifiers come from model metadata, quoted; values travel as parameters.
    sql = f"INSERT INTO {quote(target.db_table)} ({into}) SELECT {scheduled_pk}, {picked} FROM {joined} WHERE {scheduled_pk} IN ({subquery})"  # noqa: E501, S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _schedule(
    dated: Sequence[DatedSession],
    assignment: Assignment,
    date_for=None,
    start_time: datetime.time | None = None,
) -> list[ScheduledSession]:
    """The sessions to create: at ``start_time`` when given, else at the block session's
    own time (if it has one)."""
    return [
        ScheduledSession(
            athlete_id=assignment.athlete_id,
            assignment=assignment,
            source=d.session,
            date=date_for(d) if date_for else d.date,
            start_time=start_time or d.session.start_time,
            planned_date=d.date,
            week_number=d.week_number,
            phase=d.phase,
            order=d.order,
            title=d.session.title or d.session.label,
        )
        for d in dated
    ]


def _write_sessions(sessions: list[ScheduledSession]) -> list[ScheduledSession]:
    """Bulk insert the sessions, then copy all their prescriptions in one statement."""
    created = ScheduledSession.objects.bulk_create(sessions)
    _copy_prescriptions(ScheduledSession.objects.filter(pk__in=[s.pk for s in created]))
    return created


@transaction.atomic
def assignment_create(
    *,
    block: Block,
    athletes: Sequence[AthleteProfile],
    start: datetime.date,
    weekdays: Sequence[int],
    assigned_by: User | None,
    weekdays_for: Mapping[int, Sequence[int]] | None = None,
    start_time: datetime.time | None = None,
    replace_current: bool = False,
) -> list[Assignment]:
    """Give ``block`` (fetched ``with_structure()``) to each athlete from ``start``, on
    ``weekdays`` or on the athlete's own in ``weekdays_for`` (by profile id); every session
    at ``start_time`` when given, else at its block session's time, if any.

    With ``replace_current``, a block the athlete already has on these dates gives way:
    its planned, unlogged sessions from ``start`` on are removed in the same transaction
    (``sessions_replaced``); without it the new block runs alongside.

    One transaction in a fixed number of queries whatever the number of athletes: all
    assignments, then all sessions, then all prescriptions, each in one statement.
    """
    if not athletes:
        raise ValidationError("Pick at least one athlete.", code="no_athletes")
    days_of = {a.pk: sorted(set((weekdays_for or {}).get(a.pk, weekdays))) for a in athletes}
    plans = {}
    for days in {tuple(d) for d in days_of.values()}:
        WEEKDAYS_VALIDATOR("".join(map(str, days)))
        plans[days] = plan_dates(block=block, start=start, weekdays=days)
    if replace_current:
        _replace_from(athletes=athletes, start=start, last=block_last_day(block=block, start=start))
    assignments = Assignment.objects.bulk_create(
        Assignment(
            athlete=athlete,
            block=block,
            block_name=block.name,
            assigned_by=assigned_by,
            start_date=start,
            weekdays="".join(map(str, days_of[athlete.pk])),
        )
        for athlete in athletes
    )
    _write_sessions(
        [
            s
            for a in assignments
            for s in _schedule(plans[tuple(days_of[a.athlete_id])], a, start_time=start_time)
        ]
    )
    conflicts_sync(athletes=athletes)
    return assignments


@dataclass(frozen=True)
class PushReport:
    updated: int
    added: int
    removed: int
    kept: int


@transaction.atomic
def assignment_push(*, assignment: Assignment, today: datetime.date) -> PushReport:
    """Bring the athlete's planned sessions from ``today`` on in line with the block as it
    is now. Done, skipped and past sessions are history and stay as they are; a session
    someone moved keeps its new date."""
    if assignment.block_id is None:
        raise ValidationError(
            "The block this came from was deleted: there is nothing to push.", code="no_block"
        )
    block = Block.objects.with_structure().get(pk=assignment.block_id)
    dated = [
        d
        for d in plan_dates(
            block=block, start=assignment.start_date, weekdays=assignment.weekday_list
        )
        if d.date >= today
    ]
    existing = list(assignment.sessions.all())
    editable = {
        s.pk for s in ScheduledSession.objects.filter(assignment=assignment).editable_on(today)
    }
    by_source = {s.source_id: s for s in existing if s.source_id is not None}
    wanted = {d.session.pk for d in dated}

    removed = [s.pk for s in existing if s.pk in editable and s.source_id not in wanted]
    to_update = [
        (d, by_source[d.session.pk])
        for d in dated
        if d.session.pk in by_source and by_source[d.session.pk].pk in editable
    ]
    to_add = [d for d in dated if d.session.pk not in by_source]

    ScheduledSession.objects.filter(pk__in=removed).delete()
    for d, session in to_update:
        session.week_number, session.phase, session.order = d.week_number, d.phase, d.order
        session.title = d.session.title or d.session.label
        if not session.moved:
            session.date = d.date
        session.planned_date = d.date
    now = timezone.now()
    for _d, session in to_update:
        session.updated_at = now  # bulk_update skips auto_now; the feed reads it
    ScheduledSession.objects.bulk_update(
        [s for _d, s in to_update],
        ["week_number", "phase", "order", "title", "date", "planned_date", "updated_at"],
    )
    updated = ScheduledSession.objects.filter(pk__in=[s.pk for _d, s in to_update])
    ScheduledPrescription.objects.filter(session__in=updated).delete()
    _copy_prescriptions(updated)
    _write_sessions(_schedule(to_add, assignment))
    conflicts_sync(athletes=[assignment.athlete])
    return PushReport(
        updated=len(to_update),
        added=len(to_add),
        removed=len(removed),
        kept=len(existing) - len(to_update) - len(removed),
    )


@transaction.atomic
def scheduled_session_move(
    *, session: ScheduledSession, date: datetime.date, start_time: datetime.time | None = None
) -> ScheduledSession:
    """Move a planned session to ``date``, and to ``start_time`` when given (else it keeps
    its time)."""
    if session.status != SessionStatus.PLANNED:
        raise ValidationError("Only a planned session can be moved.", code="not_planned")
    session.date = date
    if start_time is not None:
        session.start_time = start_time
    session.save(update_fields=["date", "start_time", "updated_at"])
    conflicts_sync(athletes=[session.athlete])
    return session


@transaction.atomic
def scheduled_session_skip(*, session: ScheduledSession, reason: str) -> ScheduledSession:
    if session.status == SessionStatus.DONE:
        raise ValidationError("This session is already done.", code="already_done")
    session.status = SessionStatus.SKIPPED
    session.skip_reason = reason.strip()
    session.full_clean(exclude={"athlete", "assignment", "source"})
    session.save(update_fields=["status", "skip_reason", "updated_at"])
    conflicts_sync(athletes=[session.athlete])
    return session


@transaction.atomic
def scheduled_session_unskip(*, session: ScheduledSession) -> ScheduledSession:
    if session.status != SessionStatus.SKIPPED:
        raise ValidationError("This session was not skipped.", code="not_skipped")
    session.status = SessionStatus.PLANNED
    session.skip_reason = ""
    session.save(update_fields=["status", "skip_reason", "updated_at"])
    conflicts_sync(athletes=[session.athlete])
    return session


@transaction.atomic
def one_rep_max_set(
    *,
    athlete: AthleteProfile,
    exercise,
    kg: Decimal,
    tested_on: datetime.date | None = None,
) -> OneRepMax:
    """Record the athlete's 1RM on ``exercise`` (replacing the one before)."""
    record = OneRepMax.objects.filter(athlete=athlete, exercise=exercise).first() or OneRepMax(
        athlete=athlete, exercise=exercise
    )
    record.kg = kg
    record.tested_on = tested_on
    record.full_clean()
    record.save()
    # A 1RM turns % loads into weights: the weekly volume the spike rule reads changes.
    conflicts_sync(athletes=[athlete])
    return record
