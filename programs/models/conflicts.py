"""What the conflict engine needs to keep: each coach's thresholds, and each athlete's
open flags with the coach's acknowledgements."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.conflicts import Code, Severity, Thresholds, titles
from programs.querysets import FlagQuerySet

DEFAULTS = Thresholds()


class ConflictSettings(models.Model):
    """A coach's thresholds for the conflict rules; DOMAIN.md's defaults until changed.

    An athlete with several coaches is checked with the settings of the coach who has
    coached them longest.
    """

    coach = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflict_settings"
    )
    heavy_before_long_days = models.PositiveSmallIntegerField(
        _("no heavy legs within … days before a long run or race"),
        default=DEFAULTS.heavy_before_long_days,
    )
    heavy_before_key_days = models.PositiveSmallIntegerField(
        _("no heavy legs within … days before tempo, intervals or hills"),
        default=DEFAULTS.heavy_before_key_days,
    )
    min_days_between = models.PositiveSmallIntegerField(
        _("days between strength sessions, at least"), default=DEFAULTS.min_days_between
    )
    max_per_week = models.PositiveSmallIntegerField(
        _("strength sessions a week, at most"), default=DEFAULTS.max_per_week
    )
    min_per_week = models.PositiveSmallIntegerField(
        _("strength sessions a week, at least"), default=DEFAULTS.min_per_week
    )
    taper_warning_days = models.PositiveSmallIntegerField(
        _("taper: warn about heavy work within … days of a race"),
        default=DEFAULTS.taper_warning_days,
    )
    taper_critical_days = models.PositiveSmallIntegerField(
        _("taper: critical within … days of a race"), default=DEFAULTS.taper_critical_days
    )
    b_taper_warning_days = models.PositiveSmallIntegerField(
        _("B-race taper: warn about heavy work within … days of a B race"),
        default=DEFAULTS.b_taper_warning_days,
    )
    b_taper_critical_days = models.PositiveSmallIntegerField(
        _("B-race taper: critical within … days of a B race"),
        default=DEFAULTS.b_taper_critical_days,
    )
    spike_ratio = models.DecimalField(
        _("load spike: this week's volume over the 4-week mean, at most"),
        max_digits=3,
        decimal_places=2,
        default=Decimal(str(DEFAULTS.spike_ratio)),
    )
    max_loading_weeks = models.PositiveSmallIntegerField(
        _("loading weeks in a row before a deload, at most"),
        default=DEFAULTS.max_loading_weeks,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("conflict settings")
        verbose_name_plural = _("conflict settings")
        constraints = [
            models.CheckConstraint(condition=Q(spike_ratio__gt=1), name="conflicts_spike_above_1"),
            models.CheckConstraint(
                condition=Q(max_per_week__gte=1) & Q(min_per_week__lte=F("max_per_week")),
                name="conflicts_min_le_max_per_week",
            ),
            models.CheckConstraint(
                condition=Q(taper_critical_days__lte=F("taper_warning_days")),
                name="conflicts_critical_within_warning",
            ),
            models.CheckConstraint(
                condition=Q(b_taper_critical_days__lte=F("b_taper_warning_days")),
                name="conflicts_b_critical_within_warning",
            ),
            models.CheckConstraint(
                condition=Q(max_loading_weeks__gte=1), name="conflicts_loading_weeks_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Conflict settings of {self.coach}"

    def thresholds(self) -> Thresholds:
        return Thresholds(
            heavy_before_long_days=self.heavy_before_long_days,
            heavy_before_key_days=self.heavy_before_key_days,
            min_days_between=self.min_days_between,
            max_per_week=self.max_per_week,
            min_per_week=self.min_per_week,
            taper_warning_days=self.taper_warning_days,
            taper_critical_days=self.taper_critical_days,
            b_taper_warning_days=self.b_taper_warning_days,
            b_taper_critical_days=self.b_taper_critical_days,
            spike_ratio=float(self.spike_ratio),
            max_loading_weeks=self.max_loading_weeks,
        )


class Flag(models.Model):
    """A conflict the engine raised on an athlete's plan, kept until the plan changes.

    ``fingerprint`` is the engine's hash of the situation that raised it: recomputing keeps
    a row (and its acknowledgement) while the fingerprint is raised again, and a changed
    situation is a new, unacknowledged flag.
    """

    athlete = models.ForeignKey(
        "athletes.AthleteProfile", on_delete=models.CASCADE, related_name="flags"
    )
    code = models.CharField(max_length=32, choices=[(c.value, c.value) for c in Code])
    severity = models.CharField(
        max_length=8, choices=[(s.value, s.value.capitalize()) for s in Severity]
    )
    date = models.DateField()
    message = models.TextField()
    # The engine's checked fix: {"kind", "session_id", "to_date", "text", "changes"}.
    suggestion = models.JSONField(null=True, blank=True)
    # Either list may be empty (too close together names no run; a week with no strength
    # session names neither), so both are blank: full_clean refuses an empty list else.
    session_ids = models.JSONField(default=list, blank=True)
    run_ids = models.JSONField(default=list, blank=True)
    fingerprint = models.CharField(max_length=40)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["date", "code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["athlete", "fingerprint"], name="flag_fingerprint_unique_per_athlete"
            ),
            models.CheckConstraint(
                condition=Q(severity__in=[s.value for s in Severity]), name="flag_severity_valid"
            ),
            models.CheckConstraint(
                condition=Q(code__in=[c.value for c in Code]), name="flag_code_valid"
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=False) | Q(note=""),
                name="flag_note_only_when_acknowledged",
            ),
        ]
        indexes = [
            models.Index(fields=["athlete", "date"]),
            models.Index(fields=["acknowledged_at", "severity"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} on {self.date:%a %d %b}"

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def title(self) -> str:
        """What the rule means in plain words; athletes read this, never the code."""
        return titles.title(self.code)

    @property
    def fix_text(self) -> str:
        return (self.suggestion or {}).get("text", "")

    @property
    def can_fix(self) -> bool:
        return (self.suggestion or {}).get("kind") in {"move", "lighten"}
