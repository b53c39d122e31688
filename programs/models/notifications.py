"""E-mails a person asked for (an athlete's reminders, a coach's daily digest) and the
record of each one sent, which makes sending them again impossible."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    EVENING_BEFORE = "evening_before", _("The evening before a strength day")
    WEEKLY_SUMMARY = "weekly_summary", _("A weekly summary")
    COACH_DIGEST = "coach_digest", _("A daily digest of your athletes")


class NotificationSettings(models.Model):
    """Which e-mails a person wants (none until they opt in), and when a coach last read
    their notifications (the navbar's count counts what came after)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    evening_before = models.BooleanField(
        _("E-mail me the evening before a strength day"),
        default=False,
        help_text=_("After 18:00 your time: the session and the next day's runs."),
    )
    weekly_summary = models.BooleanField(
        _("E-mail me a weekly summary"),
        default=False,
        help_text=_("Sunday evening: the week's sessions and runs, and next week's plan."),
    )
    coach_digest = models.BooleanField(
        _("E-mail me a daily digest of my athletes"),
        default=False,
        help_text=_(
            "Each morning after 07:00 your time: new critical flags, missed sessions and "
            "pain reports since the last digest."
        ),
    )
    coach_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"Notification settings of {self.user}"

    def wants(self, kind: str) -> bool:
        return bool(getattr(self, kind))


class NotificationLog(models.Model):
    """One e-mail of one kind for one person and one date: claimed before it is sent, so
    the unique constraint stops a second send whoever asks for it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_logs"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    # The strength day the reminder is for, the Sunday a summary ends, the digest's day.
    for_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Nothing to send (no session any more, an empty digest, unsubscribed meanwhile).
    skipped_at = models.DateTimeField(null=True, blank=True, editable=False)
    failed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-for_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "for_date"], name="notification_log_once_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values),
                name="notification_log_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user} on {self.for_date}"
