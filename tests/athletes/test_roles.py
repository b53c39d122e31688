"""Who can open what: anonymous → sign in; wrong role → 403; someone else's → 404."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from athletes.models import CoachingLink

COACH_PAGES = ["/coach/"]
ATHLETE_PAGES = ["/athlete/"]
PRIVATE_PAGES = [*COACH_PAGES, *ATHLETE_PAGES, "/account/", "/password/change/"]


@pytest.mark.parametrize("path", PRIVATE_PAGES)
def test_anonymous_is_sent_to_sign_in(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


@pytest.mark.parametrize(
    "path", ["/coach/athletes/1/", "/coach/invitations/1/revoke/", "/coach/athletes/1/end/"]
)
def test_anonymous_is_sent_to_sign_in_from_object_pages(client, db, path):
    assert client.get(path)["Location"].startswith("/login/")


@pytest.mark.parametrize("path", COACH_PAGES)
def test_an_athlete_on_a_coach_page_is_forbidden(athlete_client, path):
    response = athlete_client.get(path)

    assert response.status_code == 403
    assert b"This page is for coaches" in response.content


def test_an_athlete_cannot_invite(athlete_client):
    assert athlete_client.post("/coach/invitations/", {"email": "x@example.com"}).status_code == 403


def test_an_athlete_on_a_coach_athlete_page_is_forbidden(athlete_client, athlete):
    path = f"/coach/athletes/{athlete.athlete_profile.pk}/"

    assert athlete_client.get(path).status_code == 403


@pytest.mark.parametrize("path", ATHLETE_PAGES)
def test_a_coach_without_an_athlete_role_is_forbidden_on_athlete_pages(coach_client, path):
    assert coach_client.get(path).status_code == 403


def test_a_coach_sees_their_own_athlete(coach_client, athlete):
    response = coach_client.get(f"/coach/athletes/{athlete.athlete_profile.pk}/")

    assert response.status_code == 200
    assert b"Ana Athlete" in response.content


def test_the_coach_home_lists_only_my_athletes(coach_client, athlete, other_athlete):
    response = coach_client.get("/coach/")

    assert b"Ana Athlete" in response.content
    assert b"Oscar Other" not in response.content


def test_a_coach_on_another_coachs_athlete_gets_404(coach_client, other_athlete):
    profile = other_athlete.athlete_profile

    assert coach_client.get(f"/coach/athletes/{profile.pk}/").status_code == 404
    assert coach_client.post(f"/coach/athletes/{profile.pk}/end/").status_code == 404
    assert CoachingLink.objects.active().filter(athlete=profile).exists()


def test_ending_a_link_keeps_the_history_and_hides_the_athlete(coach_client, coach, athlete):
    profile = athlete.athlete_profile

    response = coach_client.post(f"/coach/athletes/{profile.pk}/end/")

    assert response["Location"] == "/coach/"
    link = CoachingLink.objects.get(coach=coach, athlete=profile)
    assert link.ended_at is not None
    assert coach_client.get(f"/coach/athletes/{profile.pk}/").status_code == 404
    assert b"Ana Athlete" not in coach_client.get("/coach/").content


def test_a_former_athlete_can_be_invited_again(coach_client, coach, athlete):
    profile = athlete.athlete_profile
    coach_client.post(f"/coach/athletes/{profile.pk}/end/")

    response = coach_client.post("/coach/invitations/", {"email": athlete.email})

    assert response.status_code == 302


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/coach/invitations/"),
        ("get", "/coach/invitations/many/"),
        ("get", "/account/coach/"),
        ("post", "/coach/"),
    ],
)
def test_wrong_method_is_refused(coach_client, method, path):
    assert getattr(coach_client, method)(path).status_code == 405


def test_wrong_method_on_object_pages(coach_client, athlete):
    profile = athlete.athlete_profile

    assert coach_client.get(f"/coach/athletes/{profile.pk}/end/").status_code == 405
    assert coach_client.post(f"/coach/athletes/{profile.pk}/").status_code == 405


def test_an_athlete_cannot_open_the_admin(athlete_client):
    assert athlete_client.get("/admin/")["Location"].startswith("/admin/login/")


def test_a_curator_opens_the_admin(client, curator):
    client.force_login(curator)

    assert client.get("/admin/").status_code == 200


def test_coach_home_queries_do_not_grow_with_athletes(client, coach, django_assert_max_num_queries):
    from tests.factories import AthleteFactory, link

    client.force_login(coach)
    link(coach, AthleteFactory())
    # The roster's fixed cost: each figure is one query for the whole roster.
    with django_assert_max_num_queries(20) as few:
        client.get("/coach/")
    for _ in range(30):
        link(coach, AthleteFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/coach/")
    # The first page of the roster: 25 of the 31.
    assert response.content.count(b"/coach/athletes/") == 25


@pytest.mark.parametrize(
    ("persona", "path"),
    [("coach", "/account/"), ("athlete", "/account/"), ("athlete", "/athlete/")],
)
def test_the_role_menus_cost_no_query_of_their_own(client, request, persona, path):
    """The signed-in user comes with their athlete profile (or its absence), so the menus'
    ``is_athlete`` asks nothing more; and both come from the cache while unchanged: two
    queries fewer than Django's own ``ModelBackend``."""
    user = request.getfixturevalue(persona)
    client.force_login(user)
    client.get(path)
    with CaptureQueriesContext(connection) as ours:
        assert client.get(path).status_code == 200
    with override_settings(
        AUTHENTICATION_BACKENDS=[
            "athletes.backends.UserBackend",
            "django.contrib.auth.backends.ModelBackend",
        ]
    ):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        client.get(path)
        with CaptureQueriesContext(connection) as plain:
            assert client.get(path).status_code == 200

    assert len(ours) == len(plain) - 2


def test_a_session_signed_in_before_the_user_backend_stays_signed_in(client, athlete):
    """Sessions from before athletes.backends.UserBackend name ModelBackend: a deploy must
    not sign those phones out (their queued sets sync once they are signed in)."""
    client.force_login(athlete, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get("/account/")

    assert response.status_code == 200
    assert response.wsgi_request.user == athlete
