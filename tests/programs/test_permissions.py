"""The access helpers, called directly: the owner gets the object, a stranger a 404, a
read-only viewer a 403."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from athletes.models import AthleteGroup, Invitation
from athletes.permissions import (
    get_athlete_for_feed,
    get_group_for_coach,
    get_invitation_for_coach,
)
from library.permissions import get_exercise_for_user
from programs import permissions
from programs.models import Block, Flag, Run, ScheduledSession
from programs.schedule import services
from tests.factories import ExerciseFactory, make_block

MONDAY = datetime.date(2026, 11, 2)


def plan(coach, user):
    """A one-session block of ``coach``'s assigned to ``user``, a run and a flag."""
    profile = user.athlete_profile
    block = make_block(coach, [ExerciseFactory()], weeks=1, sessions=1)
    [assignment] = services.assignment_create(
        block=block, athletes=[profile], start=MONDAY, weekdays=[1], assigned_by=coach
    )
    session = ScheduledSession.objects.get(athlete=profile)
    return {
        "block": block,
        "assignment": assignment,
        "session": session,
        "prescription": session.prescriptions.get(),
        "run": Run.objects.create(athlete=profile, date=MONDAY, run_type="easy", distance_m=5000),
        "flag": Flag.objects.create(
            athlete=profile,
            code="HEAVY_BEFORE_LONG_RUN",
            severity="warning",
            date=MONDAY,
            message="Heavy legs before the long run",
            fingerprint=uuid.uuid4().hex,
        ),
    }


@pytest.fixture
def ours(coach, athlete):
    return plan(coach, athlete)


@pytest.fixture
def theirs(other_coach, other_athlete):
    return plan(other_coach, other_athlete)


ATHLETE_HELPERS = [
    (permissions.get_scheduled_session_for_athlete, "session"),
    (permissions.get_scheduled_prescription_for_athlete, "prescription"),
    (permissions.get_run_for_athlete, "run"),
]
COACH_HELPERS = [
    (permissions.get_scheduled_session_for_coach, "session"),
    (permissions.get_flag_for_coach, "flag"),
    (permissions.get_assignment_for_coach, "assignment"),
    (permissions.get_block_for_assigning, "block"),
]
USER_HELPERS = [
    (permissions.get_scheduled_session_for_user, "session"),
    (permissions.get_run_for_user, "run"),
    (permissions.get_flag_for_user, "flag"),
]


@pytest.mark.parametrize(("helper", "key"), ATHLETE_HELPERS)
def test_athlete_helpers(helper, key, athlete, ours, theirs):
    assert helper(athlete, ours[key].pk) == ours[key]
    with pytest.raises(Http404):
        helper(athlete, theirs[key].pk)


@pytest.mark.parametrize(("helper", "key"), ATHLETE_HELPERS)
def test_athlete_helpers_are_not_the_coachs(helper, key, coach, ours):
    with pytest.raises(Http404):
        helper(coach, ours[key].pk)


@pytest.mark.parametrize(("helper", "key"), COACH_HELPERS)
def test_coach_helpers(helper, key, coach, ours, theirs):
    assert helper(coach, ours[key].pk) == ours[key]
    with pytest.raises(Http404):
        helper(coach, theirs[key].pk)


@pytest.mark.parametrize(
    ("helper", "key"), [h for h in COACH_HELPERS if h[0] is not permissions.get_block_for_assigning]
)
def test_coach_helpers_are_not_the_athletes(helper, key, athlete, ours):
    with pytest.raises(Http404):
        helper(athlete, ours[key].pk)


@pytest.mark.parametrize(("helper", "key"), USER_HELPERS)
def test_user_helpers_serve_athlete_and_coach(helper, key, coach, athlete, ours, theirs):
    assert helper(athlete, ours[key].pk) == ours[key]
    assert helper(coach, ours[key].pk) == ours[key]
    with pytest.raises(Http404):
        helper(coach, theirs[key].pk)
    with pytest.raises(Http404):
        helper(athlete, theirs[key].pk)


def test_assignment_of_a_block_the_coach_does_not_own_is_not_theirs(coach, other_coach, athlete):
    """The coach's athlete, another coach's block: nobody here may push it."""
    other = plan(other_coach, athlete)
    with pytest.raises(Http404):
        permissions.get_assignment_for_coach(coach, other["assignment"].pk)


def test_shared_template_is_assignable_but_read_only(coach, other_coach):
    template = make_block(other_coach, [ExerciseFactory()], weeks=1, sessions=1)
    Block.objects.filter(pk=template.pk).update(is_template=True, is_shared=True)
    assert permissions.get_block_for_assigning(coach, template.pk) == template
    with pytest.raises(PermissionDenied):
        permissions.get_block_for_editing(coach, template.pk)


def test_feed_token(athlete):
    profile = athlete.athlete_profile
    profile.feed_token = "secret-token"
    profile.save()
    assert get_athlete_for_feed("secret-token") == profile
    for token in ("", "wrong-token"):
        with pytest.raises(Http404):
            get_athlete_for_feed(token)
    athlete.is_active = False
    athlete.save()
    with pytest.raises(Http404):
        get_athlete_for_feed("secret-token")


def test_group(coach, other_coach):
    group = AthleteGroup.objects.create(coach=coach, name="Squad")
    assert get_group_for_coach(coach, group.pk) == group
    with pytest.raises(Http404):
        get_group_for_coach(other_coach, group.pk)


def test_invitation(coach, other_coach):
    invitation = Invitation.objects.create(
        coach=coach,
        email="new@example.com",
        token_hash=uuid.uuid4().hex,
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    assert get_invitation_for_coach(coach, invitation.pk) == invitation
    with pytest.raises(Http404):
        get_invitation_for_coach(other_coach, invitation.pk)


def test_exercise(coach, other_coach, curator):
    draft = ExerciseFactory(name="Coach's own lunge", status="draft", proposed_by=coach)
    assert get_exercise_for_user(coach, draft.slug) == draft
    assert get_exercise_for_user(curator, draft.slug) == draft
    with pytest.raises(Http404):
        get_exercise_for_user(other_coach, draft.slug)
