"""The e-mail settings page, the signed-out unsubscribe link, and the coach's
notifications page with its navbar count."""

import datetime
import re
import uuid

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Flag, NotificationSettings, PainNote
from programs.notifications.tokens import unsubscribe_token
from tests.programs.notifications.conftest import opt_in, plan

SETTINGS = "/notifications/settings/"
INBOX = "/notifications/"


class TestSettings:
    def test_an_athlete_turns_reminders_on(self, athlete_client, athlete):
        page = athlete_client.get(SETTINGS)
        assert page.status_code == 200
        html = page.content.decode()
        assert 'name="evening_before"' in html
        assert 'name="weekly_summary"' in html
        assert 'name="coach_digest"' not in html

        response = athlete_client.post(SETTINGS, {"evening_before": "on"})

        assert response.status_code == 302
        settings = NotificationSettings.objects.get(user=athlete)
        assert settings.evening_before
        assert not settings.weekly_summary

    def test_all_off_by_default(self, athlete_client):
        html = athlete_client.get(SETTINGS).content.decode()
        assert "checked" not in html

    def test_an_athlete_cannot_turn_on_the_coach_digest(self, athlete_client, athlete):
        athlete_client.post(SETTINGS, {"coach_digest": "on", "weekly_summary": "on"})

        settings = NotificationSettings.objects.get(user=athlete)
        assert settings.weekly_summary
        assert not settings.coach_digest

    def test_a_coach_turns_the_digest_on(self, coach_client, coach):
        html = coach_client.get(SETTINGS).content.decode()
        assert 'name="coach_digest"' in html
        assert 'name="evening_before"' not in html

        coach_client.post(SETTINGS, {"coach_digest": "on"})

        assert NotificationSettings.objects.get(user=coach).coach_digest

    def test_reachable_from_the_account_page(self, athlete_client):
        assert f'href="{SETTINGS}"' in athlete_client.get("/account/").content.decode()


class TestUnsubscribe:
    def test_the_emailed_link_works_signed_out(self, athlete, send):
        plan(athlete, "Goblet squat")
        opt_in(athlete, evening_before=True, weekly_summary=True)
        send("2026-12-07T18:30+00:00")
        link = re.search(r"Stop these reminders: (\S+)", mail.outbox[0].body).group(1)
        path = link.removeprefix("http://testserver")
        anonymous = Client(enforce_csrf_checks=True)

        confirm = anonymous.get(path)
        assert confirm.status_code == 200
        assert "Unsubscribe?" in confirm.content.decode()
        assert NotificationSettings.objects.get(user=athlete).evening_before  # GET changes nothing

        done = anonymous.post(path)
        assert done.status_code == 200
        assert "Unsubscribed" in done.content.decode()
        settings = NotificationSettings.objects.get(user=athlete)
        assert not settings.evening_before
        assert settings.weekly_summary

    def test_one_click_post_from_a_mail_client(self, athlete):
        opt_in(athlete, weekly_summary=True)
        token = unsubscribe_token(user=athlete, kind="weekly_summary")
        url = reverse("notifications:unsubscribe", args=[token])

        response = Client(enforce_csrf_checks=True).post(
            url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )

        assert response.status_code == 200
        assert not NotificationSettings.objects.get(user=athlete).weekly_summary

    @pytest.mark.parametrize(
        "tamper",
        [
            lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
            lambda t: t.replace("evening_before", "weekly_summary"),
            lambda t: "not-a-token",
            lambda t: t.split(":")[0],
        ],
        ids=["signature", "kind", "garbage", "unsigned"],
    )
    def test_a_tampered_link_is_a_clear_error(self, athlete, tamper, client):
        opt_in(athlete, evening_before=True)
        token = tamper(unsubscribe_token(user=athlete, kind="evening_before"))
        url = reverse("notifications:unsubscribe", args=[token])

        for response in (client.get(url), client.post(url)):
            assert response.status_code == 404
            assert "This unsubscribe link does not work" in response.content.decode()
        assert NotificationSettings.objects.get(user=athlete).evening_before

    def test_another_persons_id_in_the_token_is_refused(self, athlete, other_athlete, client):
        opt_in(other_athlete, evening_before=True)
        token = unsubscribe_token(user=athlete, kind="evening_before")
        forged = token.replace(f"{athlete.pk}.", f"{other_athlete.pk}.", 1)

        assert client.post(reverse("notifications:unsubscribe", args=[forged])).status_code == 404
        assert NotificationSettings.objects.get(user=other_athlete).evening_before


@pytest.fixture
def news(athlete, other_athlete):
    """Ana (the coach's) and Oscar (not) each raise a critical flag and report pain."""
    for user in (athlete, other_athlete):
        Flag.objects.create(
            athlete=user.athlete_profile,
            code="HEAVY_BEFORE_LONG_RUN",
            severity="critical",
            date=datetime.date.today(),
            message=f"{user.name} heavy before long",
            fingerprint=uuid.uuid4().hex,
        )
        PainNote.objects.create(
            athlete=user.athlete_profile,
            date=datetime.date.today(),
            area="calf",
            score=4,
            note=f"{user.name} calf",
        )


def _badge(html: str) -> str | None:
    match = re.search(r'badge rounded-pill text-bg-danger">(\d+)<', html)
    return match.group(1) if match else None


class TestCoachInbox:
    def test_lists_the_coachs_athletes_news_only(self, coach_client, news):
        html = coach_client.get(INBOX).content.decode()

        assert "Ana Athlete heavy before long" in html
        assert "Ana Athlete calf" in html
        assert "Oscar" not in html

    def test_the_navbar_counts_unread_until_marked_read(self, coach_client, news):
        assert _badge(coach_client.get("/coach/").content.decode()) == "2"

        response = coach_client.post("/notifications/read/")

        assert response.status_code == 302
        html = coach_client.get("/coach/").content.decode()
        assert _badge(html) is None
        assert "Ana Athlete calf" not in coach_client.get(INBOX).content.decode()

    def test_the_count_is_one_query_for_a_coach_then_kept_a_minute(self, coach_client, news):
        with CaptureQueriesContext(connection) as queries:
            coach_client.get("/coach/")
        counting = [q for q in queries if "programs_notificationsettings" in q["sql"]]
        assert len(counting) == 1

        with CaptureQueriesContext(connection) as queries:
            html = coach_client.get("/coach/").content.decode()
        assert not [q for q in queries if "programs_notificationsettings" in q["sql"]]
        assert _badge(html) == "2"

    def test_no_query_and_no_badge_for_an_athlete(self, athlete_client, news):
        with CaptureQueriesContext(connection) as queries:
            html = athlete_client.get("/account/").content.decode()
        assert not [q for q in queries if "programs_notificationsettings" in q["sql"]]
        assert _badge(html) is None
        assert 'href="/notifications/"' not in html
