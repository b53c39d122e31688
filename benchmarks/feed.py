"""Calendar feed benchmark: an athlete's full feed window (8 weeks back, 52 ahead) with 6
runs a week (two at a set time) and 3 strength sessions a week of 6 exercises on % 1RM.

make bench-feed            # or: .venv/bin/python -m benchmarks.feed
"""

import datetime

from benchmarks.harness import bench_database, count_queries, report, timed

RUN_DAYS = {0: "easy", 1: "intervals", 2: "easy", 3: "tempo", 5: "easy", 6: "long"}
TIMED_DAYS = {1: datetime.time(18, 30), 3: datetime.time(7, 0)}
STRENGTH_DAYS = (0, 2, 4)


def build(athlete, exercises, first: datetime.date, weeks: int) -> None:
    from programs.models import Assignment, OneRepMax, Run, ScheduledPrescription, ScheduledSession

    Run.objects.bulk_create(
        Run(
            athlete=athlete,
            date=first + datetime.timedelta(weeks=w, days=d),
            start_time=TIMED_DAYS.get(d),
            run_type=run_type,
            distance_m=24_000 if run_type == "long" else 10_000,
            duration_s=3000,
            notes="Keep it conversational; fuel every 40 min, water at the turn.",
        )
        for w in range(weeks)
        for d, run_type in RUN_DAYS.items()
    )
    assignment = Assignment.objects.create(
        athlete=athlete, block_name="Year of strength", start_date=first, weekdays="135"
    )
    sessions = ScheduledSession.objects.bulk_create(
        ScheduledSession(
            athlete=athlete,
            assignment=assignment,
            date=(day := first + datetime.timedelta(weeks=w, days=d)),
            planned_date=day,
            week_number=w % 52 + 1,
            phase="strength",
            order=i,
            title=f"Session {'ABC'[i]}",
        )
        for w in range(weeks)
        for i, d in enumerate(STRENGTH_DAYS)
    )
    ScheduledPrescription.objects.bulk_create(
        ScheduledPrescription(
            session=s, exercise=e, order=i, sets=4, reps_min=5, load_type="pct_1rm", load_value=80
        )
        for s in sessions
        for i, e in enumerate(exercises, start=1)
    )
    OneRepMax.objects.bulk_create(
        OneRepMax(athlete=athlete, exercise=e, kg=60 + 10 * i) for i, e in enumerate(exercises)
    )


def main() -> None:
    from django.test import Client

    from library.io import BUILTIN_PATH, import_exercises
    from library.models import Exercise
    from programs.schedule.feed import WEEKS_AHEAD, WEEKS_BACK, athlete_feed_rotate, feed_window
    from programs.units import local_today
    from tests.factories import AthleteFactory

    print("Calendar feed benchmark")  # noqa: T201
    with bench_database():
        import_exercises(data=BUILTIN_PATH.read_bytes(), filename="exercises.json")
        exercises = list(Exercise.objects.order_by("slug")[:6])
        small_user, user = AthleteFactory(), AthleteFactory()
        first, _ = feed_window(local_today(user))
        build(small_user.athlete_profile, exercises, first, weeks=1)
        build(user.athlete_profile, exercises, first, weeks=WEEKS_BACK + WEEKS_AHEAD)
        small_url = f"/feed/{athlete_feed_rotate(athlete=small_user.athlete_profile)}.ics"
        url = f"/feed/{athlete_feed_rotate(athlete=user.athlete_profile)}.ics"
        client = Client()

        response = client.get(url)
        assert response.status_code == 200, response.status_code
        events = response.content.count(b"BEGIN:VEVENT")
        report(
            f"feed size, {WEEKS_BACK + WEEKS_AHEAD} weeks",
            f"{events} events",
            limit=f"{len(response.content) // 1024} KB",
        )
        q_small, q_large = (
            count_queries(lambda: client.get(small_url)),
            count_queries(lambda: client.get(url)),
        )
        report("feed queries, 1 week vs full window", f"{q_small} vs {q_large}", limit="fixed")
        figures = timed(lambda: client.get(url), repeat=30)
        report(
            "feed request, full window (test client)",
            f"{figures['median']:.0f} ms median",
            limit=f"p95 {figures['p95']:.0f} ms; < 200 ms",
        )


if __name__ == "__main__":
    main()
