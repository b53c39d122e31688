"""The run calendar: planned and done runs, the other half of what the conflict rules read."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.querysets import RunQuerySet


class RunType(models.TextChoices):
    EASY = "easy", _("Easy")
    RECOVERY = "recovery", _("Recovery")
    LONG = "long", _("Long run")
    TEMPO = "tempo", _("Tempo")
    INTERVALS = "intervals", _("Intervals")
    HILLS = "hills", _("Hills")
    FARTLEK = "fartlek", _("Fartlek")
    RACE = "race", _("Race")
    CROSS_TRAINING = "cross_training", _("Cross-training")
    REST = "rest", _("Rest")


KEY_RUN_TYPES = frozenset(
    {RunType.LONG, RunType.TEMPO, RunType.INTERVALS, RunType.HILLS, RunType.RACE}
)


class RacePriority(models.TextChoices):
    A = "A", _("A race (the goal)")
    B = "B", _("B race")
    C = "C", _("C race (training)")


class RunStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


class RunSource(models.TextChoices):
    MANUAL = "manual", _("Added by hand")
    IMPORT = "import", _("Imported")
    ACTIVITY = "activity", _("From a watch file")


class Run(models.Model):
    """A planned or done run on the athlete's calendar (a local date in their time zone).

    Distances are stored in metres and durations in seconds. An imported run keeps its
    file's id (``external_id``) so re-importing updates it, and a checksum of what was
    imported so a later hand edit is never overwritten silently.
    """

    athlete = models.ForeignKey(
        "athletes.AthleteProfile", on_delete=models.CASCADE, related_name="runs"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    run_type = models.CharField(_("type"), max_length=16, choices=RunType.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    distance_m = models.PositiveIntegerField(_("distance (m)"), null=True, blank=True)
    duration_s = models.PositiveIntegerField(_("duration (s)"), null=True, blank=True)
    # What was run, when it differs from the plan (marked done on the today page).
    actual_distance_m = models.PositiveIntegerField(_("actual distance (m)"), null=True, blank=True)
    actual_duration_s = models.PositiveIntegerField(_("actual time (s)"), null=True, blank=True)
    # From the activity file it was (programs.models.activities): when it really started,
    # its climb and its average heart rate. ``start_time`` stays the planned time.
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    elevation_gain_m = models.PositiveIntegerField(_("climb (m)"), null=True, blank=True)
    avg_hr = models.PositiveSmallIntegerField(_("average heart rate"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    race_priority = models.CharField(
        _("race priority"), max_length=1, choices=RacePriority.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.PLANNED
    )
    source = models.CharField(max_length=8, choices=RunSource.choices, default=RunSource.MANUAL)
    external_id = models.CharField(max_length=255, blank=True)
    imported_checksum = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        # The table kept its name when the model moved here from athletes (migration 0006).
        db_table = "athletes_run"
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["athlete", "external_id"],
                condition=~models.Q(external_id=""),
                name="run_external_id_unique_per_athlete",
            ),
            models.CheckConstraint(
                condition=models.Q(race_priority="") | models.Q(run_type=RunType.RACE),
                name="run_priority_only_for_races",
                violation_error_message=_("Only a race has a priority."),
            ),
            models.CheckConstraint(
                condition=models.Q(distance_m__isnull=True) | models.Q(distance_m__lte=1_000_000),
                name="run_distance_at_most_1000_km",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_s__isnull=True) | models.Q(duration_s__lte=7 * 86400),
                name="run_duration_at_most_a_week",
            ),
        ]
        indexes = [models.Index(fields=["athlete", "date"])]

    def __str__(self) -> str:
        return f"{self.get_run_type_display()} on {self.date:%a %d %b}"

    @property
    def is_key(self) -> bool:
        return self.run_type in KEY_RUN_TYPES
