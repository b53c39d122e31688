"""Activity files (FIT, GPX, TCX) a runner's watch recorded, and the imports that read them.

An ``Activity`` is one file that was read: what it said, kept as the file said it, and the
run on the calendar it became (a planned run done, or a new done run). ``ActivityImport``
is one upload (a file, several, or a zip) read in the background, with its progress and
its per-file report.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models.jobs import BackgroundJob
from programs.querysets import AthleteDataQuerySet


class ActivityFormat(models.TextChoices):
    FIT = "fit", "FIT"
    GPX = "gpx", "GPX"
    TCX = "tcx", "TCX"


class Activity(models.Model):
    athlete = models.ForeignKey(
        "athletes.AthleteProfile", on_delete=models.CASCADE, related_name="activities"
    )
    # The run it became. A run deleted by hand keeps its activity (SET_NULL), so the same
    # file imported again is still known as a duplicate rather than a new run.
    run = models.ForeignKey(
        "programs.Run",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=3, choices=ActivityFormat.choices)
    sport = models.CharField(max_length=40, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    distance_m = models.PositiveIntegerField(null=True, blank=True)
    moving_s = models.PositiveIntegerField(null=True, blank=True)
    elapsed_s = models.PositiveIntegerField(null=True, blank=True)
    elevation_gain_m = models.PositiveIntegerField(null=True, blank=True)
    avg_hr = models.PositiveSmallIntegerField(null=True, blank=True)
    max_hr = models.PositiveSmallIntegerField(null=True, blank=True)
    avg_cadence = models.PositiveSmallIntegerField(null=True, blank=True)
    imported_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AthleteDataQuerySet.as_manager()

    class Meta:
        ordering = ["started_at", "pk"]
        constraints = [
            # The same file twice, or the same recording exported twice (a Garmin and a
            # Strava export of one run), is one activity.
            models.UniqueConstraint(
                fields=["athlete", "sha256"], name="activity_file_once_per_athlete"
            ),
            models.UniqueConstraint(
                fields=["athlete", "started_at"],
                condition=models.Q(started_at__isnull=False),
                name="activity_start_once_per_athlete",
            ),
        ]

    def __str__(self) -> str:
        return self.filename


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ActivityImport(BackgroundJob):
    """One upload, read by a background task. The files wait in ``ActivityUpload`` rows
    (in the database, so any worker machine can read them) and are deleted once read."""

    athlete = models.ForeignKey(
        "athletes.AthleteProfile", on_delete=models.CASCADE, related_name="activity_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assume_run = models.BooleanField(default=False)
    status = models.CharField(
        max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    report = models.JSONField(default=dict, blank=True)

    objects = AthleteDataQuerySet.as_manager()

    class Meta(BackgroundJob.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(processed__lte=models.F("total")),
                name="activity_import_processed_at_most_total",
            )
        ]

    def __str__(self) -> str:
        return f"Import of {self.created_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class ActivityUpload(models.Model):
    """An uploaded file waiting for its import's task."""

    activity_import = models.ForeignKey(
        ActivityImport, on_delete=models.CASCADE, related_name="uploads"
    )
    filename = models.CharField(max_length=255)
    data = models.BinaryField()

    def __str__(self) -> str:
        return self.filename
