"""evaluate(): every rule over one athlete's strength sessions and runs."""

import datetime
from collections.abc import Iterable

from programs.conflicts import fixes
from programs.conflicts.model import Flag, Run, StrengthSession, Thresholds
from programs.conflicts.rules import (
    WEEK_RULES,
    no_deload,
    run_distance_spike,
    session_rules,
    strength_days_too_close,
)
from programs.conflicts.schedule import Schedule
from programs.conflicts.text import METRES

DEFAULTS = Thresholds()


def evaluate(
    sessions: Iterable[StrengthSession],
    runs: Iterable[Run],
    thresholds: Thresholds = DEFAULTS,
    *,
    distance_unit: str = "km",
    suggest: bool = True,
    today: datetime.date | None = None,
) -> list[Flag]:
    """Every flag raised by ``sessions`` and ``runs``, sorted by (date, code, session ids).

    With ``suggest``, each flag carries a checked suggestion; a move never lands before
    ``today`` when it is given. The result depends only on the inputs, not on their order.
    """
    if errors := thresholds.errors():
        raise ValueError("; ".join(errors.values()))
    if distance_unit not in METRES:
        raise ValueError(f"Unknown distance unit {distance_unit!r}: use km or mi.")
    sessions, runs = tuple(sessions), tuple(runs)
    for kind, ids in (("session", [s.id for s in sessions]), ("run", [r.id for r in runs])):
        if len(set(ids)) != len(ids):
            raise ValueError(f"Each {kind} needs its own id.")
    schedule = Schedule.build(sessions, runs, thresholds, distance_unit)
    flags = find_flags(schedule)
    if suggest:
        flags = fixes.suggest(schedule, flags, today=today)
    return sorted(flags, key=lambda f: (f.date, f.code, f.session_ids, f.run_ids, f.dates))


def find_flags(schedule: Schedule) -> list[Flag]:
    flags: list[Flag] = []
    for session in schedule.sessions:
        flags.extend(session_rules(schedule, session, checked=False))
        flags.extend(strength_days_too_close(schedule, session, both_sides=False))
    for week in schedule.weeks:
        for week_rule in WEEK_RULES:
            flags.extend(week_rule(schedule, week))
    flags.extend(no_deload(schedule))
    flags.extend(run_distance_spike(schedule))
    return flags
