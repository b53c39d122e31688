"""What really happened feeds the conflict engine: a run done from a watch file is placed
at the time it really started, and a skipped run is no run at all."""

import datetime

import pytest
import time_machine

from programs.activities.services import activities_import
from programs.models import Flag, Run, RunStatus
from programs.schedule import runs as run_services
from programs.schedule import services
from tests.factories import ExerciseFactory, make_block
from tests.programs.activities.fitwriter import run_fit

MONDAY = datetime.date(2026, 12, 7)
EVENING = datetime.time(18, 0)
SAME_DAY = "STRENGTH_BEFORE_RUN_SAME_DAY"


@pytest.fixture(autouse=True)
def frozen():
    # Monday noon in Paris: the morning is over, the evening session still ahead.
    with time_machine.travel(datetime.datetime(2026, 12, 7, 11, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def profile(athlete):
    athlete.time_zone = "Europe/Paris"  # UTC+1 in December
    athlete.save(update_fields=["time_zone"])
    return athlete.athlete_profile


@pytest.fixture
def evening_strength(coach, profile):
    """Light strength sessions on Monday and Thursday at 18:00 (two a week: too few raises
    a flag of its own)."""
    lunge = ExerciseFactory(name="Walking lunge", load_class="light_lower")
    block = make_block(coach, [lunge], name="Evening", weeks=1, sessions=2)
    services.assignment_create(
        block=block,
        athletes=[profile],
        start=MONDAY,
        weekdays=[1, 4],
        assigned_by=coach,
        start_time=EVENING,
    )


@pytest.fixture
def evening_tempo(profile, evening_strength) -> Run:
    """A tempo run planned at 19:00, after the strength session: run first, says the flag."""
    run = run_services.run_create(
        athlete=profile,
        date=MONDAY,
        run_type="tempo",
        distance_m=10_000,
        start_time=datetime.time(19, 0),
    )
    assert list(Flag.objects.values_list("code", flat=True)) == [SAME_DAY]
    return run


def test_a_run_recorded_in_the_morning_is_before_the_evening_session(profile, evening_tempo):
    # 06:00 UTC is 07:00 in Paris.
    fit = run_fit(start=datetime.datetime(2026, 12, 7, 6, 0, tzinfo=datetime.UTC), seconds=3300)

    report = activities_import(athlete=profile, uploads=[("tempo.fit", fit)])

    assert (report.created, report.matched) == (0, 1)
    evening_tempo.refresh_from_db()
    assert evening_tempo.status == RunStatus.DONE
    # The plan's time is kept as planned; the engine reads the watch's.
    assert evening_tempo.start_time == datetime.time(19, 0)
    assert not Flag.objects.filter(athlete=profile).exists()


def test_a_run_recorded_after_the_session_still_raises_the_flag(profile, evening_tempo):
    # 18:30 in Paris: the strength session at 18:00 really was first.
    fit = run_fit(start=datetime.datetime(2026, 12, 7, 17, 30, tzinfo=datetime.UTC), seconds=3300)

    report = activities_import(athlete=profile, uploads=[("tempo.fit", fit)])

    assert report.matched == 1
    flag = Flag.objects.get(athlete=profile)
    assert flag.code == SAME_DAY
    assert "18:30" in flag.message


def test_a_planned_run_marked_skipped_raises_no_flags(profile, evening_tempo):
    run_services.run_set_status(run=evening_tempo, status=RunStatus.SKIPPED)

    assert not Flag.objects.filter(athlete=profile).exists()

    run_services.run_set_status(run=evening_tempo, status=RunStatus.PLANNED)

    assert list(Flag.objects.values_list("code", flat=True)) == [SAME_DAY]
