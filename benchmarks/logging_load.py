"""Logging load benchmark (issue #12): ten phones logging one athlete's session at once
against gunicorn with four workers on PostgreSQL, each set sent alone with the phone's own
id and sent again on a network error, as the phone does.

make bench-logging-load   # or: .venv/bin/python -m benchmarks.logging_load

DATABASE_URL picks the database (default postgres://postgres@127.0.0.1:5432/runstrong_load);
it is created when missing and migrated, never dropped: each run signs up a new athlete
and counts only their sets. Traffic goes to 127.0.0.1 only.
"""

import http.client
import json
import os
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/runstrong_load")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
# Persistent connections per worker, as in production.
os.environ.setdefault("DJANGO_CONN_MAX_AGE", "600")

from benchmarks.harness import call_command, report
from benchmarks.serving import free_port, gunicorn_start

CLIENTS = 10
SETS_EACH = 200
WORKERS = 4
EXERCISES = 40  # 40 exercises × sets 1–50: every set of the 2000 is a different one
ATTEMPTS = 5  # per set, as the phone tries again; bounded
TIMEOUT_S = 30


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    server_errors: int = 0
    network_retries: int = 0
    failed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: str) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1


def database_create() -> None:
    """Create the database named by DATABASE_URL if it is missing, then migrate it."""
    import psycopg
    from django.db import connection

    name = connection.settings_dict["NAME"]
    params = {
        "host": connection.settings_dict["HOST"] or "127.0.0.1",
        "port": connection.settings_dict["PORT"] or 5432,
        "user": connection.settings_dict["USER"],
        "password": connection.settings_dict["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def athlete_with_session():
    """A new athlete with one session today of EXERCISES exercises; their session cookie
    and a CSRF token, made server side."""
    from django.conf import settings
    from django.test import Client
    from django.utils.crypto import get_random_string

    from programs.models import ScheduledSession
    from programs.schedule import services
    from programs.units import local_today
    from tests.factories import AthleteFactory, CoachFactory, ExerciseFactory, link, make_block

    run = uuid.uuid4().hex[:8]
    coach = CoachFactory(email=f"load-coach-{run}@example.com")
    athlete = AthleteFactory(email=f"load-athlete-{run}@example.com")
    link(coach, athlete)
    exercises = [ExerciseFactory(name=f"Load {run} {n}") for n in range(EXERCISES)]
    today = local_today(athlete)
    block = make_block(
        coach,
        exercises,
        name=f"Load {run}",
        weeks=1,
        sessions=1,
        dose={"sets": 5, "reps_min": 5, "load_type": "kg", "load_value": 60},
    )
    services.assignment_create(
        block=block,
        athletes=[athlete.athlete_profile],
        start=today,
        weekdays=[today.isoweekday()],
        assigned_by=coach,
    )
    session = ScheduledSession.objects.get(athlete=athlete.athlete_profile)
    client = Client()
    client.force_login(athlete)
    csrf = get_random_string(32)
    cookie = (
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
        f"{settings.CSRF_COOKIE_NAME}={csrf}"
    )
    rx_ids = list(session.prescriptions.order_by("order").values_list("pk", flat=True))
    return athlete, session, rx_ids, today, {"Cookie": cookie, "X-CSRFToken": csrf}


def send(port: int, body: bytes, headers: dict, tally: Tally) -> dict | None:
    """POST one batch, again on a network error or a 5xx (the phone keeps it queued);
    the answer, or None after ATTEMPTS tries."""
    for attempt in range(ATTEMPTS):
        start = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
            connection.request(
                "POST",
                "/today/sets/",
                body,
                {**headers, "Content-Type": "application/json", "Host": "127.0.0.1"},
            )
            response = connection.getresponse()
            data = response.read()
            connection.close()
        except (OSError, http.client.HTTPException):
            with tally.lock:
                tally.network_retries += 1
            time.sleep(0.05 * 2**attempt)
            continue
        with tally.lock:
            tally.latencies_ms.append((time.perf_counter() - start) * 1000)
            if response.status >= 500:
                tally.server_errors += 1
        if response.status >= 500:
            time.sleep(0.05 * 2**attempt)
            continue
        return json.loads(data)
    return None


def phone(number: int, *, port: int, plan: dict, headers: dict, tally: Tally) -> list[str]:
    """One client: SETS_EACH sets, one request each, one after the other; the ids answered."""
    answered = []
    for n in range(SETS_EACH):
        index = number * SETS_EACH + n
        item = {
            "id": str(uuid.uuid4()),
            "session": plan["session"],
            "prescription": plan["prescriptions"][index // 50],
            "set": index % 50 + 1,
            "reps": 5,
            "load": "60",
            "performed_on": plan["today"],
        }
        answer = send(port, json.dumps({"sets": [item]}).encode(), headers, tally)
        if answer is None or "results" not in answer:
            with tally.lock:
                tally.failed += 1
            continue
        for result in answer["results"]:
            tally.count(result["status"])
            answered.append(result["id"])
    return answered


def summary(*, athlete, answered: list[str], tally: Tally, wall: float) -> list[str]:
    """Print the figures; the problems found."""
    from programs.conflicts.services import conflicts_sync
    from programs.models import SetLog

    logs = SetLog.objects.filter(athlete=athlete.athlete_profile)
    stored = logs.count()
    # Every set sent is a different (exercise, set number): one stored twice, under
    # another id, would show here.
    duplicates = stored - logs.values("prescription_id", "set_number").distinct().count()
    resync = conflicts_sync(athletes=[athlete.athlete_profile])
    out_of_step = resync.created + resync.updated + resync.removed
    latencies = sorted(tally.latencies_ms)
    requests = len(latencies)
    total = CLIENTS * SETS_EACH
    answers = " / ".join(str(tally.statuses.get(s, 0)) for s in ("stored", "duplicate", "invalid"))
    report(f"{CLIENTS} clients x {SETS_EACH} sets, gunicorn x {WORKERS}", "PostgreSQL")
    report("sets stored", f"{stored}", limit=f"= {total}")
    report("duplicates (a set stored twice)", f"{duplicates}", limit="= 0")
    report("answers: stored / duplicate / invalid", answers, limit="invalid = 0")
    report("5xx answers", f"{tally.server_errors}", limit="= 0")
    report("network retries", f"{tally.network_retries}")
    report("sets never answered", f"{tally.failed}", limit="= 0")
    report("wall time", f"{wall:.2f} s")
    report("requests/s", f"{requests / wall:.0f}")
    report("latency p50", f"{statistics.median(latencies):.1f} ms")
    report("latency p99", f"{latencies[min(requests - 1, int(requests * 0.99))]:.1f} ms")
    report("flag rows a recompute would change", f"{out_of_step}", limit="= 0")
    checks = (
        (stored != total, f"{stored} sets stored, not {total}"),
        (len(set(answered)) != total, f"{len(set(answered))} sets answered, not {total}"),
        (duplicates, f"{duplicates} sets stored twice"),
        (tally.server_errors, f"{tally.server_errors} answers were 5xx"),
        (tally.statuses.get("invalid"), "sets refused"),
        (out_of_step, "flags out of step with the plan"),
    )
    return [message for failed, message in checks if failed]


def main() -> None:
    print("Logging load benchmark")  # noqa: T201
    database_create()
    athlete, session, prescriptions, today, headers = athlete_with_session()
    plan = {"session": session.pk, "prescriptions": prescriptions, "today": today.isoformat()}
    port, tally = free_port(), Tally()
    server = gunicorn_start(port, env=os.environ.copy(), workers=WORKERS, log=None)
    try:
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            answered = [
                set_id
                for ids in pool.map(
                    lambda n: phone(n, port=port, plan=plan, headers=headers, tally=tally),
                    range(CLIENTS),
                )
                for set_id in ids
            ]
        wall = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    problems = summary(athlete=athlete, answered=answered, tally=tally, wall=wall)
    if problems:
        raise SystemExit("FAILED: " + "; ".join(problems))


if __name__ == "__main__":
    main()
