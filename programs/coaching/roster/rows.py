"""A roster row and why an athlete needs attention: plain data and pure rules, testable
at their boundaries without a database."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Self

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from athletes.models import AthleteGroup, AthleteProfile
from programs.conflicts.text import day as _day
from programs.models import BodyArea, Phase, RunType
from programs.schedule.calendar import monday

# Needs attention when…
# …under this percentage of the sets due so far this week were done,
ATTENTION_COMPLIANCE = 50
# …or this week's compliance is this many points below that of the weeks before,
ATTENTION_DROP = 20
TREND_WEEKS = 4
# …or a pain note falls in this many days, today included,
PAIN_DAYS = 7
# …or nothing was logged for this many days while sessions were planned in them,
NO_LOG_DAYS = 10
# …or a race is this many days away or fewer with hard strength work still planned.
RACE_DAYS = 14
# Stored flags older than this were not recomputed since and are history: the flag inbox
# leaves them out too.
FLAG_DAYS = 7


def percent(done: int, planned: int) -> int | None:
    """``done`` as a whole percentage of ``planned``, rounded half up as the progress page
    does; None when nothing was planned."""
    if not planned:
        return None
    return int((Decimal(done * 100) / planned).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def week_starts(today: datetime.date, weeks: int) -> list[datetime.date]:
    """The Mondays of the ``weeks`` weeks up to the one holding ``today``, oldest first."""
    this_monday = monday(today)
    return [this_monday - datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


@dataclass
class WeekFigures:
    """One Monday-to-Sunday week of an athlete's strength plan against their logs."""

    start: datetime.date
    done_sets: int = 0
    planned_sets: int = 0
    done_sessions: int = 0
    planned_sessions: int = 0
    # What could be done by now: sessions on a past day, or already done or skipped.
    # Today's session is not late until tomorrow.
    due_sets: int = 0
    due_sessions: int = 0

    @property
    def compliance(self) -> int | None:
        """The whole week's, as ``weekly_summary`` gives it."""
        return percent(self.done_sets, self.planned_sets)

    @property
    def compliance_so_far(self) -> int | None:
        """Against the sets due so far: a Tuesday is not judged by Friday's session."""
        return percent(self.done_sets, self.due_sets)


@dataclass(frozen=True)
class FlagCounts:
    critical: int = 0
    warning: int = 0
    info: int = 0

    @property
    def total(self) -> int:
        return self.critical + self.warning + self.info


@dataclass(frozen=True)
class LastLog:
    date: datetime.date
    title: str

    @property
    def date_text(self) -> str:
        return _day(self.date)


@dataclass(frozen=True)
class UpcomingRun:
    date: datetime.date
    run_type: str
    title: str
    distance: str
    race_priority: str = ""

    @property
    def date_text(self) -> str:
        return _day(self.date)

    @property
    def label(self) -> str:
        return RunType(self.run_type).label

    @property
    def is_race(self) -> bool:
        return self.run_type == RunType.RACE


@dataclass(frozen=True)
class WeekRunning:
    """Last Monday-to-Sunday week's running (the athlete's week), in the coach's unit."""

    done_m: int
    planned_m: int
    done: str
    planned: str


@dataclass(frozen=True)
class CurrentBlock:
    name: str
    weeks: int
    week: int
    phase: str

    @property
    def phase_label(self) -> str:
        return Phase(self.phase).label if self.phase in Phase.values else self.phase


@dataclass(frozen=True)
class Pain:
    date: datetime.date
    area: str
    score: int
    note: str

    @property
    def date_text(self) -> str:
        return _day(self.date)

    @property
    def area_label(self) -> str:
        return BodyArea(self.area).label if self.area in BodyArea.values else self.area


class Attention(StrEnum):
    CRITICAL_FLAG = "critical_flag"
    LOW_COMPLIANCE = "low_compliance"
    COMPLIANCE_DROP = "compliance_drop"
    PAIN = "pain"
    NO_LOGS = "no_logs"
    HEAVY_BEFORE_RACE = "heavy_before_race"


@dataclass(frozen=True)
class AthleteUrls:
    """Where a coach acts on an athlete."""

    page: str
    logs: str
    calendar: str

    @classmethod
    def of(cls, athlete_id: int) -> Self:
        return cls(*(reverse(name, args=[athlete_id]) for name in URL_NAMES))

    @classmethod
    def maker(cls) -> Callable[[int], Self]:
        """Hundreds of rows ask for the same three patterns, and ``reverse`` costs tens of
        microseconds a call: reverse each once around a marker, then put each id in."""
        marker = "2147483647"
        parts = [reverse(name, args=[marker]).split(marker, 1) for name in URL_NAMES]
        return lambda pk: cls(*(f"{head}{pk}{tail}" for head, tail in parts))


URL_NAMES = ("coach_athlete", "logs:athlete", "schedule:athlete_calendar")


@dataclass(frozen=True)
class Reason:
    code: Attention
    text: str
    url: str
    action: str


@dataclass
class RosterRow:
    athlete: AthleteProfile
    today: datetime.date
    week: WeekFigures
    # The TREND_WEEKS weeks before this one, oldest first.
    trend: list[WeekFigures] = field(default_factory=list)
    flags: FlagCounts = FlagCounts()
    last_log: LastLog | None = None
    next_key_run: UpcomingRun | None = None
    # None when no run of last week counted (all rest days and cross-training, or none).
    last_week_running: WeekRunning | None = None
    block: CurrentBlock | None = None
    # Newest first, from the last PAIN_DAYS days.
    pains: list[Pain] = field(default_factory=list)
    # Dates of the sessions before today in the weeks the row covers (any status).
    past_sessions: list[datetime.date] = field(default_factory=list)
    # Races the athlete tapers for (A, B or no priority) in the next RACE_DAYS days, and
    # the planned sessions up to the last of them that the conflict engine calls hard.
    races: list[UpcomingRun] = field(default_factory=list)
    hard_sessions: list[datetime.date] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    group_ids: set[int] = field(default_factory=set)
    reasons: list[Reason] = field(default_factory=list)
    urls: AthleteUrls | None = None

    def __post_init__(self) -> None:
        if self.urls is None:
            self.urls = AthleteUrls.of(self.athlete.pk)

    def __getstate__(self) -> dict:
        """A row is cached without its athlete: ``roster_page_rows`` reads the athlete (name,
        e-mail) afresh and sets it, and a row of plain values unpickles in a fraction of
        the time of one with a profile and a user."""
        return {name: value for name, value in self.__dict__.items() if name != "athlete"}

    @property
    def name(self) -> str:
        return self.athlete.user.name or self.athlete.user.email

    @property
    def previous_compliance(self) -> int | None:
        """The trend weeks taken together (sets over sets), so a light week weighs less."""
        return percent(
            sum(w.done_sets for w in self.trend), sum(w.planned_sets for w in self.trend)
        )

    @property
    def trend_text(self) -> str:
        """ "90% · 85% · – · 100%": built here, as four template lookups a week cost a
        tenth of a 200-athlete page."""
        return " · ".join("–" if w.compliance is None else f"{w.compliance}%" for w in self.trend)

    @property
    def days_since_log(self) -> int | None:
        return (self.today - self.last_log.date).days if self.last_log else None


@dataclass
class RosterEntry:
    """What the roster filters, sorts and counts its athletes by: one athlete's figures
    without their row. A page reads every athlete's entry and only its own rows, so a
    squad of 500 costs little more than one of 50 (issue #17)."""

    pk: int
    name: str
    email: str
    today: datetime.date
    # Where the athlete's row is cached, under the version its figures were read at.
    row_key: str
    # The figures: the row's, cached beside it (``figures_of``).
    attention: int
    flags: FlagCounts
    compliance_so_far: int | None
    groups: list[str] = field(default_factory=list)
    group_ids: set[int] = field(default_factory=set)

    @staticmethod
    def figures_of(row: RosterRow) -> tuple:
        """The part of an entry that comes from its row, as it is cached: plain values."""
        flags, compliance = row.flags, row.week.compliance_so_far
        return (len(row.reasons), flags.critical, flags.warning, flags.info, compliance)

    @classmethod
    def of(
        cls, pk: int, name: str, email: str, *, today: datetime.date, row_key: str, figures: tuple
    ) -> Self:
        attention, critical, warning, info, compliance = figures
        return cls(
            pk,
            name or email,
            email,
            today=today,
            row_key=row_key,
            attention=attention,
            flags=FlagCounts(critical, warning, info),
            compliance_so_far=compliance,
        )


def needs_attention(row: RosterRow) -> list[Reason]:
    """Why the coach should look at this athlete now, each reason with where to act."""
    today, logs, calendar = row.today, row.urls.logs, row.urls.calendar
    reasons = []
    if row.flags.critical:
        count = row.flags.critical
        reasons.append(
            Reason(
                Attention.CRITICAL_FLAG,
                f"{count} critical conflict{'s' if count > 1 else ''} open",
                row.urls.page,
                "Review conflicts",
            )
        )
    so_far = row.week.compliance_so_far
    if so_far is not None and so_far < ATTENTION_COMPLIANCE:
        reasons.append(
            Reason(
                Attention.LOW_COMPLIANCE,
                f"{so_far}% of this week's sets done so far "
                f"({row.week.done_sets} of {row.week.due_sets} due)",
                logs,
                "Read the logs",
            )
        )
    before = row.previous_compliance
    if so_far is not None and before is not None and before - so_far >= ATTENTION_DROP:
        reasons.append(
            Reason(
                Attention.COMPLIANCE_DROP,
                f"Compliance down {before - so_far} points: {so_far}% this week against "
                f"{before}% over the {TREND_WEEKS} weeks before",
                logs,
                "Read the logs",
            )
        )
    pains = [p for p in row.pains if 0 <= (today - p.date).days < PAIN_DAYS]
    if pains:
        worst = max(pains, key=lambda p: (p.score, p.date))
        more = f" (and {len(pains) - 1} more)" if len(pains) > 1 else ""
        reasons.append(
            Reason(
                Attention.PAIN,
                f"Pain: {worst.area_label} {worst.score}/10 on {_day(worst.date)}{more}",
                logs,
                "Read the pain note",
            )
        )
    silent = row.days_since_log
    if silent is None or silent >= NO_LOG_DAYS:
        window_start = today - datetime.timedelta(days=NO_LOG_DAYS)
        missed = [
            d
            for d in row.past_sessions
            if window_start <= d < today and (row.last_log is None or d > row.last_log.date)
        ]
        if missed:
            since = f"for {silent} days" if silent is not None else "yet"
            reasons.append(
                Reason(
                    Attention.NO_LOGS,
                    f"Nothing logged {since}, with {len(missed)} session"
                    f"{'s' if len(missed) > 1 else ''} planned in the last {NO_LOG_DAYS} days",
                    calendar,
                    "Check the plan",
                )
            )
    races = [r for r in row.races if 0 <= (r.date - today).days <= RACE_DAYS]
    if races:
        last_race = max(r.date for r in races)
        hard = [d for d in row.hard_sessions if today <= d < last_race]
        if hard:
            race = min(races, key=lambda r: r.date)
            days = (race.date - today).days
            when = "today" if days == 0 else f"in {days} day{'s' if days > 1 else ''}"
            reasons.append(
                Reason(
                    Attention.HEAVY_BEFORE_RACE,
                    f"{race.title or 'Race'} {when} ({_day(race.date)}) with {len(hard)} "
                    f"hard session{'s' if len(hard) > 1 else ''} still planned, from "
                    f"{_day(hard[0])}",
                    calendar,
                    "Lighten or move",
                )
            )
    return reasons


class Sort(models.TextChoices):
    ATTENTION = "attention", _("Needs attention first")
    NAME = "name", _("Name")
    COMPLIANCE = "compliance", _("Compliance, lowest first")
    FLAGS = "flags", _("Open flags, most first")


def roster_select(
    rows: Iterable[RosterEntry],
    *,
    group: AthleteGroup | None = None,
    search: str = "",
    attention: bool = False,
    sort: str = Sort.ATTENTION,
) -> list[RosterEntry]:
    """The athletes to show, in order; ties go by name. Filtering every athlete's entry
    rather than the athletes keeps the counts of the whole roster at hand."""
    term = search.strip().casefold()
    rows = [
        r
        for r in rows
        if (group is None or group.pk in r.group_ids)
        and (not term or term in r.name.casefold() or term in r.email.casefold())
        and (r.attention or not attention)
    ]
    rows.sort(key=lambda r: (r.name.casefold(), r.pk))
    if sort == Sort.COMPLIANCE:
        rows.sort(key=lambda r: (r.compliance_so_far is None, r.compliance_so_far or 0))
    elif sort == Sort.FLAGS:
        rows.sort(key=lambda r: (-r.flags.critical, -r.flags.warning, -r.flags.info))
    elif sort == Sort.ATTENTION:
        rows.sort(key=lambda r: (-r.attention, -r.flags.critical))
    return rows
