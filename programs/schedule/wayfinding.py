"""An athlete's own page (their calendar, runs, progress) opened by a coach who is not an
athlete: instead of a bare 403, a page that says where the coach's version is, each
athlete's, with links to them and to the roster. Anyone else without the athlete role
still gets 403."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from athletes.models import AthleteProfile
from config.roles import athlete_required

# The page, the sentence's noun and the URL of one athlete's version of it.
PAGES = {
    "calendar": ("Calendar", "calendar", "schedule:athlete_calendar"),
    "runs": ("Runs", "runs", "runs:athlete_list"),
    "progress": ("Progress", "progress", "progress:athlete"),
}
# A page whose whole-squad version a coach has, beside each athlete's.
SQUAD_PAGES = {"calendar": "schedule:squad"}
# Enough to find someone at a glance; the roster searches and pages the rest.
LISTED = 30


@dataclass(frozen=True)
class AthleteLink:
    name: str
    url: str


def athlete_page(page: str) -> Callable:
    """``athlete_required``, except that a coach is shown the way to their athletes'
    ``page`` (status 200)."""
    title, noun, url_name = PAGES[page]

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        only_athletes = athlete_required(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if user.is_coach and not user.is_athlete:
                return _directions(
                    request, title=title, noun=noun, url_name=url_name, squad=SQUAD_PAGES.get(page)
                )
            return only_athletes(request, *args, **kwargs)

        return wrapper

    return decorator


def _directions(
    request: HttpRequest, *, title: str, noun: str, url_name: str, squad: str | None = None
) -> HttpResponse:
    athletes = (
        AthleteProfile.objects.coached_by(request.user)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    links = [
        AthleteLink(a.user.name or a.user.email, reverse(url_name, args=[a.pk]))
        for a in athletes[: LISTED + 1]
    ]
    return render(
        request,
        "programs/coach_directions.html",
        {
            "title": title,
            "noun": noun,
            "links": links[:LISTED],
            "more": len(links) > LISTED,
            "squad_url": reverse(squad) if squad else "",
        },
    )
