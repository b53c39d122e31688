"""The season's weeks and their phases, laid backwards from each A race.

1. A-race weeks: a week holding an A race, or with at least ``MAJORITY`` of its days in an
   A race's taper window (``Thresholds.taper_warning_days`` before it, race day included),
   is a taper week; one with ``MAJORITY`` days in its recovery (the engine's
   ``recovery_days``) a recovery week.
2. The weeks between are segments. Each is split into foundation, strength, maintenance and
   power by ``allocate`` (the rule is in docs/season-planner.md).
3. B races lay a mini-taper and a recovery week over the segment the same way (by
   ``b_taper_warning_days``; no week of their own when the window is short); C races and
   races without a priority change no week: only their days (see days.py).
4. A deload replaces the week after ``deload_every`` loading weeks in a row, or one week
   later when a taper or recovery week follows anyway.
"""

import datetime
from dataclasses import dataclass

from programs.conflicts.model import Run, RunType, Thresholds, recovery_days
from programs.conflicts.schedule import WEEK, monday
from programs.seasons.model import LOADING, Phase, SeasonRequest

MAJORITY = 4  # days of a Monday–Sunday week
FOUNDATION_WEEKS = (4, 6)
STRENGTH_WEEKS = (6, 8)
POWER_WEEKS = (3, 6)
# The order in which a long segment's weeks past the minimums go to each phase, up to the
# maxima; what is left after that is maintenance.
FIRST_EXTRAS = (Phase.STRENGTH, Phase.FOUNDATION, Phase.POWER) * 2 + (Phase.POWER,)
LATER_EXTRAS = (Phase.STRENGTH, Phase.POWER) * 2 + (Phase.POWER,) * 2


@dataclass(frozen=True)
class WeekFrame:
    """One week of the season before any session is placed. ``base`` is the phase whose
    sessions it holds (a deload week's: the phase around it); ``index`` is the number of
    loading weeks of that phase before it, which drives the progression; ``span`` is the
    number of loading weeks of that phase in all."""

    start: datetime.date
    phase: Phase
    base: Phase
    index: int
    span: int
    sessions: int


def allocate(length: int, *, first: bool, before_a_race: bool) -> list[Phase]:
    """The phases of a segment of ``length`` weeks, in order.

    The season's first segment: foundation, strength, power at their minimums (4, 6, 3)
    when it has 13 weeks or more, longer in FIRST_EXTRAS order up to their maxima (6, 8,
    6), and maintenance between strength and power for what is left. Shorter, each part
    shrinks in proportion (4 : 6 : 3), foundation keeping at least one week.

    A later segment (after an A race) starts at strength: strength and power at their
    minimums (6, 3) from 9 weeks, then longer in LATER_EXTRAS order, maintenance for what
    is left; under 9 weeks, maintenance with its last third as power. After the last A
    race, when the season goes on, everything is maintenance."""
    if length <= 0:
        return []
    if not first and not before_a_race:
        return [Phase.MAINTENANCE] * length
    if first:
        parts = {Phase.FOUNDATION: FOUNDATION_WEEKS, Phase.STRENGTH: STRENGTH_WEEKS}
        extras = FIRST_EXTRAS
    else:
        parts = {Phase.STRENGTH: STRENGTH_WEEKS}
        extras = LATER_EXTRAS
    parts[Phase.POWER] = POWER_WEEKS
    minimum = sum(low for low, _high in parts.values())
    weeks = dict.fromkeys(parts, 0)
    if length >= minimum:
        weeks = {phase: low for phase, (low, _high) in parts.items()}
        left = length - minimum
        for phase in extras:
            if left == 0:
                break
            if weeks[phase] < parts[phase][1]:
                weeks[phase] += 1
                left -= 1
        maintenance = left
    elif first:
        foundation = max(1, (length * FOUNDATION_WEEKS[0] * 2 + minimum) // (2 * minimum))
        power = length * POWER_WEEKS[0] // minimum
        weeks = {
            Phase.FOUNDATION: foundation,
            Phase.STRENGTH: length - foundation - power,
            Phase.POWER: power,
        }
        maintenance = 0
    else:
        weeks[Phase.POWER] = length // 3
        maintenance = length - weeks[Phase.POWER]
    return (
        [Phase.FOUNDATION] * weeks.get(Phase.FOUNDATION, 0)
        + [Phase.STRENGTH] * weeks[Phase.STRENGTH]
        + [Phase.MAINTENANCE] * maintenance
        + [Phase.POWER] * weeks[Phase.POWER]
    )


@dataclass(frozen=True)
class _Windows:
    taper: set[int]  # day ordinals
    recovery: set[int]
    race_weeks: set[datetime.date]


def _windows(runs: tuple[Run, ...], priority: str, warning_days: int) -> _Windows:
    windows = _Windows(set(), set(), set())
    for race in runs:
        if race.run_type != RunType.RACE or race.race_priority != priority:
            continue
        day = race.date.toordinal()
        windows.taper.update(range(day - warning_days, day + 1))
        windows.recovery.update(range(day + 1, day + recovery_days(race) + 1))
        windows.race_weeks.add(monday(race.date))
    return windows


def _label(week: datetime.date, windows: _Windows, *, race_week_tapers: bool) -> Phase | None:
    days = range(week.toordinal(), week.toordinal() + 7)
    if (race_week_tapers and week in windows.race_weeks) or (
        sum(d in windows.taper for d in days) >= MAJORITY
    ):
        return Phase.TAPER
    if sum(d in windows.recovery for d in days) >= MAJORITY:
        return Phase.RECOVERY
    return None


def _segments(labels: list[Phase | None]) -> list[tuple[int, int]]:
    """(first index, length) of each run of unlabelled weeks."""
    segments, first = [], None
    for index, label in enumerate([*labels, Phase.TAPER]):
        if label is None and first is None:
            first = index
        elif label is not None and first is not None:
            segments.append((first, index - first))
            first = None
    return segments


def _deloads(phases: list[Phase], every: int, most: int) -> list[Phase]:
    """The week after ``every`` loading weeks in a row becomes a deload, unless a taper or
    recovery week follows it and one more loading week stays within ``most``."""
    phases, streak = list(phases), 0
    for index, phase in enumerate(phases):
        if phase not in LOADING:
            streak = 0
            continue
        if streak >= every:
            following = phases[index + 1] if index + 1 < len(phases) else None
            if not (
                streak == every and following in (Phase.TAPER, Phase.RECOVERY) and every + 1 <= most
            ):
                phases[index] = Phase.DELOAD
                streak = 0
                continue
        streak += 1
    return phases


def session_count(phase: Phase, request: SeasonRequest) -> int:
    full = min(request.sessions_per_week, request.thresholds.max_per_week)
    in_season = min(request.in_season_sessions, full)
    if phase == Phase.RECOVERY:
        return 1
    if phase in (Phase.FOUNDATION, Phase.STRENGTH):
        return full
    return in_season


def lay_phases(request: SeasonRequest, end: datetime.date) -> list[WeekFrame]:
    """Every week from the start's Monday to the end's, with its phase."""
    limits: Thresholds = request.thresholds
    first_week = monday(request.start)
    weeks = [first_week + WEEK * n for n in range((monday(end) - first_week).days // 7 + 1)]
    a_races = _windows(request.runs, "A", limits.taper_warning_days)
    labels = [_label(w, a_races, race_week_tapers=True) for w in weeks]
    spans: list[Phase | None] = list(labels)
    for number, (first, length) in enumerate(_segments(labels)):
        before_a_race = first + length < len(weeks)
        for offset, phase in enumerate(
            allocate(length, first=number == 0, before_a_race=before_a_race)
        ):
            spans[first + offset] = phase
    b_races = _windows(request.runs, "B", limits.b_taper_warning_days)
    phases: list[Phase] = []
    for week, label, span in zip(weeks, labels, spans, strict=True):
        overlay = None if label else _label(week, b_races, race_week_tapers=False)
        phases.append(label or overlay or span)
    every = min(request.deload_every, limits.max_loading_weeks)
    phases = _deloads(phases, every, limits.max_loading_weeks)
    return _frames(weeks, phases, spans, request)


def _frames(
    weeks: list[datetime.date],
    phases: list[Phase],
    spans: list[Phase | None],
    request: SeasonRequest,
) -> list[WeekFrame]:
    # A span is a run of weeks laid out as one phase; its B-race weeks stay in it. A deload
    # eases what the weeks before it loaded: it holds the sessions of the last loading week
    # (of the span before, when it falls on a span's first week).
    totals: dict[int, int] = {}
    span_id, ids = 0, []
    for index, span in enumerate(spans):
        if index and span != spans[index - 1]:
            span_id += 1
        ids.append(span_id)
        if phases[index] == span:
            totals[span_id] = totals.get(span_id, 0) + 1
    frames, done = [], dict.fromkeys(totals, 0)
    last: tuple[int, Phase] | None = None  # the last loading week's span and phase
    for week, phase, span, span_id in zip(weeks, phases, spans, ids, strict=True):
        if phase == Phase.DELOAD and last is not None:
            held, base = last
        elif phase == Phase.DELOAD and span is not None:
            held, base = span_id, span
        else:
            held, base = span_id, phase
        frames.append(
            WeekFrame(
                start=week,
                phase=phase,
                base=base,
                index=done.get(held, 0),
                span=totals.get(held, 1),
                sessions=session_count(base, request),
            )
        )
        if phase == span and phase in LOADING:
            done[span_id] += 1
            last = (span_id, phase)
    return frames
