"""A runner without a coach signs up as their own coach: one account with the coach's
screens and the athlete's, their home Today."""

import pytest
from django.db import IntegrityError

from athletes import services
from athletes.models import AthleteProfile, CoachingLink, User
from tests.factories import AthleteFactory, CoachFactory, link, make_self_coached

SELF = {
    "role": "self",
    "name": "Rosa Runner",
    "email": "Rosa@Example.com",
    "password1": "long-enough-passphrase",
    "password2": "long-enough-passphrase",
}


def test_the_signup_page_offers_both_choices_coach_first(client, db):
    html = client.get("/signup/").content.decode()

    assert 'name="role" value="coach"' in html
    assert 'name="role" value="self"' in html
    assert "I coach runners" in html
    assert "I&#x27;m a runner coaching myself" in html
    coach_radio = html[html.index('value="coach"') : html.index(">", html.index('value="coach"'))]
    assert "checked" in coach_radio
    assert html.count("autofocus") == 1


def test_a_link_for_runners_preselects_their_choice(client, db):
    html = client.get("/signup/?role=self").content.decode()

    self_radio = html[html.index('value="self"') : html.index(">", html.index('value="self"'))]
    assert "checked" in self_radio


def test_a_self_coached_runner_is_their_own_coach_and_lands_on_get_started(client, db):
    response = client.post("/signup/", SELF)

    assert response.status_code == 302
    assert response["Location"] == "/coach/start/"
    user = User.objects.get()
    assert user.email == "rosa@example.com"
    assert user.is_coach
    assert user.is_athlete
    (link,) = CoachingLink.objects.all()
    assert (link.coach, link.athlete, link.is_active) == (user, user.athlete_profile, True)
    assert AthleteProfile.objects.coached_by(user).get() == user.athlete_profile
    # Signed in: the page answers.
    assert client.get("/coach/start/").status_code == 200


def test_a_signup_without_the_choice_is_a_coach_as_before(client, db):
    response = client.post("/signup/", {k: v for k, v in SELF.items() if k != "role"})

    assert response["Location"] == "/coach/"
    user = User.objects.get()
    assert user.is_coach
    assert not user.is_athlete
    assert not CoachingLink.objects.exists()


def test_an_unknown_choice_is_refused_and_nothing_is_created(client, db):
    response = client.post("/signup/", {**SELF, "role": "athlete"})

    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not User.objects.exists()


def test_a_taken_email_creates_no_profile_and_no_link(client, db):
    CoachFactory(email="rosa@example.com")

    response = client.post("/signup/", {**SELF, "email": "ROSA@example.com"})

    assert response.status_code == 200
    assert b"An account with this email already exists" in response.content
    assert User.objects.count() == 1
    assert not AthleteProfile.objects.exists()
    assert not CoachingLink.objects.exists()


def test_the_account_profile_and_link_are_made_together(db, monkeypatch):
    def refuse(**kwargs):
        raise IntegrityError("the link could not be written")

    monkeypatch.setattr(CoachingLink.objects, "create", refuse)

    with pytest.raises(IntegrityError):
        services.self_coached_signup(email="rosa@example.com", name="Rosa", password="x" * 20)

    assert not User.objects.exists()
    assert not AthleteProfile.objects.exists()


class TestHome:
    def test_a_self_coached_runners_home_is_today(self, client, db):
        client.force_login(make_self_coached())

        assert client.get("/")["Location"] == "/athlete/"

    def test_a_coach_coached_by_another_coach_still_starts_on_the_roster(self, client, coach):
        coaching_athlete = AthleteFactory(is_coach=True)
        link(coach, coaching_athlete)
        client.force_login(coaching_athlete)

        assert client.get("/")["Location"] == "/coach/"

    def test_after_ending_coaching_themselves_the_roster_again(self, client, db):
        user = make_self_coached()
        services.coaching_link_end(link=CoachingLink.objects.get(coach=user))
        client.force_login(user)

        assert client.get("/")["Location"] == "/coach/"

    def test_after_sign_in_the_runner_reaches_today(self, client, db):
        make_self_coached(email="rosa@example.com")

        response = client.post(
            "/login/", {"username": "rosa@example.com", "password": "correct-horse-battery"}
        )

        assert response["Location"] == "/"
        assert client.get("/")["Location"] == "/athlete/"
        assert client.get("/athlete/").status_code == 200


def test_both_menus_for_a_self_coached_runner(client, db):
    client.force_login(make_self_coached())

    html = client.get("/athlete/").content.decode()

    for menu in ("/coach/", "/flags/", "/blocks/", "/athlete/", "/calendar/", "/runs/"):
        assert f'class="nav-link" href="{menu}"' in html


def test_their_roster_lists_themselves_and_their_page_leads_back_to_get_started(client, db):
    user = make_self_coached(name="Rosa Runner")
    client.force_login(user)

    assert "Rosa Runner" in client.get("/coach/").content.decode()
    page = client.get(f"/coach/athletes/{user.athlete_profile.pk}/").content.decode()
    assert 'href="/coach/start/"' in page
    assert f'href="/coach/athletes/{user.athlete_profile.pk}/season/"' in page


def test_another_athletes_page_has_no_get_started(coach_client, athlete):
    page = coach_client.get(f"/coach/athletes/{athlete.athlete_profile.pk}/").content.decode()

    assert "/coach/start/" not in page
