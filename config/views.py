from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to their own home; strangers see what RunStrong is."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "landing.html")
    if user.is_coach:
        return redirect("coach_home")
    if user.is_athlete:
        return redirect("athlete_home")
    if user.is_staff:
        return redirect("admin:index")
    return redirect("account")


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
