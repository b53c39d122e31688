"""Who may see what. Strangers get 404 (a page that exists and one that is not yours
look the same); a signed-in user without the role gets 403."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from athletes.models import AthleteProfile, CoachingLink, User


def coach_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_coach:
            raise PermissionDenied("This page is for coaches.")
        return view(request, *args, **kwargs)

    return wrapper


def athlete_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_athlete:
            raise PermissionDenied("This page is for athletes.")
        return view(request, *args, **kwargs)

    return wrapper


def get_athlete_for_coach(coach: User, athlete_id: int) -> AthleteProfile:
    """One of ``coach``'s current athletes, or 404."""
    return get_object_or_404(
        AthleteProfile.objects.coached_by(coach).select_related("user"), pk=athlete_id
    )


def get_active_link_for_coach(coach: User, athlete_id: int) -> CoachingLink:
    return get_object_or_404(
        CoachingLink.objects.active().select_related("athlete__user"),
        coach=coach,
        athlete_id=athlete_id,
    )
