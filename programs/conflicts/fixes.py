"""Checked suggestions: a move to the nearest day that clears the flag and raises nothing
new at warning or worse, else a lighter session that does, else advice. A move never lands
before today, on a long run's or race's day, in a race's recovery days, or outside the
session's assignment (before its start or after its last day).

A candidate is checked on a schedule with only that session changed, re-running the
rules that can raise a warning or worse on the parts that can change: the session's own
rules, its spacing against the other sessions, and the weekly rules of its old and new
weeks and the four weeks after each (LOAD_SPIKE looks back four weeks); a move within
its week changes no weekly figure, so those are skipped. Every other flag is unchanged by
construction, so the answer is the one a full re-evaluation would give (the property tests
check exactly that). Info flags are not re-run: they never block a suggestion.
"""

import datetime
import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from programs.conflicts import text
from programs.conflicts.classify import is_heavy, is_plyometric
from programs.conflicts.model import (
    HARD_SESSION_CODES,
    LOWER_BODY,
    Change,
    Code,
    Flag,
    Item,
    LoadClass,
    LoadType,
    Run,
    Severity,
    StrengthSession,
    Suggestion,
    SuggestionKind,
    Thresholds,
)
from programs.conflicts.rules import (
    CHECKED_WEEK_RULES,
    affected_weeks,
    session_rules,
    strength_days_too_close,
)
from programs.conflicts.schedule import Schedule, monday

MOVABLE = HARD_SESSION_CODES | {Code.STRENGTH_DAYS_TOO_CLOSE, Code.TOO_MANY_STRENGTH_SESSIONS}
WEEKLY = {
    Code.TOO_MANY_STRENGTH_SESSIONS,
    Code.TOO_FEW_STRENGTH_SESSIONS,
    Code.LOAD_SPIKE,
    Code.NO_DELOAD,
}
SEARCH_DAYS = 7
LIGHT_SETS = 2
RPE_STEP_DOWN = 2

Key = tuple[str, tuple[str, ...], tuple[str, ...], tuple[datetime.date, ...]]


def apply(
    suggestion: Suggestion, sessions: Iterable[StrengthSession]
) -> tuple[StrengthSession, ...]:
    """``sessions`` with the suggestion carried out (a "none" suggestion changes nothing)."""
    return tuple(_applied(suggestion, s) for s in sessions)


def _applied(suggestion: Suggestion, session: StrengthSession) -> StrengthSession:
    if session.id != suggestion.session_id:
        return session
    if suggestion.kind == SuggestionKind.MOVE and suggestion.to_date is not None:
        return replace(session, date=suggestion.to_date)
    if suggestion.kind == SuggestionKind.LIGHTEN:
        return lightened(session, suggestion.changes)
    return session


def lightened(session: StrengthSession, changes: Sequence[Change]) -> StrengthSession:
    by_index = {c.index: c for c in changes}
    items = (
        _changed(item, by_index[index]) if index in by_index else item
        for index, item in enumerate(session.items)
    )
    return replace(session, items=tuple(i for i in items if i is not None))


def _changed(item: Item, change: Change) -> Item | None:
    if change.drop:
        return None
    # One replace() with every change: it is the costly part of checking a lighter session.
    updates: dict[str, object] = {}
    if change.exercise is not None:
        load_class = change.load_class or item.load_class
        updates.update(
            exercise=change.exercise,
            load_class=load_class,
            foot_contacts=item.foot_contacts if load_class == LoadClass.PLYOMETRIC else 0,
            easier=None,
            easier_load_class=None,
            one_rm_kg=None,  # the 1RM was the other exercise's
        )
    if change.load_type is not None:
        updates.update(load_type=change.load_type, load_value=change.load_value, load_kg=None)
    if change.sets is not None:
        updates["sets"] = change.sets
    return replace(item, **updates) if updates else item


def lighten_changes(
    session: StrengthSession, thresholds: Thresholds, *, plyometric: bool
) -> tuple[Change, ...]:
    """Heavy lifts to their easier variant (or the same lift) at a moderate RPE, plyometrics
    to an easier variant that is not a jump, else dropped, and lower-body sets cut to two.
    Empty when there is nothing hard to take out, or when taking it out would leave the
    session with nothing in it: a lighter session is never an empty one."""
    moderate = max(1.0, thresholds.heavy_rpe - RPE_STEP_DOWN)
    changes, hard = [], False
    for index, item in enumerate(session.items):
        sets = LIGHT_SETS if item.sets > LIGHT_SETS and item.load_class in LOWER_BODY else None
        easier_class = item.easier_load_class or item.load_class
        if is_heavy(item, thresholds):
            hard = True
            if item.easier and easier_class in (LoadClass.HEAVY_LOWER, LoadClass.LIGHT_LOWER):
                loaded = easier_class == LoadClass.HEAVY_LOWER
                changes.append(
                    Change(
                        index,
                        exercise=item.easier,
                        load_class=easier_class,
                        load_type=LoadType.RPE if loaded else LoadType.BODYWEIGHT,
                        load_value=moderate if loaded else None,
                        sets=sets,
                    )
                )
            else:
                changes.append(
                    Change(index, load_type=LoadType.RPE, load_value=moderate, sets=sets)
                )
        elif plyometric and is_plyometric(item):
            hard = True
            if item.easier and easier_class != LoadClass.PLYOMETRIC:
                changes.append(
                    Change(
                        index,
                        exercise=item.easier,
                        load_class=easier_class,
                        load_type=LoadType.BODYWEIGHT,
                        sets=sets if easier_class in LOWER_BODY else None,
                    )
                )
            else:
                changes.append(Change(index, drop=True))
        elif sets is not None:
            changes.append(Change(index, sets=sets))
    if not hard or sum(c.drop for c in changes) == len(session.items):
        # Only jumps with no easier variant that is not one: keeping any of them keeps the
        # session plyometric, so no lighter session clears the flag; advice does instead.
        return ()
    return tuple(changes)


def _session_flags(schedule: Schedule, session: StrengthSession) -> Iterator[Flag]:
    yield from session_rules(schedule, session, checked=True)
    yield from strength_days_too_close(schedule, session, both_sides=True)


def _week_flags(schedule: Schedule, weeks: Iterable[datetime.date]) -> Iterator[Flag]:
    for week in weeks:
        for week_rule in CHECKED_WEEK_RULES:
            yield from week_rule(schedule, week)


class _Checker:
    """Answers "what flags does this change leave?", once per distinct change."""

    def __init__(self, schedule: Schedule, flags: Sequence[Flag]) -> None:
        self.schedule = schedule
        self.before = {f.key for f in flags}
        self.weekly: dict[datetime.date, set[Key]] = {}
        for f in flags:
            if f.code in WEEKLY:
                self.weekly.setdefault(f.date, set()).add(f.key)
        self.outcomes: dict[object, frozenset[Key] | None] = {}

    def clears_move(self, flag: Flag, session: StrengthSession, day: datetime.date) -> bool:
        """Moving ``session`` to ``day`` clears ``flag`` and raises no new flag at warning
        or worse."""
        key = (session.id, day, None)
        if key not in self.outcomes:
            if next(self.schedule.close_to(session.id, day, both_sides=True), None):
                # The spacing rule would flag it: the commonest refusal, found cheaply.
                self.outcomes[key] = None
            else:
                self.outcomes[key] = self._outcome(session, replace(session, date=day))
        return self._cleared(flag, key)

    def clears_change(self, flag: Flag, old: StrengthSession, new: StrengthSession) -> bool:
        """The same for a session changed in place (lightened)."""
        key = (new.id, new.date, new.items)
        if key not in self.outcomes:
            self.outcomes[key] = self._outcome(old, new)
        return self._cleared(flag, key)

    def _cleared(self, flag: Flag, key: object) -> bool:
        after = self.outcomes[key]
        return after is not None and flag.key not in after

    def _outcome(self, old: StrengthSession, new: StrengthSession) -> frozenset[Key] | None:
        """The keys of the flags the change leaves in the parts it can touch, or None if it
        raises a new flag at warning or worse."""
        moved_only = new.items is old.items
        # A moved session keeps its classification, and the spacing rule skips the session's
        # own id, so its own rules can run on the unchanged schedule: most candidates fail
        # here, before any index is rebuilt.
        changed = None if moved_only else self.schedule.replacing(old, new)
        keys = set()
        for f in _session_flags(changed or self.schedule, new):
            if f.severity != Severity.INFO and f.key not in self.before:
                return None
            keys.add(f.key)
        if moved_only and monday(old.date) == monday(new.date):
            # Same week, same items: no weekly figure changes, the week's flags stand.
            return frozenset(keys | self.weekly.get(monday(old.date), set()))
        changed = changed or self.schedule.replacing(old, new)
        for f in _week_flags(changed, affected_weeks(old.date, new.date)):
            if f.severity != Severity.INFO and f.key not in self.before:
                return None
            keys.add(f.key)
        return frozenset(keys)


@functools.cache
def _offsets(weekday: int) -> tuple[tuple[bool, int, int], ...]:
    """(other week?, distance, offset) for each candidate day around a session on
    ``weekday``: the same Monday–Sunday week first, then up to a week either side; nearer
    first, and the earlier of two equally near days first."""
    return tuple(
        sorted(
            (not 0 <= weekday + offset <= 6, abs(offset), offset)
            for offset in range(-SEARCH_DAYS, SEARCH_DAYS + 1)
            if offset
        )
    )


def _move(
    checker: _Checker,
    flag: Flag,
    candidates: Sequence[StrengthSession],
    today: datetime.date | None,
) -> Suggestion | None:
    # Never onto a long run's or race's day or into a race's recovery, whatever the session
    # holds: those days are kept for the run and for recovering from it.
    no_move_days = checker.schedule.no_move_days
    best = None
    for priority, session in enumerate(candidates):
        for other_week, distance, offset in _offsets(session.date.weekday()):
            day = session.date + datetime.timedelta(days=offset)
            rank = (other_week, distance, day, priority)
            if best is not None and rank >= best[0]:
                break
            if (today is not None and day < today) or day.toordinal() in no_move_days:
                continue
            if not _within(session, day):
                continue
            if checker.clears_move(flag, session, day):
                best = (rank, session, day)
                break
    if best is None:
        return None
    _, session, day = best
    what = (
        "it"
        if len(flag.session_ids) == 1
        else f"{session.title or 'Session'} ({text.day(session.date)})"
    )
    # The STRENGTH_BEFORE_RUN_SAME_DAY flag a move onto a key run's day would raise is only
    # info, so the move stands, but the text says to do it after the run.
    schedule = checker.schedule
    key_run = next((r for r in schedule.runs_near(day, 0) if schedule.is_key(r)), None)
    after = f", after {text.run_phrase(key_run, schedule.unit)}" if key_run else ""
    return Suggestion(
        SuggestionKind.MOVE, session.id, day, (), f"Move {what} to {text.day(day)}{after}."
    )


def _within(session: StrengthSession, day: datetime.date) -> bool:
    """``day`` is inside the session's assignment: never before its first day or after its
    last."""
    return (session.earliest is None or day >= session.earliest) and (
        session.latest is None or day <= session.latest
    )


def _lighten(checker: _Checker, flag: Flag, session: StrengthSession) -> Suggestion | None:
    plyometric = flag.code != Code.HEAVY_AFTER_LONG_RUN
    changes = lighten_changes(session, checker.schedule.thresholds, plyometric=plyometric)
    if not changes or not checker.clears_change(flag, session, lightened(session, changes)):
        return None
    return Suggestion(
        SuggestionKind.LIGHTEN, session.id, None, changes, text.lighten_text(session, changes)
    )


def suggest(
    schedule: Schedule, flags: Sequence[Flag], *, today: datetime.date | None = None
) -> list[Flag]:
    """``flags`` with a suggestion each."""
    checker = _Checker(schedule, flags)
    sessions = {s.id: s for s in schedule.sessions}
    runs = {r.id: r for rs in schedule.runs_on.values() for r in rs}
    return [replace(f, suggestion=_suggestion(checker, f, sessions, runs, today)) for f in flags]


def _suggestion(
    checker: _Checker,
    flag: Flag,
    sessions: dict[str, StrengthSession],
    runs: dict[str, Run],
    today: datetime.date | None,
) -> Suggestion:
    if flag.code == Code.RUN_DISTANCE_SPIKE:
        # About a run, not a strength session: no session to move or lighten, only advice.
        run, longest = (runs[i] for i in flag.run_ids)
        return Suggestion(
            SuggestionKind.NONE,
            None,
            None,
            (),
            text.spike_advice(run, longest, checker.schedule.unit),
        )
    mine = [sessions[i] for i in flag.session_ids]
    # Later sessions first: of two equally good moves, the later session's is proposed.
    movable = sorted((s for s in mine if not s.done), key=lambda s: (s.date, s.id), reverse=True)
    if flag.code in MOVABLE and movable and (move := _move(checker, flag, movable, today)):
        return move
    if (
        flag.code in HARD_SESSION_CODES
        and movable
        and (lighter := _lighten(checker, flag, movable[0]))
    ):
        return lighter
    session_id = mine[0].id if len(mine) == 1 else None
    return Suggestion(
        SuggestionKind.NONE,
        session_id,
        None,
        (),
        text.advice(
            flag,
            logged=bool(mine) and all(s.done for s in mine),
            run=runs[flag.run_ids[0]] if flag.run_ids else None,
            thresholds=checker.schedule.thresholds,
            unit=checker.schedule.unit,
        ),
    )
