"""Conflict engine benchmark: one athlete's 52-week season, evaluated in memory.

.venv/bin/python -m benchmarks.conflicts

Plain Python, no Django: the engine takes dataclasses, so there is no database to set up.
"""

import datetime
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from programs.conflicts import Item, Run, StrengthSession, evaluate

START = datetime.date(2026, 1, 5)  # a Monday
WEEKS = 52
LIMIT_MS = 10.0


def _item(name: str, load_class: str, sets: int, reps: int, kg: float | None, **extra) -> Item:
    if kg is None:
        return Item(name, load_class, sets, reps, **extra)
    return Item(name, load_class, sets, reps, "kg", kg, load_kg=kg, **extra)


HEAVY_SQUAT = Item(
    "Back squat", "heavy_lower", 4, 5, "pct_1rm", 80, load_kg=90, easier="Goblet squat",
    easier_load_class="heavy_lower",
)  # fmt: skip
BOX_JUMP = Item("Box jump", "plyometric", 3, 5, foot_contacts=1, easier="Pogo hops")
LIGHT = (
    _item("Step-up", "light_lower", 3, 10, None),
    _item("Glute bridge", "light_lower", 3, 12, None),
    _item("Side plank", "core", 3, 0, None),
    _item("Push-up", "upper", 3, 10, None),
)


def _session(week: int, weekday: int, phase: str, *, heavy: bool) -> StrengthSession:
    """Monday moderate, Wednesday the week's heavy (or power) session, Friday light."""
    kg = 12 + week * 0.5
    if weekday == 2 and heavy:
        main = (HEAVY_SQUAT, BOX_JUMP) if phase == "power" else (HEAVY_SQUAT,)
    elif weekday == 4 and not heavy:
        main = ()
    else:
        main = (HEAVY_SQUAT,) if heavy else (_item("Goblet squat", "heavy_lower", 3, 10, kg),)
    items = (*main, _item("Romanian deadlift", "heavy_lower", 3, 10, kg + 4), *LIGHT)
    return StrengthSession(
        id=f"s{week}-{weekday}",
        date=START + datetime.timedelta(weeks=week, days=weekday),
        title=f"Week {week + 1} {('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')[weekday]}",
        items=items,
        phase=phase,
        done=week < 20,  # the first 20 weeks are logged
    )


def season() -> tuple[list[StrengthSession], list[Run]]:
    """Strength Mon / Wed / Fri and runs Mon easy, Tue tempo or intervals, Wed easy, Thu
    easy (hills every fourth week), Sat long, Sun recovery; every fourth week a deload,
    power work from week 30, races in weeks 12 (C), 24 (B) and 40 (A, after a two-week
    taper). Conflicts: the heavy Wednesday before hill weeks' Thursday, a heavy Friday
    before the long run every ninth week, a fourth session in week 30, heavy work in the
    taper."""
    sessions, runs = [], []
    for week in range(WEEKS):
        phase = "deload" if week % 4 == 3 else ("power" if week >= 30 else "strength")
        phase = "taper" if week in (38, 39) else phase
        for weekday in (0, 2, 4):
            heavy = (weekday == 2 and phase in ("strength", "power")) or (
                weekday == 4 and week % 9 == 5
            )
            heavy = heavy or (week == 39 and weekday == 2)
            sessions.append(_session(week, weekday, phase, heavy=heavy))
        if week == 30:
            sessions.append(_session(week, 6, phase, heavy=False))
        monday = START + datetime.timedelta(weeks=week)
        quality = ("tempo", "intervals")[week % 2]
        thursday = "hills" if week % 4 == 1 else "easy"
        plan = [(0, "easy", 8), (1, quality, 10), (2, "easy", 8), (3, thursday, 9),
                (5, "long", 18 + week % 12), (6, "recovery", 6)]  # fmt: skip
        for weekday, run_type, km in plan:
            race = {11: "C", 23: "B", 39: "A"}.get(week) if weekday == 6 else None
            runs.append(
                Run(
                    id=f"r{week}-{weekday}",
                    date=monday + datetime.timedelta(days=weekday),
                    run_type="race" if race else run_type,
                    distance_m=(42195 if race == "A" else 21097 if race else km * 1000),
                    race_priority=race or "",
                )
            )
    return sessions, runs


def _median_ms(call: Callable[[], object], repeat: int) -> float:
    call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _figures(label: str, sessions: list[StrengthSession], runs: list[Run]) -> list[str]:
    flags = evaluate(sessions, runs)
    lines = [
        f"{label}: {WEEKS} weeks, {len(sessions)} strength sessions, {len(runs)} runs, "
        f"{len(flags)} flags"
    ]
    kinds = Counter((f.code, f.suggestion.kind) for f in flags if f.suggestion)
    lines += [f"    {code:<30} {kind:<8} {count}" for (code, kind), count in sorted(kinds.items())]
    plain = _median_ms(lambda: evaluate(sessions, runs, suggest=False), repeat=200)
    full = _median_ms(lambda: evaluate(sessions, runs), repeat=50)
    for name, figure in (("without suggestions", plain), ("with suggestions", full)):
        verdict = "ok" if figure < LIMIT_MS else "over"
        lines.append(
            f"  evaluate {name:<20} {figure:6.2f} ms median  (< {LIMIT_MS:.0f} ms: {verdict})"
        )
    return lines


def main() -> None:
    sessions, runs = season()
    # Not a real plan: every session heavy with jumps and none logged, so nearly every one
    # conflicts and each searches all its candidate days before being lightened.
    stress = [replace(s, items=(HEAVY_SQUAT, BOX_JUMP, *s.items[1:]), done=False) for s in sessions]
    lines = ["Conflict engine benchmark", *_figures("season", sessions, runs)]
    lines += _figures("stress (every session hard, none logged)", stress, runs)
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()
