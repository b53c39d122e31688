"""Applying a conflict flag's checked fix, for the coach or the athlete: a schedule write
(move or lighten a session), at /flags/<id>/fix/ beside the inbox."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from config.redirects import next_url
from programs.permissions import get_flag_for_user
from programs.schedule import fixes


@require_POST
def fix(request: HttpRequest, flag_id: int) -> HttpResponse:
    """Apply the flag's checked suggestion; the athlete's flags are recomputed with it."""
    flag = get_flag_for_user(request.user, flag_id)
    default = (
        reverse("schedule:calendar")
        if flag.athlete.user_id == request.user.pk
        else reverse("coach_athlete", args=[flag.athlete_id])
    )
    try:
        fixes.flag_fix(flag=flag)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Done: {flag.fix_text}")
    return redirect(next_url(request, default))
