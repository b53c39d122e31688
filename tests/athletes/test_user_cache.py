"""Each request's user comes from the cache while the user is unchanged (issue #17): no
query of the user's row, and every change to it, or to their athlete profile, is seen at
the next request, including the ones that must sign a session out."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from athletes.models import AthleteProfile
from tests.factories import PASSWORD

NEW_PASSWORD = "another-long-passphrase"


def signed_in(user) -> Client:
    client = Client()
    response = client.post("/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_an_unchanged_user_is_not_read_from_the_database(athlete):
    client = signed_in(athlete)
    client.get("/account/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/account/")
    assert response.status_code == 200
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "athletes_user" not in tables
    assert "athletes_athleteprofile" not in tables
    assert "Ana" in response.content.decode()


def test_a_password_changed_on_one_device_signs_the_other_out(coach):
    phone, laptop = signed_in(coach), signed_in(coach)
    assert laptop.get("/coach/").status_code == 200  # the user is in the cache
    response = phone.post(
        "/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/password/change/done/"
    assert phone.get("/coach/").status_code == 200  # the device that changed it stays in
    assert laptop.get("/coach/")["Location"] == "/login/?next=/coach/"


def test_a_deactivated_account_is_signed_out_at_its_next_request(coach):
    client = signed_in(coach)
    assert client.get("/coach/").status_code == 200
    coach.is_active = False
    coach.save(update_fields=["is_active"])
    assert client.get("/coach/")["Location"] == "/login/?next=/coach/"


def test_a_deleted_account_is_signed_out_at_its_next_request(athlete):
    client = signed_in(athlete)
    assert client.get("/athlete/").status_code == 200
    athlete.delete()
    assert client.get("/athlete/")["Location"] == "/login/?next=/athlete/"


def test_a_new_name_shows_at_the_next_request(athlete):
    client = signed_in(athlete)
    assert ">Ana</a>" in client.get("/account/").content.decode()
    settings = {"time_zone": "Europe/Madrid", "weight_unit": "kg", "distance_unit": "km"}
    response = client.post("/account/", {"name": "Beatriz Athlete", **settings})
    assert response.status_code == 302
    html = client.get("/account/").content.decode()
    assert ">Beatriz</a>" in html
    assert ">Ana</a>" not in html


def test_a_coach_given_an_athlete_profile_is_an_athlete_at_the_next_request(coach):
    client = signed_in(coach)
    assert client.get("/athlete/").status_code == 403
    AthleteProfile.objects.create(user=coach)
    assert client.get("/athlete/").status_code == 200
    AthleteProfile.objects.filter(user=coach).get().delete()
    assert client.get("/athlete/").status_code == 403
