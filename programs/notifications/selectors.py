"""What each e-mail and the coach's notifications page say, as plain dataclasses.

An athlete's e-mails read only their own data (``owned_by``); a coach's digest and count
read only their current athletes' (``coached_by``, the scope every coach's page uses)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from athletes.models import AthleteProfile, User
from programs.models import (
    Flag,
    NotificationSettings,
    PainNote,
    Run,
    RunStatus,
    RunType,
    ScheduledSession,
    SessionStatus,
    SetLog,
)
from programs.units import format_distance, format_duration

# The coach's count and page look back at most this far: older items are history.
UNREAD_WINDOW = datetime.timedelta(days=7)


@dataclass(frozen=True)
class SessionLine:
    date: datetime.date
    title: str
    exercises: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunLine:
    date: datetime.date
    text: str


@dataclass(frozen=True)
class EveningBefore:
    day: datetime.date
    sessions: tuple[SessionLine, ...]
    runs: tuple[RunLine, ...]


@dataclass(frozen=True)
class WeeklySummary:
    first: datetime.date
    last: datetime.date
    done: tuple[SessionLine, ...]
    missed: tuple[SessionLine, ...]
    runs_done: tuple[RunLine, ...]
    next_sessions: tuple[SessionLine, ...]
    next_runs: tuple[RunLine, ...]


@dataclass(frozen=True)
class CoachItem:
    athlete: str
    athlete_id: int
    date: datetime.date
    text: str


@dataclass(frozen=True)
class CoachDigest:
    flags: tuple[CoachItem, ...]
    missed: tuple[CoachItem, ...]
    pains: tuple[CoachItem, ...]

    @property
    def empty(self) -> bool:
        return not (self.flags or self.missed or self.pains)


def _session_line(session: ScheduledSession) -> SessionLine:
    return SessionLine(
        date=session.date,
        title=session.title or "Strength",
        exercises=tuple(f"{rx.exercise.name} {rx.dose_text}" for rx in session.prescriptions.all()),
    )


def _run_line(run: Run, unit: str) -> RunLine:
    done = run.status == RunStatus.DONE
    distance = format_distance(
        (run.actual_distance_m or run.distance_m) if done else run.distance_m, unit
    )
    duration = format_duration(
        (run.actual_duration_s or run.duration_s) if done else run.duration_s
    )
    parts = [run.get_run_type_display(), run.title, distance, duration]
    return RunLine(date=run.date, text=", ".join(p for p in parts if p))


def _runs(user: User, first: datetime.date, last: datetime.date, *, done: bool) -> tuple:
    runs = Run.objects.owned_by(user).between(first, last).exclude(run_type=RunType.REST)
    runs = runs.filter(status=RunStatus.DONE) if done else runs.filter(status=RunStatus.PLANNED)
    return tuple(
        _run_line(r, user.distance_unit) for r in runs.order_by("date", "start_time", "pk")
    )


def evening_before_data(*, user: User, day: datetime.date) -> EveningBefore | None:
    """The athlete's planned strength sessions on ``day`` and that day's planned runs; None
    when there is no session to remind them of (moved or done since)."""
    sessions = (
        ScheduledSession.objects.owned_by(user)
        .filter(date=day, status=SessionStatus.PLANNED)
        .with_prescriptions()
    )
    lines = tuple(_session_line(s) for s in sessions)
    if not lines:
        return None
    return EveningBefore(day=day, sessions=lines, runs=_runs(user, day, day, done=False))


def planned_session_days(
    *, users: Iterable[User], days: Iterable[datetime.date]
) -> set[tuple[int, datetime.date]]:
    """``(user id, date)`` for each of ``days`` on which one of ``users`` has a planned
    strength session, in one query."""
    return set(
        ScheduledSession.objects.owned_by_any(users)
        .filter(date__in=days, status=SessionStatus.PLANNED)
        .values_list("athlete__user", "date")
        .distinct()
    )


def weekly_summary_data(*, user: User, sunday: datetime.date) -> WeeklySummary:
    """The week that ends on ``sunday`` (sessions done and missed, runs done) and the next
    week's plan. A session counts as done when marked done or when any set of it is logged."""
    first = sunday - datetime.timedelta(days=6)
    logged = SetLog.objects.filter(session=OuterRef("pk"))
    week = (
        ScheduledSession.objects.owned_by(user)
        .between(first, sunday)
        .annotate(logged=Exists(logged))
        .with_prescriptions()
    )
    done, missed = [], []
    for session in week:
        is_done = session.status == SessionStatus.DONE or session.logged
        (done if is_done else missed).append(_session_line(session))
    next_first, next_last = sunday + datetime.timedelta(days=1), sunday + datetime.timedelta(days=7)
    upcoming = (
        ScheduledSession.objects.owned_by(user)
        .between(next_first, next_last)
        .filter(status=SessionStatus.PLANNED)
        .with_prescriptions()
    )
    return WeeklySummary(
        first=first,
        last=sunday,
        done=tuple(done),
        missed=tuple(missed),
        runs_done=_runs(user, first, sunday, done=True),
        next_sessions=tuple(_session_line(s) for s in upcoming),
        next_runs=_runs(user, next_first, next_last, done=False),
    )


def _coach_flags(coach: User, since: datetime.datetime, until: datetime.datetime):
    return (
        Flag.objects.coached_by(coach)
        .open()
        .filter(severity="critical", created_at__gt=since, created_at__lte=until)
    )


def _coach_pains(coach: User, since: datetime.datetime, until: datetime.datetime):
    return PainNote.objects.filter(
        athlete__in=AthleteProfile.objects.coached_by(coach),
        created_at__gt=since,
        created_at__lte=until,
    )


def _missed(coach: User, first: datetime.date, last: datetime.date):
    """The coach's athletes' sessions dated ``first``–``last`` still planned, with no set
    logged."""
    return (
        ScheduledSession.objects.coached_by(coach)
        .between(first, last)
        .filter(status=SessionStatus.PLANNED)
        .exclude(Exists(SetLog.objects.filter(session=OuterRef("pk"))))
    )


def coach_digest_data(
    *,
    coach: User,
    since: datetime.datetime,
    until: datetime.datetime,
    first: datetime.date,
    last: datetime.date,
) -> CoachDigest:
    """Across the coach's current athletes: open critical flags and pain reports that came
    in after ``since`` (up to ``until``), and sessions dated ``first``–``last`` missed."""
    flags = _coach_flags(coach, since, until).select_related("athlete__user").order_by("date")
    pains = _coach_pains(coach, since, until).select_related("athlete__user").order_by("date")
    missed = _missed(coach, first, last).select_related("athlete__user").order_by("date")
    return CoachDigest(
        flags=tuple(
            CoachItem(f.athlete.user.name, f.athlete_id, f.date, f"{f.title}: {f.message}")
            for f in flags
        ),
        missed=tuple(
            CoachItem(s.athlete.user.name, s.athlete_id, s.date, s.title or "Strength")
            for s in missed
        ),
        pains=tuple(
            CoachItem(
                p.athlete.user.name,
                p.athlete_id,
                p.date,
                f"{p.get_area_display()} {p.score}/10" + (f": {p.note}" if p.note else ""),
            )
            for p in pains
        ),
    )


def coach_inbox_data(*, coach: User, today: datetime.date) -> CoachDigest:
    """The coach's notifications page: what the count counts (critical flags and pain
    reports since they last marked them read), and the week's missed sessions."""
    now = timezone.now()
    seen = NotificationSettings.objects.filter(user=coach).values_list("coach_seen_at", flat=True)
    since = max(filter(None, [seen.first(), now - UNREAD_WINDOW]))
    week_ago = today - datetime.timedelta(days=7)
    return coach_digest_data(
        coach=coach, since=since, until=now, first=week_ago, last=today - datetime.timedelta(days=1)
    )


class _Count(Subquery):
    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def coach_unread_count(*, coach: User) -> int:
    """How many open critical flags and pain reports came in since the coach last marked
    their notifications read (at most a week back), in one query."""
    now = timezone.now()
    seen = NotificationSettings.objects.filter(user=coach).values("coach_seen_at")[:1]
    since = Greatest(
        Coalesce(Subquery(seen), Value(now - UNREAD_WINDOW)), Value(now - UNREAD_WINDOW)
    )
    flags = Flag.objects.coached_by(coach).open().filter(severity="critical")
    pains = PainNote.objects.filter(athlete__in=AthleteProfile.objects.coached_by(coach))
    counts = (
        User.objects.filter(pk=coach.pk)
        .annotate(since=since)
        .annotate(
            flags=_Count(flags.filter(created_at__gt=OuterRef("since")).values("pk")),
            pains=_Count(pains.filter(created_at__gt=OuterRef("since")).values("pk")),
        )
        .values_list("flags", "pains")
        .first()
    )
    return sum(counts) if counts else 0


# The navbar's count on every coach page is kept this long: new flags and pain notes show
# within a minute; marking them read clears it at once (``unread_count_forget``).
UNREAD_COUNT_SECONDS = 60


def _unread_key(coach_id: int) -> str:
    return f"coach-unread:{coach_id}"


def coach_unread_count_cached(*, coach: User) -> int:
    """``coach_unread_count``, kept a minute: the badge is on every page a coach opens, and
    its query costs more than a cached page."""
    return cache.get_or_set(
        _unread_key(coach.pk), lambda: coach_unread_count(coach=coach), UNREAD_COUNT_SECONDS
    )


def unread_count_forget(*, coach: User) -> None:
    cache.delete(_unread_key(coach.pk))
