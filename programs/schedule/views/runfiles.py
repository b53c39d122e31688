"""Run plans as files in the browser: upload an .ics or CSV plan, download the schedule."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from athletes.models import AthleteProfile
from athletes.permissions import get_athlete_for_coach
from config.roles import athlete_required, coach_required
from config.textfiles import TextFileField
from programs.schedule.runfiles import MAX_FILE_BYTES, RunFileError, export_runs_csv, import_runs


class RunPlanUploadForm(forms.Form):
    file = TextFileField(max_bytes=MAX_FILE_BYTES, label=_("Training plan (.ics or .csv)"))
    dry_run = forms.BooleanField(
        label=_("Check only: show what would change, change nothing"), required=False
    )


def _import(request: HttpRequest, athlete: AthleteProfile) -> HttpResponse:
    form = RunPlanUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_runs(
                athlete=athlete,
                data=upload.read(),
                filename=upload.name,
                dry_run=form.cleaned_data["dry_run"],
            )
        except RunFileError as error:
            form.add_error("file", str(error))
    return render(
        request, "programs/run_import.html", {"form": form, "report": report, "athlete": athlete}
    )


def _download(athlete: AthleteProfile) -> HttpResponse:
    response = HttpResponse(export_runs_csv(athlete=athlete), content_type="text/csv")
    name = slugify(athlete.user.name) or "runs"
    response["Content-Disposition"] = f'attachment; filename="{name}-runs.csv"'
    return response


@require_http_methods(["GET", "POST"])
@athlete_required
def run_import(request: HttpRequest) -> HttpResponse:
    return _import(request, request.user.athlete_profile)


@require_http_methods(["GET", "POST"])
@coach_required
def athlete_run_import(request: HttpRequest, athlete_id: int) -> HttpResponse:
    return _import(request, get_athlete_for_coach(request.user, athlete_id))


@require_GET
@athlete_required
def run_export(request: HttpRequest) -> HttpResponse:
    return _download(request.user.athlete_profile)


@require_GET
@coach_required
def athlete_run_export(request: HttpRequest, athlete_id: int) -> HttpResponse:
    return _download(get_athlete_for_coach(request.user, athlete_id))
