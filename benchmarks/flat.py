"""Flat CPU per request (issue #17): the roster and the builder cost the same CPU per request
from 50 to 500 athletes and from 12 to 52 weeks.

Builds, in one throwaway database, two coaches with 50 and 500 athletes, each athlete as in
the roster benchmark (a 16-week block, 6 runs a week, past sessions logged; see the header
for how many weeks), and two 12- and 52-week blocks of 3 sessions a week, 8 exercises each.
For each page and size it times N requests with ``time.process_time()`` (CPU in this
process, not wall time) and prints the median, in two states:

- hit: the page asked again with nothing changed (served from the page cache);
- miss: before each request one athlete's data changed (``athletes_changed``) or the
  block changed (``block_changed``), so the page is built again.

with the response's size and query count, then the ratio of the medians large/small. For
the builder also an edit: a session of week 2 renamed, as htmx posts it, and the week
editor it answers with.

make bench-flat            # or: .venv/bin/python -m benchmarks.flat
.venv/bin/python -m benchmarks.flat --athletes 5 20 --weeks 2 4 --repeat 3   # quick check
"""

import argparse
import datetime
import itertools
import statistics
import time

from django.utils import timezone

from benchmarks.blocks import build
from benchmarks.harness import bench_database, count_queries, report
from benchmarks.roster import (
    LOGGED_WEEKS,
    WEEKS,
    athletes_with_plans,
    conflicts_for,
    groups_split,
    logs,
    squad_block,
)


def cpu_ms(request, *, before=None, repeat: int) -> float:
    """Median CPU milliseconds of ``repeat`` calls of ``request``; ``before`` runs untimed
    ahead of each one."""
    samples = []
    for _ in range(repeat):
        if before:
            before()
        start = time.process_time()
        response = request()
        samples.append((time.process_time() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(samples)


def measure(label: str, request, change, *, repeat: int) -> dict[str, float]:
    """Hit and miss medians of one page, with its size and queries in both states."""
    response = request()  # fill the cache
    size = len(response.content) / 1024
    q_hit = count_queries(request)
    hit = cpu_ms(request, repeat=repeat)
    change()
    q_miss = count_queries(request)
    miss = cpu_ms(request, before=change, repeat=repeat)
    report(f"{label}, hit", f"{hit:.1f} ms CPU", limit=f"{size:.0f} KB, {q_hit} queries")
    report(f"{label}, miss", f"{miss:.1f} ms CPU", limit=f"{size:.0f} KB, {q_miss} queries")
    return {"hit": hit, "miss": miss}


def edit_ms(client, block, *, repeat: int) -> float:
    """Median CPU of renaming a session of the block's week 2 (the week editor's answer)."""
    from programs.models import Session

    session = Session.objects.filter(week__block=block, week__number=2).order_by("order").first()
    titles = itertools.count()
    url = f"/blocks/sessions/{session.pk}/"
    return cpu_ms(
        lambda: client.post(
            url,
            {"title": f"Strength {next(titles)}", "day": "3", "start_time": ""},
            headers={"HX-Request": "true"},
        ),
        repeat=repeat,
    )


def ratio(label: str, small: dict[str, float], large: dict[str, float]) -> None:
    report(
        label,
        f"hit {large['hit'] / small['hit']:.2f}x",
        limit=f"miss {large['miss'] / small['miss']:.2f}x",
    )


def squads(sizes: list[int], logged_weeks: int):
    """A coach per size with that many athletes, as in the roster benchmark; build times
    printed. Returns (count, coach, profiles) per size."""
    from programs.models import ScheduledPrescription, SetLog
    from programs.schedule.calendar import monday
    from tests.factories import CoachFactory

    today = timezone.localdate()
    start = monday(today) - datetime.timedelta(weeks=logged_weeks)
    built = []
    for count in sizes:
        began = time.perf_counter()
        coach = CoachFactory()
        profiles = athletes_with_plans(coach, squad_block(coach), start, today, count=count)
        groups_split(coach, profiles)
        report(f"build {count} athletes", f"{time.perf_counter() - began:.1f} s")
        built.append((count, coach, profiles))

    # logs() logs every past prescription in the database: once, for every squad.
    began = time.perf_counter()
    logs([p for _count, _coach, profiles in built for p in profiles], today)
    report("log past sessions, all athletes", f"{time.perf_counter() - began:.1f} s")
    for count, _coach, profiles in built:
        began = time.perf_counter()
        conflicts_for(profiles)
        report(f"conflicts for {count} athletes", f"{time.perf_counter() - began:.1f} s")
    report(
        "data",
        f"{ScheduledPrescription.objects.count()} rx",
        limit=f"{SetLog.objects.count()} sets",
    )
    return built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, nargs=2, default=[50, 500])
    parser.add_argument("--weeks", type=int, nargs=2, default=[12, 52])
    parser.add_argument("--logged-weeks", type=int, default=LOGGED_WEEKS)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from django.test import Client

    from library.io import BUILTIN_PATH, import_exercises
    from library.models import Exercise
    from programs import caching
    from tests.factories import CoachFactory

    print(  # noqa: T201
        f"Flat CPU per request: roster at {' and '.join(map(str, args.athletes))} athletes "
        f"({WEEKS}-week plans, {args.logged_weeks} weeks logged), builder at "
        f"{' and '.join(map(str, args.weeks))} weeks; median CPU (process_time) "
        f"of {args.repeat} requests"
    )
    with bench_database():
        import_exercises(data=BUILTIN_PATH.read_bytes(), filename="exercises.json")
        built = squads(args.athletes, args.logged_weeks)

        print("Roster (GET /coach/)")  # noqa: T201
        roster = {}
        for count, coach, profiles in built:
            client = Client()
            client.force_login(coach)
            one = profiles[0].pk
            roster[count] = measure(
                f"{count} athletes",
                lambda client=client: client.get("/coach/"),
                lambda one=one: caching.athletes_changed([one]),
                repeat=args.repeat,
            )

        print("Builder (GET /blocks/<id>/)")  # noqa: T201
        coach = CoachFactory()
        client = Client()
        client.force_login(coach)
        eight = list(Exercise.objects.order_by("slug")[:8])
        builder = {}
        for weeks in args.weeks:
            began = time.perf_counter()
            block = build(coach, eight, weeks)
            report(f"build a {weeks}-week block", f"{time.perf_counter() - began:.1f} s")
            builder[weeks] = measure(
                f"{weeks} weeks",
                lambda pk=block.pk: client.get(f"/blocks/{pk}/"),
                lambda pk=block.pk: caching.block_changed(pk),
                repeat=args.repeat,
            )
            builder[weeks]["edit"] = edit_ms(client, block, repeat=args.repeat)
            report(f"{weeks} weeks, an edit", f"{builder[weeks]['edit']:.1f} ms CPU")

        small, large = args.athletes
        ratio(f"roster, ratio {large}/{small} athletes", roster[small], roster[large])
        small, large = args.weeks
        ratio(f"builder, ratio {large}/{small} weeks", builder[small], builder[large])
        edits = builder[large]["edit"] / builder[small]["edit"]
        report(f"builder edit, ratio {large}/{small} weeks", f"{edits:.2f}x")


if __name__ == "__main__":
    main()
