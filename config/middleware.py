"""Cache-Control for signed-in pages: a page made for one person (their plan, their
athletes, their logs) must never be kept by a shared cache (a proxy, a CDN) and handed to
someone else, and the browser should check before showing it from its own cache.

Only responses to a request that carries a session and whose view said nothing about
caching: the service worker (``no-cache``), the calendar feed (private, 15 minutes), the
admin (``never_cache``) and static files (served before this runs) keep their headers."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PrivateCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not response.has_header("Cache-Control")
            # No session cookie, no user: don't touch the session (that would add
            # "Vary: Cookie" to every anonymous answer).
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            patch_cache_control(response, private=True, no_cache=True)
        return response
