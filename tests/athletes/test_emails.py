"""The invitation and password-reset emails go through the task queue: sent by a task
(here the immediate backend runs it at once), tried again while the mail server is down,
then reported; never a failed request, and never a token on the queue."""

import json
import logging
import re
import smtplib

import pytest
from django.core import mail
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.signals import task_enqueued

from athletes.models import Invitation
from athletes.services import invitation_create, invitation_revoke
from athletes.tasks import invitation_email_send, password_reset_email_send
from config.tasks import DEFAULT_BACKOFF
from tests.factories import UserFactory
from tests.mail import DownMailBackend

LINK = r"http://testserver/invite/[\w-]+/"
TASKS_LOG = "athletes.tasks"


class DownQueueBackend(BaseTaskBackend):
    """A queue that cannot be reached, as with Redis down."""

    def enqueue(self, task, args, kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.fixture
def queued():
    """Every task enqueued during the test: (task path, kwargs as the queue stores them)."""
    seen = []

    def record(sender, task_result, **kwargs):
        seen.append((task_result.task.module_path, task_result.kwargs))

    task_enqueued.connect(record)
    yield seen
    task_enqueued.disconnect(record)


# --- sent by a task ------------------------------------------------------------------


def test_the_invitation_email_is_sent_by_a_task_that_carries_no_token(
    coach_client, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_client.post("/coach/invitations/", {"email": "ivy@example.com"})

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert queued == [
        (
            "athletes.tasks.invitation_email_send",
            {"invitation_id": invitation.pk, "site_url": "http://testserver/"},
        )
    ]
    assert len(mail.outbox) == 1
    link = re.search(LINK, mail.outbox[0].body).group(0)
    token = link.split("/")[-2]
    assert Invitation.hash_token(token) == invitation.token_hash
    assert invitation.emailed_at is not None
    assert invitation.email_failed_at is None


def test_the_invitation_email_goes_once(coach, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = invitation_create(coach=coach, email="ivy@example.com", site_url="http://x/")

    result = invitation_email_send.enqueue(invitation_id=sent.invitation.pk, site_url="http://x/")

    assert result.return_value == "skipped"
    assert len(mail.outbox) == 1


def test_a_withdrawn_invitation_is_not_emailed(coach, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        sent = invitation_create(coach=coach, email="ivy@example.com", site_url="http://x/")
        invitation_revoke(invitation=sent.invitation)

    result = invitation_email_send.enqueue(invitation_id=sent.invitation.pk, site_url="http://x/")

    assert result.return_value == "skipped"
    assert not mail.outbox


def test_the_password_reset_email_is_sent_by_a_task_that_carries_no_token(client, coach, queued):
    response = client.post("/password/reset/", {"email": coach.email})

    assert response["Location"] == "/password/reset/sent/"
    [(path, kwargs)] = queued
    assert path == "athletes.tasks.password_reset_email_send"
    assert kwargs["user_id"] == coach.pk
    assert (kwargs["domain"], kwargs["protocol"]) == ("testserver", "http")
    assert len(mail.outbox) == 1
    token = re.search(r"/password/reset/\S+/(\S+)/", mail.outbox[0].body).group(1)
    assert token not in json.dumps(kwargs)


def test_a_deactivated_account_gets_no_reset_email_from_a_queued_task(coach):
    coach.is_active = False
    coach.save()

    result = password_reset_email_send.enqueue(
        user_id=coach.pk,
        domain="testserver",
        site_name="testserver",
        protocol="http",
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.html",
    )

    assert result.return_value == "skipped"
    assert not mail.outbox


# --- the mail server is down: tried again, then reported -------------------------------


@pytest.mark.django_db(transaction=True)
def test_mail_down_the_invitation_is_tried_again_then_reported_to_the_coach(
    client, mail_down, finished, caplog
):
    coach = UserFactory(email="cara@example.com", is_coach=True)
    client.force_login(coach)

    with caplog.at_level(logging.WARNING, logger="athletes.tasks"):
        response = client.post("/coach/invitations/", {"email": "ivy@example.com"}, follow=True)

    assert response.status_code == 200
    assert DownMailBackend.tries == DEFAULT_BACKOFF.attempts
    attempts = [r.kwargs.get("attempt", 1) for r in finished]
    assert sorted(attempts) == list(range(1, DEFAULT_BACKOFF.attempts + 1))
    last = next(r for r in finished if r.kwargs.get("attempt") == DEFAULT_BACKOFF.attempts)
    assert last.status == "FAILED"
    assert last.errors[0].exception_class is smtplib.SMTPConnectError
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == TASKS_LOG]
    assert len(errors) == 1
    assert "not sent after 5 attempts" in errors[0].getMessage()
    invitation = Invitation.objects.get()
    assert invitation.email_failed_at is not None
    assert invitation.emailed_at is None
    html = response.content.decode()
    assert "the email to ivy@example.com could not be sent" in html


@pytest.mark.django_db(transaction=True)
def test_mail_down_the_list_of_invitations_offers_the_same_link_again(client, mail_down):
    coach = UserFactory(email="cara@example.com", is_coach=True)
    client.force_login(coach)
    first = client.post("/coach/invitations/", {"email": "ivy@example.com"}, follow=True)
    shown = re.search(LINK, first.content.decode()).group(0)

    html = client.get("/coach/invitations/").content.decode()

    assert "Email not sent — copy the link" in html
    assert re.findall(LINK, html) == [shown]
    client.logout()
    assert client.get(shown.removeprefix("http://testserver")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_mail_down_the_password_reset_is_tried_again_then_logged(client, mail_down, caplog):
    user = UserFactory(email="cara@example.com")

    with caplog.at_level(logging.WARNING, logger="athletes.tasks"):
        response = client.post("/password/reset/", {"email": user.email})

    assert response.status_code == 302
    assert response["Location"] == "/password/reset/sent/"
    assert DownMailBackend.tries == DEFAULT_BACKOFF.attempts
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == TASKS_LOG]
    assert [r.getMessage() for r in errors] == [
        f"Password reset for user {user.pk}: the email was not sent after 5 attempts."
    ]


# --- the queue itself is down ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_queue_down_the_invitation_is_made_and_the_coach_shares_the_link(client, settings):
    settings.TASKS = {"default": {"BACKEND": f"{__name__}.DownQueueBackend"}}
    coach = UserFactory(email="cara@example.com", is_coach=True)
    client.force_login(coach)

    response = client.post("/coach/invitations/", {"email": "ivy@example.com"}, follow=True)

    assert response.status_code == 200
    assert "the email to ivy@example.com could not be sent" in response.content.decode()
    assert Invitation.objects.get().email_failed_at is not None


def test_queue_down_the_password_reset_page_still_answers(client, coach, settings):
    settings.TASKS = {"default": {"BACKEND": f"{__name__}.DownQueueBackend"}}

    response = client.post("/password/reset/", {"email": coach.email})

    assert response["Location"] == "/password/reset/sent/"


# --- the link is made again by the worker, under the secret key --------------------------


def test_the_worker_makes_the_same_link_under_a_rotated_secret_key(
    coach, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        sent = invitation_create(coach=coach, email="ivy@example.com", site_url="http://x/")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-0123456789abcdefghijklmnop"

    result = invitation_email_send.enqueue(invitation_id=sent.invitation.pk, site_url="http://x/")

    assert result.return_value == "sent"
    assert sent.link in mail.outbox[0].body


def test_without_the_old_secret_key_nothing_is_sent_and_the_coach_is_told(
    coach, settings, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=False):
        sent = invitation_create(coach=coach, email="ivy@example.com", site_url="http://x/")
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-0123456789abcdefghijklmnop"

    result = invitation_email_send.enqueue(invitation_id=sent.invitation.pk, site_url="http://x/")

    assert result.return_value == "skipped"
    assert not mail.outbox
    assert "cannot be made again" in caplog.text
    assert Invitation.objects.get().email_failed_at is not None  # the coach is told to resend
