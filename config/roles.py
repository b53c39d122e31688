"""The role a page asks for: a signed-in user without it gets 403. Roles are attributes of
the user (``is_coach``, ``is_athlete``), so every app can ask without importing the one
that keeps people (athletes)."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


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
