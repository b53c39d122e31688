"""What every piece of background work stores for a page to poll: how far its task got,
and when it was asked and finished (``ActivityImport``, ``GroupSeasonPlan``)."""

import uuid

from django.db import models
from django.utils import timezone

# The status values every job shares; each job has its own choices (their labels name what
# it does while running: "Importing", "Planning").
FINISHED_STATUSES = frozenset({"done", "failed"})


class BackgroundJob(models.Model):
    """A job a background task works through: ``processed`` of ``total`` items, in
    ``attempts`` runs of the task. A subclass adds ``status`` (queued, running, done,
    failed) and the constraint that ``processed`` is at most ``total``, named for its table."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    status: str

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        return round(100 * self.processed / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATUSES
