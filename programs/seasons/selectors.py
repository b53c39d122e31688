"""What the season pages show, as plain data: the draft season week by week on a calendar
(phases, the planned sessions on their days beside the athlete's runs and races and the
sessions the plan keeps or replaces, each week's volume), the engine's flags and the
explained exceptions, and what applying would change."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.formats import date_format

from programs.conflicts.classify import session_volume
from programs.conflicts.model import KEY_RUNS, NOT_RUNS, Flag, RunType, Severity
from programs.conflicts.schedule import monday
from programs.conflicts.titles import title
from programs.models import Phase, Run, SeasonDraft
from programs.models import RunType as RunTypeChoice
from programs.seasons.drafts import CheckedDraft
from programs.seasons.edits import move_targets, plan_from_data
from programs.seasons.model import PlannedSession, Unavoidable
from programs.seasons.services import SeasonDiff, season_diff
from programs.seasons.sessions import engine_session
from programs.units import format_distance, local_today

SERIOUS = (Severity.CRITICAL, Severity.WARNING)
PHASE_LABELS = dict(Phase.choices)


@dataclass(frozen=True)
class RunChip:
    summary: str
    title: str
    key: bool
    race: bool
    priority: str
    done: bool
    time: datetime.time | None


@dataclass(frozen=True)
class Target:
    date: datetime.date
    label: str


@dataclass(frozen=True)
class SessionChip:
    session: PlannedSession
    flagged: bool


@dataclass(frozen=True)
class SessionEditor:
    """One planned session with the days it may move to, each with its runs."""

    session: PlannedSession
    targets: list[Target]

    @property
    def anchor(self) -> str:
        return week_anchor(self.session.date)


@dataclass(frozen=True)
class OtherSession:
    """One of the athlete's own sessions in the season's dates: kept, or replaced."""

    title: str
    done: bool
    replaced: bool


@dataclass
class DayCell:
    date: datetime.date
    in_season: bool
    today: bool
    runs: list[RunChip] = field(default_factory=list)
    sessions: list[SessionChip] = field(default_factory=list)
    others: list[OtherSession] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.runs or self.sessions or self.others)


@dataclass(frozen=True)
class WeekRow:
    number: int
    start: datetime.date
    phase: str
    phase_label: str
    days: list[DayCell]
    sets: int
    kg: int
    contacts: int
    notes: list[str]

    @property
    def anchor(self) -> str:
        return f"week-{self.start:%Y-%m-%d}"


@dataclass(frozen=True)
class PhaseBand:
    phase: str
    label: str
    weeks: int
    start: datetime.date


@dataclass(frozen=True)
class FlagLine:
    flag: Flag
    title: str


@dataclass(frozen=True)
class SeasonDraftPage:
    checked: CheckedDraft
    weeks: list[WeekRow]
    bands: list[PhaseBand]
    serious: list[FlagLine]
    info: list[FlagLine]
    exceptions: list[Unavoidable]
    diff: SeasonDiff
    sessions: int
    today: datetime.date

    @property
    def plan(self):
        return self.checked.plan

    @property
    def draft(self):
        return self.checked.draft


def _run_chip(run, unit: str) -> RunChip:
    label = RunTypeChoice(run.run_type).label if run.run_type in RunTypeChoice else "Run"
    distance = format_distance(run.distance, unit)
    return RunChip(
        summary=" ".join(filter(None, [str(label), distance])),
        title=run.title,
        key=run.run_type in KEY_RUNS,
        race=run.run_type == RunType.RACE,
        priority=run.race_priority,
        done=run.done,
        time=run.start_time,
    )


def _bands(weeks) -> list[PhaseBand]:
    bands: list[PhaseBand] = []
    for week in weeks:
        if bands and bands[-1].phase == week.phase:
            last = bands[-1]
            bands[-1] = PhaseBand(last.phase, last.label, last.weeks + 1, last.start)
        else:
            label = str(PHASE_LABELS.get(week.phase, week.phase))
            bands.append(PhaseBand(week.phase, label, 1, week.start))
    return bands


def season_draft_page_data(*, checked: CheckedDraft) -> SeasonDraftPage:
    """The page of a checked draft: the season week by week, the flags, the exceptions and
    the difference applying would make to the athlete's calendar."""
    plan, request, draft = checked.plan, checked.request, checked.draft
    athlete = draft.athlete
    today = local_today(athlete.user)
    unit = request.distance_unit
    runs = defaultdict(list)
    for run in sorted(request.runs, key=lambda r: (r.date, r.start_time or datetime.time())):
        if run.run_type not in NOT_RUNS:
            runs[run.date].append(_run_chip(run, unit))
    replaced = set(plan.replaced)
    others = defaultdict(list)
    for session in request.existing:
        if plan.start <= session.date <= plan.end:
            others[session.date].append(
                OtherSession(session.title or "Strength", session.done, session.id in replaced)
            )
    serious = [f for f in plan.flags if f.severity in SERIOUS]
    flagged = {i for f in serious for i in f.session_ids}
    notes = defaultdict(list)
    for exception in plan.exceptions:
        notes[exception.week].append(exception.message)

    rows = []
    for number, week in enumerate(plan.weeks, start=1):
        days = []
        by_day = defaultdict(list)
        for session in week.sessions:
            by_day[session.date].append(SessionChip(session, session.id in flagged))
        for n in range(7):
            date = week.start + datetime.timedelta(days=n)
            days.append(
                DayCell(
                    date=date,
                    in_season=plan.start <= date <= plan.end,
                    today=date == today,
                    runs=runs.get(date, []),
                    sessions=by_day.get(date, []),
                    others=others.get(date, []),
                )
            )
        volumes = [session_volume(engine_session(s)) for s in week.sessions]
        rows.append(
            WeekRow(
                number=number,
                start=week.start,
                phase=str(week.phase),
                phase_label=str(PHASE_LABELS.get(week.phase, week.phase)),
                days=days,
                sets=sum(e.sets for s in week.sessions for e in s.exercises),
                kg=round(sum(v.kg for v in volumes)),
                contacts=sum(v.contacts for v in volumes),
                notes=notes.get(week.start, []),
            )
        )
    return SeasonDraftPage(
        checked=checked,
        weeks=rows,
        bands=_bands(plan.weeks),
        serious=[FlagLine(f, title(f.code)) for f in serious],
        info=[FlagLine(f, title(f.code)) for f in plan.flags if f.severity not in SERIOUS],
        exceptions=list(plan.exceptions),
        diff=season_diff(athlete=athlete, plan=plan),
        sessions=len(plan.sessions),
        today=today,
    )


def season_session_data(*, draft: SeasonDraft, session_id: str) -> SessionEditor | None:
    """One session of the draft for its editor, with the days of its week it may move to
    and the athlete's runs on each; None when the draft has no such session."""
    plan = plan_from_data(draft.plan)
    session = next((s for s in plan.sessions if s.id == session_id), None)
    if session is None:
        return None
    targets = move_targets(plan, session)
    unit = draft.athlete.user.distance_unit
    runs = defaultdict(list)
    if targets:
        week = (
            Run.objects.for_athlete(draft.athlete)
            .filter(date__range=(targets[0], targets[-1]))
            .exclude(run_type__in=NOT_RUNS)
            .order_by("date", "start_time")
        )
        for run in week:
            distance = format_distance(run.actual_distance_m or run.distance_m, unit)
            runs[run.date].append(" ".join(filter(None, [run.get_run_type_display(), distance])))
    return SessionEditor(
        session,
        [Target(d, " · ".join([date_format(d, "D j M"), *runs.get(d, [])])) for d in targets],
    )


def week_anchor(date: datetime.date) -> str:
    return f"week-{monday(date):%Y-%m-%d}"
