"""The admin for a signed-in person who is not a curator says what it is for and where
their own work is; /favicon.ico answers with the site's icon."""

from django.test import Client
from django.urls import reverse


def test_the_admin_tells_a_coach_what_it_is_for(coach_client):
    response = coach_client.get("/admin/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The admin is for library curators." in html
    assert f'Coaches build programs in <a href="{reverse("programs:list")}">Blocks</a>' in html


def test_the_admin_tells_an_athlete_where_their_training_is(athlete_client):
    html = athlete_client.get("/admin/", follow=True).content.decode()
    assert "The admin is for library curators." in html
    assert "Coaches build programs" not in html


def test_a_curator_gets_the_admin(client, curator):
    client.force_login(curator)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "The admin is for library curators." not in response.content.decode()


def test_a_stranger_gets_the_plain_admin_sign_in(client, db):
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="password"' in html
    assert "The admin is for library curators." not in html


def test_favicon_is_the_sites_icon(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert "max-age=86400" in response["Cache-Control"]
