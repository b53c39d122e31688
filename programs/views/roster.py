"""The coach's home: the roster. (Being built: see programs/roster.py.)"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from athletes.models import AthleteProfile
from athletes.permissions import coach_required


@require_GET
@coach_required
def roster(request: HttpRequest) -> HttpResponse:
    athletes = (
        AthleteProfile.objects.coached_by(request.user)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    return render(request, "programs/roster.html", {"athletes": athletes})
