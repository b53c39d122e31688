"""Roster benchmark (the coach's home): 200 athletes, each with a 16-week block, 6 runs a
week and 8 weeks of logs; the page's queries for 5 and for 200 athletes, and its time.

.venv/bin/python -m benchmarks.roster
"""

import datetime
from unittest import mock

from django.utils import timezone

from benchmarks.flags import RUN_WEEK, season_block
from benchmarks.harness import bench_database, count_queries, once, report, timed

ATHLETES = 200
WEEKS = 16
LOGGED_WEEKS = 8
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "roster"}


def athletes_with_plans(coach, block, start, today, count: int = ATHLETES):
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
            date=start + datetime.timedelta(weeks=w, days=day),
            run_type=kind,
            distance_m=km * 1000,
            status="done" if start + datetime.timedelta(weeks=w, days=day) < today else "planned",
        )
        for p in profiles
        for w in range(WEEKS)
        for day, kind, km in RUN_WEEK
    ]
    # A tune-up race ten days out for every athlete: the race rule has work to do.
    runs += [
        Run(
            athlete=p,
            date=today + datetime.timedelta(days=10),
            run_type="race",
            race_priority="B",
            distance_m=21097,
        )
        for p in profiles
    ]
    Run.objects.bulk_create(runs, batch_size=5000)
    # Set-up only: conflicts are computed once, below.
    with mock.patch("programs.schedule.services.conflicts_sync"):
        for first in range(0, count, 100):
            services.assignment_create(
                block=block,
                athletes=profiles[first : first + 100],
                start=start,
                weekdays=[1, 3, 5],
                assigned_by=coach,
            )
    return profiles


def logs(profiles, today):
    """Every past session logged as prescribed, except that every third athlete skipped
    the last set of each exercise in the last week (their compliance drops)."""
    import uuid

    from programs.models import PainNote, ScheduledPrescription, ScheduledSession, SetLog

    last_week = today - datetime.timedelta(days=7)
    slackers = {p.pk for p in profiles[::3]}
    rows = ScheduledPrescription.objects.filter(session__date__lt=today).values_list(
        "pk",
        "session_id",
        "session__athlete_id",
        "exercise_id",
        "sets",
        "reps_min",
        "session__date",
    )
    now = timezone.now()
    sets = []
    for rx, session, athlete, exercise, planned, reps, date in rows:
        count = planned - 1 if athlete in slackers and date >= last_week else planned
        sets += [
            SetLog(
                id=uuid.uuid4(),
                athlete_id=athlete,
                session_id=session,
                prescription_id=rx,
                exercise_id=exercise,
                set_number=number,
                reps=reps,
                performed_on=date,
                logged_at=now,
            )
            for number in range(1, count + 1)
        ]
    SetLog.objects.bulk_create(sets, batch_size=5000)
    ScheduledSession.objects.filter(date__lt=today).update(status="done")
    PainNote.objects.bulk_create(
        PainNote(athlete=p, date=today - datetime.timedelta(days=2), area="calf", score=3)
        for p in profiles[::10]
    )
    return len(sets)


def squad_block(coach):
    """The roster's block for ``coach``: WEEKS weeks of 3 heavy and 3 light lower-body
    exercises from the library, heavy every third session."""
    from library.models import Exercise

    exercises = list(Exercise.objects.filter(load_class="heavy_lower").order_by("slug")[:3])
    exercises += list(Exercise.objects.filter(load_class="light_lower").order_by("slug")[:3])
    return season_block(coach, exercises, weeks=WEEKS, heavy_every=3)


def groups_split(coach, profiles, count: int = 4) -> None:
    """``coach``'s athletes in ``count`` groups of equal size, as a coach files a squad."""
    from athletes.models import AthleteGroup

    size = len(profiles) // count
    for number in range(count):
        group = AthleteGroup.objects.create(coach=coach, name=f"Squad {number + 1}")
        group.athletes.set(profiles[number * size : (number + 1) * size])


def conflicts_for(profiles) -> None:
    from athletes.models import AthleteProfile
    from programs.conflicts.services import conflicts_sync

    conflicts_sync(
        athletes=AthleteProfile.objects.select_related("user").filter(
            pk__in=[p.pk for p in profiles]
        )
    )


def main() -> None:
    from django.test import Client

    from athletes.models import CoachingLink
    from library.io import BUILTIN_PATH, import_exercises
    from programs.coaching.roster import roster_rows
    from programs.models import Flag, ScheduledPrescription
    from programs.schedule.calendar import monday
    from tests.factories import CoachFactory

    print("Roster benchmark")  # noqa: T201
    with bench_database():
        today = timezone.localdate()
        start = monday(today) - datetime.timedelta(weeks=LOGGED_WEEKS)
        import_exercises(data=BUILTIN_PATH.read_bytes(), filename="exercises.json")
        coach = CoachFactory()
        profiles = athletes_with_plans(coach, squad_block(coach), start, today)
        logged = logs(profiles, today)
        conflicts_for(profiles)
        groups_split(coach, profiles)
        small_coach = CoachFactory()
        CoachingLink.objects.bulk_create(
            CoachingLink(coach=small_coach, athlete=p) for p in profiles[:5]
        )
        report(
            "data",
            f"{ScheduledPrescription.objects.count()} rx, {logged} sets",
            limit=f"{Flag.objects.count()} flags",
        )

        big, small = Client(), Client()
        big.force_login(coach)
        small.force_login(small_coach)
        q_small = count_queries(lambda: small.get("/coach/"))
        q_big = count_queries(lambda: big.get("/coach/"))
        report("roster queries, 5 vs 200 athletes", f"{q_small} vs {q_big}", limit="fixed")
        first = once(lambda: big.get("/coach/"))
        report("roster, 200 athletes, first request", f"{first:.0f} ms")
        figures = timed(lambda: big.get("/coach/"), repeat=20)
        report(
            "roster page, 200 athletes",
            f"{figures['median']:.0f} ms median",
            limit=f"p95 {figures['p95']:.0f} ms (target < 300 ms)",
        )
        figures = timed(lambda: big.get("/coach/?attention=1&sort=compliance", **HTMX), repeat=20)
        report(
            "htmx fragment, attention only, by compliance",
            f"{figures['median']:.0f} ms median",
            limit=f"p95 {figures['p95']:.0f} ms",
        )
        figures = timed(lambda: roster_rows(coach), repeat=20)
        report(
            "roster_rows alone, 200 athletes",
            f"{figures['median']:.0f} ms median",
            limit=f"p95 {figures['p95']:.0f} ms",
        )
        rows = roster_rows(coach)
        marked = sum(1 for row in rows if row.reasons)
        report("athletes needing attention", f"{marked} of {len(rows)}")


if __name__ == "__main__":
    main()
