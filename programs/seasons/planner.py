"""plan_season(): a strength season drawn around an athlete's races and runs, and proved by
the conflict engine before anyone sees it.

    plan = plan_season(SeasonRequest(start=..., runs=..., catalogue=...))
    plan.weeks, plan.flags, plan.exceptions, plan.to_json()

The steps: phases laid backwards from each A race (phases.py); each week's sessions from
the templates with their progression (sessions.py); days picked around the runs with the
engine's own verdict on each day (days.py), a week at a time, looking one week ahead when
a session near a week's end would crowd the next; volume kept under the load-spike limit,
then the whole season checked by ``evaluate`` and mended (search.py). See
docs/season-planner.md.
"""

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from programs.conflicts.model import Code, Flag, StrengthSession
from programs.conflicts.schedule import monday
from programs.seasons.days import (
    Day,
    Placed,
    Placement,
    day_table,
    preferred_weekdays,
    rank_week,
)
from programs.seasons.model import (
    PlannedExercise,
    PlannedSession,
    PlannedWeek,
    SeasonPlan,
    SeasonRequest,
)
from programs.seasons.phases import WeekFrame, lay_phases
from programs.seasons.search import Weeks, check, exceptions, lightened, ramp
from programs.seasons.sessions import Catalogue, Choice, week_choices

# How many of a week's best placements are weighed against the next week's, when the
# best one ends within the spacing of the next Monday.
LOOKAHEAD = 12
ID_PREFIX = "plan-"

Light = tuple[PlannedExercise, ...] | None


@dataclass(frozen=True)
class _Week:
    frame: WeekFrame
    choices: list[Choice]
    days: list[Day]
    preferred: tuple[int, ...]
    asked: int  # what the phase asks, less the kept sessions of the week


def plan_season(request: SeasonRequest) -> SeasonPlan:
    """The season ``request`` asks for. Raises ValueError when the request has errors
    (``request.errors()`` says which, by field)."""
    if errors := request.errors():
        raise ValueError("; ".join(errors.values()))
    end = request.end or request.last_a_race()
    assert end is not None  # errors() says so otherwise
    limits = request.thresholds
    kept = [s for s in request.existing if not _replaced(s, request, end)]
    frames = lay_phases(request, end)
    table = day_table(request.start, end, request.runs, limits, request.distance_unit)
    weeks = _weeks(frames, request, end, kept, table)
    gap = max(1, limits.min_days_between)
    placed, short, lights = _place(weeks, kept, gap)
    planned = ramp(placed, kept, limits.spike_ratio)
    first_monday = frames[0].start
    ids = {s.id for sessions in planned.values() for s in sessions}

    def in_plan(flag: Flag) -> bool:
        return in_season(flag, first_monday=first_monday, end=end, planned_ids=ids)

    def lighter(session: PlannedSession) -> PlannedSession | None:
        light = lights.get(session.id)
        if session.lightened or light is None:
            return None
        return lightened(session, light, limits)

    checked = check(
        planned,
        kept=kept,
        runs=request.runs,
        thresholds=limits,
        unit=request.distance_unit,
        in_plan=in_plan,
        lighter=lighter,
    )
    return SeasonPlan(
        start=request.start,
        end=end,
        weeks=tuple(
            PlannedWeek(
                start=f.start,
                phase=f.phase,
                sessions=tuple(sorted(checked.weeks[f.start], key=lambda s: s.date)),
            )
            for f in frames
        ),
        flags=tuple(checked.flags),
        exceptions=tuple(exceptions(checked.flags, ids, short, limits.spike_ratio)),
        kept=tuple(s.id for s in kept if request.start <= s.date <= end),
        replaced=tuple(s.id for s in request.existing if _replaced(s, request, end)),
    )


def in_season(
    flag: Flag, *, first_monday: datetime.date, end: datetime.date, planned_ids: set[str]
) -> bool:
    """Whether an engine flag is the season's: dated from its first Monday to its end, or
    naming a planned session. RUN_DISTANCE_SPIKE never is: it is about the run plan, which
    no strength session changes."""
    if flag.code == Code.RUN_DISTANCE_SPIKE:
        return False
    return first_monday <= flag.date <= end or any(i in planned_ids for i in flag.session_ids)


def _replaced(session: StrengthSession, request: SeasonRequest, end: datetime.date) -> bool:
    """Whether the plan replaces an existing session: only with ``replace_existing``, and
    only a planned (not done) one in the plan's dates."""
    return request.replace_existing and not session.done and request.start <= session.date <= end


def _weeks(
    frames: Sequence[WeekFrame],
    request: SeasonRequest,
    end: datetime.date,
    kept: Sequence[StrengthSession],
    table: dict[datetime.date, Day],
) -> list[_Week]:
    limits = request.thresholds
    catalogue = Catalogue(request.catalogue)
    kept_in = Counter(monday(s.date) for s in kept)
    weeks = []
    for frame in frames:
        count = max(0, frame.sessions - kept_in[frame.start])
        days = [
            table[d]
            for d in (frame.start + datetime.timedelta(days=n) for n in range(7))
            if request.start <= d <= end
        ]
        choices = week_choices(
            frame,
            count,
            catalogue=catalogue,
            one_rep_maxes=request.one_rep_maxes,
            thresholds=limits,
            deload_fraction=request.deload_fraction,
        )
        weeks.append(
            _Week(
                frame=frame,
                choices=choices,
                days=days,
                preferred=preferred_weekdays(request.weekdays, frame.sessions),
                asked=len(choices),
            )
        )
    return weeks


def _near(taken: Sequence[datetime.date], week: datetime.date, gap: int) -> list[datetime.date]:
    low = week - datetime.timedelta(days=gap)
    high = week + datetime.timedelta(days=6 + gap)
    return [d for d in taken if low <= d <= high]


def _best(
    weeks: Sequence[_Week], index: int, taken: list[datetime.date], gap: int
) -> Placement | None:
    """The week's best placement; when it ends within ``gap`` days of the next Monday, the
    one of its LOOKAHEAD best that leaves the two weeks best together."""
    week = weeks[index]
    ranked = rank_week(week.choices, week.days, _near(taken, week.frame.start, gap), gap,
                       week.preferred)  # fmt: skip
    if not ranked:
        return None
    best = ranked[0]
    following = weeks[index + 1] if index + 1 < len(weeks) else None
    if following is None or best.last is None:
        return best
    if (following.frame.start - best.last).days >= gap:
        return best

    tails: dict[tuple[datetime.date, ...], tuple[int, ...]] = {}

    def with_next(option: Placement) -> tuple[int, ...]:
        dates = [*taken, *(p.day.date for p in option.placed)]
        near = tuple(_near(dates, following.frame.start, gap))
        if near not in tails:
            after = rank_week(following.choices, following.days, near, gap, following.preferred)
            tails[near] = after[0].cost if after else (len(following.choices), 0, 0, 0)
        return tuple(a + b for a, b in zip(option.cost, tails[near], strict=True))

    return min(ranked[:LOOKAHEAD], key=with_next)


def _capacity(week: _Week, taken: Sequence[datetime.date], gap: int) -> int:
    """How many sessions the week's days could hold by spacing alone (the runs aside)."""
    count, last = 0, None
    for day in week.days:
        ordinal = day.date.toordinal()
        if any(abs(ordinal - t.toordinal()) < gap for t in taken):
            continue
        if last is None or ordinal - last >= gap:
            count, last = count + 1, ordinal
    return count


def _place(
    weeks: Sequence[_Week], kept: Sequence[StrengthSession], gap: int
) -> tuple[Weeks, dict[datetime.date, str], dict[str, Light]]:
    """Each week's sessions on their days; the weeks that got fewer than they asked for,
    with why; and each session's lighter version, for mending."""
    taken = sorted(s.date for s in kept)
    kept_days = list(taken)
    placed: Weeks = {}
    short: dict[datetime.date, str] = {}
    lights: dict[str, Light] = {}
    for index, week in enumerate(weeks):
        best = _best(weeks, index, taken, gap)
        sessions = []
        for chosen in best.placed if best else ():
            session = _session(week, chosen)
            sessions.append(session)
            lights[session.id] = None if chosen.light else chosen.choice.light
        placed[week.frame.start] = sessions
        taken.extend(s.date for s in sessions)
        possible = min(week.asked, _capacity(week, _near(kept_days, week.frame.start, gap), gap))
        if len(sessions) < possible:
            short[week.frame.start] = (
                f"Only {len(sessions)} of {possible} strength sessions fit in the week of "
                f"{week.frame.start:%d %b %Y}: the other days are race days or too close "
                f"to another strength session, given the runs."
            )
    return placed, short, lights


def _session(week: _Week, placed: Placed) -> PlannedSession:
    choice, day = placed.choice, placed.day
    exercises = choice.full
    heavy, plyometric = choice.heavy, choice.plyometric
    if placed.light and choice.light is not None:
        # A lighter session is never hard (sessions.lighten), so nothing to classify.
        exercises, heavy, plyometric = choice.light, False, False
    return PlannedSession(
        id=f"{ID_PREFIX}{day.date:%Y%m%d}",
        date=day.date,
        name=f"{choice.name} (light)" if placed.light else choice.name,
        phase=week.frame.phase,
        exercises=exercises,
        heavy=heavy,
        plyometric=plyometric,
        start_time=day.time,
        lightened=placed.light,
    )
