"""The cached pages (issue #17) never show stale data: each is read once (so it is in the
cache), changed by a kind of write through the product's own surface, and read again.

Cached: the athlete's Today, their calendar feed and their roster row (by the athlete's
version), the builder (by the block's). The second read of each must show the change."""

import datetime
import io
import json
import uuid
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from athletes.models import AthleteGroup
from programs.models import Flag, ScheduledSession
from programs.schedule import services
from tests.factories import PASSWORD, AthleteFactory, ExerciseFactory, link, make_block

MONDAY = datetime.date(2026, 12, 7)
REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata" / "activities"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 7, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def block(coach):
    squat = ExerciseFactory(name="Back squat", load_class="heavy_lower")
    return make_block(
        coach,
        [squat],
        name="Base",
        weeks=2,
        sessions=2,
        dose={"sets": 3, "reps_min": 5, "load_type": "kg", "load_value": 80, "rest_s": 90},
    )


@pytest.fixture
def session(coach, athlete, block):
    services.assignment_create(
        block=block,
        athletes=[athlete.athlete_profile],
        start=MONDAY,
        weekdays=[1, 4],
        assigned_by=coach,
    )
    return ScheduledSession.objects.filter(athlete__user=athlete).order_by("date").first()


def today(client) -> str:
    response = client.get("/athlete/")
    assert response.status_code == 200
    return response.content.decode()


def feed(client, athlete) -> str:
    profile = athlete.athlete_profile
    profile.refresh_from_db()
    response = client.get(f"/feed/{profile.feed_token}.ics")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def athlete_client(athlete):
    client = Client()
    client.force_login(athlete)
    return client


@pytest.fixture
def coach_client(coach):
    client = Client()
    client.force_login(coach)
    return client


def roster_page(client) -> str:
    response = client.get("/coach/")
    assert response.status_code == 200
    return response.content.decode()


def inbox(client) -> str:
    response = client.get("/flags/")
    assert response.status_code == 200
    return response.content.decode()


def roster_row(coach_client):
    (row,) = coach_client.get("/coach/").context["rows"]
    return row


def test_the_pages_are_served_from_the_cache_while_nothing_changes(
    athlete_client, session, django_assert_max_num_queries
):
    first = today(athlete_client)
    with django_assert_max_num_queries(3):  # the session and the user; the page is kept
        again = today(athlete_client)
    # The same page, but each carries the request's own CSRF token.
    assert again.count("csrfmiddlewaretoken") == first.count("csrfmiddlewaretoken") > 0
    assert "__csrf-token-placeholder__" not in again


def test_a_set_logged_shows_on_today_and_the_roster(athlete_client, coach_client, athlete, session):
    before = today(athlete_client)
    assert roster_row(coach_client).last_log is None
    rx = session.prescriptions.first()
    set_id = str(uuid.uuid4())
    item = {"id": set_id, "session": session.pk, "prescription": rx.pk, "set": 1, "reps": 5}
    item |= {"load": "80", "performed_on": "2026-12-07", "logged_at": "2026-12-07T09:00:00Z"}
    response = athlete_client.post(
        "/today/sets/", json.dumps({"sets": [item]}), content_type="application/json"
    )
    assert response.json()["results"][0]["status"] == "stored"

    after = today(athlete_client)
    assert set_id not in before
    assert set_id in after
    assert roster_row(coach_client).last_log.date == MONDAY


def test_a_set_logged_shows_on_the_roster_of_a_coach_who_joined_since(
    athlete_client, athlete, other_coach, session
):
    """Set logging finds whose rosters it changes from the athlete's cached copy
    (``active_coach_ids``): a coach who joins after it was made must be in it. (The
    second set: the first makes the session done, and the flags' recompute that follows
    would move every coach's roster on its own.)"""
    rx = session.prescriptions.first()

    def log(number: int) -> None:
        item = {"id": str(uuid.uuid4()), "session": session.pk, "prescription": rx.pk}
        item |= {"set": number, "reps": 5, "load": "80", "performed_on": "2026-12-07"}
        response = athlete_client.post(
            "/today/sets/", json.dumps({"sets": [item]}), content_type="application/json"
        )
        assert response.json()["results"][0]["status"] == "stored"

    log(1)
    today(athlete_client)  # the athlete's copy is made, with their one coach
    link(other_coach, athlete)
    other_client = Client()
    other_client.force_login(other_coach)
    assert roster_row(other_client).week.done_sets == 1

    log(2)

    assert roster_row(other_client).week.done_sets == 2


def test_a_session_moved_leaves_today_and_moves_in_the_feed(
    athlete_client, client, coach_client, athlete, session
):
    assert "Today's strength" in today(athlete_client)
    athlete_client.post("/calendar/feed/new/")
    assert "20261207" in feed(client, athlete)

    response = coach_client.post(f"/calendar/sessions/{session.pk}/move/", {"date": "2026-12-09"})
    assert response.status_code in (200, 302)
    session.refresh_from_db()
    assert session.date == datetime.date(2026, 12, 9)

    assert "Today's strength" not in today(athlete_client)
    moved = feed(client, athlete)
    assert "20261209" in moved


def test_a_run_imported_shows_on_today(athlete_client, athlete):
    with time_machine.travel(datetime.datetime(2012, 12, 26, 23, tzinfo=datetime.UTC)):
        before = today(athlete_client)
        out = io.StringIO()
        call_command(
            "import_activities",
            athlete.email,
            str(REALDATA / "tcxparser_test.tcx"),
            "--json",
            stdout=out,
        )
        assert json.loads(out.getvalue())["created"] == 1, out.getvalue()
        after = today(athlete_client)
    assert 'aria-label="Today\'s run"' not in before
    assert 'aria-label="Today\'s run"' in after


def test_a_flag_acknowledged_leaves_the_roster_count(coach_client, athlete, session):
    flag = Flag.objects.create(
        athlete=athlete.athlete_profile,
        code="HEAVY_BEFORE_LONG_RUN",
        severity="critical",
        date=MONDAY,
        message="Heavy squats the day before your long run",
        fingerprint="test",
    )
    assert roster_row(coach_client).flags.critical == 1
    assert flag.message in inbox(coach_client)

    response = coach_client.post(f"/flags/{flag.pk}/acknowledge/", {"note": "Planned"})
    assert response.status_code in (200, 302)

    assert roster_row(coach_client).flags.critical == 0
    assert flag.message not in inbox(coach_client)


def test_a_block_edited_shows_in_the_builder(coach_client, block):
    rx = block.weeks.first().sessions.first().prescriptions.first()
    url = f"/blocks/{block.pk}/"
    assert 'value="3"' in coach_client.get(url).content.decode()
    data = {
        "sets": 5,
        "reps_min": 5,
        "reps_max": "",
        "load_type": "kg",
        "load_value": 80,
        "rest_s": 90,
        "tempo": "",
        "notes": "",
        "progression": rx.progression,
    }
    response = coach_client.post(f"/blocks/prescriptions/{rx.pk}/", data)
    assert response.status_code in (200, 302)
    rx.refresh_from_db()
    assert rx.sets == 5

    html = coach_client.get(url).content.decode()
    assert "5×5" in html


def test_an_exercise_renamed_shows_on_the_library_and_today(athlete_client, session):
    assert "Back squat" in athlete_client.get("/library/").content.decode()
    assert "Back squat" in today(athlete_client)
    squat = session.prescriptions.first().exercise

    squat.name = "Barbell back squat"
    squat.save()  # as the admin's change form does

    assert "Barbell back squat" in athlete_client.get("/library/").content.decode()
    assert "Barbell back squat" in today(athlete_client)


def test_exercises_retired_in_the_admin_leave_the_library(athlete_client, curator, session):
    from programs.demo import curators_group

    curator.groups.add(curators_group())
    admin = Client()
    admin.force_login(curator)
    squat = session.prescriptions.first().exercise
    assert "Back squat" in athlete_client.get("/library/").content.decode()

    response = admin.post(
        "/admin/library/exercise/", {"action": "retire", "_selected_action": [squat.pk]}
    )
    assert response.status_code == 302

    assert "Back squat" not in athlete_client.get("/library/").content.decode()


def test_a_name_changed_on_the_account_page_shows_in_the_feed(
    athlete_client, client, athlete, session
):
    athlete_client.post("/calendar/feed/new/")
    assert "RunStrong · Avery" not in feed(client, athlete)

    response = athlete_client.post(
        "/account/",
        {"name": "Avery", "time_zone": "Europe/London", "weight_unit": "kg", "distance_unit": "km"},
    )
    assert response.status_code in (200, 302)

    assert "X-WR-CALNAME:RunStrong · Avery" in feed(client, athlete)


def test_the_roster_and_inbox_are_served_from_the_cache_while_nothing_changes(
    coach_client, session, django_assert_max_num_queries
):
    roster_page(coach_client), inbox(coach_client)
    # The session, the user, and who is in the squad; the pages are kept (20 to build).
    with django_assert_max_num_queries(3):
        assert "Ana Athlete" in roster_page(coach_client)
    with django_assert_max_num_queries(3):
        assert "No conflicts: the strength plan fits the runs." in inbox(coach_client)


def test_a_group_joined_shows_on_the_roster(coach_client, athlete, session):
    assert "Sprinters</span>" not in roster_page(coach_client)

    coach_client.post("/coach/groups/", {"name": "Sprinters"})
    group = AthleteGroup.objects.get(name="Sprinters")
    response = coach_client.post(
        f"/coach/groups/{group.pk}/",
        {"name": "Sprinters", "athletes": [athlete.athlete_profile.pk]},
    )
    assert response.status_code == 302
    coach_client.get("/coach/")  # the "Saved" message, shown once

    assert "Sprinters</span>" in roster_page(coach_client)


def test_an_invitation_sent_shows_on_the_roster(coach_client, session):
    assert "newcomer@example.com" not in roster_page(coach_client)

    response = coach_client.post("/coach/invitations/", {"email": "newcomer@example.com"})
    assert response.status_code in (200, 302)
    coach_client.get("/coach/")  # the message, shown once

    assert "newcomer@example.com" in roster_page(coach_client)


def test_an_athlete_renamed_shows_on_the_roster(coach_client, athlete_client, athlete, session):
    assert "Ana Athlete" in roster_page(coach_client)

    athlete_client.post(
        "/account/",
        {"name": "Avery", "time_zone": "Europe/London", "weight_unit": "kg", "distance_unit": "km"},
    )

    page = roster_page(coach_client)
    assert "Avery" in page
    assert "Ana Athlete" not in page


def test_an_athlete_who_joins_shows_on_the_roster(coach_client, coach, session):
    assert "Bo Newcomer" not in roster_page(coach_client)

    link(coach, AthleteFactory(name="Bo Newcomer"))

    assert "Bo Newcomer" in roster_page(coach_client)


def test_an_invitation_that_expires_shows_as_expired_within_the_hour(coach_client, session):
    # Sent two weeks ago, at 09:30: it expires today at 09:30, with no write to say so.
    sent = datetime.datetime(2026, 11, 23, 9, 30, tzinfo=datetime.UTC)
    with time_machine.travel(sent, tick=False):
        coach_client.post("/coach/invitations/", {"email": "late@example.com"})
    coach_client.get("/coach/")  # the message, shown once
    assert "valid until 7 Dec" in roster_page(coach_client)

    with time_machine.travel(datetime.datetime(2026, 12, 7, 10, 5, tzinfo=datetime.UTC)):
        page = roster_page(coach_client)

    assert "expired 7 Dec" in page
    assert "valid until 7 Dec" not in page


def test_an_exercise_moved_down_its_session_shows_in_the_builder(coach_client, coach):
    squat, lunge = ExerciseFactory(name="Back squat"), ExerciseFactory(name="Reverse lunge")
    block = make_block(coach, [squat, lunge], weeks=1, sessions=1, dose={"sets": 3, "reps_min": 5})
    url = f"/blocks/{block.pk}/"

    def grid_order() -> list[str]:
        html = coach_client.get(url).content.decode()
        row = html.split('id="grid-week-1"')[1].split("</tr>")[0]
        return sorted(["Back squat", "Reverse lunge"], key=row.index)

    assert grid_order() == ["Back squat", "Reverse lunge"]
    rx = block.weeks.get().sessions.get().prescriptions.get(exercise=squat)
    response = coach_client.post(f"/blocks/prescriptions/{rx.pk}/move/", {"direction": "down"})
    assert response.status_code in (200, 302)
    assert grid_order() == ["Reverse lunge", "Back squat"]


def test_a_coach_who_deletes_their_account_leaves_their_athletes_today(
    athlete_client, coach_client, session
):
    assert "Casey Coach" in today(athlete_client)
    response = coach_client.post(reverse("account_data:delete"), {"password": PASSWORD})
    assert response.status_code == 302

    html = today(athlete_client)
    assert "Casey Coach" not in html
    assert "No coach at the moment." in html


def test_a_coach_who_stops_coaching_leaves_the_athletes_today(
    athlete_client, coach_client, athlete, session
):
    assert "Casey Coach" in today(athlete_client)
    end = reverse("coaching_end", args=[athlete.athlete_profile.pk])
    assert coach_client.post(end).status_code == 302

    html = today(athlete_client)
    assert "Casey Coach" not in html
    assert "No coach at the moment." in html


def test_a_coach_renamed_shows_on_the_athletes_today(athlete_client, coach_client, coach, session):
    assert "Casey Coach" in today(athlete_client)
    settings = {"time_zone": coach.time_zone, "weight_unit": "kg", "distance_unit": "km"}
    response = coach_client.post(reverse("account"), {"name": "Casey Trainer", **settings})
    assert response.status_code == 302

    html = today(athlete_client)
    assert "Casey Trainer" in html
    assert "Casey Coach" not in html


def test_the_squads_version_moves_with_its_members_and_their_days(coach, athlete):
    """The roster's and inbox's key: moved by a member leaving even in bulk (no signal),
    and by a member's day turning in their own time zone; not by anything else."""
    from athletes.models import CoachingLink
    from programs.caching import squad_version

    tokyo = AthleteFactory(name="Tokyo", time_zone="Asia/Tokyo")
    link(coach, tokyo)
    before = squad_version(coach)
    assert squad_version(coach) == before

    # 15:00 UTC on the 7th is already the 8th in Tokyo: that member's day turned.
    with time_machine.travel(datetime.datetime(2026, 12, 7, 15, tzinfo=datetime.UTC)):
        turned = squad_version(coach)
    assert turned != before

    CoachingLink.objects.filter(athlete=tokyo.athlete_profile).update(
        ended_at=datetime.datetime(2026, 12, 7, 9, tzinfo=datetime.UTC)
    )
    left = squad_version(coach)
    assert left not in (before, turned)
    with time_machine.travel(datetime.datetime(2026, 12, 7, 15, tzinfo=datetime.UTC)):
        assert squad_version(coach) == left  # Tokyo's day is no longer part of it
