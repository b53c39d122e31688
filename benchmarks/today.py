"""Today benchmark (issue #7): the page's queries with 3 and 12 exercises, its weight on a
first visit, a set's round trip, and 50 queued sets synced in one request.

make bench-today          # or: .venv/bin/python -m benchmarks.today
"""

import gzip
import json
import re
import uuid

from django.utils import timezone

from benchmarks.harness import bench_database, count_queries, report, timed


def session_today(coach, athlete, exercises):
    from programs.models import ScheduledSession
    from programs.schedule import services
    from tests.factories import make_block

    today = timezone.localdate()
    block = make_block(
        coach,
        exercises,
        name=f"Today {len(exercises)}",
        weeks=1,
        sessions=1,
        dose={"sets": 3, "reps_min": 5, "load_type": "kg", "load_value": 60, "rest_s": 90},
    )
    ScheduledSession.objects.filter(athlete=athlete.athlete_profile).delete()
    services.assignment_create(
        block=block,
        athletes=[athlete.athlete_profile],
        start=today,
        weekdays=[today.isoweekday()],
        assigned_by=coach,
    )
    return ScheduledSession.objects.get(athlete=athlete.athlete_profile)


def first_visit_bytes(html: str) -> tuple[int, int]:
    """The page and every file it links, gzipped as the server sends them: (bytes, files)."""
    from django.contrib.staticfiles import finders

    total = len(gzip.compress(html.encode(), 9))
    urls = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    for url in urls:
        path = finders.find(url)
        with open(path, "rb") as handle:
            total += len(gzip.compress(handle.read(), 9))
    return total, len(urls)


def a_set(session, number: int) -> dict:
    rx = session.prescriptions.first()
    return {
        "id": str(uuid.uuid4()),
        "session": session.pk,
        "prescription": rx.pk,
        "set": number % 50 + 1,
        "reps": 5,
        "load": "60",
        "rpe": "8",
        "performed_on": timezone.localdate().isoformat(),
    }


def main() -> None:
    from django.test import Client

    from library.io import BUILTIN_PATH, import_exercises
    from library.models import Exercise
    from programs.models import SetLog
    from tests.factories import AthleteFactory, CoachFactory, link

    print("Today benchmark")  # noqa: T201
    with bench_database():
        import_exercises(data=BUILTIN_PATH.read_bytes(), filename="exercises.json")
        coach, athlete = CoachFactory(), AthleteFactory()
        link(coach, athlete)
        client = Client()
        client.force_login(athlete)
        exercises = list(Exercise.objects.order_by("slug")[:12])

        session_today(coach, athlete, exercises[:3])
        q_small = count_queries(lambda: client.get("/athlete/"))
        session = session_today(coach, athlete, exercises)
        q_large = count_queries(lambda: client.get("/athlete/"))
        report("today page queries, 3 vs 12 exercises", f"{q_small} vs {q_large}", limit="fixed")
        html = client.get("/athlete/").content.decode()
        weight, files = first_visit_bytes(html)
        report(
            f"today page first visit, page + {files} files (gzip)",
            f"{weight / 1024:.0f} KB",
            limit="< 100 KB",
        )

        number = iter(range(10**6))

        def one_set():
            body = json.dumps({"sets": [a_set(session, next(number))]})
            client.post("/today/sets/", body, content_type="application/json")

        figures = timed(one_set, repeat=30)
        report(
            "set log round trip (one set of a session under way)",
            f"{figures['median']:.1f} ms median",
            limit=f"p95 {figures['p95']:.1f} ms; < 30 ms",
        )
        before = SetLog.objects.count()
        batch = json.dumps({"sets": [a_set(session, n) for n in range(50)]})
        queries = count_queries(
            lambda: client.post("/today/sets/", batch, content_type="application/json")
        )
        stored = SetLog.objects.count() - before
        figures = timed(
            lambda: client.post(
                "/today/sets/",
                json.dumps({"sets": [a_set(session, n) for n in range(50)]}),
                content_type="application/json",
            ),
            repeat=10,
        )
        report(
            f"50 queued sets in one request ({stored} stored)",
            f"{figures['median']:.0f} ms median",
            limit=f"{queries} queries",
        )


if __name__ == "__main__":
    main()
