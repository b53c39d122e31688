"""The e-mail task: tried again while the mail server is down, then recorded as failed;
and the command's own input."""

import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command

from config.tasks import DEFAULT_BACKOFF
from programs.models import NotificationLog
from tests.mail import DownMailBackend
from tests.programs.notifications.conftest import opt_in, plan


class FlakyMailBackend(BaseEmailBackend):
    """A connection dropped on the first try, delivered (to the outbox) after."""

    calls = 0

    def send_messages(self, email_messages):
        FlakyMailBackend.calls += 1
        if FlakyMailBackend.calls == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        mail.outbox.extend(email_messages)
        return len(email_messages)


def test_mail_down_is_tried_again_then_recorded_as_failed(
    athlete, mail_down, finished, send, caplog
):
    plan(athlete, "Goblet squat")
    opt_in(athlete, evening_before=True)

    with caplog.at_level(logging.WARNING, logger="programs.notifications.tasks"):
        send("2026-12-07T18:30+00:00")

    assert DownMailBackend.tries == DEFAULT_BACKOFF.attempts
    assert sorted(r.kwargs.get("attempt", 1) for r in finished) == list(
        range(1, DEFAULT_BACKOFF.attempts + 1)
    )
    last = next(r for r in finished if r.kwargs.get("attempt") == DEFAULT_BACKOFF.attempts)
    assert last.status == "FAILED"
    assert last.errors[0].exception_class is smtplib.SMTPConnectError
    log = NotificationLog.objects.get()
    assert log.failed_at is not None
    assert log.sent_at is None
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "not sent after 5 attempts" in errors[0].getMessage()


def test_a_failed_email_is_not_sent_again_by_the_next_run(athlete, settings, mail_down, send):
    plan(athlete, "Goblet squat")
    opt_in(athlete, evening_before=True)
    send("2026-12-07T18:30+00:00")

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    send("2026-12-07T19:00+00:00")

    assert mail.outbox == []


def test_mail_back_up_on_a_retry_sends_once(athlete, settings, send):
    FlakyMailBackend.calls = 0
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FlakyMailBackend", "OPTIONS": {}}}
    plan(athlete, "Goblet squat")
    opt_in(athlete, evening_before=True)

    send("2026-12-07T18:30+00:00")

    assert len(mail.outbox) == 1
    assert NotificationLog.objects.get().sent_at is not None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "--site-url"),
        ({"site_url": "ftp://x"}, "--site-url"),
        ({"site_url": "http://x/", "now": "yesterday"}, "not a date and time"),
        ({"site_url": "http://x/", "now": "2026-12-07T18:30"}, "UTC offset"),
    ],
)
def test_bad_options_are_clear_errors(db, options, message, monkeypatch):
    monkeypatch.delenv("RUNSTRONG_SITE_URL", raising=False)
    with pytest.raises(CommandError, match=message):
        call_command("send_notifications", **options)


def test_now_option_acts_at_that_moment(athlete, django_capture_on_commit_callbacks):
    plan(athlete, "Goblet squat")
    opt_in(athlete, evening_before=True)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_notifications", site_url="http://x/", now="2026-12-07T18:30+00:00")

    assert [e.subject for e in mail.outbox] == ["Tomorrow: Session A"]
