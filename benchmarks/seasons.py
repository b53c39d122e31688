"""Season planner benchmark: a 40-week season with 2 A races, 3 B races and 6 runs a week,
planned in memory, engine checks included.

.venv/bin/python -m benchmarks.seasons

Plain Python, no Django: the planner takes dataclasses and the catalogue is read from the
library's own file (library/data/exercises.json), so there is no database to set up.
"""

import datetime
import json
import statistics
import time
from collections import Counter
from pathlib import Path

from programs.conflicts import Item, Run, StrengthSession
from programs.seasons import CatalogueExercise, SeasonPlan, SeasonRequest, plan_season

START = datetime.date(2026, 1, 5)  # a Monday
WEEKS = 40
LIMIT_MS = 2000.0
GROUP = 50
GROUP_LIMIT_S = 60.0
LIBRARY = Path(__file__).resolve().parent.parent / "library" / "data" / "exercises.json"
# (week, weekday, priority, km): two marathons as A races, a half, a 10 km and a half as
# B races, each on a day the week's plan would have run.
RACES = ((8, 6, "B", 21.1), (13, 5, "B", 10), (17, 6, "A", 42.195), (30, 6, "B", 21.1),
         (39, 6, "A", 42.195))  # fmt: skip
MORNING, EVENING = datetime.time(7), datetime.time(18, 30)


def catalogue() -> tuple[CatalogueExercise, ...]:
    """The library's published exercises, as the service will pass them."""
    rows = json.loads(LIBRARY.read_text())
    return tuple(
        CatalogueExercise(
            slug=row["slug"],
            name=row["name"],
            load_class=row["load_class"],
            pattern=row["pattern"],
            foot_contacts_per_rep=row["foot_contacts_per_rep"],
            easier=row["easier"] or None,
        )
        for row in rows
        if row.get("status", "published") == "published"
    )


def runs(offset: int = 0) -> list[Run]:
    """Six runs a week: easy Monday, intervals or tempo Tuesday evening, easy Wednesday,
    hills every fourth Thursday evening (else easy), Friday off, a long run on Saturday
    growing over ten weeks, recovery on Sunday; races in place of the day's run.
    ``offset`` shifts the long run's length, so that a group's athletes differ."""
    races = {START + datetime.timedelta(weeks=w, days=d): (p, km) for w, d, p, km in RACES}
    result = []
    for week in range(WEEKS):
        monday = START + datetime.timedelta(weeks=week)
        quality = ("intervals", "tempo")[week % 2]
        thursday = "hills" if week % 4 == 1 else "easy"
        long_km = 16 + (week + offset) % 10
        plan = [(0, "easy", 8, MORNING), (1, quality, 10, EVENING), (2, "easy", 8, MORNING),
                (3, thursday, 9, EVENING), (5, "long", long_km, MORNING),
                (6, "recovery", 6, MORNING)]  # fmt: skip
        for weekday, run_type, km, start in plan:
            date = monday + datetime.timedelta(days=weekday)
            priority, race_km = races.get(date, ("", km))
            result.append(
                Run(
                    id=f"r{week}-{weekday}",
                    date=date,
                    run_type="race" if priority else run_type,
                    distance_m=int(race_km * 1000),
                    duration_s=int(race_km * 330),
                    start_time=start,
                    race_priority=priority,
                )
            )
    return result


def history() -> tuple[StrengthSession, ...]:
    """Two logged sessions in the week before the season: kept, and the first weeks' load
    is compared with them."""
    items = (Item("Goblet squat", "heavy_lower", 3, 10, "kg", 16, load_kg=16),
             Item("Glute bridge", "light_lower", 3, 12), Item("Plank", "core", 3))  # fmt: skip
    return tuple(
        StrengthSession(
            f"done-{n}", START - datetime.timedelta(days=days), "Strength", items, done=True
        )
        for n, days in enumerate((7, 4))
    )


def season_request(offset: int = 0) -> SeasonRequest:
    return SeasonRequest(
        start=START,
        runs=tuple(runs(offset)),
        catalogue=catalogue(),
        sessions_per_week=3,
        existing=history(),
        one_rep_maxes={"romanian-deadlift": 100.0, "hip-thrust": 120.0, "split-squat": 60.0},
    )


def _median_ms(call, repeat: int) -> tuple[float, float]:
    call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def _describe(plan: SeasonPlan) -> list[str]:
    phases = Counter(w.phase for w in plan.weeks)
    sessions = plan.sessions
    severities = Counter(f.severity for f in plan.flags)
    lines = [
        f"season: {len(plan.weeks)} weeks ({plan.start} to {plan.end}), "
        f"{len(sessions)} sessions ({sum(s.heavy for s in sessions)} heavy, "
        f"{sum(s.plyometric for s in sessions)} plyometric, "
        f"{sum(s.lightened for s in sessions)} lightened)",
        "  phases: " + ", ".join(f"{phase} {count}" for phase, count in phases.items()),
        "  flags: " + (", ".join(f"{sev} {n}" for sev, n in sorted(severities.items())) or "none"),
        f"  exceptions: {len(plan.exceptions)}",
    ]
    lines += [f"    {e.week} {e.reason}: {e.message}" for e in plan.exceptions]
    return lines


def main() -> None:
    request = season_request()
    plan = plan_season(request)
    lines = ["Season planner benchmark", *_describe(plan)]
    median, worst = _median_ms(lambda: plan_season(request), repeat=10)
    verdict = "ok" if worst < LIMIT_MS else "over"
    lines.append(
        f"  plan_season {median:8.1f} ms median, {worst:8.1f} ms max  "
        f"(< {LIMIT_MS:.0f} ms: {verdict})"
    )
    group = [season_request(offset) for offset in range(GROUP)]
    start = time.perf_counter()
    for member in group:
        plan_season(member)
    seconds = time.perf_counter() - start
    verdict = "ok" if seconds < GROUP_LIMIT_S else "over"
    lines.append(
        f"  {GROUP} athletes, one after another {seconds:6.2f} s  "
        f"(< {GROUP_LIMIT_S:.0f} s: {verdict}; the planner alone, no database)"
    )
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()
