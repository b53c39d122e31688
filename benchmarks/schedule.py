"""Schedule benchmark (issue #5): assigning a 16-week block to 50 athletes in one request,
the month calendar with runs and strength, and a 20-week .ics plan import.

make bench-schedule          # or: .venv/bin/python -m benchmarks.schedule
"""

import datetime

from benchmarks.harness import bench_database, count_queries, once, report, timed

START = datetime.date(2027, 1, 4)


def ics_plan(weeks: int) -> bytes:
    """A 20-week plan as training platforms export it: 7 events a week, a UID each."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN"]
    kinds = ["Easy 8 km", "Intervals 6x800", "Easy 10 km", "Tempo 8 km", "Rest", "Easy 6 km"]
    for index in range(weeks * 7):
        day = START + datetime.timedelta(days=index)
        summary = (
            f"Long run {14 + index // 7} km" if day.isoweekday() == 7 else kinds[index % 7 % 6]
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:bench-{index}@example.com",
            f"DTSTAMP:{day:%Y%m%d}T060000Z",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"SUMMARY:{summary}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def main() -> None:
    from django.test import Client

    from library.io import BUILTIN_PATH, import_exercises
    from library.models import Exercise
    from programs.models import Run, ScheduledPrescription, ScheduledSession
    from programs.schedule.runfiles import import_runs
    from tests.factories import AthleteFactory, CoachFactory, link, make_block

    print("Schedule benchmark")  # noqa: T201
    with bench_database():
        import_exercises(data=BUILTIN_PATH.read_bytes(), filename="exercises.json")
        coach = CoachFactory()
        client = Client()
        client.force_login(coach)
        exercises = list(Exercise.objects.order_by("slug")[:6])
        block = make_block(coach, exercises, name="Marathon block", weeks=16, sessions=3)
        athletes = [AthleteFactory() for _ in range(50)]
        for user in athletes:
            link(coach, user)
        data = {
            "athletes": [u.athlete_profile.pk for u in athletes],
            "start": START.isoformat(),
            "weekdays": ["1", "3", "5"],
        }

        preview = once(lambda: client.post(f"/blocks/{block.pk}/assign/", {**data, "preview": 1}))
        report("assignment preview, 50 athletes × 16 weeks", f"{preview:.0f} ms")
        queries = count_queries(
            lambda: client.post(f"/blocks/{block.pk}/assign/", {**data, "confirm": 1})
        )
        sessions = ScheduledSession.objects.count()
        rows = ScheduledPrescription.objects.count()
        ScheduledSession.objects.all().delete()
        elapsed = once(lambda: client.post(f"/blocks/{block.pk}/assign/", {**data, "confirm": 1}))
        report(
            f"assign 16 weeks to 50 athletes ({sessions} sessions, {rows} exercises)",
            f"{elapsed:.0f} ms",
            limit=f"{queries} queries; < 3000 ms",
        )

        ana = athletes[0]
        Run.objects.bulk_create(
            Run(
                athlete=ana.athlete_profile,
                date=START + datetime.timedelta(days=d),
                run_type="easy",
                distance_m=8000,
            )
            for d in range(120)
        )
        athlete_client = Client()
        athlete_client.force_login(ana)
        month = {"view": "month", "at": "2027-02-01"}
        light = athletes[-1].athlete_profile
        light_client = Client()
        light_client.force_login(athletes[-1])
        keep = ScheduledSession.objects.filter(athlete=light, date__month=2).first()
        ScheduledSession.objects.filter(athlete=light).exclude(pk=keep.pk).delete()
        Run.objects.create(athlete=light, date=keep.date, run_type="easy", distance_m=5000)
        q_light = count_queries(lambda: light_client.get("/calendar/", month))
        q_full = count_queries(lambda: athlete_client.get("/calendar/", month))
        report(
            "month calendar queries, 1 run + 1 session vs full month",
            f"{q_light} vs {q_full}",
            limit="fixed",
        )
        figures = timed(lambda: athlete_client.get("/calendar/", month), repeat=20)
        report(
            "month calendar (28 runs, 12 sessions × 6 exercises)",
            f"{figures['median']:.0f} ms median",
            limit=f"p95 {figures['p95']:.0f} ms",
        )

        plan = ics_plan(20)
        profile = athletes[1].athlete_profile
        first = once(
            lambda: import_runs(athlete=profile, data=plan, filename="plan.ics", dry_run=False)
        )
        again = once(
            lambda: import_runs(athlete=profile, data=plan, filename="plan.ics", dry_run=False)
        )
        report(
            "import a 20-week .ics plan (140 events), then again",
            f"{first:.0f} / {again:.0f} ms",
            limit="< 1000 ms",
        )


if __name__ == "__main__":
    main()
