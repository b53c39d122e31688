"""The ``next`` a form carries back: a path on this site, or the view's default. A bare
word (``abc``, ``-1``) once made ``redirect`` look it up as a URL name: a 500."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from programs.models import Flag, SessionComment
from programs.schedule import runs as run_services
from programs.schedule import services
from tests.factories import ExerciseFactory, make_block

MONDAY = datetime.date(2026, 12, 7)
HEAVY = {"sets": 4, "reps_min": 5, "load_type": "pct_1rm", "load_value": 80}
NOT_PATHS = ["abc", "-1", "coach_home", "/ok\nSet-Cookie: x=1", "//evil.example.com/", "\\\\x"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 2, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def flag(coach, athlete):
    easier = ExerciseFactory(name="Goblet squat", load_class="light_lower")
    squat = ExerciseFactory(name="Back squat", load_class="heavy_lower", easier=easier)
    block = make_block(coach, [squat], name="Heavy", weeks=1, sessions=2, dose=HEAVY)
    profile = athlete.athlete_profile
    services.assignment_create(
        block=block, athletes=[profile], start=MONDAY, weekdays=[1, 4], assigned_by=coach
    )
    run_services.run_create(
        athlete=profile,
        date=MONDAY + datetime.timedelta(days=4),
        run_type="long",
        distance_m=30_000,
    )
    return Flag.objects.get(code="HEAVY_BEFORE_LONG_RUN")


@pytest.mark.parametrize("target", NOT_PATHS)
@pytest.mark.parametrize("action", ["acknowledge", "reopen"])
def test_acknowledge_and_reopen_fall_back_to_the_inbox(coach_client, flag, action, target):
    response = coach_client.post(reverse(f"flags:{action}", args=[flag.pk]), {"next": target})

    assert response.status_code == 302
    assert response.url == reverse("flags:inbox")


@pytest.mark.parametrize("target", NOT_PATHS)
def test_fix_falls_back_to_the_calendar(athlete_client, flag, target):
    response = athlete_client.post(reverse("flags:fix", args=[flag.pk]), {"next": target})

    assert response.status_code == 302
    assert response.url == reverse("schedule:calendar")


@pytest.mark.parametrize("target", NOT_PATHS)
def test_the_coachs_comment_falls_back_to_the_log_page(coach_client, flag, target):
    session = flag.athlete.strength_sessions.order_by("date").first()

    response = coach_client.post(
        reverse("logs:comment", args=[session.pk]), {"text": "Good", "next": target}
    )

    assert response.status_code == 302
    assert response.url == (
        f"{reverse('logs:athlete', args=[session.athlete_id])}#session-{session.pk}"
    )
    assert SessionComment.objects.count() == 1


def test_a_path_on_this_site_is_kept(coach_client, flag):
    back = f"{reverse('flags:inbox')}?severity=warning"

    response = coach_client.post(reverse("flags:reopen", args=[flag.pk]), {"next": back})

    assert response.url == back
