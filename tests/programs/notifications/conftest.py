"""Plans to remind people of, and the command run at a chosen moment."""

import datetime
import uuid

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from programs.models import NotificationSettings, Run, ScheduledSession, SetLog
from programs.schedule.services import assignment_create
from tests.factories import CoachFactory, ExerciseFactory, make_block

SITE = "http://testserver/"
MONDAY = datetime.date(2026, 12, 7)


def at(moment: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(moment)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run ``send_notifications`` at ``moment`` (ISO with offset), the clock frozen there,
    and its tasks (the immediate backend) after the claims commit."""

    def run(moment: str) -> None:
        with (
            time_machine.travel(at(moment), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            call_command("send_notifications", site_url=SITE)

    return run


def opt_in(user, **kinds) -> NotificationSettings:
    settings, _ = NotificationSettings.objects.update_or_create(user=user, defaults=kinds)
    return settings


def plan(user, exercise_name: str, *, weekdays=(2,), weeks: int = 1, title="Session A"):
    """A block of one exercise given to ``user`` from Monday 7 December 2026 on
    ``weekdays``; returns the athlete's sessions in date order."""
    exercise = ExerciseFactory(name=exercise_name)
    block = make_block(
        CoachFactory(), [exercise], weeks=weeks, sessions=len(weekdays), days=list(weekdays)
    )
    with time_machine.travel(at("2026-12-01T12:00+00:00"), tick=False):
        assignment_create(
            block=block,
            athletes=[user.athlete_profile],
            start=MONDAY,
            weekdays=list(weekdays),
            assigned_by=None,
        )
    sessions = list(ScheduledSession.objects.owned_by(user).order_by("date"))
    if title:
        ScheduledSession.objects.filter(pk__in=[s.pk for s in sessions]).update(title=title)
    return sessions


def run_on(user, date: datetime.date, **fields) -> Run:
    return Run.objects.create(athlete=user.athlete_profile, date=date, **fields)


def log_a_set(session: ScheduledSession) -> SetLog:
    rx = session.prescriptions.first()
    return SetLog.objects.create(
        id=uuid.uuid4(),
        athlete=session.athlete,
        session=session,
        prescription=rx,
        exercise=rx.exercise,
        set_number=1,
        reps=10,
        performed_on=session.date,
        logged_at=timezone.now(),
    )
