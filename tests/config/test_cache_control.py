"""Signed-in pages are private: no shared cache keeps one person's page for another."""

import re

import pytest
from django.test import Client

from programs.schedule.feed import athlete_feed_rotate


@pytest.mark.parametrize("path", ["/coach/", "/blocks/", "/coach/invitations/", "/runs/athlete/0/"])
def test_a_coachs_pages_are_private(coach_client, path):
    response = coach_client.get(path)

    cache = response.get("Cache-Control", "")
    assert "private" in cache
    assert "no-cache" in cache


def test_an_athletes_pages_and_downloads_are_private(athlete_client):
    for path in ("/athlete/", "/calendar/", "/runs/export.csv", "/logs/export/"):
        cache = athlete_client.get(path).get("Cache-Control", "")
        assert "private" in cache, path


def test_anonymous_pages_are_left_alone(client, db):
    response = client.get("/")

    assert "Cache-Control" not in response


def test_the_service_worker_and_the_admin_keep_their_own(athlete_client, curator, client):
    assert athlete_client.get("/sw.js")["Cache-Control"] == "no-cache"
    client.force_login(curator)
    assert "no-store" in client.get("/admin/")["Cache-Control"]


def test_the_calendar_feed_keeps_its_fifteen_minutes(athlete_client, athlete):
    url = f"/feed/{athlete_feed_rotate(athlete=athlete.athlete_profile)}.ics"

    signed_in = athlete_client.get(url)
    anonymous = Client().get(url)

    assert signed_in["Cache-Control"] == "private, max-age=900"
    assert anonymous["Cache-Control"] == "private, max-age=900"


def test_static_files_keep_far_future_caching(athlete_client):
    html = athlete_client.get("/athlete/").content.decode()
    css = re.search(r'href="(/static/[^"]+\.css)"', html).group(1)

    assert "max-age=315360000" in athlete_client.get(css)["Cache-Control"]
