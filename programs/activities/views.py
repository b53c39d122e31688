"""Activity files in the browser: an athlete uploads their own, a coach an athlete's. One
small file is imported while the browser waits; several, or a zip, go to the background
worker and the page shows their progress (htmx polls it) and then the per-file report."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from athletes.models import AthleteProfile
from athletes.permissions import get_athlete_for_coach
from config.roles import athlete_required, coach_required
from programs.activities.forms import ActivityUploadForm, small_single_file
from programs.activities.services import ActivityReport, activities_import
from programs.activities.tasks import activity_import_queue
from programs.models import ActivityImport
from programs.permissions import get_activity_import_for_user

# A single file up to this size is read in the request (a 2-hour FIT file is ~300 KB).
INLINE_MAX_BYTES = 2 * 1024 * 1024
RECENT_IMPORTS = 5


def _upload(request: HttpRequest, athlete: AthleteProfile) -> HttpResponse:
    posted = request.method == "POST"
    form = ActivityUploadForm(request.POST if posted else None, request.FILES if posted else None)
    report = None
    if posted and form.is_valid():
        uploads = form.uploads()
        assume_run = form.cleaned_data["assume_run"]
        if small_single_file(uploads, limit=INLINE_MAX_BYTES):
            report = activities_import(athlete=athlete, uploads=uploads, assume_run=assume_run)
        else:
            job = activity_import_queue(
                athlete=athlete, uploaded_by=request.user, uploads=uploads, assume_run=assume_run
            )
            return redirect("activities:import", import_id=job.pk)
    imports = ActivityImport.objects.for_athlete(athlete)[:RECENT_IMPORTS]
    return render(
        request,
        "programs/activity_upload.html",
        {"form": form, "report": report, "athlete": athlete, "imports": imports},
    )


@require_http_methods(["GET", "POST"])
@athlete_required
def activity_upload(request: HttpRequest) -> HttpResponse:
    return _upload(request, request.user.athlete_profile)


@require_http_methods(["GET", "POST"])
@coach_required
def athlete_activity_upload(request: HttpRequest, athlete_id: int) -> HttpResponse:
    return _upload(request, get_athlete_for_coach(request.user, athlete_id))


@require_GET
def activity_import(request: HttpRequest, import_id: str) -> HttpResponse:
    job = get_activity_import_for_user(request.user, import_id)
    template = "programs/activity_import.html"
    if request.htmx:
        template += "#progress"
    own = job.athlete.user_id == request.user.pk
    context = {
        "job": job,
        "athlete": job.athlete,
        "report": ActivityReport.from_stored(job.report) if job.finished else None,
        "upload_url": reverse("activities:upload")
        if own
        else reverse("activities:athlete_upload", args=[job.athlete_id]),
    }
    return render(request, template, context)
