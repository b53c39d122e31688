"""The coach's screens: the roster (home), and one athlete's page."""

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from athletes.models import CoachingLink
from athletes.permissions import coach_required, get_athlete_for_coach
from programs.models import Assignment, Flag
from programs.overview import athlete_overview


@require_GET
@coach_required
def coach_athlete_detail(request: HttpRequest, athlete_id: int) -> HttpResponse:
    """Everything about one athlete on one page: flags first, then this week, recent logs
    against the plan, pain, 1RMs, progress and the blocks they are on."""
    athlete = get_athlete_for_coach(request.user, athlete_id)
    coaches = (
        CoachingLink.objects.active()
        .filter(athlete=athlete)
        .select_related("coach")
        .order_by("started_at")
    )
    assignments = (
        Assignment.objects.filter(athlete=athlete)
        .select_related("block")
        .annotate(session_count=Count("sessions"))
    )
    flags = Flag.objects.for_athlete(athlete).by_urgency()
    return render(
        request,
        "programs/coach_athlete_detail.html",
        {
            "athlete": athlete,
            "links": coaches,
            "assignments": assignments,
            "open_flags": [f for f in flags if not f.acknowledged],
            "acknowledged_flags": [f for f in flags if f.acknowledged],
            "back": request.get_full_path(),
            **athlete_overview(athlete, reader=request.user),
        },
    )
