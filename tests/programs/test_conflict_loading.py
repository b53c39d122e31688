"""What ``load_plans`` hands the conflict engine: each lift with the athlete's 1RM for it, and
the runs far enough back to tell whether a run is long."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from programs.conflicts.model import LONG_RUN_WINDOW_DAYS
from programs.conflicts.services import LOOK_BACK, load_plans
from programs.models import Flag, OneRepMax
from programs.schedule import runs as run_services
from programs.schedule import services
from tests.factories import ExerciseFactory, make_block

MONDAY = datetime.date(2026, 12, 7)
FRIDAY = MONDAY + datetime.timedelta(days=4)
DEADLIFT_3X8 = {"sets": 3, "reps_min": 8, "load_type": "kg", "load_value": 120}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 2, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def deadlift(db):
    return ExerciseFactory(name="Deadlift", load_class="heavy_lower")


@pytest.fixture
def profile(athlete):
    return athlete.athlete_profile


def assign(coach, profile, exercise):
    block = make_block(coach, [exercise], weeks=1, sessions=2, dose=DEADLIFT_3X8)
    services.assignment_create(
        block=block, athletes=[profile], start=MONDAY, weekdays=[1, 4], assigned_by=coach
    )


def test_a_lift_at_75_percent_of_the_athlete_s_1rm_is_heavy_whatever_its_reps(
    coach, profile, deadlift
):
    OneRepMax.objects.create(athlete=profile, exercise=deadlift, kg=Decimal(140))
    assign(coach, profile, deadlift)

    run_services.run_create(athlete=profile, date=FRIDAY, run_type="long", distance_m=30000)

    assert list(Flag.objects.filter(code="HEAVY_BEFORE_LONG_RUN").values_list("message")) == [
        (
            "Heavy lower-body session (Deadlift 3×8 @ 120 kg · 85.7% 1RM) on Thu 10 Dec is the "
            "day before your long run (30 km) on Fri 11 Dec",
        )
    ]


def test_without_a_1rm_the_same_lift_is_not_heavy(coach, profile, deadlift):
    assign(coach, profile, deadlift)

    run_services.run_create(athlete=profile, date=FRIDAY, run_type="long", distance_m=30000)

    assert not Flag.objects.filter(code="HEAVY_BEFORE_LONG_RUN").exists()


def test_runs_are_loaded_from_the_long_run_window_before_the_first_session(profile):
    first = MONDAY - LOOK_BACK
    for days in (LONG_RUN_WINDOW_DAYS, LONG_RUN_WINDOW_DAYS + 1):
        run_services.run_create(
            athlete=profile,
            date=first - datetime.timedelta(days=days),
            run_type="easy",
            distance_m=8000,
        )

    (plan,) = load_plans([profile], since=MONDAY).values()

    assert [r.date for r in plan.runs] == [first - datetime.timedelta(days=LONG_RUN_WINDOW_DAYS)]
