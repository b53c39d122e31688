"""A coach's daily digest: new critical flags, missed sessions and pain reports across
their own athletes since the last digest; once a day, only when asked for."""

import datetime
import uuid

import pytest
import time_machine
from django.core import mail

from programs.models import Flag, NotificationLog, PainNote
from tests.programs.notifications.conftest import at, opt_in, plan

MONDAY = datetime.date(2026, 12, 7)
TUESDAY_MORNING = "2026-12-08T07:30+00:00"


def critical_flag(user, message: str, *, created: str) -> Flag:
    with time_machine.travel(at(created), tick=False):
        return Flag.objects.create(
            athlete=user.athlete_profile,
            code="HEAVY_BEFORE_LONG_RUN",
            severity="critical",
            date=MONDAY + datetime.timedelta(days=4),
            message=message,
            fingerprint=uuid.uuid4().hex,
        )


def pain(user, note: str, *, created: str) -> PainNote:
    with time_machine.travel(at(created), tick=False):
        return PainNote.objects.create(
            athlete=user.athlete_profile, date=MONDAY, area="knee", score=6, note=note
        )


@pytest.fixture
def busy_monday(athlete, other_athlete):
    """Ana (the coach's) and Oscar (another coach's) each miss Monday's session, raise a
    critical flag and report pain on Monday evening."""
    plan(athlete, "Goblet squat", weekdays=(1,), title="Ana's legs")
    plan(other_athlete, "Nordic curl", weekdays=(1,), title="Oscar's legs")
    critical_flag(athlete, "Ana squats heavy before the long run", created="2026-12-07T20:00+00:00")
    critical_flag(other_athlete, "Oscar heavy too", created="2026-12-07T20:00+00:00")
    pain(athlete, "Ana's knee twinges", created="2026-12-07T21:00+00:00")
    pain(other_athlete, "Oscar's knee", created="2026-12-07T21:00+00:00")


def test_a_coach_who_did_not_opt_in_gets_nothing(coach, busy_monday, send):
    send(TUESDAY_MORNING)

    assert mail.outbox == []


def test_one_digest_of_the_coachs_own_athletes_then_none(coach, other_coach, busy_monday, send):
    opt_in(coach, coach_digest=True)

    send("2026-12-08T06:59+00:00")  # before 07:00: not yet
    send(TUESDAY_MORNING)
    send("2026-12-08T12:00+00:00")

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["casey@example.com"]
    assert "1 critical flags, 1 missed sessions, 1 pain reports" in email.subject
    assert "Ana Athlete, Fri 11 Dec: " in email.body
    assert "Ana squats heavy before the long run" in email.body
    assert "Ana Athlete, Mon 7 Dec: Ana's legs" in email.body
    assert "Knee 6/10: Ana's knee twinges" in email.body
    assert "Oscar" not in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_next_digest_has_only_what_came_after(coach, busy_monday, send):
    opt_in(coach, coach_digest=True)
    send(TUESDAY_MORNING)
    pain(coach.coaching_links.get().athlete.user, "Worse today", created="2026-12-08T12:00+00:00")

    send("2026-12-09T07:30+00:00")

    assert len(mail.outbox) == 2
    second = mail.outbox[1].body
    assert "Worse today" in second
    assert "twinges" not in second
    assert "squats heavy" not in second
    assert "Ana's legs" not in second


def test_a_quiet_day_sends_nothing_and_is_recorded(coach, athlete, send):
    opt_in(coach, coach_digest=True)

    send(TUESDAY_MORNING)
    send(TUESDAY_MORNING)

    assert mail.outbox == []
    log = NotificationLog.objects.get()
    assert log.skipped_at is not None
    assert log.sent_at is None


def test_acknowledged_or_warning_flags_are_not_news(coach, athlete, send):
    flag = critical_flag(athlete, "Seen already", created="2026-12-07T20:00+00:00")
    Flag.objects.filter(pk=flag.pk).update(acknowledged_at=flag.created_at)
    warning = critical_flag(athlete, "Only a warning", created="2026-12-07T20:00+00:00")
    Flag.objects.filter(pk=warning.pk).update(severity="warning")
    pain(athlete, "Something to send", created="2026-12-07T21:00+00:00")
    opt_in(coach, coach_digest=True)

    send(TUESDAY_MORNING)

    (email,) = mail.outbox
    assert "Seen already" not in email.body
    assert "Only a warning" not in email.body
