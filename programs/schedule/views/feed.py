"""The athlete's calendar feed: the public .ics behind a secret URL, and the page where the
athlete finds that URL, creates it, or replaces it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from athletes.permissions import get_athlete_for_feed
from config import pagecache
from config.roles import athlete_required
from programs import caching
from programs.schedule.feed import athlete_feed_rotate, build_feed
from programs.units import local_today

CACHE_SECONDS = 15 * 60


@require_GET
@login_not_required
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed a calendar app fetches, without signing in: the token is the only key.

    A wrong, revoked or empty token and a deactivated account all answer the same bare
    404, so the URL tells a stranger nothing."""
    athlete = get_athlete_for_feed(token)
    # Calendar apps poll it every few minutes; it changes only with the athlete's data.
    key = pagecache.key(
        "feed",
        athlete.pk,
        caching.athlete_version(athlete.pk),
        caching.library_version(),
        local_today(athlete.user),
        athlete.user.time_zone,
        athlete.user.weight_unit,
        athlete.user.distance_unit,
    )
    body = pagecache.get_or_build(key, lambda: build_feed(athlete))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="runstrong.ics"'
    # Private: a shared cache must never keep one athlete's plan.
    response["Cache-Control"] = f"private, max-age={CACHE_SECONDS}"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@athlete_required
def feed_settings(request: HttpRequest) -> HttpResponse:
    token = request.user.athlete_profile.feed_token
    feed_url = request.build_absolute_uri(reverse("feed:ics", args=[token])) if token else ""
    webcal_url = "webcal://" + feed_url.split("://", 1)[1] if feed_url else ""
    return render(
        request, "programs/feed_settings.html", {"feed_url": feed_url, "webcal_url": webcal_url}
    )


@require_POST
@athlete_required
def feed_rotate(request: HttpRequest) -> HttpResponse:
    """Create the feed URL, or replace it: the old one stops working at once."""
    athlete = request.user.athlete_profile
    had_feed = bool(athlete.feed_token)
    athlete_feed_rotate(athlete=athlete)
    if had_feed:
        messages.success(
            request,
            "Your calendar has a new address; the old one no longer works. "
            "Subscribe again with the new one.",
        )
    else:
        messages.success(request, "Your calendar address is ready. Subscribe to it below.")
    return redirect("feed:settings")
