"""Flat CPU per request (issue #17): the roster and the builder cost the same CPU per request
from 50 to 500 athletes and from 12 to 52 weeks.

Builds, in one throwaway database, two coaches with 50 and 500 athletes, each athlete as in
the roster benchmark (a 16-week block, 6 runs a week, past sessions logged; see the header
for how many weeks), and two 12- and 52-week blocks of 3 sessions a week, 8 exercises each.
For each page and size it times N requests with ``time.process_time()`` (CPU in this
process, not wall time) and prints the median, in two states:

- hit: the page asked again with nothing changed (served from the page cache);
- miss: before each request one athlete's data changed (``athletes_changed``) or one
  week of the block did (``block_changed(block, weeks=[week 2])``, what an edit of week 2
  moves on), so the page is built again;

and for the builder also the page built again after a change that may touch any week
(``block_changed(block)``, as a progression applied),

with the response's size and query count, then the ratio of the medians large/small. For
the builder also an edit: a session of week 2 renamed, as htmx posts it, and the week
editor it answers with. The two sizes are timed in turns (a request of each per round), so
that this machine's drift in speed, which is large within a minute, falls on both alike.

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


def cpu_ms(request, *, before=None) -> float:
    """CPU milliseconds of one call of ``request``; ``before`` runs untimed ahead of it."""
    if before:
        before()
    start = time.process_time()
    response = request()
    spent = (time.process_time() - start) * 1000
    assert response.status_code == 200, response.status_code
    return spent


def interleaved(calls: dict, *, repeat: int) -> dict:
    """The median CPU of each of ``calls`` (key: (request, before)), taken in turns: one
    call of each per round, the order reversed every other round. This machine's speed
    drifts within a minute; sizes measured one after the other would carry the drift
    into their ratio, sizes taken in turns share it."""
    samples = {key: [] for key in calls}
    keys = list(calls)
    for round_ in range(repeat):
        for key in keys if round_ % 2 == 0 else reversed(keys):
            request, before = calls[key]
            samples[key].append(cpu_ms(request, before=before))
    return {key: statistics.median(values) for key, values in samples.items()}


def measure(pages: dict, *, repeat: int) -> dict[object, dict[str, float]]:
    """Hit and miss medians of each page (key: (label, request, change)), the pages taken
    in turns, with each one's size and queries in both states."""
    sizes, queries = {}, {}
    for key, (_label, request, change) in pages.items():
        sizes[key] = len(request().content) / 1024  # and the cache filled
        hit_queries = count_queries(request)
        change()
        queries[key] = (hit_queries, count_queries(request))
    hits = interleaved(
        {k: (request, None) for k, (_l, request, _c) in pages.items()}, repeat=repeat
    )
    misses = interleaved(
        {k: (request, change) for k, (_l, request, change) in pages.items()}, repeat=repeat
    )
    for key, (label, _request, _change) in pages.items():
        q_hit, q_miss = queries[key]
        report(
            f"{label}, hit",
            f"{hits[key]:.1f} ms CPU",
            limit=f"{sizes[key]:.0f} KB, {q_hit} queries",
        )
        report(
            f"{label}, miss",
            f"{misses[key]:.1f} ms CPU",
            limit=f"{sizes[key]:.0f} KB, {q_miss} queries",
        )
    return {key: {"hit": hits[key], "miss": misses[key]} for key in pages}


def edit(client, block):
    """Renaming a session of the block's week 2, as htmx posts it (the week editor's
    answer): a call for ``interleaved``."""
    from programs.models import Session

    session = Session.objects.filter(week__block=block, week__number=2).order_by("order").first()
    titles = itertools.count()
    url = f"/blocks/sessions/{session.pk}/"

    def request():
        return client.post(
            url,
            {"title": f"Strength {next(titles)}", "day": "3", "start_time": ""},
            headers={"HX-Request": "true"},
        )

    return request, None


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
        pages = {}
        for count, coach, profiles in built:
            client = Client()
            client.force_login(coach)
            one = profiles[0].pk
            pages[count] = (
                f"{count} athletes",
                lambda client=client: client.get("/coach/"),
                lambda one=one: caching.athletes_changed([one]),
            )
        roster = measure(pages, repeat=args.repeat)

        print("Builder (GET /blocks/<id>/)")  # noqa: T201
        coach = CoachFactory()
        client = Client()
        client.force_login(coach)
        eight = list(Exercise.objects.order_by("slug")[:8])
        blocks, pages = {}, {}
        for weeks in args.weeks:
            began = time.perf_counter()
            blocks[weeks] = block = build(coach, eight, weeks)
            report(f"build a {weeks}-week block", f"{time.perf_counter() - began:.1f} s")
            week = block.weeks.get(number=2)
            pages[weeks] = (
                f"{weeks} weeks",
                lambda pk=block.pk: client.get(f"/blocks/{pk}/"),
                # What an edit of week 2 moves on: the block's pages and week 2's row.
                lambda pk=block.pk, week=week.pk: caching.block_changed(pk, weeks=[week]),
            )
        builder = measure(pages, repeat=args.repeat)
        # A change that may touch any week (a progression applied): every row read again.
        every = interleaved(
            {
                w: (request, lambda pk=b.pk: caching.block_changed(pk))
                for (w, b), (_label, request, _change) in zip(
                    blocks.items(), pages.values(), strict=True
                )
            },
            repeat=args.repeat,
        )
        for weeks, spent in every.items():
            report(f"{weeks} weeks, every week changed", f"{spent:.1f} ms CPU")
        edits = interleaved({w: edit(client, b) for w, b in blocks.items()}, repeat=args.repeat)
        for weeks, spent in edits.items():
            report(f"{weeks} weeks, an edit", f"{spent:.1f} ms CPU")

        small, large = args.athletes
        ratio(f"roster, ratio {large}/{small} athletes", roster[small], roster[large])
        small, large = args.weeks
        ratio(f"builder, ratio {large}/{small} weeks", builder[small], builder[large])
        report(
            f"builder, every week changed, ratio {large}/{small}",
            f"{every[large] / every[small]:.2f}x",
        )
        report(f"builder edit, ratio {large}/{small} weeks", f"{edits[large] / edits[small]:.2f}x")


if __name__ == "__main__":
    main()
