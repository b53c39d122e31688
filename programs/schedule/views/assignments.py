"""Assigning a block to athletes (with a preview of their calendars first) and pushing
block edits to an athlete's future sessions."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from config.roles import coach_required
from programs.models import Block
from programs.permissions import get_assignment_for_coach, get_block_for_assigning
from programs.schedule import services
from programs.schedule.forms import AssignForm
from programs.schedule.preview import arrange
from programs.schedule.selectors import assign_preview_data
from programs.schedule.services import suggested_weekdays
from programs.units import local_today


def _next_monday(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=7 - today.weekday())


@require_http_methods(["GET", "POST"])
@coach_required
def block_assign(request: HttpRequest, block_id: int) -> HttpResponse:
    block = get_block_for_assigning(request.user, block_id)
    today = local_today(request.user)
    initial = {
        "start": _next_monday(today),
        "weekdays": [str(d) for d in suggested_weekdays(block)],
        "athletes": request.GET.getlist("athlete"),
    }
    form = AssignForm(
        request.POST or None, coach=request.user, today=today, block=block, initial=initial
    )
    context = {"program": block, "form": form, "preview": None, "arranged_from": ""}
    # Without the overlap choice the form still previews: the preview helps make it.
    if request.method == "POST" and form.previewable:
        data = form.cleaned_data
        own_days = data["own_days"]
        try:
            if data["arrange"]:
                own_days = arrange(
                    block=block,
                    athletes=list(data["athletes"]),
                    start=data["start"],
                    weekdays=data["weekdays"],
                    start_time=data["start_time"],
                )
            if own_days:
                context["arranged_from"] = ",".join(map(str, data["weekdays"]))
            if data["confirm"] and form.is_valid():
                return _confirm(request, block, form, own_days)
            context["preview"] = assign_preview_data(
                user=request.user,
                block=block,
                athletes=data["athletes"],
                start=data["start"],
                weekdays=data["weekdays"],
                own_days=own_days,
                start_time=data["start_time"],
                replace_current=data["replace_current"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    template = "programs/block_assign.html"
    if request.htmx and request.method == "POST":
        template += "#assign"
    return render(request, template, context)


def _confirm(
    request: HttpRequest, block: Block, form: AssignForm, own_days: dict[int, list[int]]
) -> HttpResponse:
    data = form.cleaned_data
    assignments = services.assignment_create(
        block=block,
        athletes=list(data["athletes"]),
        start=data["start"],
        weekdays=data["weekdays"],
        weekdays_for=own_days,
        assigned_by=request.user,
        start_time=data["start_time"],
        replace_current=data["replace_current"],
    )
    messages.success(
        request,
        f"Assigned “{block.name}” to {len(assignments)} "
        f"athlete{'s' if len(assignments) != 1 else ''} "
        f"from {date_format(data['start'], 'D j M Y')}.",
    )
    target = reverse("coach_home")
    if len(assignments) == 1:
        target = (
            f"{reverse('schedule:athlete_calendar', args=[assignments[0].athlete_id])}"
            f"?view=month&at={data['start'].isoformat()}"
        )
    # htmx would swap a followed redirect into the form; send the page there.
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)


@require_POST
@coach_required
def assignment_push(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Rewrite an athlete's future, unlogged sessions from the block as it is now."""
    assignment = get_assignment_for_coach(request.user, assignment_id)
    try:
        report = services.assignment_push(
            assignment=assignment, today=local_today(assignment.athlete.user)
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            f"Pushed “{assignment.block_name}”: {report.updated} sessions updated, "
            f"{report.added} added, {report.removed} removed; {report.kept} done, skipped "
            "or past sessions kept as they were.",
        )
    return redirect("coach_athlete", assignment.athlete_id)
