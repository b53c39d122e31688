import pytest

from athletes.models import User
from tests.factories import CoachFactory

GOOD = {
    "name": "Nora Coach",
    "email": "Nora@Example.com",
    "password1": "long-enough-passphrase",
    "password2": "long-enough-passphrase",
}


def test_a_coach_signs_up_and_lands_on_the_coach_home(client, db):
    response = client.post("/signup/", GOOD)

    assert response.status_code == 302
    assert response["Location"] == "/coach/"
    user = User.objects.get()
    assert user.email == "nora@example.com"
    assert user.is_coach
    assert not user.is_athlete
    assert client.get("/coach/").status_code == 200


def test_signup_form_is_public(client, db):
    response = client.get("/signup/")

    assert response.status_code == 200
    assert b"Create your account" in response.content


def test_duplicate_email_in_another_case_is_refused_and_nothing_is_created(client, db):
    CoachFactory(email="nora@example.com")

    response = client.post("/signup/", {**GOOD, "email": "NORA@example.COM"})

    assert response.status_code == 200
    assert b"An account with this email already exists" in response.content
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", b"This password is too short"),
        ("password1234", b"This password is too common"),
        ("83749201736451", b"This password is entirely numeric"),
    ],
)
def test_weak_password_is_refused_with_the_reason(client, db, password, message):
    response = client.post("/signup/", {**GOOD, "password1": password, "password2": password})

    assert response.status_code == 200
    assert message in response.content
    assert not User.objects.exists()


def test_mismatched_passwords_are_refused(client, db):
    response = client.post("/signup/", {**GOOD, "password2": "something-else-entirely"})

    assert response.status_code == 200
    assert b"The two password fields" in response.content
    assert not User.objects.exists()


def test_a_signed_in_user_is_sent_home_from_signup(coach_client):
    assert coach_client.get("/signup/")["Location"] == "/"


def test_an_athlete_can_start_coaching_too(athlete_client, athlete):
    response = athlete_client.post("/account/coach/")

    assert response["Location"] == "/coach/"
    athlete.refresh_from_db()
    assert athlete.is_coach
    assert athlete.is_athlete


def test_account_settings_save_units_and_time_zone(athlete_client, athlete):
    response = athlete_client.post(
        "/account/",
        {
            "name": "Ana A.",
            "time_zone": "America/Denver",
            "weight_unit": "lb",
            "distance_unit": "mi",
        },
    )

    assert response.status_code == 302
    athlete.refresh_from_db()
    assert (athlete.name, athlete.time_zone, athlete.weight_unit, athlete.distance_unit) == (
        "Ana A.",
        "America/Denver",
        "lb",
        "mi",
    )


def test_account_settings_refuse_an_unknown_time_zone(athlete_client, athlete):
    response = athlete_client.post(
        "/account/",
        {"name": "Ana", "time_zone": "Mars/Olympus", "weight_unit": "kg", "distance_unit": "km"},
    )

    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    athlete.refresh_from_db()
    assert athlete.time_zone == "Europe/London"
