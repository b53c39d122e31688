"""The squad calendar's data: a coach's athletes (all, or one of their groups), a page of
them at a time, each as a row of seven days with its strength sessions, key runs and races,
and the open flags on them.

A fixed number of queries whatever the number of athletes: the groups, the count and the
page of athletes, then ``build_calendars`` (runs, 1RMs, sessions and their prescriptions)
and the flags, one query each.
"""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.urls import reverse

from athletes.models import AthleteGroup, AthleteProfile, User
from config.formfields import is_valid_id
from programs.models import Flag, RunType
from programs.querysets import SEVERITY_RANK
from programs.schedule.calendar import RunEntry, StrengthEntry, build_calendars, week_range

# Athletes on a page: enough to see a squad at a glance, few enough to stay quick.
PAGE_SIZE = 25
ONE_WEEK = datetime.timedelta(days=7)


@dataclass
class SquadSession:
    entry: StrengthEntry
    # The worst open flag naming this session ("critical", "warning", "info"), or "".
    severity: str = ""

    @property
    def session(self):
        return self.entry.session


@dataclass
class SquadDay:
    date: datetime.date
    today: bool
    sessions: list[SquadSession] = field(default_factory=list)
    # Long runs, tempo, intervals, hills and races: what a strength day must respect.
    key_runs: list[RunEntry] = field(default_factory=list)
    # Easy, recovery, fartlek and cross-training runs, shown muted; rest days are left out.
    other_runs: list[RunEntry] = field(default_factory=list)
    # The worst open flag on this day that names none of its sessions, or "".
    day_severity: str = ""


@dataclass
class SquadRow:
    athlete: AthleteProfile
    name: str
    calendar_url: str
    days: list[SquadDay]


@dataclass
class SquadWeek:
    first: datetime.date
    last: datetime.date
    previous: datetime.date
    following: datetime.date
    today: datetime.date
    days: list[datetime.date]
    rows: list[SquadRow]
    page: Page | None
    group: AthleteGroup | None
    groups: list[AthleteGroup]


def _worse(a: str, b: str) -> str:
    """The worse of two severities, "" being none."""
    if not a:
        return b
    if not b:
        return a
    return a if SEVERITY_RANK[a] <= SEVERITY_RANK[b] else b


def coach_groups(coach: User) -> QuerySet[AthleteGroup]:
    return AthleteGroup.objects.filter(coach=coach).order_by("name", "pk")


def squad_group(coach: User, raw: str | None) -> AthleteGroup | None:
    """The coach's group named by a query string's ``group``; anything else (empty, not a
    number, another coach's group, a deleted one) is no filter, as on the roster."""
    if not is_valid_id(raw):
        return None
    return coach_groups(coach).filter(pk=int(raw)).first()


def squad_athletes(coach: User, group: AthleteGroup | None) -> QuerySet[AthleteProfile]:
    athletes = AthleteProfile.objects.coached_by(coach)
    if group is not None:
        athletes = athletes.filter(athlete_groups=group)
    return athletes.select_related("user").order_by("user__name", "user__email", "pk")


def squad_week_data(
    *,
    coach: User,
    anchor: datetime.date,
    today: datetime.date,
    group: AthleteGroup | None = None,
    page_number: str | int | None = None,
    athlete_id: int | None = None,
) -> SquadWeek:
    """The week holding ``anchor`` for a page of ``coach``'s athletes (in ``group`` when
    given), by name. With ``athlete_id`` only that athlete's row (none if they are not the
    coach's): the row a move redraws. Units are the coach's."""
    first, last = week_range(anchor)
    athletes = squad_athletes(coach, group)
    page = None
    if athlete_id is None:
        page = Paginator(athletes, PAGE_SIZE).get_page(page_number)
        shown = list(page.object_list)
    else:
        shown = list(athletes.filter(pk=athlete_id))
    weeks = build_calendars(
        shown,
        first,
        last,
        today=today,
        distance_unit=coach.distance_unit,
        weight_unit=coach.weight_unit,
    )
    session_severity: dict[int, str] = {}
    day_severity: dict[tuple[int, datetime.date], str] = {}
    flags = (
        Flag.objects.filter(athlete__in=shown)
        .open()
        .filter(date__range=(first, last))
        .values_list("athlete_id", "date", "severity", "session_ids")
    )
    for athlete_pk, date, severity, session_ids in flags:
        if session_ids:
            for session_id in session_ids:
                key = int(session_id)
                session_severity[key] = _worse(session_severity.get(key, ""), severity)
        else:
            day_severity[athlete_pk, date] = _worse(
                day_severity.get((athlete_pk, date), ""), severity
            )

    rows = []
    for athlete in shown:
        days = []
        for calendar_day in weeks[athlete.pk][0].days:
            day = SquadDay(
                calendar_day.date,
                today=calendar_day.today,
                day_severity=day_severity.get((athlete.pk, calendar_day.date), ""),
            )
            for entry in calendar_day.sessions:
                severity = session_severity.get(entry.session.pk, "")
                entry.flagged = bool(severity)
                day.sessions.append(SquadSession(entry, severity))
            for run in calendar_day.runs:
                if run.run.is_key:
                    day.key_runs.append(run)
                elif run.run.run_type != RunType.REST:
                    day.other_runs.append(run)
            days.append(day)
        rows.append(
            SquadRow(
                athlete,
                athlete.user.name or athlete.user.email,
                reverse("schedule:athlete_calendar", args=[athlete.pk]),
                days,
            )
        )
    return SquadWeek(
        first=first,
        last=last,
        previous=first - ONE_WEEK,
        following=first + ONE_WEEK,
        today=today,
        days=[first + datetime.timedelta(days=n) for n in range(7)],
        rows=rows,
        page=page,
        group=group,
        groups=list(coach_groups(coach)) if athlete_id is None else [],
    )
