"""Who may see what. Strangers get 404 (a page that exists and one that is not yours
look the same); a signed-in user without the role gets 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from athletes.models import AthleteGroup, AthleteProfile, CoachingLink, Invitation, User


def get_athlete_for_coach(coach: User, athlete_id: int) -> AthleteProfile:
    """One of ``coach``'s current athletes, or 404."""
    return get_object_or_404(
        AthleteProfile.objects.coached_by(coach).select_related("user"), pk=athlete_id
    )


def get_self_coached_athlete(user: User) -> AthleteProfile:
    """The user's own athlete profile, when they coach themselves. Anyone else is refused
    (403): the page exists, but it is not for their role."""
    athlete = (
        AthleteProfile.objects.coached_by(user).filter(user=user).select_related("user").first()
    )
    if athlete is None:
        raise PermissionDenied("This page is for runners who coach themselves.")
    return athlete


def get_active_link_for_coach(coach: User, athlete_id: int) -> CoachingLink:
    return get_object_or_404(
        CoachingLink.objects.active().select_related("athlete__user"),
        coach=coach,
        athlete_id=athlete_id,
    )


def get_athlete_for_feed(token: str) -> AthleteProfile:
    """The athlete whose calendar feed ``token`` opens, or 404: a wrong, revoked or empty
    token and a deactivated account look the same."""
    # Empty means "no feed yet" in the model and must never match.
    if not token:
        raise Http404
    return get_object_or_404(
        AthleteProfile.objects.select_related("user"), feed_token=token, user__is_active=True
    )


def get_group_for_coach(coach: User, group_id: int) -> AthleteGroup:
    """One of ``coach``'s groups, or 404."""
    return get_object_or_404(AthleteGroup.objects.filter(coach=coach), pk=group_id)


def get_invitation_for_coach(coach: User, invitation_id: int) -> Invitation:
    """One of the invitations ``coach`` sent, or 404."""
    return get_object_or_404(Invitation.objects.for_coach(coach), pk=invitation_id)
