from django.http import HttpRequest


def roles(request: HttpRequest) -> dict:
    """The signed-in person's roles, for role-aware menus."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_coach": False, "is_athlete": False, "is_curator": False}
    return {"is_coach": user.is_coach, "is_athlete": user.is_athlete, "is_curator": user.is_staff}
