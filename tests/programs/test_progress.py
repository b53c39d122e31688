import datetime
import re
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from programs.logbook.charts import bar_chart, line_chart, nice_ticks
from programs.logbook.progress import (
    epley,
    exercise_history,
    exercise_summaries,
    is_new_record,
    personal_records,
    weekly_summary,
)
from programs.models import OneRepMax, Run, ScheduledSession, SetLog
from programs.schedule import services
from tests.caches import clear_caches
from tests.factories import ExerciseFactory, make_block, make_runs_for_a_year

MONDAY = datetime.date(2026, 12, 7)
THURSDAY = MONDAY + datetime.timedelta(days=3)
NEXT_MONDAY = MONDAY + datetime.timedelta(days=7)
TODAY = datetime.date(2026, 12, 18)  # a Friday, in the second week of the block


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 18, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def squat(db):
    return ExerciseFactory(
        name="Back squat", load_class="heavy_lower", primary=["quadriceps", "glutes"]
    )


@pytest.fixture
def calf_raise(db):
    return ExerciseFactory(name="Calf raise", primary=["calves"])


def assign(coach, athlete_user, exercises):
    """Two weeks, sessions on Monday and Thursday from 7 Dec, 3×5 of each exercise."""
    block = make_block(coach, exercises, weeks=2, sessions=2, dose={"sets": 3, "reps_min": 5})
    services.assignment_create(
        block=block,
        athletes=[athlete_user.athlete_profile],
        start=MONDAY,
        weekdays=[1, 4],
        assigned_by=coach,
    )
    return {s.date: s for s in ScheduledSession.objects.filter(athlete__user=athlete_user).all()}


def log(session, exercise, number, reps, load, *, on=None, duration_s=None, rpe=None):
    """A set done on ``on`` (the session's date by default), logged in set order."""
    on = on or session.date
    prescription = session.prescriptions.filter(exercise=exercise).first()
    return SetLog.objects.create(
        id=uuid.uuid4(),
        athlete=session.athlete,
        session=session,
        prescription=prescription,
        exercise=exercise,
        set_number=number,
        reps=reps,
        load_kg=None if load is None else Decimal(load),
        rpe=rpe,
        duration_s=duration_s,
        performed_on=on,
        logged_at=datetime.datetime.combine(on, datetime.time(17, number), tzinfo=datetime.UTC),
    )


@pytest.fixture
def sessions(coach, athlete, squat, calf_raise):
    return assign(coach, athlete, [squat, calf_raise])


@pytest.fixture
def squats(sessions, squat, calf_raise):
    """Monday 5×100, 5×102.5 and a bodyweight calf set; Thursday 3×110 and 5×100."""
    monday, thursday = sessions[MONDAY], sessions[THURSDAY]
    return [
        log(monday, squat, 1, 5, "100"),
        log(monday, squat, 2, 5, "102.5", rpe=Decimal("8.5")),
        log(monday, calf_raise, 1, 12, None),
        log(thursday, squat, 1, 3, "110"),
        log(thursday, squat, 2, 5, "100"),
    ]


def page(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


class TestEpley:
    @pytest.mark.parametrize(
        ("load", "reps", "expected"),
        [
            ("100", 5, "116.67"),  # 100 × 35/30
            ("100", 1, "103.33"),
            ("102.5", 5, "119.58"),  # 3587.5/30 = 119.583…
            ("110", 3, "121.00"),
            ("60", 10, "80.00"),
        ],
    )
    def test_load_times_one_plus_reps_over_thirty(self, load, reps, expected):
        assert epley(Decimal(load), reps) == Decimal(expected)

    @pytest.mark.parametrize(("load", "reps"), [(None, 5), ("100", 0), ("100", None), ("0", 5)])
    def test_nothing_to_estimate_from(self, load, reps):
        assert epley(None if load is None else Decimal(load), reps) is None


class TestHistory:
    def test_one_point_per_session_with_its_best_set(self, athlete, squat, squats):
        history = exercise_history(athlete.athlete_profile, squat)
        assert [p.date for p in history] == [MONDAY, THURSDAY]
        assert [p.best_e1rm for p in history] == [Decimal("119.58"), Decimal("121.00")]
        assert [len(p.sets) for p in history] == [2, 2]
        assert history[1].top_set == squats[3]  # 3×110 beats 5×100 on e1RM
        assert history[0].title == "Session A"

    def test_records_are_sets_that_beat_everything_before_them(self, athlete, squat, squats):
        history = exercise_history(athlete.athlete_profile, squat)
        # The very first set has nothing to beat; 5×102.5 beats 5×100; 3×110 beats 119.58.
        assert history[0].records == [squats[1]]
        assert history[1].records == [squats[3]]

    def test_bodyweight_only_has_sets_but_no_e1rm(self, athlete, calf_raise, squats):
        [point] = exercise_history(athlete.athlete_profile, calf_raise)
        assert point.best_e1rm is None
        assert point.top_set == squats[2]
        assert point.records == []

    def test_another_athletes_sets_are_not_in_it(self, coach, other_athlete, squat, squats):
        assert exercise_history(other_athlete.athlete_profile, squat) == []

    def test_one_query(self, athlete, squat, squats, django_assert_num_queries):
        with django_assert_num_queries(1):
            exercise_history(athlete.athlete_profile, squat)


class TestPersonalRecords:
    def test_best_e1rm_and_best_load_at_each_rep_count(self, athlete, squat, squats):
        records = personal_records(athlete.athlete_profile, squat)
        best = records.best_e1rm
        assert (best.reps, best.load_kg, best.e1rm, best.performed_on) == (
            3,
            Decimal("110"),
            Decimal("121.00"),
            THURSDAY,
        )
        assert [(r.reps, r.load_kg, r.performed_on) for r in records.by_reps] == [
            (3, Decimal("110"), THURSDAY),
            (5, Decimal("102.5"), MONDAY),
        ]

    def test_a_tie_keeps_the_date_it_was_first_lifted(self, athlete, squat, sessions, squats):
        log(sessions[NEXT_MONDAY], squat, 1, 3, "110")
        records = personal_records(athlete.athlete_profile, squat)
        assert records.by_reps[0].performed_on == THURSDAY
        assert records.best_e1rm.performed_on == THURSDAY

    def test_none_without_a_loaded_set(self, athlete, calf_raise, squats):
        records = personal_records(athlete.athlete_profile, calf_raise)
        assert records.best_e1rm is None
        assert records.by_reps == []


class TestIsNewRecord:
    @pytest.mark.parametrize(
        ("reps", "load", "expected"),
        [
            (5, "105", True),  # e1RM 122.50 beats 121.00
            (5, "103", True),  # e1RM 120.17 does not, but 103 kg beats 102.5 kg for 5
            (3, "110", False),  # a tie is not a record
            (8, "90", False),  # e1RM 114.00, and nothing earlier at 8 reps to beat
            (12, None, False),  # bodyweight
        ],
    )
    def test_against_every_earlier_set(
        self, athlete, squat, sessions, squats, reps, load, expected
    ):
        set_log = log(sessions[NEXT_MONDAY], squat, 1, reps, load)
        assert is_new_record(athlete.athlete_profile, squat, set_log) is expected

    def test_only_earlier_sets_count(self, athlete, squat, squats):
        # Monday's 5×102.5 beat Monday's 5×100; Thursday's heavier sets came later.
        assert is_new_record(athlete.athlete_profile, squat, squats[1]) is True
        assert is_new_record(athlete.athlete_profile, squat, squats[0]) is False

    def test_an_unsaved_set_and_one_query(
        self, athlete, squat, sessions, squats, django_assert_num_queries
    ):
        set_log = SetLog(
            id=uuid.uuid4(),
            reps=1,
            load_kg=Decimal("120"),
            performed_on=NEXT_MONDAY,
            logged_at=datetime.datetime(2026, 12, 14, 18, tzinfo=datetime.UTC),
        )
        with django_assert_num_queries(1):
            assert is_new_record(athlete.athlete_profile, squat, set_log) is True  # 124.00


class TestExerciseSummaries:
    def test_latest_and_best_e1rm_per_exercise(self, athlete, squat, sessions, squats):
        log(sessions[NEXT_MONDAY], squat, 1, 5, "90")  # e1RM 105.00, a lighter day
        squat_row, calf_row = exercise_summaries(athlete.athlete_profile)
        assert (squat_row.name, squat_row.sets, squat_row.last_done) == (
            "Back squat",
            5,
            NEXT_MONDAY,
        )
        assert squat_row.latest_e1rm == Decimal("105.00")
        assert squat_row.best_e1rm == Decimal("121.00")
        assert (calf_row.name, calf_row.latest_e1rm, calf_row.best_e1rm) == (
            "Calf raise",
            None,
            None,
        )


class TestWeeklySummary:
    def test_sets_per_muscle_done_planned_and_compliance(
        self, athlete, squat, calf_raise, sessions, squats
    ):
        weeks = weekly_summary(athlete.athlete_profile, weeks=3, today=TODAY)
        assert [w.start for w in weeks] == [
            MONDAY - datetime.timedelta(days=7),
            MONDAY,
            NEXT_MONDAY,
        ]
        before, first, second = weeks
        assert (before.done_sets, before.planned_sets, before.compliance) == (0, 0, None)
        # 4 squat sets (quadriceps and glutes) and 1 calf set; planned 2 sessions × 2
        # exercises × 3 sets = 12; 5/12 = 41.7%.
        assert first.muscle_sets == [("Glutes", 4), ("Quadriceps", 4), ("Calves", 1)]
        assert (first.done_sets, first.planned_sets, first.compliance) == (5, 12, 42)
        assert (second.done_sets, second.planned_sets, second.compliance) == (0, 12, 0)

    def test_skipped_sessions_and_exercises_were_still_planned(
        self, athlete, squat, sessions, squats
    ):
        services.scheduled_session_skip(session=sessions[NEXT_MONDAY], reason="Sick")
        sessions[NEXT_MONDAY + datetime.timedelta(days=3)].prescriptions.update(
            skip_reason="Sore calf"
        )
        log(sessions[NEXT_MONDAY + datetime.timedelta(days=3)], squat, 1, 5, "100", on=TODAY)
        second = weekly_summary(athlete.athlete_profile, weeks=1, today=TODAY)[0]
        # 1 of 12: 8.33%.
        assert (second.done_sets, second.planned_sets, second.compliance) == (1, 12, 8)

    def test_a_late_set_counts_for_its_sessions_week_and_the_body_in_its_own(
        self, athlete, squat, sessions, squats
    ):
        # Thursday's session finished on the next Monday.
        log(sessions[THURSDAY], squat, 3, 5, "100", on=NEXT_MONDAY)
        first, second = weekly_summary(athlete.athlete_profile, weeks=2, today=TODAY)
        assert (first.done_sets, first.compliance) == (6, 50)
        assert first.muscle_sets == [("Glutes", 4), ("Quadriceps", 4), ("Calves", 1)]
        assert second.done_sets == 0
        assert second.muscle_sets == [("Glutes", 1), ("Quadriceps", 1)]

    def test_extra_sets_go_above_100(self, athlete, calf_raise, sessions):
        for number in range(1, 14):
            log(sessions[MONDAY], calf_raise, number, 10, None)
        week = weekly_summary(athlete.athlete_profile, weeks=1, today=THURSDAY)[0]
        assert (week.done_sets, week.planned_sets, week.compliance) == (13, 12, 108)

    def test_eight_weeks_to_the_athletes_today_by_default(self, athlete, sessions):
        weeks = weekly_summary(athlete.athlete_profile)
        assert len(weeks) == 8
        assert weeks[-1].start == NEXT_MONDAY
        assert weeks[0].start == NEXT_MONDAY - datetime.timedelta(weeks=7)

    def test_three_queries(self, athlete, squats, django_assert_num_queries):
        with django_assert_num_queries(3):
            weekly_summary(athlete.athlete_profile, today=TODAY)


class TestCharts:
    def test_line_chart_is_an_accessible_svg_without_inline_style(self):
        svg = line_chart(
            [(MONDAY, 119.58), (THURSDAY, 121.0), (NEXT_MONDAY, 105.0)],
            unit_label="kg",
            title="Estimated 1RM",
        )
        assert svg.startswith("<svg")
        assert 'viewBox="0 0 360 200"' in svg
        assert 'role="img"' in svg
        assert '<title id="chart-title">Estimated 1RM</title>' in svg
        assert "3 points from 7 Dec 2026 to 14 Dec 2026" in svg
        assert "highest 121 kg" in svg
        assert "style=" not in svg
        assert "<script" not in svg
        assert svg.count("<circle") == 3
        assert ">7 Dec<" in svg
        assert ">14 Dec<" in svg

    def test_a_small_change_looks_small(self):
        svg = line_chart(
            [(MONDAY, 119.58), (THURSDAY, 121.0), (NEXT_MONDAY, 122.5)], unit_label="kg"
        )
        # The axis spans at least a tenth of the top value: 110 to 130, not 119 to 123.
        assert ">110</text>" in svg
        assert ">130</text>" in svg
        assert ">119</text>" not in svg

    def test_text_is_escaped(self):
        svg = line_chart([(MONDAY, 1.0)], unit_label="<b>kg</b>", title="A & B")
        assert "<b>" not in svg
        assert "&lt;b&gt;" in svg
        assert "A &amp; B" in svg

    def test_one_point_and_none(self):
        assert line_chart([(MONDAY, 100.0)], unit_label="kg").count("<circle") == 1
        assert "No data yet." in line_chart([], unit_label="kg")

    def test_bar_chart(self):
        svg = bar_chart([("Glutes", 4), ("Calves", 1)], unit_label="sets", chart_id="m")
        assert svg.count("<rect") == 2
        assert "Glutes: 4; Calves: 1 (sets)." in svg
        assert 'aria-labelledby="m-title m-desc"' in svg
        assert "style=" not in svg

    @pytest.mark.parametrize(
        ("low", "high", "expected"),
        [(105, 121, [105, 110, 115, 120, 125]), (100, 100, [99, 99.5, 100, 100.5, 101])],
    )
    def test_round_ticks(self, low, high, expected):
        assert nice_ticks(low, high) == expected


class TestMyProgress:
    url = reverse("progress:mine")

    def test_exercises_with_e1rm_and_the_weeks(self, athlete_client, squats):
        html = page(athlete_client.get(self.url))
        assert "Your progress" in html
        assert reverse("progress:exercise", args=[squats[0].exercise_id]) in html
        assert 'Latest e1RM</dt><dd class="col-6 mb-0">121 kg' in html
        assert "Bodyweight or timed sets: no e1RM." in html
        assert 'This week: <span class="fw-semibold">0 of 12</span>' in html
        assert '<th scope="row" class="fw-normal text-nowrap">7 Dec</th>' in html
        assert "5 / 12" in html
        assert "42%" in html
        assert "Glutes 4, Quadriceps 4, Calves 1" in html

    def test_the_recorded_1rm_is_beside_the_estimate(self, athlete, athlete_client, squat, squats):
        OneRepMax.objects.create(athlete=athlete.athlete_profile, exercise=squat, kg=Decimal(120))
        html = page(athlete_client.get(self.url))
        assert 'Recorded 1RM</dt><dd class="col-6 mb-0">120 kg' in html
        assert reverse("schedule:maxes") in html

    def test_empty(self, athlete_client):
        html = page(athlete_client.get(self.url))
        assert "No sets logged yet." in html

    def test_lb_reader_sees_pounds(self, athlete, athlete_client, squats):
        athlete.weight_unit = "lb"
        athlete.save()
        html = page(athlete_client.get(self.url))
        # 121 kg × 2.2046 = 266.76 lb.
        assert "266.8 lb" in html
        assert " kg<" not in html

    def test_this_weeks_muscle_chart(self, athlete_client, squat, sessions, squats):
        log(sessions[NEXT_MONDAY], squat, 1, 5, "100")
        html = page(athlete_client.get(self.url))
        assert 'aria-labelledby="muscle-sets-title muscle-sets-desc"' in html
        assert "Glutes: 1; Quadriceps: 1 (sets)." in html

    def test_a_coach_without_athlete_profile_is_shown_their_athletes(self, coach_client):
        # tests/programs/schedule/test_coach_wayfinding.py has the page itself.
        response = coach_client.get(self.url)
        assert response.status_code == 200
        assert "This page is an athlete's own progress" in response.content.decode()

    def test_anonymous_goes_to_sign_in(self, client):
        response = client.get(self.url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_post_not_allowed(self, athlete_client):
        assert athlete_client.post(self.url).status_code == 405

    @pytest.mark.parametrize("many", [False, True])
    def test_fixed_queries(
        self, athlete_client, squat, calf_raise, sessions, many, django_assert_max_num_queries
    ):
        log(sessions[MONDAY], squat, 1, 5, "100")
        if many:
            for session in sessions.values():
                for number in range(1, 6):
                    log(session, squat, number, 5, "100")
                    log(session, calf_raise, number, 5, "20")
        # Ten: one of them sums the running weeks.
        with django_assert_max_num_queries(10):
            page(athlete_client.get(self.url))


class TestRunningVolume:
    """Beside the strength weeks, the running of the last 16 weeks, planned against done, in
    the reader's unit."""

    @pytest.fixture
    def runs(self, athlete):
        profile = athlete.athlete_profile

        def on(date, run_type="easy", **fields):
            Run.objects.create(athlete=profile, date=date, run_type=run_type, **fields)

        this_monday = NEXT_MONDAY  # 14 Dec, the week of TODAY
        on(this_monday, distance_m=10_000, status="done", actual_distance_m=10_200)
        on(this_monday, "tempo", distance_m=8000, status="done")
        on(this_monday, "long", distance_m=12_000, status="skipped")
        on(this_monday, status="done", source="activity", actual_distance_m=5000)
        on(this_monday, "cross_training", distance_m=30_000, status="done")
        on(MONDAY, "long", distance_m=20_000, status="done", actual_distance_m=21_100)
        on(datetime.date(2026, 8, 31), distance_m=6000, status="done")
        on(datetime.date(2026, 8, 30), distance_m=99_000, status="done")  # week 17 back

    def test_the_sixteen_weeks_planned_and_done(self, athlete_client, runs):
        html = page(athlete_client.get(reverse("progress:mine")))

        assert "Running, week by week" in html
        assert 'aria-labelledby="running-volume-title running-volume-desc"' in html
        assert (
            "16 weeks from 31 Aug 2026, planned and done: 31 Aug: 6 planned, 6 done; "
            "7 Sep: 0 planned, 0 done;"
        ) in html
        assert "7 Dec: 20 planned, 21.1 done; 14 Dec: 30 planned, 23.2 done (km).</desc>" in html
        assert html.count("<g><title>Week of") == 16
        assert (
            'Last 16 weeks: <span class="fw-semibold">50.3 km</span> done of 56 km planned.' in html
        )
        rows = re.findall(
            r'<tr><th scope="row"[^>]*>([^<]+)</th><td[^>]*>([^<]+)</td><td[^>]*>([^<]+)</td>', html
        )
        assert rows[0] == ("14 Dec 2026", "30 km", "23.2 km")
        assert rows[1] == ("7 Dec 2026", "20 km", "21.1 km")
        assert rows[-1] == ("31 Aug 2026", "6 km", "6 km")
        assert len(rows) == 16

    def test_in_miles_for_a_coach_in_miles(self, coach, coach_client, athlete, runs):
        coach.distance_unit = "mi"
        coach.save()

        html = page(
            coach_client.get(reverse("progress:athlete", args=[athlete.athlete_profile.pk]))
        )

        # 23.2 km is 14.4 mi; 30 km is 18.6 mi.
        assert "14 Dec: 18.6 planned, 14.4 done (mi).</desc>" in html
        cell = '<td class="text-end text-nowrap">{}</td>'
        assert cell.format("18.6 mi") + cell.format("14.4 mi") in html

    def test_no_runs(self, athlete_client):
        html = page(athlete_client.get(reverse("progress:mine")))

        assert "No runs in the last 16 weeks." in html
        assert "running-volume-desc" not in html

    @pytest.mark.parametrize("who", ["athlete", "coach"])
    def test_the_same_queries_with_ten_runs_and_with_a_year(
        self, request, athlete, sessions, squat, who, django_assert_max_num_queries
    ):
        log(sessions[MONDAY], squat, 1, 5, "100")
        profile = athlete.athlete_profile
        client = request.getfixturevalue(f"{who}_client")
        url = (
            reverse("progress:mine")
            if who == "athlete"
            else reverse("progress:athlete", args=[profile.pk])
        )
        Run.objects.bulk_create(
            Run(
                athlete=profile,
                date=TODAY - datetime.timedelta(days=3 * n),
                run_type="easy",
                distance_m=8000,
                status="done",
            )
            for n in range(10)
        )
        clear_caches()  # as below: the session and the user read afresh too
        with django_assert_max_num_queries(11) as ten_runs:
            page(client.get(url))
        Run.objects.all().delete()
        make_runs_for_a_year(profile, today=TODAY)
        assert Run.objects.filter(status="done").count() >= 290
        clear_caches()  # pages and the navbar's unread count read afresh, as the first time

        with django_assert_max_num_queries(len(ten_runs)) as a_year:
            html = page(client.get(url))

        assert len(a_year) == len(ten_runs)
        assert html.count("<g><title>Week of") == 16


class TestMyExerciseProgress:
    def url(self, exercise) -> str:
        return reverse("progress:exercise", args=[exercise.pk])

    def test_chart_records_and_history(self, athlete_client, squat, squats):
        html = page(athlete_client.get(self.url(squat)))
        assert '<h1 class="h3 mb-1">Back squat</h1>' in html
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
        assert "Estimated 1RM per session, Back squat" in html
        assert 'Best estimated 1RM: <span class="fw-semibold">121 kg</span>' in html
        assert "(3 × 110 kg, 10 Dec 2026)" in html
        assert '>5</th><td class="text-end">102.5 kg</td><td class="text-end">7 Dec 2026' in html
        assert (
            '5 × 102.5 kg @ RPE 8.5 <span class="badge text-bg-success">New record</span>' in html
        )
        assert "Thu 10 Dec" in html
        assert "119.6 kg" in html
        # The latest session set a record: the moment is shown.
        assert "New record</span> on Thu 10 Dec: 3 × 110 kg." in html
        assert html.index("Thu 10 Dec<") < html.index("Mon 7 Dec<")  # newest first

    def test_no_moment_when_the_latest_session_set_no_record(
        self, athlete_client, squat, sessions, squats
    ):
        log(sessions[NEXT_MONDAY], squat, 1, 5, "90")
        html = page(athlete_client.get(self.url(squat)))
        assert "New record</span> on" not in html

    def test_estimate_above_recorded_1rm_suggests_updating_it(
        self, athlete, athlete_client, squat, squats
    ):
        OneRepMax.objects.create(athlete=athlete.athlete_profile, exercise=squat, kg=Decimal(115))
        html = page(athlete_client.get(self.url(squat)))
        assert 'Recorded 1RM: <span class="fw-semibold">115 kg</span>' in html
        assert "The estimate is above the recorded 1RM" in html

    def test_bodyweight_exercise_has_history_without_chart(
        self, athlete_client, calf_raise, squats
    ):
        SetLog.objects.create(
            id=uuid.uuid4(),
            athlete=squats[2].athlete,
            session=squats[2].session,
            exercise=calf_raise,
            set_number=2,
            duration_s=45,
            performed_on=MONDAY,
            logged_at=squats[2].logged_at + datetime.timedelta(minutes=2),
        )
        html = page(athlete_client.get(self.url(calf_raise)))
        assert "<svg xmlns" not in html
        assert "12 × bodyweight" in html
        assert "45 s" in html
        assert "Only bodyweight or timed sets so far" in html

    def test_lb_reader_sees_pounds(self, athlete, athlete_client, squat, squats):
        athlete.weight_unit = "lb"
        athlete.save()
        html = page(athlete_client.get(self.url(squat)))
        assert "Estimated 1RM per session (lb)" in html
        assert "266.8 lb" in html  # 121 kg
        assert "3 × 242.5 lb" in html  # 110 kg
        assert " kg" not in html

    def test_404_without_logs_of_it(self, athlete_client, coach, other_athlete, squat, calf_raise):
        other = assign(coach, other_athlete, [squat])
        log(other[MONDAY], squat, 1, 5, "100")
        assert athlete_client.get(self.url(squat)).status_code == 404
        assert athlete_client.get(reverse("progress:exercise", args=[999999])).status_code == 404

    def test_a_coach_without_athlete_profile_is_refused(self, coach_client, squat, squats):
        assert coach_client.get(self.url(squat)).status_code == 403

    def test_anonymous_goes_to_sign_in(self, client, squat):
        response = client.get(self.url(squat))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_post_not_allowed(self, athlete_client, squat, squats):
        assert athlete_client.post(self.url(squat)).status_code == 405

    @pytest.mark.parametrize("many", [False, True])
    def test_fixed_queries(
        self, athlete_client, squat, sessions, many, django_assert_max_num_queries
    ):
        log(sessions[MONDAY], squat, 1, 5, "100")
        if many:
            for session in sessions.values():
                for number in range(2, 8):
                    log(session, squat, number, 5, str(90 + number))
        with django_assert_max_num_queries(7):
            page(athlete_client.get(self.url(squat)))


class TestCoachViews:
    def test_a_coach_reads_their_athletes_progress_in_their_own_unit(
        self, coach, coach_client, athlete, squat, squats
    ):
        coach.weight_unit = "lb"
        coach.save()
        profile = athlete.athlete_profile
        html = page(coach_client.get(reverse("progress:athlete", args=[profile.pk])))
        assert "Ana Athlete · progress" in html
        assert "266.8 lb" in html
        exercise_url = reverse("progress:athlete_exercise", args=[profile.pk, squat.pk])
        assert exercise_url in html
        assert reverse("schedule:athlete_maxes", args=[profile.pk]) in html

        html = page(coach_client.get(exercise_url))
        assert "Back squat" in html
        assert "Ana Athlete" in html
        assert "3 × 242.5 lb" in html
        assert reverse("progress:athlete", args=[profile.pk]) in html

    def test_another_coachs_athlete_is_404(self, coach_client, other_athlete, squat):
        profile = other_athlete.athlete_profile
        assert coach_client.get(reverse("progress:athlete", args=[profile.pk])).status_code == 404
        url = reverse("progress:athlete_exercise", args=[profile.pk, squat.pk])
        assert coach_client.get(url).status_code == 404

    def test_404_when_the_athlete_never_logged_it(self, coach_client, athlete, calf_raise):
        url = reverse("progress:athlete_exercise", args=[athlete.athlete_profile.pk, calf_raise.pk])
        assert coach_client.get(url).status_code == 404

    def test_an_athlete_is_refused(self, athlete_client, athlete, squat):
        profile = athlete.athlete_profile
        assert athlete_client.get(reverse("progress:athlete", args=[profile.pk])).status_code == 403
        url = reverse("progress:athlete_exercise", args=[profile.pk, squat.pk])
        assert athlete_client.get(url).status_code == 403

    def test_anonymous_goes_to_sign_in(self, client, athlete, squat):
        profile = athlete.athlete_profile
        for url in [
            reverse("progress:athlete", args=[profile.pk]),
            reverse("progress:athlete_exercise", args=[profile.pk, squat.pk]),
        ]:
            response = client.get(url)
            assert response.status_code == 302
            assert response.url.startswith(reverse("login"))

    def test_post_not_allowed(self, coach_client, athlete, squat, squats):
        profile = athlete.athlete_profile
        assert coach_client.post(reverse("progress:athlete", args=[profile.pk])).status_code == 405
        url = reverse("progress:athlete_exercise", args=[profile.pk, squat.pk])
        assert coach_client.post(url).status_code == 405

    @pytest.mark.parametrize("many", [False, True])
    def test_fixed_queries(
        self, coach_client, athlete, squat, sessions, many, django_assert_max_num_queries
    ):
        log(sessions[MONDAY], squat, 1, 5, "100")
        if many:
            for session in sessions.values():
                for number in range(2, 8):
                    log(session, squat, number, 5, "100")
        profile = athlete.athlete_profile
        # One more than the athlete's pages: the menu asks whether the coach is an athlete.
        with django_assert_max_num_queries(11):
            page(coach_client.get(reverse("progress:athlete", args=[profile.pk])))
        with django_assert_max_num_queries(8):
            page(
                coach_client.get(reverse("progress:athlete_exercise", args=[profile.pk, squat.pk]))
            )
