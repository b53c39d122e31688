"""What the athlete did: sets as logged on the phone, how the session went, pain they
felt, and the coach's comments on it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models.schedule import ScheduledPrescription, ScheduledSession

MAX_REPS = 100
MAX_LOAD_KG = 500


class SetLog(models.Model):
    """One set as the athlete did it.

    The id is made on the phone when the set is tapped, so a set sent twice (a double
    tap, a retry after lost signal, a queue replayed after a restart) is stored once.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    athlete = models.ForeignKey(
        "athletes.AthleteProfile", on_delete=models.CASCADE, related_name="set_logs"
    )
    # History is kept: a session or exercise with logs cannot be deleted from under them.
    session = models.ForeignKey(ScheduledSession, on_delete=models.PROTECT, related_name="set_logs")
    prescription = models.ForeignKey(
        ScheduledPrescription,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="set_logs",
    )
    exercise = models.ForeignKey(
        "library.Exercise", on_delete=models.PROTECT, related_name="set_logs"
    )
    set_number = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    load_kg = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    rpe = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    duration_s = models.PositiveIntegerField(null=True, blank=True)
    performed_on = models.DateField()
    logged_at = models.DateTimeField(help_text=_("When the athlete tapped it (phone clock)."))
    received_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["performed_on", "session_id", "exercise_id", "set_number", "logged_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(set_number__gte=1) & Q(set_number__lte=50),
                name="set_log_number_1_to_50",
            ),
            models.CheckConstraint(
                condition=Q(reps__isnull=True) | Q(reps__lte=MAX_REPS), name="set_log_reps_0_to_100"
            ),
            models.CheckConstraint(
                condition=Q(load_kg__isnull=True)
                | (Q(load_kg__gte=0) & Q(load_kg__lte=MAX_LOAD_KG)),
                name="set_log_load_0_to_500_kg",
            ),
            models.CheckConstraint(
                condition=Q(rpe__isnull=True) | (Q(rpe__gte=1) & Q(rpe__lte=10)),
                name="set_log_rpe_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(reps__isnull=False) | Q(duration_s__isnull=False),
                name="set_log_reps_or_time",
            ),
        ]
        indexes = [
            models.Index(fields=["athlete", "exercise", "performed_on"]),
            models.Index(fields=["session", "set_number"]),
        ]

    def __str__(self) -> str:
        return f"{self.exercise_id} set {self.set_number} on {self.performed_on}"


class BodyArea(models.TextChoices):
    FOOT = "foot", _("Foot")
    ANKLE = "ankle", _("Ankle")
    ACHILLES = "achilles", _("Achilles")
    CALF = "calf", _("Calf")
    SHIN = "shin", _("Shin")
    KNEE = "knee", _("Knee")
    HAMSTRING = "hamstring", _("Hamstring")
    QUAD = "quad", _("Quad")
    HIP = "hip", _("Hip")
    GLUTE = "glute", _("Glute")
    LOWER_BACK = "lower_back", _("Lower back")
    OTHER = "other", _("Other")


class PainNote(models.Model):
    """Pain the athlete reported, 0 (none) to 10 (worst), for the coach to see."""

    athlete = models.ForeignKey(
        "athletes.AthleteProfile", on_delete=models.CASCADE, related_name="pain_notes"
    )
    session = models.ForeignKey(
        ScheduledSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pain_notes",
    )
    date = models.DateField()
    area = models.CharField(_("where"), max_length=12, choices=BodyArea.choices)
    score = models.PositiveSmallIntegerField(_("how bad (0–10)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=10), name="pain_score_0_to_10"),
        ]
        indexes = [models.Index(fields=["athlete", "date"])]

    def __str__(self) -> str:
        return f"{self.get_area_display()} {self.score}/10 on {self.date}"


class SessionComment(models.Model):
    """A coach's comment on a session, which the athlete sees with it."""

    session = models.ForeignKey(ScheduledSession, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.session}"
