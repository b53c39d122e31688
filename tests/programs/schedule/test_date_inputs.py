"""A date input's value is ISO: the browser's picker shows nothing for the localized
07/12/2026 the site's language would write."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from programs.schedule import services
from tests.factories import ExerciseFactory, make_block


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 2, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def session(coach, athlete):
    block = make_block(coach, [ExerciseFactory()], weeks=1, sessions=1)
    (assignment,) = services.assignment_create(
        block=block,
        athletes=[athlete.athlete_profile],
        start=datetime.date(2026, 12, 7),
        weekdays=[1],
        assigned_by=coach,
    )
    return assignment.sessions.get()


def _date_input(html: str, name: str) -> str:
    tag = re.search(rf'<input type="date" name="{name}"[^>]*>', html)
    assert tag, f"no date input named {name}"
    return tag.group(0)


@pytest.mark.parametrize("who", ["athlete", "coach"])
def test_move_to_another_day_shows_the_sessions_date_in_iso(who, session, client, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("schedule:session", args=[session.pk]))
    assert response.status_code == 200
    tag = _date_input(response.content.decode(), "date")
    assert 'value="2026-12-07"' in tag
    assert "07/12/2026" not in tag


def test_the_moved_session_lands_on_the_iso_date(athlete_client, session):
    response = athlete_client.post(
        reverse("schedule:session_move", args=[session.pk]), {"date": "2026-12-09"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.date == datetime.date(2026, 12, 9)


def test_the_session_page_explains_a_superset_letter(athlete_client, session):
    url = reverse("schedule:session", args=[session.pk])
    assert "are a superset" not in athlete_client.get(url).content.decode()

    session.prescriptions.update(superset="A")
    html = athlete_client.get(url).content.decode()
    assert html.count("are a superset: do them back to back") == 1
    assert 'title="Superset A: done back to back with the other A exercises"' in html
