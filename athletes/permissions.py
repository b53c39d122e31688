"""Who may see what. Strangers get 404 (a page that exists and one that is not yours
look the same); a signed-in user without the role gets 403."""

from django.shortcuts import get_object_or_404

from athletes.models import AthleteProfile, CoachingLink, User


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
