"""Issue #18 on Today: the load one tap logs (last time's, else the 1RM's, else the
prescription's; by feel, the last load at that effort; none for bodyweight), and an
exercise folded to its summary once its prescribed sets are logged."""

import datetime
import re
import uuid
from decimal import Decimal

import pytest
import time_machine

from programs.models import OneRepMax, ScheduledSession, SetLog
from tests.factories import ExerciseFactory
from tests.programs.test_today import a_set, assign, sync

THURSDAY = datetime.datetime(2026, 12, 10, 9, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 7, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def squat(db):
    return ExerciseFactory(name="Back squat")


def sessions_of(coach, athlete, exercises, dose, name="Test block") -> list[ScheduledSession]:
    """Monday's and Thursday's sessions of a 1-week block at ``dose``."""
    assign(coach, athlete, exercises, name=name, weeks=1, sessions=2, dose=dose)
    return list(ScheduledSession.objects.filter(athlete__user=athlete).order_by("date"))


def load_input(html: str, session: ScheduledSession, exercise=None) -> str | None:
    """The value the load stepper starts at, or None when there is no load stepper."""
    rx = session.prescriptions.get(exercise=exercise) if exercise else session.prescriptions.get()
    found = re.search(rf'id="load-{rx.pk}" name="load" inputmode="decimal" value="([^"]*)"', html)
    return found.group(1) if found else None


def on_thursday(client) -> str:
    with time_machine.travel(THURSDAY, tick=False):
        return client.get("/athlete/").content.decode()


class TestTheLoadOneTapLogs:
    def test_last_times_load_on_the_exercise(self, coach, athlete, athlete_client, squat):
        monday, thursday = sessions_of(
            coach, athlete, [squat], {"sets": 3, "reps_min": 5, "load_type": "kg", "load_value": 80}
        )
        sync(
            athlete_client,
            a_set(monday, set=1, load="75"),
            a_set(monday, set=2, load="72.5", logged_at="2026-12-07T09:05:00Z"),
        )
        html = on_thursday(athlete_client)
        assert "Last time Mon 7 Dec: 5 × 75 kg @ RPE 8, 5 × 72.5 kg @ RPE 8" in html
        assert load_input(html, thursday) == "72.5"  # the most recent set, as it was typed

    def test_last_times_load_as_typed_in_pounds(self, coach, athlete, athlete_client, squat):
        athlete.weight_unit = "lb"
        athlete.save()
        monday, thursday = sessions_of(
            coach, athlete, [squat], {"sets": 3, "reps_min": 5, "load_type": "kg", "load_value": 80}
        )
        sync(athlete_client, a_set(monday, load="187.5"))
        assert load_input(on_thursday(athlete_client), thursday) == "187.5"

    def test_without_history_the_load_from_the_1rm(self, coach, athlete, athlete_client, squat):
        OneRepMax.objects.create(athlete=athlete.athlete_profile, exercise=squat, kg=Decimal(100))
        monday, _ = sessions_of(
            coach,
            athlete,
            [squat],
            {"sets": 3, "reps_min": 5, "load_type": "pct_1rm", "load_value": 72},
        )
        html = athlete_client.get("/athlete/").content.decode()
        assert "72% 1RM · 72.5 kg" in html
        assert load_input(html, monday) == "72.5"  # rounded to plates, as the card shows it

    def test_a_percentage_without_a_1rm_or_history_starts_empty(
        self, coach, athlete, athlete_client, squat
    ):
        monday, thursday = sessions_of(
            coach,
            athlete,
            [squat],
            {"sets": 3, "reps_min": 5, "load_type": "pct_1rm", "load_value": 72},
        )
        assert load_input(athlete_client.get("/athlete/").content.decode(), monday) == ""
        sync(athlete_client, a_set(monday, load="50"))
        assert load_input(on_thursday(athlete_client), thursday) == "50"

    def test_without_history_or_1rm_the_prescriptions_load(
        self, coach, athlete, athlete_client, squat
    ):
        monday, _ = sessions_of(
            coach, athlete, [squat], {"sets": 3, "reps_min": 5, "load_type": "kg", "load_value": 61}
        )
        html = athlete_client.get("/athlete/").content.decode()
        assert load_input(html, monday) == "60"  # 61 kg rounds to the nearest 2.5 kg

    def test_by_rpe_the_last_load_at_that_rpe(self, coach, athlete, athlete_client, squat):
        monday, thursday = sessions_of(
            coach, athlete, [squat], {"sets": 3, "reps_min": 5, "load_type": "rpe", "load_value": 8}
        )
        sync(
            athlete_client,
            a_set(monday, set=1, load="70", rpe="8"),
            # The most recent set, but harder than the plan asks.
            a_set(monday, set=2, load="77.5", rpe="9", logged_at="2026-12-07T09:05:00Z"),
        )
        assert load_input(on_thursday(athlete_client), thursday) == "70"

    def test_by_rpe_never_logged_at_that_rpe_the_last_load(
        self, coach, athlete, athlete_client, squat
    ):
        monday, thursday = sessions_of(
            coach, athlete, [squat], {"sets": 3, "reps_min": 5, "load_type": "rpe", "load_value": 8}
        )
        sync(athlete_client, a_set(monday, load="77.5", rpe=""))
        assert load_input(on_thursday(athlete_client), thursday) == "77.5"

    def test_by_rpe_with_no_history_starts_empty(self, coach, athlete, athlete_client, squat):
        monday, _ = sessions_of(
            coach, athlete, [squat], {"sets": 3, "reps_min": 5, "load_type": "rpe", "load_value": 8}
        )
        assert load_input(athlete_client.get("/athlete/").content.decode(), monday) == ""

    def test_by_rir_the_last_load_at_the_matching_rpe(self, coach, athlete, athlete_client, squat):
        monday, thursday = sessions_of(
            coach, athlete, [squat], {"sets": 3, "reps_min": 5, "load_type": "rir", "load_value": 2}
        )
        sync(
            athlete_client,
            a_set(monday, set=1, load="70", rpe="8"),  # 2 in reserve
            a_set(monday, set=2, load="80", rpe="9.5", logged_at="2026-12-07T09:05:00Z"),
        )
        assert load_input(on_thursday(athlete_client), thursday) == "70"

    def test_bodyweight_stays_empty_whatever_was_lifted(
        self, coach, athlete, athlete_client, squat
    ):
        monday, thursday = sessions_of(coach, athlete, [squat], {"sets": 3, "reps_min": 10})
        sync(athlete_client, a_set(monday, load="10"))  # a vest, once
        html = on_thursday(athlete_client)
        assert load_input(html, thursday) is None
        assert "One rep more" in html

    def test_sets_of_this_session_carry_their_load_forward(
        self, coach, athlete, athlete_client, squat
    ):
        monday, thursday = sessions_of(
            coach, athlete, [squat], {"sets": 3, "reps_min": 5, "load_type": "kg", "load_value": 80}
        )
        sync(athlete_client, a_set(monday, load="70"))
        with time_machine.travel(THURSDAY, tick=False):
            sync(athlete_client, a_set(thursday, load="82.5", performed_on="2026-12-10"))
        assert load_input(on_thursday(athlete_client), thursday) == "82.5"

    def test_history_costs_no_query_per_exercise(
        self, coach, athlete, athlete_client, django_assert_max_num_queries
    ):
        def logged_last_monday(count):
            exercises = [ExerciseFactory() for _ in range(count)]
            dose = {"sets": 3, "reps_min": 5, "load_type": "rpe", "load_value": 8}
            monday, _ = sessions_of(coach, athlete, exercises, dose, name=f"{count} lifts")
            sync(
                athlete_client,
                *[
                    a_set(monday, prescription=rx.pk, load="50")
                    for rx in monday.prescriptions.all()
                ],
            )

        logged_last_monday(2)
        with time_machine.travel(THURSDAY, tick=False), django_assert_max_num_queries(20) as few:
            athlete_client.get("/athlete/")
        # Counted now: the connection's query log is a bounded deque, and logging the
        # sets below runs enough queries to shift it.
        bound = len(few)
        SetLog.objects.all().delete()
        ScheduledSession.objects.all().delete()
        logged_last_monday(10)
        with time_machine.travel(THURSDAY, tick=False), django_assert_max_num_queries(bound):
            html = athlete_client.get("/athlete/").content.decode()
        assert html.count('inputmode="decimal" value="50"') == 10


def finished_card(html: str, session: ScheduledSession, exercise=None) -> str:
    rx = session.prescriptions.get(exercise=exercise) if exercise else session.prescriptions.get()
    found = re.search(rf'<article [^>]*data-prescription="{rx.pk}".*?</article>', html, re.S)
    return found.group(0)


class TestAnExerciseIsDoneAfterItsSets:
    DOSE = {"sets": 3, "reps_min": 10, "load_type": "kg", "load_value": 40}

    @pytest.fixture
    def two(self, coach, athlete, squat):
        lunge = ExerciseFactory(name="Lunge")
        monday, _ = sessions_of(coach, athlete, [squat, lunge], self.DOSE)
        return monday, squat, lunge

    def test_three_of_three_sets_fold_the_card_to_its_summary(self, athlete_client, two):
        monday, squat, lunge = two
        squat_rx = monday.prescriptions.get(exercise=squat)
        sync(
            athlete_client,
            *[
                a_set(monday, prescription=squat_rx.pk, set=n, reps=10, load="40", rpe="")
                for n in (1, 2, 3)
            ],
        )
        html = athlete_client.get("/athlete/").content.decode()
        done = finished_card(html, monday, squat)
        assert "rx-log rx-done" in done
        summary = '<span class="rx-summary-text">3 × 10 @ 40 kg</span> done'
        assert f'<span aria-hidden="true">✓ </span>{summary}' in done
        assert '<details class="rx-more">' in done  # folded: the form is behind "Add a set"
        assert 'Add a set<span class="visually-hidden"> of Back squat</span>' in done
        assert '<span class="set-label">Set 4</span>' in done
        assert 'id="session-left">1 of 2 exercises left</p>' in html
        # The exercise still to do stands open, its summary hidden.
        todo = finished_card(html, monday, lunge)
        assert "rx-done" not in todo
        assert '<details class="rx-more" open>' in todo
        assert '<p class="rx-summary mb-1 text-success-emphasis" hidden>' in todo

    def test_two_of_three_sets_leave_it_open(self, athlete_client, two):
        monday, squat, _ = two
        rx = monday.prescriptions.get(exercise=squat)
        sync(athlete_client, *[a_set(monday, prescription=rx.pk, set=n) for n in (1, 2)])
        html = athlete_client.get("/athlete/").content.decode()
        assert "rx-done" not in finished_card(html, monday, squat)
        assert 'id="session-left">2 of 2 exercises left</p>' in html

    def test_sets_that_differ_are_each_summed_up(self, athlete_client, two):
        monday, squat, _ = two
        rx = monday.prescriptions.get(exercise=squat)
        sync(
            athlete_client,
            a_set(monday, prescription=rx.pk, set=1, reps=10, load="40"),
            a_set(monday, prescription=rx.pk, set=2, reps=10, load="40"),
            a_set(monday, prescription=rx.pk, set=3, reps=8, load="42.5"),
        )
        html = athlete_client.get("/athlete/").content.decode()
        assert (
            '<span class="rx-summary-text">3 sets: 10 @ 40 kg, 10 @ 40 kg, 8 @ 42.5 kg</span>'
            in finished_card(html, monday, squat)
        )

    def test_all_done_counts_a_skipped_exercise_as_settled(self, athlete_client, two):
        monday, squat, lunge = two
        rx = monday.prescriptions.get(exercise=squat)
        sync(athlete_client, *[a_set(monday, prescription=rx.pk, set=n) for n in (1, 2, 3)])
        skipped = monday.prescriptions.get(exercise=lunge)
        athlete_client.post(f"/today/exercises/{skipped.pk}/skip/", {"reason": "Sore knee"})
        html = athlete_client.get("/athlete/").content.decode()
        assert 'id="session-left">All done</p>' in html
        assert "rx-done" not in finished_card(html, monday, lunge)

    def test_a_fourth_set_is_still_logged_with_the_plain_form(self, athlete_client, two):
        monday, squat, _ = two
        rx = monday.prescriptions.get(exercise=squat)
        sync(athlete_client, *[a_set(monday, prescription=rx.pk, set=n) for n in (1, 2, 3)])
        response = athlete_client.post(
            "/today/sets/one/",
            {
                "id": str(uuid.uuid4()),
                "session": monday.pk,
                "prescription": rx.pk,
                "set": 4,
                "reps": 5,
                "load": "80",
                "performed_on": "2026-12-07",
            },
        )
        assert response.status_code == 302
        assert sorted(
            SetLog.objects.filter(prescription=rx).values_list("set_number", flat=True)
        ) == [
            1,
            2,
            3,
            4,
        ]
        html = athlete_client.get("/athlete/").content.decode()
        assert "4 × 5 @ 80 kg</span> done" in finished_card(html, monday, squat)


class TestTodayForScreenReaders:
    def test_the_timer_is_not_read_every_second_and_ticks_are_decoration(
        self, coach, athlete, athlete_client, squat
    ):
        monday, _ = sessions_of(coach, athlete, [squat], {"sets": 3, "reps_min": 5, "rest_s": 60})
        sync(athlete_client, a_set(monday, load=""))
        html = athlete_client.get("/athlete/").content.decode()
        timer = re.search(r'<div id="rest-timer"[^>]*>', html).group(0)
        assert "aria-live" not in timer
        assert 'id="today-announce" role="status" aria-live="polite"' in html
        assert 'class="visually-hidden" id="today-announce"' in html
        assert "✓" not in re.sub(r'<span aria-hidden="true">✓ ?</span>', "", html)
