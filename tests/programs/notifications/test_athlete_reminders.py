"""An athlete's reminders: the evening before a strength day and the weekly summary, sent
by ``send_notifications`` through the task queue, each once, only to those who asked."""

import datetime

import pytest
from django.core import mail

from programs.models import NotificationKind, NotificationLog
from programs.notifications.services import notifications_due
from tests.factories import AthleteFactory
from tests.programs.notifications.conftest import (
    MONDAY,
    SITE,
    at,
    log_a_set,
    opt_in,
    plan,
    run_on,
)

TUESDAY = datetime.date(2026, 12, 8)
# London is on UTC in December.
MONDAY_EVENING = "2026-12-07T18:30+00:00"


class TestEveningBefore:
    def test_nobody_who_did_not_opt_in_gets_anything(self, athlete, other_athlete, send):
        plan(athlete, "Goblet squat")
        plan(other_athlete, "Nordic curl")
        opt_in(other_athlete, evening_before=False, weekly_summary=False)

        send(MONDAY_EVENING)

        assert mail.outbox == []
        assert not NotificationLog.objects.exists()

    def test_one_email_with_the_session_and_the_runs_then_none(self, athlete, send):
        plan(athlete, "Goblet squat")
        run_on(athlete, TUESDAY, run_type="easy", distance_m=8000)
        run_on(athlete, TUESDAY + datetime.timedelta(days=1), run_type="long", distance_m=20000)
        opt_in(athlete, evening_before=True)

        send(MONDAY_EVENING)
        send("2026-12-07T21:00+00:00")

        assert len(mail.outbox) == 1
        email = mail.outbox[0]
        assert email.to == ["ana@example.com"]
        assert email.subject == "Tomorrow: Session A"
        assert "Tuesday 8 December" in email.body
        assert "Goblet squat 3×10" in email.body
        assert "Easy, 8 km" in email.body
        assert "Long run" not in email.body  # Wednesday's, not tomorrow's
        unsubscribe = email.extra_headers["List-Unsubscribe"].strip("<>")
        assert unsubscribe.startswith(f"{SITE}notifications/unsubscribe/")
        assert unsubscribe in email.body
        assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert NotificationLog.objects.get().sent_at is not None

    def test_not_before_six_in_the_evening(self, athlete, send):
        plan(athlete, "Goblet squat")
        opt_in(athlete, evening_before=True)

        send("2026-12-07T17:59+00:00")

        assert mail.outbox == []

    def test_in_the_athletes_own_time_zone(self, athlete, send):
        athlete.time_zone = "America/New_York"
        athlete.save()
        plan(athlete, "Goblet squat")
        opt_in(athlete, evening_before=True)

        send(MONDAY_EVENING)  # 13:30 in New York
        assert mail.outbox == []

        send("2026-12-07T23:30+00:00")  # 18:30 in New York
        assert [e.subject for e in mail.outbox] == ["Tomorrow: Session A"]

    def test_no_strength_session_tomorrow_no_email(self, athlete, send):
        plan(athlete, "Goblet squat", weekdays=(4,))
        run_on(athlete, TUESDAY, run_type="easy", distance_m=8000)
        opt_in(athlete, evening_before=True)

        send(MONDAY_EVENING)

        assert mail.outbox == []

    def test_another_athletes_plan_never_appears(self, athlete, other_athlete, send):
        plan(athlete, "Goblet squat")
        plan(other_athlete, "Nordic curl", title="Oscar's strength")
        run_on(other_athlete, TUESDAY, run_type="tempo", distance_m=10000)
        opt_in(athlete, evening_before=True)
        opt_in(other_athlete, evening_before=True)

        send(MONDAY_EVENING)

        by_person = {e.to[0]: e for e in mail.outbox}
        assert set(by_person) == {"ana@example.com", "oscar@example.com"}
        ana = by_person["ana@example.com"]
        assert "Nordic curl" not in ana.body
        assert "Tempo" not in ana.body
        assert "Oscar" not in ana.body + ana.subject
        assert "Goblet squat" not in by_person["oscar@example.com"].body

    @pytest.mark.parametrize("athletes", [1, 5])
    def test_one_query_for_every_athletes_own_tomorrow(
        self, db, athletes, django_assert_num_queries
    ):
        # 05:00 UTC is 19:00 on Monday on Kiritimati (UTC+14) and 19:00 on Sunday in
        # Honolulu (UTC-10): their tomorrows are Tuesday and Monday.
        def athlete_in(time_zone, name, weekday):
            user = AthleteFactory(time_zone=time_zone, name=name)
            plan(user, f"Squat for {name}", weekdays=(weekday,))
            opt_in(user, evening_before=True)
            return user

        kiritimati = [athlete_in("Pacific/Kiritimati", f"Kit {n}", 2) for n in range(athletes)]
        honolulu = athlete_in("Pacific/Honolulu", "Hana", 1)
        athlete_in("Pacific/Honolulu", "Hal", 2)  # Tuesday is not Hal's tomorrow
        athlete_in("Pacific/Kiritimati", "Kim", 1)  # nor Monday Kim's

        with django_assert_num_queries(2):
            due = notifications_due(now=at("2026-12-07T05:00+00:00"))

        assert [(d.user, d.kind, d.for_date) for d in due] == [
            *((user, NotificationKind.EVENING_BEFORE, TUESDAY) for user in kiritimati),
            (honolulu, NotificationKind.EVENING_BEFORE, MONDAY),
        ]


class TestWeeklySummary:
    SUNDAY_EVENING = "2026-12-13T18:30+00:00"

    def test_last_week_and_next_once(self, athlete, other_athlete, send):
        monday, _wednesday, *_next = plan(athlete, "Goblet squat", weekdays=(1, 3), weeks=2)
        log_a_set(monday)
        run_on(
            athlete,
            datetime.date(2026, 12, 12),
            run_type="long",
            status="done",
            actual_distance_m=21000,
        )
        run_on(athlete, datetime.date(2026, 12, 15), run_type="tempo", distance_m=10000)
        plan(other_athlete, "Nordic curl")
        run_on(other_athlete, datetime.date(2026, 12, 12), run_type="hills", status="done")
        opt_in(athlete, weekly_summary=True)

        send("2026-12-12T18:30+00:00")  # a Saturday: not yet
        assert mail.outbox == []
        send(self.SUNDAY_EVENING)
        send("2026-12-13T22:00+00:00")

        assert len(mail.outbox) == 1
        body = mail.outbox[0].body
        assert mail.outbox[0].subject == "Your week to Sun 13 Dec: 1 done"
        assert "Strength sessions done: 1\n  - Mon 7 Dec: Session A" in body
        assert "Strength sessions missed: 1\n  - Wed 9 Dec: Session A" in body
        assert "Runs done: 1\n  - Sat 12 Dec: Long run, 21 km" in body
        assert "Mon 14 Dec: Session A" in body
        assert "Wed 16 Dec: Session A" in body
        assert "Tue 15 Dec: Tempo, 10 km" in body
        assert "Hills" not in body
        assert "Nordic" not in body
