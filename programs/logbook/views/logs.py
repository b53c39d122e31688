"""What athletes logged, for their coach: each session against its prescription, with a
comment the athlete sees; and every log as a CSV download, for the athlete or their coach.

The download streams: rows are written while they are read, so a long history never sits
in memory."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from athletes.models import AthleteProfile
from athletes.permissions import get_athlete_for_coach
from config.csvcells import guard_row
from config.redirects import next_url
from config.roles import athlete_required, coach_required
from programs.logbook import logexport
from programs.logbook.comments import MAX_COMMENT_CHARS, session_comment_add
from programs.permissions import get_scheduled_session_for_coach

PAGE_SIZE = 20


@require_GET
@coach_required
def athlete_logs(request: HttpRequest, athlete_id: int) -> HttpResponse:
    athlete = get_athlete_for_coach(request.user, athlete_id)
    sessions = logexport.with_logs(logexport.logged_sessions(athlete).order_by("-date", "-pk"))
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/athlete_logs.html",
        {
            "athlete": athlete,
            "page": page,
            "reviews": logexport.review_sessions(
                page.object_list, athlete=athlete, unit=request.user.weight_unit
            ),
            "back": request.get_full_path(),
            "max_comment": MAX_COMMENT_CHARS,
        },
    )


@require_POST
@coach_required
def session_comment(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_scheduled_session_for_coach(request.user, session_id)
    default = f"{reverse('logs:athlete', args=[session.athlete_id])}#session-{session.pk}"
    back = next_url(request, default)
    text = request.POST.get("text", "")
    try:
        session_comment_add(session=session, author=request.user, text=text)
    except ValidationError as error:
        problem = error.messages[0]
    else:
        problem = ""
    if request.htmx:
        # Invalid input answers 200 too: htmx swaps no 4xx, and the coach keeps their text.
        return render(
            request,
            "programs/athlete_logs.html#comments",
            {
                "session": session,
                "comments": session.comments.select_related("author"),
                "can_comment": True,
                "back": back,
                "problem": problem,
                "text": text if problem else "",
                "max_comment": MAX_COMMENT_CHARS,
                "notice": "" if problem else "Comment added.",
            },
        )
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, "Comment added.")
    return redirect(back)


class _Echo:
    """A file that hands back what is written to it, so csv.writer makes lines to stream."""

    def write(self, value: str) -> str:
        return value


def _download(athlete: AthleteProfile, unit: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), lineterminator="\n")
    rows = logexport.export_rows(athlete=athlete, unit=unit)
    response = StreamingHttpResponse(
        (writer.writerow(guard_row(row)) for row in rows), content_type="text/csv; charset=utf-8"
    )
    name = slugify(athlete.user.name) or "athlete"
    response["Content-Disposition"] = f'attachment; filename="runstrong-logs-{name}.csv"'
    return response


@require_GET
@athlete_required
def export_mine(request: HttpRequest) -> StreamingHttpResponse:
    return _download(request.user.athlete_profile, request.user.weight_unit)


@require_GET
@coach_required
def export_athlete(request: HttpRequest, athlete_id: int) -> StreamingHttpResponse:
    return _download(get_athlete_for_coach(request.user, athlete_id), request.user.weight_unit)
