import datetime
import json
import uuid
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from programs.conflicts import services as conflict_services
from programs.conflicts.services import conflicts_sync
from programs.logbook import services as logbook_services
from programs.models import ConflictSettings, Flag, Run, ScheduledSession
from programs.schedule import fixes, services
from programs.schedule import runs as run_services
from tests.factories import AthleteFactory, ExerciseFactory, link, make_block

MONDAY = datetime.date(2026, 12, 7)
THURSDAY = MONDAY + datetime.timedelta(days=3)
FRIDAY = MONDAY + datetime.timedelta(days=4)
HEAVY = {"sets": 4, "reps_min": 5, "load_type": "pct_1rm", "load_value": 80}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 2, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def squat(db):
    easier = ExerciseFactory(name="Goblet squat", load_class="light_lower")
    return ExerciseFactory(name="Back squat", load_class="heavy_lower", easier=easier)


@pytest.fixture
def profile(athlete):
    return athlete.athlete_profile


@pytest.fixture
def heavy_plan(coach, profile, squat):
    """Heavy squats on Monday and Thursday for one week."""
    block = make_block(coach, [squat], name="Heavy", weeks=1, sessions=2, dose=HEAVY)
    services.assignment_create(
        block=block, athletes=[profile], start=MONDAY, weekdays=[1, 4], assigned_by=coach
    )
    return block


def long_run(profile, date=FRIDAY, km=30) -> Run:
    return run_services.run_create(
        athlete=profile, date=date, run_type="long", distance_m=km * 1000
    )


class TestAssignmentBounds:
    def test_sessions_carry_their_assignments_first_and_last_day(self, coach, profile, squat):
        # Starts on a Wednesday: three weeks run to the Tuesday 20 days later.
        block = make_block(coach, [squat], weeks=3, sessions=2, dose=HEAVY)
        start = MONDAY + datetime.timedelta(days=2)
        services.assignment_create(
            block=block, athletes=[profile], start=start, weekdays=[1, 4], assigned_by=coach
        )
        block.delete()  # the weeks come from the assignment's own sessions

        (plan,) = conflict_services.load_plans([profile]).values()

        assert len(plan.sessions) == 6
        assert {(s.earliest, s.latest) for s in plan.sessions} == {
            (start, start + datetime.timedelta(days=20))
        }
        assert all(s.earliest <= s.date <= s.latest for s in plan.sessions)


class TestSessionTimes:
    """What the engine reads as a session's time: the planned one, or the local time of its
    first logged set."""

    def test_planned_time_then_the_first_logged_sets(self, coach, athlete, profile, squat):
        athlete.time_zone = "Europe/Paris"  # UTC+1 in December
        athlete.save(update_fields=["time_zone"])
        block = make_block(coach, [squat], name="Evening", weeks=1, sessions=2, dose=HEAVY)
        services.assignment_create(
            block=block,
            athletes=[profile],
            start=MONDAY,
            weekdays=[1, 4],
            assigned_by=coach,
            start_time=datetime.time(18, 0),
        )
        run_services.run_create(
            athlete=profile, date=MONDAY, run_type="tempo", start_time=datetime.time(7, 0)
        )
        thursday = ScheduledSession.objects.get(date=THURSDAY)
        rx = thursday.prescriptions.first()
        with time_machine.travel(datetime.datetime(2026, 12, 10, 20, tzinfo=datetime.UTC)):
            logbook_services.set_logs_record(
                athlete=profile,
                unit="kg",
                items=[
                    {
                        "id": str(uuid.uuid4()),
                        "session": thursday.pk,
                        "prescription": rx.pk,
                        "set": number,
                        "reps": 5,
                        "performed_on": "2026-12-10",
                        "logged_at": logged_at,
                    }
                    # Sent out of order: the first set is the earliest, not the first stored.
                    for number, logged_at in [(2, "2026-12-10T16:40Z"), (1, "2026-12-10T16:35Z")]
                ],
            )

            (plan,) = conflict_services.load_plans([profile]).values()

        times = {s.date: s.start_time for s in plan.sessions}
        assert times == {MONDAY: datetime.time(18, 0), THURSDAY: datetime.time(17, 35)}
        assert [(r.date, r.start_time) for r in plan.runs] == [(MONDAY, datetime.time(7, 0))]


class TestStoredFlags:
    def test_adding_a_long_run_flags_the_heavy_session_before_it(self, profile, heavy_plan):
        assert not Flag.objects.filter(code="HEAVY_BEFORE_LONG_RUN").exists()
        long_run(profile)
        flag = Flag.objects.get(code="HEAVY_BEFORE_LONG_RUN")
        assert (flag.severity, flag.date) == ("critical", THURSDAY)
        assert "Back squat 4×5 @ 80%" in flag.message
        assert "Thu 10 Dec" in flag.message
        assert "Fri 11 Dec" in flag.message
        assert flag.suggestion["kind"] == "move"

    def test_deleting_the_run_clears_it(self, profile, heavy_plan):
        run = long_run(profile)
        run_services.run_delete(run=run)
        assert not Flag.objects.filter(code="HEAVY_BEFORE_LONG_RUN").exists()

    def test_recomputing_is_idempotent(self, profile, heavy_plan):
        long_run(profile)
        before = list(Flag.objects.order_by("pk").values())
        report = conflicts_sync(athletes=[profile])
        assert (report.created, report.updated, report.removed) == (0, 0, 0)
        assert list(Flag.objects.order_by("pk").values()) == before

    def test_an_acknowledgement_lasts_while_the_situation_does(self, coach, profile, heavy_plan):
        run = long_run(profile)
        flag = Flag.objects.get(code="HEAVY_BEFORE_LONG_RUN")
        conflict_services.flag_acknowledge(flag=flag, user=coach, note="Race rehearsal")
        conflicts_sync(athletes=[profile])
        flag.refresh_from_db()
        assert flag.acknowledged
        assert flag.note == "Race rehearsal"
        run_services.run_update(run=run, data={"distance_m": 34000})
        fresh = Flag.objects.get(code="HEAVY_BEFORE_LONG_RUN")
        assert not fresh.acknowledged
        assert "34 km" in fresh.message

    def test_moving_the_session_away_clears_the_flag(self, profile, heavy_plan):
        long_run(profile)
        session = ScheduledSession.objects.get(date=THURSDAY)
        services.scheduled_session_move(session=session, date=MONDAY + datetime.timedelta(days=2))
        assert not Flag.objects.filter(code="HEAVY_BEFORE_LONG_RUN").exists()

    def test_stricter_thresholds_recheck_every_athlete(self, coach, profile, heavy_plan):
        assert not Flag.objects.filter(code="STRENGTH_DAYS_TOO_CLOSE").exists()
        settings = ConflictSettings(coach=coach, min_days_between=4)
        conflict_services.conflict_settings_save(settings=settings)
        assert Flag.objects.filter(code="STRENGTH_DAYS_TOO_CLOSE").exists()


class TestFix:
    def test_applying_a_move_removes_the_flag(self, athlete_client, profile, heavy_plan):
        long_run(profile)
        flag = Flag.objects.get(code="HEAVY_BEFORE_LONG_RUN")
        target = datetime.date.fromisoformat(flag.suggestion["to_date"])
        response = athlete_client.post(reverse("flags:fix", args=[flag.pk]), {"next": "/athlete/"})
        assert response.status_code == 302
        assert response.url == "/athlete/"
        assert ScheduledSession.objects.filter(date=target).exists()
        assert not Flag.objects.filter(code="HEAVY_BEFORE_LONG_RUN").exists()
        assert not Flag.objects.filter(severity__in=["critical", "warning"]).exists()

    def test_when_no_day_works_the_session_is_lightened(self, profile, coach_client, heavy_plan):
        # A long run every day but Thursday: there is no day to move Thursday's squats to.
        for offset in range(-7, 14):
            day = THURSDAY + datetime.timedelta(days=offset)
            if day != THURSDAY:
                Run.objects.create(athlete=profile, date=day, run_type="long", distance_m=20000)
        conflicts_sync(athletes=[profile])
        flag = Flag.objects.filter(code="HEAVY_BEFORE_LONG_RUN", date=THURSDAY).get()
        assert flag.suggestion["kind"] == "lighten", flag.suggestion
        coach_client.post(reverse("flags:fix", args=[flag.pk]))
        thursday = ScheduledSession.objects.get(date=THURSDAY)
        names = set(thursday.prescriptions.values_list("exercise__name", flat=True))
        assert names == {"Goblet squat"}
        assert not Flag.objects.filter(code="HEAVY_BEFORE_LONG_RUN", date=THURSDAY).exists()

    def test_a_stranger_gets_404(self, client, other_athlete, profile, heavy_plan):
        long_run(profile)
        flag = Flag.objects.get(code="HEAVY_BEFORE_LONG_RUN")
        client.force_login(other_athlete)
        assert client.post(reverse("flags:fix", args=[flag.pk])).status_code == 404
        assert Flag.objects.filter(pk=flag.pk).exists()

    def test_get_is_not_allowed(self, athlete_client, profile, heavy_plan):
        long_run(profile)
        flag = Flag.objects.get(code="HEAVY_BEFORE_LONG_RUN")
        assert athlete_client.get(reverse("flags:fix", args=[flag.pk])).status_code == 405

    def test_an_outside_next_is_ignored(self, athlete_client, profile, heavy_plan):
        long_run(profile)
        flag = Flag.objects.get(code="HEAVY_BEFORE_LONG_RUN")
        response = athlete_client.post(
            reverse("flags:fix", args=[flag.pk]), {"next": "https://evil.example/"}
        )
        assert response.url == reverse("schedule:calendar")


class TestInbox:
    def test_one_form_per_flag_acknowledges_or_applies_the_fix(
        self, coach_client, profile, heavy_plan
    ):
        long_run(profile)
        flag = Flag.objects.get(code="HEAVY_BEFORE_LONG_RUN")
        assert flag.can_fix
        back = f"{reverse('flags:inbox')}?severity=critical"

        html = coach_client.get(back).content.decode()

        row = html[html.index(f'id="flag-{flag.pk}"') :]
        row = row[: row.index("</li>")]
        assert row.count("<form ") == 1
        assert f'action="{reverse("flags:acknowledge", args=[flag.pk])}"' in row
        assert f'formaction="{reverse("flags:fix", args=[flag.pk])}"' in row
        assert 'name="csrfmiddlewaretoken"' in row
        assert 'name="next" value="/flags/?severity=critical"' in row
        assert f'href="{reverse("coach_athlete", args=[profile.pk])}"' in row
        # Enter in the note acknowledges: Acknowledge is the form's first button.
        assert row.index(">Acknowledge<") < row.index("Apply fix")

    def test_an_acknowledged_flag_offers_reopen_only(
        self, coach, coach_client, profile, heavy_plan
    ):
        long_run(profile)
        flag = Flag.objects.get(code="HEAVY_BEFORE_LONG_RUN")
        conflict_services.flag_acknowledge(flag=flag, user=coach, note="Planned")

        html = coach_client.get(reverse("flags:inbox"), {"acknowledged": "1"}).content.decode()

        row = html[html.index(f'id="flag-{flag.pk}"') :]
        row = row[: row.index("</li>")]
        assert f'action="{reverse("flags:reopen", args=[flag.pk])}"' in row
        assert "Acknowledged 2 Dec: Planned" in row
        assert "Apply fix" not in row
        assert 'name="note"' not in row

    def test_critical_first_across_athletes(self, coach, coach_client, profile, heavy_plan, squat):
        second = AthleteFactory(name="Zed")
        link(coach, second)
        services.assignment_create(
            block=heavy_plan,
            athletes=[second.athlete_profile],
            start=MONDAY,
            weekdays=[1, 2],
            assigned_by=coach,
        )
        long_run(profile)
        html = coach_client.get(reverse("flags:inbox")).content.decode()
        assert html.index("HEAVY_BEFORE_LONG_RUN") < html.index("STRENGTH_DAYS_TOO_CLOSE")
        assert "Ana Athlete" in html
        assert "Zed" in html

    def test_another_coachs_athletes_are_not_there(self, client, other_coach, profile, heavy_plan):
        long_run(profile)
        client.force_login(other_coach)
        html = client.get(reverse("flags:inbox")).content.decode()
        assert "HEAVY_BEFORE_LONG_RUN" not in html

    def test_fixed_queries(self, coach, coach_client, squat, django_assert_max_num_queries):
        def athlete_with_flags():
            user = AthleteFactory()
            link(coach, user)
            block = make_block(coach, [squat], name=f"B{user.pk}", weeks=1, sessions=2, dose=HEAVY)
            services.assignment_create(
                block=block,
                athletes=[user.athlete_profile],
                start=MONDAY,
                weekdays=[1, 2],
                assigned_by=coach,
            )

        athlete_with_flags()
        with django_assert_max_num_queries(12) as few:
            coach_client.get(reverse("flags:inbox"))
        for _ in range(6):
            athlete_with_flags()
        assert Flag.objects.count() >= 7
        with django_assert_max_num_queries(len(few)):
            coach_client.get(reverse("flags:inbox"))

    def test_athletes_are_refused(self, athlete_client):
        assert athlete_client.get(reverse("flags:inbox")).status_code == 403

    def test_anonymous_goes_to_sign_in(self, client):
        assert client.get(reverse("flags:inbox")).status_code == 302


class TestAcknowledge:
    def test_with_a_note_then_reopen(self, coach_client, profile, heavy_plan):
        long_run(profile)
        flag = Flag.objects.get(code="HEAVY_BEFORE_LONG_RUN")
        url = reverse("flags:acknowledge", args=[flag.pk])
        response = coach_client.post(url, {"note": "Planned race-pace practice"}, follow=True)
        assert "Acknowledged HEAVY_BEFORE_LONG_RUN" in response.content.decode()
        flag.refresh_from_db()
        assert flag.acknowledged
        assert flag.note == "Planned race-pace practice"
        coach_client.post(reverse("flags:reopen", args=[flag.pk]))
        flag.refresh_from_db()
        assert not flag.acknowledged
        assert flag.note == ""

    def test_a_flag_about_no_run(self, coach, coach_client, profile, squat):
        block = make_block(coach, [squat], name="Back to back", weeks=1, sessions=2, dose=HEAVY)
        services.assignment_create(
            block=block, athletes=[profile], start=MONDAY, weekdays=[1, 2], assigned_by=coach
        )
        flag = Flag.objects.get(code="STRENGTH_DAYS_TOO_CLOSE")
        assert flag.run_ids == []

        response = coach_client.post(
            reverse("flags:acknowledge", args=[flag.pk]), {"note": "Travel week"}
        )

        assert response.status_code == 302
        flag.refresh_from_db()
        assert flag.acknowledged
        assert flag.note == "Travel week"

    def test_athletes_cannot_acknowledge(self, athlete_client, profile, heavy_plan):
        long_run(profile)
        flag = Flag.objects.get(code="HEAVY_BEFORE_LONG_RUN")
        response = athlete_client.post(reverse("flags:acknowledge", args=[flag.pk]))
        assert response.status_code == 403

    def test_another_coach_gets_404(self, client, other_coach, profile, heavy_plan):
        long_run(profile)
        flag = Flag.objects.get(code="HEAVY_BEFORE_LONG_RUN")
        client.force_login(other_coach)
        assert client.post(reverse("flags:acknowledge", args=[flag.pk])).status_code == 404


class TestWhereFlagsShow:
    def test_athlete_calendar_and_home(self, athlete_client, profile, heavy_plan):
        long_run(profile)
        html = athlete_client.get(reverse("schedule:calendar"), {"at": "2026-12-08"}).content
        assert b"Heavy legs the day before your long run" in html
        assert b"Conflict</span>" in html
        home = athlete_client.get(reverse("athlete_home")).content.decode()
        assert "Heads up" in home
        # Athletes read the plain title; the code is for coaches.
        assert "Heavy legs the day before your long run" in home
        assert "HEAVY_BEFORE_LONG_RUN" not in home
        assert b"HEAVY_BEFORE_LONG_RUN" not in html

    def test_coach_athlete_page(self, coach_client, profile, heavy_plan):
        long_run(profile)
        html = coach_client.get(reverse("coach_athlete", args=[profile.pk])).content.decode()
        assert "HEAVY_BEFORE_LONG_RUN" in html
        assert "Heavy legs the day before your long run" in html
        assert "Acknowledge" in html

    def test_a_run_distance_spike_on_the_coach_athlete_page(self, coach_client, profile):
        long_run(profile, date=datetime.date(2026, 11, 1), km=20)
        done = long_run(profile, date=datetime.date(2026, 11, 22), km=20)
        Run.objects.filter(pk=done.pk).update(status="done", actual_distance_m=16_000)
        long_run(profile, date=datetime.date(2026, 12, 6), km=24)
        conflicts_sync(athletes=[profile])

        # Against the 16 km really run on 22 Nov (1 Nov is 35 days back): 50% more.
        flag = Flag.objects.get(code="RUN_DISTANCE_SPIKE")
        assert flag.severity == "warning"
        assert flag.session_ids == []
        assert "your long run (16 km) on Sun 22 Nov" in flag.message
        assert flag.suggestion["kind"] == "none"
        html = coach_client.get(reverse("coach_athlete", args=[profile.pk])).content.decode()
        assert "A run much longer than your recent longest" in html
        assert "RUN_DISTANCE_SPIKE" in html


class TestSettings:
    URL = "/flags/settings/"

    def data(self, **changes):
        return {
            "heavy_before_long_days": 1,
            "heavy_before_key_days": 1,
            "min_days_between": 2,
            "max_per_week": 3,
            "min_per_week": 2,
            "taper_warning_days": 10,
            "taper_critical_days": 3,
            "b_taper_warning_days": 5,
            "b_taper_critical_days": 2,
            "spike_ratio": "1.5",
            "max_loading_weeks": 6,
            **changes,
        }

    def test_defaults_then_save(self, coach, coach_client):
        html = coach_client.get(self.URL).content.decode()
        assert 'value="1.5' in html
        response = coach_client.post(self.URL, self.data(max_per_week=4))
        assert response.status_code == 302
        assert ConflictSettings.objects.get(coach=coach).max_per_week == 4

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"spike_ratio": "1"}, "must be above 1"),
            ({"min_days_between": "-1"}, "greater than or equal to 0"),
            ({"taper_critical_days": 12}, "critical taper window"),
            ({"b_taper_critical_days": 6}, "critical B-race taper window"),
            ({"min_per_week": 4}, "fewest sessions a week"),
        ],
    )
    def test_refuses_bad_values(self, coach, coach_client, changes, message):
        response = coach_client.post(self.URL, self.data(**changes))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not ConflictSettings.objects.exists()

    def test_athletes_are_refused(self, athlete_client):
        assert athlete_client.get(self.URL).status_code == 403


class TestCommand:
    def test_json_sorted_by_date_then_code(self, athlete, profile, heavy_plan):
        long_run(profile)
        out = StringIO()
        call_command("conflicts", athlete.email, "--json", stdout=out)
        flags = json.loads(out.getvalue())
        assert [(f["date"], f["code"]) for f in flags] == sorted(
            (f["date"], f["code"]) for f in flags
        )
        critical = next(f for f in flags if f["code"] == "HEAVY_BEFORE_LONG_RUN")
        assert set(critical) == {
            "code",
            "title",
            "severity",
            "date",
            "message",
            "sessions",
            "suggestion",
        }
        assert critical["title"] == "Heavy legs the day before your long run"
        assert critical["date"] == "2026-12-10"
        assert critical["sessions"][0]["date"] == "2026-12-10"
        assert critical["suggestion"]["kind"] == "move"

    def test_text_and_date_range(self, athlete, profile, heavy_plan):
        long_run(profile)
        out = StringIO()
        call_command(
            "conflicts", athlete.email, "--from", "2026-12-10", "--to", "2026-12-10", stdout=out
        )
        text = out.getvalue()
        assert "HEAVY_BEFORE_LONG_RUN" in text
        assert "1 flag." in text

    @pytest.mark.parametrize(
        "args", [["nobody@example.com"], ["ana@example.com", "--from", "soon"]]
    )
    def test_refuses(self, athlete, args):
        with pytest.raises(CommandError):
            call_command("conflicts", *args)


def test_a_move_suggested_for_a_day_now_past_is_refused(athlete, profile, heavy_plan):
    long_run(profile)
    flag = Flag.objects.get(code="HEAVY_BEFORE_LONG_RUN")
    with (
        time_machine.travel(datetime.datetime(2026, 12, 20, 12, tzinfo=datetime.UTC)),
        pytest.raises(ValidationError) as caught,
    ):
        fixes.flag_fix(flag=flag)
    assert caught.value.code == "fix_out_of_date"
    assert ScheduledSession.objects.filter(date=THURSDAY).exists()


def test_the_recheck_after_a_stale_fix_is_kept(athlete, profile, heavy_plan):
    long_run(profile)
    flag = Flag.objects.get(code="HEAVY_BEFORE_LONG_RUN")
    with (
        time_machine.travel(datetime.datetime(2026, 12, 20, 12, tzinfo=datetime.UTC)),
        pytest.raises(ValidationError),
    ):
        fixes.flag_fix(flag=flag)
    # A week on, the flag is history: the recheck removed it and was not rolled back.
    assert not Flag.objects.filter(pk=flag.pk).exists()


def test_a_second_set_of_a_done_session_does_not_recompute_flags(
    athlete_client, profile, heavy_plan, django_assert_max_num_queries
):
    import json
    import uuid

    session = ScheduledSession.objects.get(date=MONDAY)
    rx = session.prescriptions.first()

    def one_set(number):
        body = {
            "sets": [
                {
                    "id": str(uuid.uuid4()),
                    "session": session.pk,
                    "prescription": rx.pk,
                    "set": number,
                    "reps": 5,
                    "load": "80",
                    "performed_on": "2026-12-02",
                }
            ]
        }
        return athlete_client.post(
            "/today/sets/", json.dumps(body), content_type="application/json"
        )

    with django_assert_max_num_queries(40) as first:
        one_set(1)
    with django_assert_max_num_queries(len(first) - 5):
        assert one_set(2).json()["results"][0]["status"] == "stored"


def test_a_set_is_stored_when_the_recompute_after_it_fails(
    athlete_client, profile, heavy_plan, monkeypatch, caplog
):
    import json
    import uuid

    from django.db import connection

    def broken(*args, **kwargs):
        # A real database error, which on PostgreSQL aborts the transaction it is in.
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(conflict_services, "evaluate_plan", broken)
    session = ScheduledSession.objects.get(date=MONDAY)
    flags = set(Flag.objects.values_list("pk", "fingerprint"))
    set_id = str(uuid.uuid4())
    body = {
        "sets": [
            {
                "id": set_id,
                "session": session.pk,
                "prescription": session.prescriptions.get().pk,
                "set": 1,
                "reps": 5,
                "load": "80",
                "performed_on": "2026-12-02",
            }
        ]
    }

    response = athlete_client.post(
        "/today/sets/", json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": set_id, "status": "stored"}]
    session.refresh_from_db()
    assert session.status == "done"
    assert session.set_logs.filter(pk=set_id).exists()
    # The flags are as they were, for the next change to recompute.
    assert set(Flag.objects.values_list("pk", "fingerprint")) == flags
    assert "not recomputed" in caplog.text
