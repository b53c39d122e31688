"""Sets logged for one athlete from several phones at once: each stored once, no error, and
the flags left as a recompute from scratch would leave them.

PostgreSQL only, in real transactions: the race is between connections.
"""

import datetime
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from programs.conflicts.services import conflicts_sync
from programs.logbook.services import set_logs_record
from programs.models import Flag, ScheduledSession, SetLog
from programs.schedule import services
from programs.units import local_today
from tests.factories import AthleteFactory, CoachFactory, ExerciseFactory, link, make_block

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL only: SQLite runs one write transaction at a time, and threads "
        "on its in-memory test database fail at once instead of waiting (CI runs this on "
        "PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True),
]

PHONES = 8
SETS_EACH = 4
HEAVY = {"sets": 4, "reps_min": 5, "load_type": "kg", "load_value": 100}


@pytest.fixture
def plan():
    """Eight heavy sessions in the next two weeks, and no stored flags: the state a
    recompute that failed (and was swallowed) leaves, so every sync below inserts."""
    coach = CoachFactory()
    athlete = AthleteFactory()
    link(coach, athlete)
    profile = athlete.athlete_profile
    squat = ExerciseFactory(name="Back squat", load_class="heavy_lower")
    block = make_block(coach, [squat], weeks=2, sessions=4, dose=HEAVY)
    today = local_today(athlete)
    services.assignment_create(
        block=block,
        athletes=[profile],
        start=today - datetime.timedelta(days=today.weekday()),
        weekdays=[1, 2, 4, 6],
        assigned_by=coach,
    )
    Flag.objects.filter(athlete=profile).delete()
    return profile


def one_set(session: ScheduledSession, number: int) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "session": session.pk,
        "prescription": session.prescriptions.get().pk,
        "set": number,
        "reps": 5,
        "load": "100",
        "performed_on": local_today(session.athlete.user).isoformat(),
    }


def test_phones_logging_at_once_store_every_set_once(plan, caplog):
    sessions = list(ScheduledSession.objects.filter(athlete=plan).select_related("athlete__user"))
    assert len(sessions) == PHONES
    # Phone i logs the first set of session i, then sets in the others' sessions: every
    # round marks sessions done and recomputes the flags at the same moment.
    batches = [
        [one_set(sessions[(phone + n) % PHONES], n + 1) for n in range(SETS_EACH)]
        for phone in range(PHONES)
    ]
    start = threading.Barrier(PHONES)

    def phone(items: list[dict]) -> list[str]:
        try:
            start.wait()
            return [
                result.status
                for item in items
                for result in set_logs_record(athlete=plan, items=[item], unit="kg")
            ]
        finally:
            connection.close()

    with caplog.at_level(logging.WARNING), ThreadPoolExecutor(max_workers=PHONES) as pool:
        answers = list(pool.map(phone, batches))

    assert answers == [["stored"] * SETS_EACH] * PHONES
    sent = {item["id"] for batch in batches for item in batch}
    assert {str(pk) for pk in SetLog.objects.values_list("pk", flat=True)} == sent
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert not ScheduledSession.objects.filter(athlete=plan).exclude(status="done").exists()
    assert Flag.objects.filter(athlete=plan).exists()
    again = conflicts_sync(athletes=[plan])
    assert (again.created, again.updated, again.removed) == (0, 0, 0)
