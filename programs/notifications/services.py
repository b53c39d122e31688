"""Which e-mails are due, claiming each one once, and turning them off.

``notifications_send`` is what ``manage.py send_notifications`` runs: for everyone who opted
in, it works out in their own time zone what is due now, records a ``NotificationLog`` for
it (unique per person, kind and date: a second run finds it and sends nothing) and
enqueues one task per new log. The task (``tasks.notification_email_send``) writes and sends
the e-mail.
"""

import datetime
import logging
import zoneinfo
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from athletes.models import User
from programs.models import NotificationKind, NotificationLog, NotificationSettings
from programs.notifications import selectors
from programs.notifications.tasks import notification_email_send

logger = logging.getLogger(__name__)

# Local hours from which each e-mail is due: the evening before a strength day, the Sunday
# evening summary, the morning digest.
EVENING_HOUR = 18
WEEKLY_HOUR = 18
DIGEST_HOUR = 7
SUNDAY = 6


@transaction.atomic
def notification_unsubscribe(*, user: User, kind: str) -> NotificationSettings:
    """Turn one kind of e-mail off (already off stays off)."""
    settings, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    if settings.wants(kind):
        setattr(settings, kind, False)
        settings.save(update_fields=[kind, "updated_at"])
    return settings


def coach_notifications_mark_read(*, coach: User) -> NotificationSettings:
    """What came in until now no longer counts as unread."""
    settings, _created = NotificationSettings.objects.update_or_create(
        user=coach, defaults={"coach_seen_at": timezone.now()}
    )
    selectors.unread_count_forget(coach=coach)
    return settings


@dataclass(frozen=True)
class Due:
    user: User
    kind: str
    for_date: datetime.date


def _due_for(settings: NotificationSettings, now: datetime.datetime) -> list[Due]:
    """What is due for one person at ``now``, in their time zone. The evening-before
    e-mail is a candidate here: ``notifications_due`` keeps it for a strength day only."""
    user = settings.user
    local = now.astimezone(zoneinfo.ZoneInfo(user.time_zone))
    due = []
    if user.is_athlete and settings.evening_before and local.hour >= EVENING_HOUR:
        tomorrow = local.date() + datetime.timedelta(days=1)
        due.append(Due(user, NotificationKind.EVENING_BEFORE, tomorrow))
    if (
        user.is_athlete
        and settings.weekly_summary
        and local.weekday() == SUNDAY
        and local.hour >= WEEKLY_HOUR
    ):
        due.append(Due(user, NotificationKind.WEEKLY_SUMMARY, local.date()))
    if user.is_coach and settings.coach_digest and local.hour >= DIGEST_HOUR:
        due.append(Due(user, NotificationKind.COACH_DIGEST, local.date()))
    return due


def notifications_due(*, now: datetime.datetime) -> list[Due]:
    """Every e-mail due at ``now`` for people who opted in, sent or not."""
    opted_in = (
        NotificationSettings.objects.filter(user__is_active=True)
        .exclude(evening_before=False, weekly_summary=False, coach_digest=False)
        .select_related("user__athlete_profile")
        .order_by("pk")
    )
    due = [due for settings in opted_in for due in _due_for(settings, now)]
    # An evening-before e-mail only before a strength day. Each athlete's tomorrow is in
    # their own time zone: one query for all, matched to each athlete's own date.
    evenings = [d for d in due if d.kind == NotificationKind.EVENING_BEFORE]
    strength_days = selectors.planned_session_days(
        users=[d.user for d in evenings], days={d.for_date for d in evenings}
    )
    return [
        d
        for d in due
        if d.kind != NotificationKind.EVENING_BEFORE or (d.user.pk, d.for_date) in strength_days
    ]


def _enqueue(log_id: int, site_url: str) -> None:
    try:
        notification_email_send.enqueue(log_id=log_id, site_url=site_url)
    except Exception:
        # The queue cannot take it (Redis down): give the claim back for the next run.
        logger.exception("Notification %s could not be queued; the next run tries again.", log_id)
        NotificationLog.objects.filter(pk=log_id, sent_at=None).delete()


@dataclass
class SendReport:
    queued: list[NotificationLog] = field(default_factory=list)
    already: int = 0


def notifications_send(*, now: datetime.datetime, site_url: str) -> SendReport:
    """Claim each due e-mail not claimed before and enqueue its task after the claim is
    committed; one already claimed (sent, or on its way) is left alone."""
    report = SendReport()
    for due in notifications_due(now=now):
        with transaction.atomic():
            log, created = NotificationLog.objects.get_or_create(
                user=due.user,
                kind=due.kind,
                for_date=due.for_date,
                defaults={"created_at": now},
            )
            if created:
                transaction.on_commit(lambda pk=log.pk: _enqueue(pk, site_url))
                report.queued.append(log)
            else:
                report.already += 1
    return report
