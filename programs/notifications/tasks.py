"""Writing and sending one notification e-mail, in the background.

The task gets a ``NotificationLog``'s id (claimed by ``services.notifications_send``) and the
site's address; the worker reads the data and makes the unsubscribe link when it sends, so
the e-mail says what is true then. A log already sent or skipped is left alone (a task run
twice sends once); one whose person opted out meanwhile, or with nothing to say, is marked
skipped. A mail server that is down is tried again later (``config.tasks.retry_later``);
after the last attempt the log is marked failed and the task fails.
"""

import datetime
import logging
from urllib.parse import urljoin

from django.core.mail import EmailMessage
from django.tasks import TaskContext, task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from config.tasks import retry_later
from programs.models import NotificationKind, NotificationLog, NotificationSettings
from programs.notifications import selectors
from programs.notifications.tokens import unsubscribe_token

logger = logging.getLogger(__name__)

# smtplib.SMTPException is an OSError; so are refused and timed-out connections.
MAIL_ERRORS = (OSError,)


def _digest_window(log: NotificationLog) -> dict:
    """From the previous digest (or a day before this one) to this one's claim."""
    previous = (
        NotificationLog.objects.filter(
            user_id=log.user_id, kind=NotificationKind.COACH_DIGEST, for_date__lt=log.for_date
        )
        .order_by("-for_date")
        .first()
    )
    yesterday = log.for_date - datetime.timedelta(days=1)
    if previous is None:
        return {
            "since": log.created_at - datetime.timedelta(days=1),
            "first": yesterday,
            "last": yesterday,
        }
    return {"since": previous.created_at, "first": previous.for_date, "last": yesterday}


def _content(log: NotificationLog) -> tuple[str, str, dict] | None:
    """(subject, template, context) for the log's e-mail, or None with nothing to say."""
    user = log.user
    if log.kind == NotificationKind.EVENING_BEFORE:
        data = selectors.evening_before_data(user=user, day=log.for_date)
        if data is None:
            return None
        subject = f"Tomorrow: {', '.join(s.title for s in data.sessions)}"
        return subject, "evening_before", {"data": data}
    if log.kind == NotificationKind.WEEKLY_SUMMARY:
        data = selectors.weekly_summary_data(user=user, sunday=log.for_date)
        subject = (
            f"Your week to {data.last:%a} {data.last.day} {data.last:%b}: {len(data.done)} done"
        )
        return subject, "weekly_summary", {"data": data}
    data = selectors.coach_digest_data(coach=user, until=log.created_at, **_digest_window(log))
    if data.empty:
        return None
    subject = (
        f"Your athletes: {len(data.flags)} critical flags, {len(data.missed)} missed "
        f"sessions, {len(data.pains)} pain reports"
    )
    return subject, "coach_digest", {"data": data}


def _message(log: NotificationLog, site_url: str) -> EmailMessage | None:
    content = _content(log)
    if content is None:
        return None
    subject, template, context = content
    token = unsubscribe_token(user=log.user, kind=log.kind)
    unsubscribe = urljoin(site_url, reverse("notifications:unsubscribe", args=[token]))
    context |= {
        "user": log.user,
        "kind_label": NotificationKind(log.kind).label,
        "unsubscribe_url": unsubscribe,
        "settings_url": urljoin(site_url, reverse("notifications:settings")),
        "inbox_url": urljoin(site_url, reverse("notifications:inbox")),
        "site_url": site_url,
    }
    body = render_to_string(f"programs/notifications/email/{template}.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[log.user.email],
        # RFC 8058: mail clients offer their own "unsubscribe" and POST to the link.
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _wanted(log: NotificationLog) -> bool:
    settings = NotificationSettings.objects.filter(user_id=log.user_id).first()
    return log.user.is_active and settings is not None and settings.wants(log.kind)


@task(takes_context=True)
def notification_email_send(
    context: TaskContext, *, log_id: int, site_url: str, attempt: int = 1
) -> str:
    """Send the e-mail a ``NotificationLog`` stands for, once."""
    log = NotificationLog.objects.select_related("user").filter(pk=log_id).first()
    if log is None or log.sent_at or log.skipped_at or log.failed_at:
        return "skipped"
    message = _message(log, site_url) if _wanted(log) else None
    if message is None:
        NotificationLog.objects.filter(pk=log.pk).update(skipped_at=timezone.now())
        return "skipped"
    try:
        message.send()
    except MAIL_ERRORS:
        if retry_later(context, attempt=attempt, log_id=log_id, site_url=site_url) is not None:
            return "retrying"
        NotificationLog.objects.filter(pk=log.pk).update(failed_at=timezone.now())
        logger.error(
            "Notification %s (%s to user %s): not sent after %s attempts.",
            log.pk,
            log.kind,
            log.user_id,
            attempt,
        )
        raise
    NotificationLog.objects.filter(pk=log.pk).update(sent_at=timezone.now())
    return "sent"
