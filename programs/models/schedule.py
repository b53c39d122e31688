"""An athlete's dated copy of a block: assignments, their sessions and prescriptions, and
the 1RMs that % loads resolve from."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models.blocks import Block, Dose, Phase, Session, dose_constraints
from programs.querysets import AssignmentQuerySet, ScheduledSessionQuerySet

WEEKDAYS_VALIDATOR = RegexValidator(r"^[1-7]{1,7}$", _("Pick strength days Monday to Sunday."))


class Assignment(models.Model):
    """A block given to one athlete from a start date on their strength weekdays.

    Assigning copies every session to a date (``ScheduledSession``), so editing or deleting
    the block later never rewrites what the athlete was given; the coach pushes edits to
    the future on purpose (``assignment_push``).
    """

    athlete = models.ForeignKey(
        "athletes.AthleteProfile", on_delete=models.CASCADE, related_name="assignments"
    )
    block = models.ForeignKey(
        Block, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments"
    )
    # The name the athlete was given, which stays readable after a rename or a delete.
    block_name = models.CharField(_("block"), max_length=120)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    start_date = models.DateField(_("start date"))
    # ISO weekdays as sorted digits: "14" is Monday and Thursday.
    weekdays = models.CharField(_("strength days"), max_length=7, validators=[WEEKDAYS_VALIDATOR])
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekdays__regex=r"^[1-7]{1,7}$"), name="assignment_weekdays_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.block_name} from {self.start_date:%d %b %Y}"

    @property
    def weekday_list(self) -> list[int]:
        return [int(d) for d in self.weekdays]


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


class ScheduledSession(models.Model):
    """A strength session on a date of an athlete's calendar, copied from a block."""

    athlete = models.ForeignKey(
        "athletes.AthleteProfile", on_delete=models.CASCADE, related_name="strength_sessions"
    )
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="sessions")
    source = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="scheduled"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("planned time"), null=True, blank=True)
    # Where the assignment put it; differs from ``date`` once someone moved it.
    planned_date = models.DateField(_("planned date"))
    week_number = models.PositiveSmallIntegerField()
    phase = models.CharField(max_length=12, choices=Phase.choices)
    order = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    skip_reason = models.CharField(_("reason"), max_length=200, blank=True)
    # How it went, from the athlete at the end of the session.
    rpe = models.PositiveSmallIntegerField(_("session RPE"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScheduledSessionQuerySet.as_manager()

    class Meta:
        ordering = ["date", "week_number", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SessionStatus.values), name="scheduled_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(skip_reason="") | Q(status=SessionStatus.SKIPPED),
                name="scheduled_reason_only_when_skipped",
            ),
            models.CheckConstraint(
                condition=Q(rpe__isnull=True) | (Q(rpe__gte=1) & Q(rpe__lte=10)),
                name="scheduled_rpe_1_to_10",
            ),
        ]
        indexes = [models.Index(fields=["athlete", "date"])]

    def __str__(self) -> str:
        return f"{self.title or 'Strength'} on {self.date:%a %d %b}"

    @property
    def moved(self) -> bool:
        return self.date != self.planned_date


class ScheduledPrescription(Dose):
    """An athlete's copy of a prescription, on one of their dated sessions."""

    session = models.ForeignKey(
        ScheduledSession, on_delete=models.CASCADE, related_name="prescriptions"
    )
    exercise = models.ForeignKey(
        "library.Exercise", on_delete=models.PROTECT, related_name="scheduled_prescriptions"
    )
    # The athlete swapped the planned exercise for a variant (kept to show the change).
    swapped_from = models.ForeignKey(
        "library.Exercise", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A default in the database too: assignment copies rows with INSERT … SELECT.
    skip_reason = models.CharField(
        _("skipped because"), max_length=200, blank=True, default="", db_default=""
    )

    class Meta(Dose.Meta):
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="scheduled_rx_order_unique"),
            *dose_constraints("scheduled_rx"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} {self.dose_text}"


class OneRepMax(models.Model):
    """The athlete's current one-rep max on an exercise, in kg: % 1RM loads resolve from it."""

    athlete = models.ForeignKey(
        "athletes.AthleteProfile", on_delete=models.CASCADE, related_name="one_rep_maxes"
    )
    exercise = models.ForeignKey(
        "library.Exercise", on_delete=models.PROTECT, related_name="one_rep_maxes"
    )
    kg = models.DecimalField(_("1RM (kg)"), max_digits=6, decimal_places=2)
    tested_on = models.DateField(_("tested on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["exercise__name"]
        constraints = [
            models.UniqueConstraint(fields=["athlete", "exercise"], name="one_rep_max_unique"),
            models.CheckConstraint(
                condition=Q(kg__gt=0) & Q(kg__lte=500), name="one_rep_max_0_to_500_kg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise}: {self.kg.normalize():f} kg"
