import re
import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from athletes.models import AthleteProfile, CoachingLink, Invitation, User
from tests.factories import PASSWORD, AthleteFactory, UserFactory

JOIN = {
    "name": "Ivy Runner",
    "password1": "a-good-long-password",
    "password2": "a-good-long-password",
}


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """POST an invitation; the email goes out once the transaction commits."""

    def post(client, data, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/coach/invitations/", data, **kwargs)

    return post


@pytest.fixture
def invite(send):
    """Send an invitation and return the path of the emailed link."""

    def invite(client, email="ivy@example.com"):
        response = send(client, {"email": email})
        assert response.status_code == 302, response.content
        return re.search(r"/invite/[\w-]+/", mail.outbox[-1].body).group(0)

    return invite


# --- sending ---------------------------------------------------------------


def test_coach_invites_by_email_and_sees_the_link_to_copy(coach_client, coach, send):
    response = send(coach_client, {"email": "Ivy@Example.com", "name": "Ivy"}, follow=True)

    invitation = Invitation.objects.get()
    assert invitation.email == "ivy@example.com"
    assert invitation.coach == coach
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ivy@example.com"]
    link = re.search(r"http://testserver/invite/[\w-]+/", mail.outbox[0].body).group(0)
    assert link.encode() in response.content
    assert b"ivy@example.com" in response.content  # listed as waiting to join
    assert link.split("/")[-2] not in invitation.token_hash  # only a hash is stored


def test_invitation_by_htmx_returns_the_invite_fragment(coach_client, send):
    response = send(coach_client, {"email": "ivy@example.com"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="invite">')
    assert "<html" not in html
    assert "/invite/" in html


def test_invitation_with_a_bad_email_shows_the_error_inline(coach_client, send):
    response = send(coach_client, {"email": "not-an-email"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert b"Enter a valid email address" in response.content
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_inviting_again_replaces_the_previous_link(coach_client, invite):
    first = invite(coach_client)
    second = invite(coach_client)

    assert first != second
    assert Invitation.objects.pending().count() == 1
    assert coach_client.get(first).status_code == 410


def test_inviting_a_current_athlete_is_refused(coach_client, athlete, send):
    response = send(coach_client, {"email": athlete.email.upper()})

    assert response.status_code == 200
    assert b"is already one of your athletes" in response.content
    assert not Invitation.objects.exists()


def test_a_coach_cannot_invite_themselves(coach_client, coach, send):
    response = send(coach_client, {"email": coach.email})

    assert b"You cannot invite yourself" in response.content
    assert not Invitation.objects.exists()


def test_withdrawing_an_invitation_kills_its_link(coach_client, invite):
    path = invite(coach_client)
    invitation = Invitation.objects.get()

    coach_client.post(f"/coach/invitations/{invitation.pk}/revoke/")

    response = coach_client.get(path)
    assert response.status_code == 410
    assert b"withdrawn" in response.content


def test_another_coach_cannot_withdraw_my_invitation(coach_client, other_coach, client, invite):
    invite(coach_client)
    invitation = Invitation.objects.get()
    client.force_login(other_coach)

    assert client.post(f"/coach/invitations/{invitation.pk}/revoke/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- accepting -------------------------------------------------------------


def test_valid_link_creates_the_athlete_and_links_the_coach(coach_client, coach, client, invite):
    path = invite(coach_client)
    client.logout()

    page = client.get(path)
    response = client.post(path, JOIN)

    assert page.status_code == 200
    assert b"Casey Coach invites you" in page.content
    assert response.status_code == 302
    assert response["Location"] == "/athlete/"
    user = User.objects.get(email="ivy@example.com")
    assert user.name == "Ivy Runner"
    assert not user.is_coach
    assert CoachingLink.objects.active().get(athlete__user=user).coach == coach
    assert Invitation.objects.get().accepted_by == user
    assert b"Casey Coach" in client.get("/athlete/").content


def test_a_used_link_cannot_be_used_again(coach_client, client, invite):
    path = invite(coach_client)
    client.logout()
    client.post(path, JOIN)
    client.logout()

    response = client.post(path, {**JOIN, "name": "Impostor"})

    assert response.status_code == 410
    assert b"already been used" in response.content
    assert User.objects.filter(email="ivy@example.com").count() == 1
    assert User.objects.get(email="ivy@example.com").name == "Ivy Runner"


def test_an_expired_link_is_refused_and_creates_nothing(coach_client, client, invite):
    path = invite(coach_client)
    client.logout()

    with time_machine.travel(timezone.now() + timedelta(days=14, seconds=1)):
        response = client.post(path, JOIN)

    assert response.status_code == 410
    assert b"expired" in response.content
    assert not User.objects.filter(email="ivy@example.com").exists()


def test_a_link_still_works_on_its_last_day(coach_client, client, invite):
    path = invite(coach_client)
    client.logout()

    with time_machine.travel(timezone.now() + timedelta(days=13, hours=23)):
        response = client.post(path, JOIN)

    assert response.status_code == 302


def test_an_unknown_link_is_not_found(client, db):
    response = client.get("/invite/not-a-real-token/")

    assert response.status_code == 404
    assert b"not valid" in response.content


def test_weak_password_on_accept_is_refused_and_the_link_stays_usable(coach_client, client, invite):
    path = invite(coach_client)
    client.logout()

    response = client.post(path, {**JOIN, "password1": "ivy", "password2": "ivy"})

    assert response.status_code == 200
    assert b"too short" in response.content
    assert not User.objects.filter(email="ivy@example.com").exists()
    assert Invitation.objects.get().accepted_at is None
    assert client.post(path, JOIN).status_code == 302


def test_a_password_like_the_email_is_refused(coach_client, client, invite):
    path = invite(coach_client, email="ivyrunner@example.com")
    client.logout()

    response = client.post(
        path, {**JOIN, "password1": "ivyrunner@example", "password2": "ivyrunner@example"}
    )

    assert b"too similar" in response.content


def test_wrong_user_signed_in_is_told_and_nothing_changes(coach_client, client, invite):
    path = invite(coach_client)
    someone = UserFactory(email="someone@example.com")
    client.force_login(someone)

    response = client.post(path)

    assert response.status_code == 403
    assert b"for another account" in response.content
    assert Invitation.objects.get().accepted_at is None
    assert not AthleteProfile.objects.filter(user=someone).exists()


def test_existing_account_signs_in_then_accepts(coach_client, coach, client, other_coach, invite):
    existing = AthleteFactory(email="ivy@example.com")
    path = invite(coach_client)
    client.logout()

    page = client.get(path)
    client.post(f"/login/?next={path}", {"username": "ivy@example.com", "password": PASSWORD})
    confirm = client.get(path)
    response = client.post(path)

    assert b"already have a RunStrong account" in page.content
    assert b"Accept" in confirm.content
    assert response["Location"] == "/athlete/"
    assert CoachingLink.objects.active().filter(coach=coach, athlete__user=existing).exists()


def test_an_athlete_can_have_two_coaches(coach_client, coach, other_coach, client, athlete, send):
    client.force_login(other_coach)
    send(client, {"email": athlete.email})
    path = re.search(r"/invite/[\w-]+/", mail.outbox[-1].body).group(0)
    client.force_login(athlete)

    client.post(path)

    coaches = set(
        CoachingLink.objects.active().filter(athlete__user=athlete).values_list("coach", flat=True)
    )
    assert coaches == {coach.pk, other_coach.pk}


def test_a_coach_invited_as_an_athlete_becomes_both(coach_client, other_coach, client, invite):
    path = invite(coach_client, email=other_coach.email)
    client.force_login(other_coach)

    client.post(path)

    other_coach.refresh_from_db()
    assert other_coach.is_coach
    assert other_coach.is_athlete


@pytest.mark.parametrize("method", ["put", "delete"])
def test_accept_refuses_other_methods(coach_client, client, method, invite):
    path = invite(coach_client)

    assert getattr(client, method)(path).status_code == 405


# --- the mail server is down ----------------------------------------------------


class DownMailBackend(BaseEmailBackend):
    """A mail server that refuses every connection, as an outage does."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, "Service not available")


class RefusedMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture(params=[DownMailBackend, RefusedMailBackend], ids=["smtp-error", "refused"])
def mail_down(request, settings):
    """The email goes out when the transaction really commits, so these tests commit."""
    path = f"{__name__}.{request.param.__name__}"
    settings.MAILERS = {"default": {"BACKEND": path, "OPTIONS": {}}}


@pytest.mark.django_db(transaction=True)
def test_mail_down_one_invitation_still_shows_its_link(client, mail_down):
    coach = UserFactory(email="cara@example.com", is_coach=True)
    client.force_login(coach)

    response = client.post("/coach/invitations/", {"email": "ivy@example.com"}, follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert "the email to ivy@example.com could not be sent" in html
    assert re.search(r"http://testserver/invite/[\w-]+/", html)
    assert Invitation.objects.filter(email="ivy@example.com").count() == 1


@pytest.mark.django_db(transaction=True)
def test_mail_down_htmx_invitation_shows_the_link_to_share(client, mail_down):
    coach = UserFactory(email="cara@example.com", is_coach=True)
    client.force_login(coach)

    response = client.post(
        "/coach/invitations/", {"email": "ivy@example.com"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "the email could not be sent" in html
    assert re.search(r"http://testserver/invite/[\w-]+/", html)


@pytest.mark.django_db(transaction=True)
def test_mail_down_many_invitations_show_every_link(client, mail_down):
    coach = UserFactory(email="cara@example.com", is_coach=True)
    client.force_login(coach)

    response = client.post("/coach/invitations/many/", {"text": "a@example.com\nb@example.com"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "2 emails could not be sent" in html
    # Each link twice: in the report, and beside the invitation in the list of those waiting.
    assert len(set(re.findall(r"http://testserver/invite/[\w-]+/", html))) == 2
    assert html.count("Email not sent — copy the link") == 2
    assert Invitation.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_mail_down_resend_shows_the_new_link(client, mail_down):
    coach = UserFactory(email="cara@example.com", is_coach=True)
    client.force_login(coach)
    client.post("/coach/invitations/", {"email": "ivy@example.com"})
    first = Invitation.objects.get()

    response = client.post(f"/coach/invitations/{first.pk}/resend/", follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert "the email to ivy@example.com could not be sent" in html
    assert re.search(r"http://testserver/invite/[\w-]+/", html)
    assert Invitation.objects.pending().count() == 1
