import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from programs.models import OneRepMax, Run, ScheduledSession
from programs.schedule import services
from tests.caches import clear_caches
from tests.factories import (
    AthleteFactory,
    ExerciseFactory,
    link,
    make_block,
    make_runs_for_a_year,
)

HTMX = {"HX-Request": "true"}
MONDAY = datetime.date(2026, 12, 7)
TODAY = datetime.date(2026, 12, 8)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 8, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def squat(db):
    return ExerciseFactory(name="Back squat", load_class="heavy_lower")


def assign(coach, athlete_user, exercises, **block_options):
    block = make_block(coach, exercises, **block_options)
    services.assignment_create(
        block=block,
        athletes=[athlete_user.athlete_profile],
        start=MONDAY,
        weekdays=[1, 4],
        assigned_by=coach,
    )
    return block


@pytest.fixture
def planned(coach, athlete, squat):
    assign(coach, athlete, [squat], dose={"reps_min": 5, "load_type": "pct_1rm", "load_value": 80})
    Run.objects.create(
        athlete=athlete.athlete_profile,
        date=MONDAY + datetime.timedelta(days=5),
        run_type="long",
        distance_m=32000,
    )
    return ScheduledSession.objects.filter(athlete__user=athlete).order_by("date")


class TestAthleteCalendar:
    def test_week_shows_runs_and_strength_together(self, athlete_client, planned):
        response = athlete_client.get(reverse("schedule:calendar"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Today · Tuesday 8 Dec" in html
        assert "Long run" in html
        assert "32 km" in html
        assert html.count("Back squat 3×5 @ 80% 1RM") == 2

    def test_percent_loads_resolve_from_the_athletes_1rm(
        self, athlete, athlete_client, planned, squat
    ):
        OneRepMax.objects.create(athlete=athlete.athlete_profile, exercise=squat, kg=Decimal(101))
        html = athlete_client.get(reverse("schedule:calendar")).content.decode()
        # 80% of 101 kg is 80.8 kg: loaded to the nearest 2.5 kg.
        assert "Back squat 3×5 @ 80% 1RM · 80 kg" in html

    def test_loads_in_pounds_for_a_reader_in_pounds(self, athlete, athlete_client, planned, squat):
        OneRepMax.objects.create(athlete=athlete.athlete_profile, exercise=squat, kg=Decimal(100))
        athlete.weight_unit = "lb"
        athlete.save()
        html = athlete_client.get(reverse("schedule:calendar")).content.decode()
        # 80 kg is 176.4 lb: the nearest 5 lb.
        assert "80% 1RM · 175 lb" in html

    def test_month_view_and_htmx_navigation(self, athlete_client, planned):
        response = athlete_client.get(
            reverse("schedule:calendar"), {"view": "month", "at": "2026-12-01"}, headers=HTMX
        )
        html = response.content.decode()
        assert "<html" not in html
        assert 'id="calendar"' in html
        assert "December 2026" in html
        assert html.count("cal-chip cal-strength") == 8
        assert html.count("cal-chip cal-run") == 1

    def test_a_bad_date_falls_back_to_today(self, athlete_client, planned):
        response = athlete_client.get(reverse("schedule:calendar"), {"at": "soon", "view": "x"})
        assert response.status_code == 200
        assert "Today · Tuesday 8 Dec" in response.content.decode()

    def test_month_queries_do_not_grow_with_the_plan(
        self, coach, athlete, athlete_client, squat, django_assert_max_num_queries
    ):
        query = {"view": "month", "at": "2026-12-01"}
        assign(coach, athlete, [squat], weeks=1, sessions=1)
        with django_assert_max_num_queries(12) as small:
            athlete_client.get(reverse("schedule:calendar"), query)
        ScheduledSession.objects.all().delete()
        more = [ExerciseFactory() for _ in range(6)]
        assign(coach, athlete, more, name="Big", weeks=8, sessions=2)
        for day in range(31):
            Run.objects.create(
                athlete=athlete.athlete_profile,
                date=datetime.date(2026, 12, 1) + datetime.timedelta(days=day),
                run_type="easy",
                distance_m=8000,
            )
        with django_assert_max_num_queries(len(small)):
            response = athlete_client.get(reverse("schedule:calendar"), query)
        assert response.content.decode().count("cal-chip cal-run") == 31

    def test_coach_only_users_are_shown_their_athletes_calendars(self, coach_client):
        # tests/programs/schedule/test_coach_wayfinding.py has the page itself.
        response = coach_client.get(reverse("schedule:calendar"))
        assert response.status_code == 200
        assert "This page is an athlete's own calendar" in response.content.decode()

    def test_anonymous_goes_to_sign_in(self, client):
        response = client.get(reverse("schedule:calendar"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


class TestCoachCalendar:
    def test_coach_sees_the_athletes_calendar(self, coach_client, athlete, planned):
        response = coach_client.get(
            reverse("schedule:athlete_calendar", args=[athlete.athlete_profile.pk])
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Ana Athlete · calendar" in html
        assert "Long run" in html

    def test_another_coachs_athlete_is_404(self, coach_client, other_athlete):
        url = reverse("schedule:athlete_calendar", args=[other_athlete.athlete_profile.pk])
        assert coach_client.get(url).status_code == 404

    def test_athletes_are_refused(self, athlete_client, athlete):
        url = reverse("schedule:athlete_calendar", args=[athlete.athlete_profile.pk])
        assert athlete_client.get(url).status_code == 403

    def test_wrong_method(self, coach_client, athlete):
        url = reverse("schedule:athlete_calendar", args=[athlete.athlete_profile.pk])
        assert coach_client.post(url).status_code == 405


class TestSessionDetail:
    def test_shows_the_session_with_move_and_skip(self, athlete_client, planned):
        session = planned.first()
        response = athlete_client.get(reverse("schedule:session", args=[session.pk]))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Monday 7 December 2026" in html
        assert "3×5 @ 80% 1RM" in html
        assert "Skip this session" in html

    def test_coach_of_the_athlete_sees_it(self, coach_client, planned):
        response = coach_client.get(reverse("schedule:session", args=[planned.first().pk]))
        assert response.status_code == 200

    def test_strangers_get_404(self, client, other_athlete, other_coach, planned):
        for user in (other_athlete, other_coach):
            client.force_login(user)
            response = client.get(reverse("schedule:session", args=[planned.first().pk]))
            assert response.status_code == 404


class TestMoveAndSkip:
    def test_move_through_htmx_answers_the_calendar(self, athlete_client, planned):
        session = planned.first()
        response = athlete_client.post(
            reverse("schedule:session_move", args=[session.pk]),
            {"date": "2026-12-09", "view": "week", "at": "2026-12-08"},
            headers=HTMX,
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert html.startswith('\n<section id="calendar"') or 'id="calendar"' in html[:200]
        assert "Moved Session A (Wed 9 Dec)." in html
        session.refresh_from_db()
        assert session.date == datetime.date(2026, 12, 9)
        assert session.moved

    def test_move_plain_post_redirects_back(self, coach_client, planned, athlete):
        session = planned.first()
        response = coach_client.post(
            reverse("schedule:session_move", args=[session.pk]),
            {"date": "2026-12-10", "view": "month", "at": "2026-12-01"},
        )
        assert response.status_code == 302
        assert response.url == (
            reverse("schedule:athlete_calendar", args=[athlete.athlete_profile.pk])
            + "?view=month&at=2026-12-01"
        )

    def test_a_bad_date_is_explained_and_nothing_moves(self, athlete_client, planned):
        session = planned.first()
        response = athlete_client.post(
            reverse("schedule:session_move", args=[session.pk]), {"date": "31/12"}, headers=HTMX
        )
        assert "Pick a valid date." in response.content.decode()
        session.refresh_from_db()
        assert session.date == MONDAY

    def test_skip_needs_a_reason(self, athlete_client, planned):
        session = planned.first()
        url = reverse("schedule:session_skip", args=[session.pk])
        response = athlete_client.post(url, {"reason": ""}, headers=HTMX)
        assert "Say why, so your coach knows." in response.content.decode()
        response = athlete_client.post(url, {"reason": "Sick"}, headers=HTMX)
        assert "Skipped Session A" in response.content.decode()
        session.refresh_from_db()
        assert (session.status, session.skip_reason) == ("skipped", "Sick")
        response = athlete_client.post(
            reverse("schedule:session_unskip", args=[session.pk]), headers=HTMX
        )
        session.refresh_from_db()
        assert session.status == "planned"

    def test_a_run_moves_on_the_calendar(self, athlete_client, athlete, planned):
        run = Run.objects.get(athlete__user=athlete)
        response = athlete_client.post(
            reverse("schedule:run_move", args=[run.pk]), {"date": "2026-12-13"}, headers=HTMX
        )
        assert "Moved Long run to Sun 13 Dec." in response.content.decode()
        run.refresh_from_db()
        assert run.date == datetime.date(2026, 12, 13)

    @pytest.mark.parametrize("name", ["session_move", "session_skip", "session_unskip"])
    def test_strangers_get_404_and_nothing_changes(self, client, other_athlete, planned, name):
        session = planned.first()
        client.force_login(other_athlete)
        response = client.post(
            reverse(f"schedule:{name}", args=[session.pk]), {"date": "2026-12-09", "reason": "x"}
        )
        assert response.status_code == 404
        session.refresh_from_db()
        assert (session.date, session.status) == (MONDAY, "planned")

    def test_strangers_cannot_move_a_run(self, client, other_coach, athlete, planned):
        run = Run.objects.get(athlete__user=athlete)
        client.force_login(other_coach)
        response = client.post(reverse("schedule:run_move", args=[run.pk]), {"date": "2026-12-13"})
        assert response.status_code == 404

    @pytest.mark.parametrize("name", ["session_move", "session_skip", "session_unskip"])
    def test_get_is_not_allowed(self, athlete_client, planned, name):
        response = athlete_client.get(reverse(f"schedule:{name}", args=[planned.first().pk]))
        assert response.status_code == 405


class TestMaxes:
    def test_athlete_records_a_1rm_in_their_unit(self, athlete, athlete_client, planned, squat):
        athlete.weight_unit = "lb"
        athlete.save()
        url = reverse("schedule:maxes")
        assert "Back squat" in athlete_client.get(url).content.decode()
        response = athlete_client.post(
            url, {"exercise": squat.pk, "value": "220", "tested_on": "2026-12-01"}, follow=True
        )
        assert "Back squat: 1RM 220 lb." in response.content.decode()
        assert OneRepMax.objects.get().kg == Decimal("99.79")

    def test_too_heavy_is_refused(self, athlete_client, planned, squat):
        response = athlete_client.post(
            reverse("schedule:maxes"), {"exercise": squat.pk, "value": "900"}
        )
        assert "A 1RM is at most 500 kg" in response.content.decode()
        assert not OneRepMax.objects.exists()

    @pytest.mark.parametrize("value", ["1e309", "1E+400", "9" * 40])
    def test_a_number_past_any_1rm_is_refused(self, athlete_client, planned, squat, value):
        response = athlete_client.post(
            reverse("schedule:maxes"), {"exercise": squat.pk, "value": value}
        )
        assert response.status_code == 200
        assert "A 1RM is at most 500 kg" in response.content.decode()
        assert not OneRepMax.objects.exists()

    def test_the_coach_is_refused_a_huge_1rm_too(self, coach_client, athlete, planned, squat):
        url = reverse("schedule:athlete_maxes", args=[athlete.athlete_profile.pk])
        response = coach_client.post(url, {"exercise": squat.pk, "value": "1e309"})
        assert response.status_code == 200
        assert "A 1RM is at most 500 kg" in response.content.decode()
        assert not OneRepMax.objects.exists()

    def test_only_exercises_of_the_plan_can_be_recorded(self, athlete_client, planned):
        elsewhere = ExerciseFactory(name="Bench press")
        response = athlete_client.post(
            reverse("schedule:maxes"), {"exercise": elsewhere.pk, "value": "60"}
        )
        assert response.status_code == 200
        assert not OneRepMax.objects.exists()

    def test_coach_records_for_their_athlete(self, coach_client, athlete, planned, squat):
        url = reverse("schedule:athlete_maxes", args=[athlete.athlete_profile.pk])
        response = coach_client.post(url, {"exercise": squat.pk, "value": "100"})
        assert response.status_code == 302
        assert OneRepMax.objects.get(athlete__user=athlete).kg == Decimal(100)

    def test_another_coach_gets_404(self, client, other_coach, athlete, planned):
        client.force_login(other_coach)
        url = reverse("schedule:athlete_maxes", args=[athlete.athlete_profile.pk])
        assert client.get(url).status_code == 404


def test_a_second_athlete_does_not_see_the_firsts_sessions(coach, squat, client, planned):
    second = AthleteFactory(name="Bo")
    link(coach, second)
    client.force_login(second)
    html = client.get(reverse("schedule:calendar")).content.decode()
    assert "Back squat" not in html
    assert "Long run" not in html


class TestPlannedTime:
    @pytest.fixture
    def evening(self, planned):
        planned.filter(date=MONDAY).update(start_time=datetime.time(18, 30))
        return planned.get(date=MONDAY)

    def test_the_week_and_the_month_show_the_time(self, athlete_client, evening):
        week = athlete_client.get(reverse("schedule:calendar")).content.decode()
        month = athlete_client.get(reverse("schedule:calendar"), {"view": "month"})

        assert '<time class="fw-semibold" datetime="2026-12-07T18:30">18:30</time>' in week
        assert ">18:30 Session A</a>" in month.content.decode()

    def test_the_session_page_shows_the_time_and_offers_to_change_it(self, athlete_client, evening):
        response = athlete_client.get(reverse("schedule:session", args=[evening.pk]))

        html = response.content.decode()
        assert "Monday 7 December 2026 18:30" in html
        assert 'type="time" name="start_time" value="18:30"' in html

    def test_a_move_with_a_time_sets_it(self, athlete_client, evening):
        response = athlete_client.post(
            reverse("schedule:session_move", args=[evening.pk]),
            {"date": "2026-12-09", "start_time": "07:00", "view": "week", "at": "2026-12-08"},
            headers=HTMX,
        )

        assert "Moved Session A (Wed 9 Dec 07:00)." in response.content.decode()
        evening.refresh_from_db()
        assert (evening.date, evening.start_time) == (datetime.date(2026, 12, 9), datetime.time(7))

    def test_a_move_without_a_time_keeps_the_one_it_had(self, athlete_client, evening):
        # As a drag to another day sends it: the date only.
        athlete_client.post(
            reverse("schedule:session_move", args=[evening.pk]), {"date": "2026-12-09"}
        )

        evening.refresh_from_db()
        assert (evening.date, evening.start_time) == (
            datetime.date(2026, 12, 9),
            datetime.time(18, 30),
        )

    def test_a_bad_time_is_explained_and_nothing_moves(self, athlete_client, evening):
        response = athlete_client.post(
            reverse("schedule:session_move", args=[evening.pk]),
            {"date": "2026-12-09", "start_time": "7pm"},
            headers=HTMX,
        )

        assert "Pick a valid time." in response.content.decode()
        evening.refresh_from_db()
        assert (evening.date, evening.start_time) == (MONDAY, datetime.time(18, 30))


def text(response) -> str:
    """The page as it reads: tags out, spaces folded."""
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


class TestRunsPlannedAndDone:
    """Each run shows its plan and, once done, what was run: distance, time and pace in the
    reader's unit. A run marked done without figures was run as planned."""

    @pytest.fixture
    def week(self, athlete):
        profile = athlete.athlete_profile

        def on(day, run_type, **fields):
            date = MONDAY + datetime.timedelta(days=day)
            return Run.objects.create(athlete=profile, date=date, run_type=run_type, **fields)

        return {
            "easy": on(
                0,
                "easy",
                distance_m=10_000,
                duration_s=3000,
                status="done",
                actual_distance_m=10_200,
                actual_duration_s=3060,
            ),
            "watch": on(
                0,
                "easy",
                status="done",
                source="activity",
                actual_distance_m=5000,
                actual_duration_s=1650,
                started_at=datetime.datetime(2026, 12, 7, 7, tzinfo=datetime.UTC),
            ),
            "tempo": on(1, "tempo", distance_m=8000, duration_s=2400, status="done"),
            "long": on(5, "long", distance_m=20_000, status="skipped"),
            "later": on(6, "easy", distance_m=6000),
        }

    def test_the_week_shows_planned_against_done_with_the_pace(self, athlete_client, week):
        page = text(athlete_client.get(reverse("schedule:calendar")))

        assert "Easy Planned 10 km 50 min Done 10.2 km · 51 min · 5:00 /km" in page
        # Done as planned: the plan's figures are what was run.
        assert "Tempo Planned 8 km 40 min Key Done 8 km · 40 min · 5:00 /km" in page
        # From a watch file, with no plan.
        assert "Run Easy Done 5 km · 0:27:30 · 5:30 /km" in page
        assert "Easy 6 km Move" in page

    def test_a_distance_without_a_time_has_no_pace(self, athlete, athlete_client):
        Run.objects.create(
            athlete=athlete.athlete_profile,
            date=MONDAY,
            run_type="easy",
            distance_m=10_000,
            duration_s=3000,
            status="done",
            actual_distance_m=12_000,
        )

        page = text(athlete_client.get(reverse("schedule:calendar")))

        # The plan's 50 minutes were for 10 km, not the 12 km run.
        assert "Easy Planned 10 km 50 min Done 12 km Move" in page
        assert "/km" not in page

    def test_a_skipped_run_is_shown_skipped(self, athlete_client, week):
        response = athlete_client.get(reverse("schedule:calendar"))

        assert "Long run Planned 20 km Key Skipped" in text(response)
        assert (
            '<span class="text-decoration-line-through"><span class="visually-hidden">Planned '
            "</span>20 km</span>" in response.content.decode()
        )

    def test_in_miles_for_a_reader_in_miles(self, athlete, athlete_client):
        athlete.distance_unit = "mi"
        athlete.save()
        Run.objects.create(
            athlete=athlete.athlete_profile,
            date=MONDAY,
            run_type="long",
            distance_m=16_093,
            duration_s=4800,
            status="done",
            actual_distance_m=16_100,
            actual_duration_s=4800,
        )

        page = text(athlete_client.get(reverse("schedule:calendar")))

        assert "Long run Planned 10 mi 1:20 Key Done 10 mi · 1:20 · 8:00 /mi" in page

    def test_the_month_shows_the_done_distance_and_marks_skipped(self, athlete_client, week):
        response = athlete_client.get(reverse("schedule:calendar"), {"view": "month"})

        html = response.content.decode()
        assert html.count("cal-chip cal-run cal-done") == 2
        assert "cal-chip cal-run cal-key cal-done" in html
        assert "cal-chip cal-run cal-key cal-skipped" in html
        page = text(response)
        assert "✓ Easy 10.2 km (done)" in page
        assert "✓ Tempo 8 km (done)" in page
        assert "Long run 20 km (skipped)" in page
        assert 'title="Easy · planned 10 km · 50 min · done 10.2 km · 51 min · 5:00 /km"' in html

    def test_the_coach_reads_them_in_their_own_unit(self, coach, coach_client, athlete, week):
        coach.distance_unit = "mi"
        coach.save()

        page = text(
            coach_client.get(
                reverse("schedule:athlete_calendar", args=[athlete.athlete_profile.pk])
            )
        )

        # 10.2 km is 6.34 mi; 5:00 /km is 8:03 /mi.
        assert "Easy Planned 6.21 mi 50 min Done 6.34 mi · 51 min · 8:03 /mi" in page

    @pytest.mark.parametrize(
        ("who", "view"), [("athlete", "week"), ("athlete", "month"), ("coach", "week")]
    )
    def test_queries_do_not_grow_with_a_year_of_runs(
        self, request, athlete, planned, who, view, django_assert_max_num_queries
    ):
        profile = athlete.athlete_profile
        client = request.getfixturevalue(f"{who}_client")
        url = (
            reverse("schedule:calendar")
            if who == "athlete"
            else reverse("schedule:athlete_calendar", args=[profile.pk])
        )
        Run.objects.all().delete()
        Run.objects.bulk_create(
            Run(
                athlete=profile,
                date=MONDAY - datetime.timedelta(days=n),
                run_type="easy",
                distance_m=8000,
                status="done",
                actual_distance_m=8100,
                actual_duration_s=2430,
            )
            for n in range(10)
        )
        clear_caches()  # as below: the session and the user read afresh too
        with django_assert_max_num_queries(15) as ten_runs:
            client.get(url, {"view": view})
        Run.objects.all().delete()
        make_runs_for_a_year(profile, today=TODAY)
        assert Run.objects.filter(status="done").count() >= 290
        clear_caches()  # bulk_create sends no signal: read the page afresh, as the first time

        with django_assert_max_num_queries(len(ten_runs)) as a_year:
            response = client.get(url, {"view": view})

        assert len(a_year) == len(ten_runs)
        assert ("(done)" if view == "month" else "/km") in text(response)
