"""Stored conflict flags benchmark (issue #6): recomputing 500 athletes' 52-week seasons,
and the coach's inbox with 200 athletes and 1,000 open flags.

make bench-flags          # or: .venv/bin/python -m benchmarks.flags
"""

import datetime
from unittest import mock

from benchmarks.harness import bench_database, count_queries, once, report, timed

START = datetime.date(2026, 11, 2)  # a Monday, three weeks before "today" in the harness
WEEKS = 52
RUN_WEEK = [(0, "easy", 8), (1, "intervals", 10), (2, "easy", 10), (3, "tempo", 12),
            (5, "recovery", 5), (6, "long", 24)]  # fmt: skip


def season_block(coach, exercises, *, weeks: int = WEEKS, heavy_every: int = 6):
    """Three sessions a week at RPE 7, with a heavy week (RPE 8) every ``heavy_every``, as
    a real season peaks: those weeks flag against Tuesday's intervals and Thursday's
    tempo, and a race near one has hard work planned before it."""
    from programs.models import Prescription
    from tests.factories import make_block

    block = make_block(
        coach,
        exercises,
        name="Season",
        weeks=weeks,
        sessions=3,
        dose={"sets": 3, "reps_min": 8, "load_type": "rpe", "load_value": 7},
    )
    Prescription.objects.filter(
        session__week__block=block,
        session__week__number__in=range(heavy_every, weeks + 1, heavy_every),
    ).update(load_value=8)
    return block


def athletes_with_seasons(coach, block, count: int):
    from programs.models import Run
    from programs.schedule import services
    from tests.factories import AthleteFactory, link

    users = [AthleteFactory() for _ in range(count)]
    for user in users:
        link(coach, user)
    profiles = [u.athlete_profile for u in users]
    runs = [
        Run(
            athlete=p,
            date=START + datetime.timedelta(weeks=w, days=day),
            run_type=kind,
            distance_m=km * 1000,
        )
        for p in profiles
        for w in range(WEEKS)
        for day, kind, km in RUN_WEEK
    ]
    Run.objects.bulk_create(runs, batch_size=5000)
    # Set-up only: the flags are what the benchmark times next.
    with mock.patch("programs.schedule.services.conflicts_sync"):
        for first in range(0, count, 100):
            services.assignment_create(
                block=block,
                athletes=profiles[first : first + 100],
                start=START,
                weekdays=[1, 3, 5],
                assigned_by=coach,
            )
    return profiles


def main() -> None:
    from django.test import Client

    from athletes.models import AthleteProfile
    from library.io import BUILTIN_PATH, import_exercises
    from library.models import Exercise
    from programs.conflicts.services import conflicts_sync
    from programs.models import Flag, ScheduledPrescription
    from tests.factories import CoachFactory

    print("Stored flags benchmark")  # noqa: T201
    with bench_database():
        import_exercises(data=BUILTIN_PATH.read_bytes(), filename="exercises.json")
        exercises = list(Exercise.objects.filter(load_class="heavy_lower").order_by("slug")[:6])
        coach = CoachFactory()
        block = season_block(coach, exercises)
        profiles = athletes_with_seasons(coach, block, 500)
        rows = ScheduledPrescription.objects.count()
        athletes = list(
            AthleteProfile.objects.select_related("user").filter(pk__in=[p.pk for p in profiles])
        )
        elapsed = once(lambda: conflicts_sync(athletes=athletes))
        report(
            f"recompute 500 seasons ({rows} prescriptions, {Flag.objects.count()} flags)",
            f"{elapsed / 1000:.1f} s",
            limit="< 15 s",
        )
        again = once(lambda: conflicts_sync(athletes=athletes))
        report("recompute again (nothing changed)", f"{again / 1000:.1f} s")

        small_coach, big_coach = CoachFactory(), CoachFactory()
        from athletes.models import CoachingLink

        CoachingLink.objects.bulk_create(
            [CoachingLink(coach=big_coach, athlete=p) for p in profiles[:200]]
            + [CoachingLink(coach=small_coach, athlete=p) for p in profiles[:5]]
        )
        open_flags = Flag.objects.filter(athlete__in=profiles[:200], acknowledged_at=None).count()
        big, small = Client(), Client()
        big.force_login(big_coach)
        small.force_login(small_coach)
        q_small = count_queries(lambda: small.get("/flags/"))
        q_big = count_queries(lambda: big.get("/flags/"))
        report(
            f"inbox queries, 5 vs 200 athletes ({open_flags} open flags)",
            f"{q_small} vs {q_big}",
            limit="fixed",
        )
        figures = timed(lambda: big.get("/flags/"), repeat=10)
        report(
            "inbox, 200 athletes (first page of 100)",
            f"{figures['median']:.0f} ms median",
            limit=f"p95 {figures['p95']:.0f} ms",
        )


if __name__ == "__main__":
    main()
