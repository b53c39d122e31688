"""The background import of an upload of activity files (a zip of hundreds, say).

The task reads the upload's files from the database, imports them one by one (each its
own transaction, ``services.activities_import``) and writes its progress and report on
the ``ActivityImport`` after each file, for the page that polls it. If it fails part-way
(the database gone for a moment), it is tried again later and resumes after the last file
it had finished; after the last attempt the import is marked failed, with the files done
so far kept, and the page says so.
"""

import logging

from django.db import transaction
from django.tasks import TaskContext, task
from django.utils import timezone

from athletes.models import AthleteProfile, User
from config.tasks import retry_later
from programs.activities.archive import entry_count, is_archive
from programs.activities.services import ActivityReport, Upload, activities_import
from programs.models import ActivityImport, ActivityUpload, ImportStatus

logger = logging.getLogger(__name__)


@task(takes_context=True)
def activity_import_run(context: TaskContext, *, import_id: str, attempt: int = 1) -> str:
    job = ActivityImport.objects.select_related("athlete__user").filter(pk=import_id).first()
    if job is None or job.finished:
        return "skipped"
    ActivityImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, attempts=attempt)
    uploads = job.uploads.order_by("pk").values_list("filename", "data")
    start = job.processed
    report = ActivityReport.from_stored(job.report) if start else None

    def progress(done: int, report: ActivityReport) -> None:
        ActivityImport.objects.filter(pk=job.pk).update(
            processed=done, total=max(done, job.total), report=report.to_stored()
        )

    try:
        report = activities_import(
            athlete=job.athlete,
            uploads=((name, bytes(data)) for name, data in uploads.iterator()),
            assume_run=job.assume_run,
            report=report,
            start=start,
            progress=progress,
        )
    except Exception:
        if retry_later(context, attempt=attempt, import_id=import_id) is not None:
            return "retrying"
        logger.exception("Activity import %s failed after %s attempts.", job.pk, attempt)
        ActivityImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, finished_at=timezone.now()
        )
        job.uploads.all().delete()
        raise
    with transaction.atomic():
        # The first count was an estimate (a zip inside the zip is opened only when read).
        count = len(report.files)
        ActivityImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.DONE,
            report=report.to_stored(),
            processed=count,
            total=count,
            finished_at=timezone.now(),
        )
        job.uploads.all().delete()
    return "done"


@transaction.atomic
def activity_import_queue(
    *, athlete: AthleteProfile, uploaded_by: User, uploads: list[Upload], assume_run: bool
) -> ActivityImport:
    """Keep ``uploads`` for the background task and queue it (once this commits)."""
    job = ActivityImport.objects.create(
        athlete=athlete,
        uploaded_by=uploaded_by,
        assume_run=assume_run,
        total=sum(_entry_count(data) for _, data in uploads),
    )
    ActivityUpload.objects.bulk_create(
        ActivityUpload(activity_import=job, filename=name[-255:], data=data)
        for name, data in uploads
    )
    transaction.on_commit(lambda: activity_import_run.enqueue(import_id=str(job.pk)))
    return job


def _entry_count(data: bytes) -> int:
    return entry_count(data) if is_archive(data) else 1
