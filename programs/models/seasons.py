"""A group's seasons planned in the background: what the coach asked for, and how far the
task got, for a page to poll (programs.seasons.tasks)."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from athletes.models import AthleteProfile
from programs.models.jobs import BackgroundJob

# ISO weekdays as sorted digits, as an assignment's: "14" is Monday and Thursday; empty for
# the planner's defaults.
SEASON_WEEKDAYS_VALIDATOR = RegexValidator(r"^[1-7]{0,7}$", _("Pick days Monday to Sunday."))


class SeasonJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Planning")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class GroupSeasonPlan(BackgroundJob):
    """Every athlete of a group planned (and, with ``apply``, applied) around their own runs
    and races, one after another by ``season_plan_group``. ``report`` holds a line per
    athlete done: {"athlete", "email", "weeks", "sessions", "warnings", "exceptions",
    "applied", "error"}."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_season_plans"
    )
    group = models.ForeignKey(
        "athletes.AthleteGroup", on_delete=models.CASCADE, related_name="season_plans"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    sessions_per_week = models.PositiveSmallIntegerField(_("sessions a week"), default=2)
    weekdays = models.CharField(
        _("strength days"), max_length=7, blank=True, validators=[SEASON_WEEKDAYS_VALIDATOR]
    )
    replace_future = models.BooleanField(_("replace future unlogged sessions"), default=False)
    apply = models.BooleanField(_("apply"), default=False)
    status = models.CharField(
        max_length=8, choices=SeasonJobStatus.choices, default=SeasonJobStatus.QUEUED
    )
    report = models.JSONField(default=list, blank=True)

    class Meta(BackgroundJob.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(processed__lte=F("total")),
                name="group_season_plan_processed_at_most_total",
            ),
            models.CheckConstraint(
                condition=Q(sessions_per_week__in=(2, 3)),
                name="group_season_plan_2_or_3_sessions",
            ),
        ]

    def __str__(self) -> str:
        return f"Seasons of {self.group_id} from {self.start} ({self.get_status_display()})"

    @property
    def weekday_list(self) -> list[int]:
        """The days as the planner counts them: 0 = Monday."""
        return [int(d) - 1 for d in self.weekdays]


class SeasonDraftQuerySet(models.QuerySet):
    def for_coach(self, coach) -> "SeasonDraftQuerySet":
        """The coach's drafts for athletes they still coach."""
        return self.filter(coach=coach, athlete__in=AthleteProfile.objects.coached_by(coach))


class SeasonDraft(models.Model):
    """A planned season a coach reviews and edits before applying it to one athlete: the
    plan as ``programs.seasons.edits.plan_to_data`` writes it, with what the coach asked
    for. One per coach and athlete: planning again replaces it; applying deletes it."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="season_drafts"
    )
    athlete = models.ForeignKey(
        "athletes.AthleteProfile", on_delete=models.CASCADE, related_name="season_drafts"
    )
    sessions_per_week = models.PositiveSmallIntegerField(_("sessions a week"), default=2)
    weekdays = models.CharField(
        _("strength days"), max_length=7, blank=True, validators=[SEASON_WEEKDAYS_VALIDATOR]
    )
    replace_future = models.BooleanField(_("replace future unlogged sessions"), default=False)
    plan = models.JSONField()
    edits = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = SeasonDraftQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["coach", "athlete"], name="season_draft_one_per_coach_and_athlete"
            ),
            models.CheckConstraint(
                condition=Q(sessions_per_week__in=(2, 3)), name="season_draft_2_or_3_sessions"
            ),
        ]

    def __str__(self) -> str:
        return f"Season draft of {self.athlete_id} by {self.coach_id}"

    @property
    def weekday_list(self) -> list[int]:
        """The days as the planner counts them: 0 = Monday."""
        return [int(d) - 1 for d in self.weekdays]
