import sys

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

FAVICON = "img/icon-192.png"


@require_GET
@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to their own home; strangers see what RunStrong is."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "landing.html")
    if user.is_coach and not _coaches_themselves(user):
        return redirect("coach_home")
    if user.is_athlete:
        return redirect("athlete_home")
    if user.is_staff:
        return redirect("admin:index")
    return redirect("account")


def _coaches_themselves(user) -> bool:
    """A runner without a coach, their own coach: their home is Today, the coach's screens
    a menu away. (Through the user's relation: config imports no app.)"""
    return user.is_athlete and user.coaching_links.self_coached().exists()


@require_GET
@login_not_required
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the app can reach its database, 503 when it cannot."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and crawlers ask for whatever the page's <link> says:
    the site's icon (a PNG, which every browser takes under that name), cached a day."""
    path = finders.find(FAVICON)
    if path is None:
        raise Http404
    # FileResponse closes the file once sent.
    response = FileResponse(open(path, "rb"), content_type="image/png")  # noqa: SIM115
    response["Cache-Control"] = "public, max-age=86400"
    return response


# Answered in JSON whatever the Accept header: the phone's fetch sends */*.
JSON_URL_NAMES = ("set_sync",)
RETRY_AFTER_SECONDS = 30


def _database_unreachable(error: BaseException | None) -> bool:
    """An error of the database connection (down, restarting, out of connections), found
    through the chain of causes: not a bug, and trying again shortly can work."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _wants_json(request: HttpRequest) -> bool:
    return (
        request.path_info in {reverse(name) for name in JSON_URL_NAMES}
        or request.get_preferred_type(["text/html", "application/json"]) == "application/json"
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler (``handler500``), also for errors raised in middleware before any
    view, such as the session and user lookups. A database outage answers 503 with
    Retry-After, so that the phone and proxies try again; everything else stays a 500.

    Renders without the request: the context processors would query the database.
    """
    outage = _database_unreachable(sys.exc_info()[1])
    status = 503 if outage else 500
    if _wants_json(request):
        message = (
            "The service is briefly unavailable; try again shortly."
            if outage
            else "Something went wrong on our side."
        )
        response = JsonResponse({"error": message}, status=status)
    else:
        html = loader.get_template("500.html").render({"outage": outage})
        response = HttpResponse(html, status=status)
    if outage:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
