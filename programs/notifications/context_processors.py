from collections.abc import Callable
from functools import cache, partial

from django.http import HttpRequest

from programs.notifications.selectors import coach_unread_count_cached


def coach_unread(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """The coach's unread count for the navbar's badge: one query a minute at most, made
    only when a page shows the navbar (the template calls it; htmx fragments never do);
    none for anyone who is not a coach."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_coach:
        return {}
    return {"coach_unread": cache(partial(coach_unread_count_cached, coach=user))}
