"""A coach who opens an athlete's own calendar, runs or progress is shown the way to their
athletes' (not a bare 403); the athlete, and a coach who is also an athlete, get their own
page; anyone else without the role still gets 403."""

import pytest
from django.urls import reverse

from tests.factories import AthleteFactory, CoachFactory, link

ATHLETE_PAGES = [
    ("schedule:calendar", "schedule:athlete_calendar"),
    ("runs:list", "runs:athlete_list"),
    ("progress:mine", "progress:athlete"),
]


@pytest.mark.parametrize(("page", "athletes_page"), ATHLETE_PAGES)
def test_a_coach_on_an_athletes_page_is_shown_their_athletes_version(
    page, athletes_page, coach_client, athlete, other_athlete
):
    response = coach_client.get(reverse(page))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This page is an athlete's own" in html
    assert f'href="{reverse("coach_home")}"' in html
    mine = reverse(athletes_page, args=[athlete.athlete_profile.pk])
    assert f'<a href="{mine}">Ana Athlete</a>' in html
    assert "Oscar Other" not in html
    # The link works for this coach.
    assert coach_client.get(mine).status_code == 200


@pytest.mark.parametrize(("page", "_"), ATHLETE_PAGES)
def test_the_athlete_still_gets_their_own_page(page, _, athlete_client):
    response = athlete_client.get(reverse(page))
    assert response.status_code == 200
    assert "This page is an athlete's own" not in response.content.decode()


@pytest.mark.parametrize(("page", "_"), ATHLETE_PAGES)
def test_a_coach_who_is_also_an_athlete_gets_their_own_page(page, _, client, coach):
    both = AthleteFactory(name="Bea Both", is_coach=True)
    client.force_login(both)
    response = client.get(reverse(page))
    assert response.status_code == 200
    assert "This page is an athlete's own" not in response.content.decode()


@pytest.mark.parametrize(("page", "_"), ATHLETE_PAGES)
def test_someone_neither_athlete_nor_coach_still_gets_403(page, _, client, curator):
    client.force_login(curator)
    assert client.get(reverse(page)).status_code == 403


def test_a_coach_without_athletes_is_sent_to_invite(client, db):
    client.force_login(CoachFactory())
    html = client.get(reverse("schedule:calendar")).content.decode()
    assert f'href="{reverse("invitations")}"' in html


def test_a_long_roster_is_cut_short_with_a_link_to_it(client, db):
    coach = CoachFactory()
    for number in range(31):
        athlete = AthleteFactory(name=f"Runner {number:02}")
        link(coach, athlete)
    client.force_login(coach)
    html = client.get(reverse("runs:list")).content.decode()
    assert "Runner 29" in html
    assert "Runner 30" not in html
    assert "More athletes on your roster" in html
