import pytest

from programs.schedule.runfiles.parsing import (
    HALF_MARATHON_M,
    MARATHON_M,
    NOT_RECOGNISED,
    SUMMARY_EVENT,
    parse_distance_m,
    parse_duration_s,
    parse_race_priority,
    read_workout,
)

MILE = 1609.344


@pytest.mark.parametrize(
    ("summary", "run_type", "distance_m", "duration_s"),
    [
        # The examples
        ("Long run 18 mi", "long", round(18 * MILE), None),
        ("LR", "long", None, None),
        ("Tempo 5 km @ HM pace", "tempo", 5000, None),
        ("Intervals 6x800", "intervals", None, None),
        ("Race: Berlin Marathon", "race", MARATHON_M, None),
        ("Rest", "rest", None, None),
        ("OFF", "rest", None, None),
        ("Easy 6 mi a.m. 4 mi p.m.", "easy", round(10 * MILE), None),
        ("10K", "easy", 10000, None),
        ("6.5 mile", "easy", round(6.5 * MILE), None),
        ("10 km", "easy", 10000, None),
        # bendecoste_running_plan.ics
        ("5k", "easy", 5000, None),
        ("12k - Road Hammer Practice", "easy", 12000, None),
        ("Cross Train", "cross_training", None, None),
        # raxdne plans
        ("Running 00:25:00", "easy", None, 1500),
        ("Running 03:00:00", "easy", None, 3 * 3600),
        # Other plans in the wild
        ("🏃 Easy 5 mi", "easy", round(5 * MILE), None),
        ("Easy run, 8 km @ 6:00/km", "easy", 8000, None),
        ("Easy 45 min", "easy", None, 2700),
        ("Long run 1:30", "long", None, 5400),
        ("Long run 1h30", "long", None, 5400),
        ("Long run 16 mi with last 5 mi at race pace", "long", round(16 * MILE), None),
        ("Marathon pace run 10 mi", "easy", round(10 * MILE), None),
        ("Threshold 3x10 min", "tempo", None, None),
        ("T-run 20 min", "tempo", None, 1200),
        ("Intervals 10 km with 6x800m @ 5k pace", "intervals", 10000, None),
        ("Track: 12 x 400m, 90 s rest", "intervals", None, None),
        ("VO2max 5x1000m", "intervals", None, None),
        ("Hill repeats 8x60s", "hills", None, None),
        ("Fartlek 40 min", "fartlek", None, 2400),
        ("Recovery jog 30 min", "recovery", None, 1800),
        ("Shakeout 3 mi", "recovery", round(3 * MILE), None),
        ("Parkrun 5k", "race", 5000, None),
        ("10k race", "race", 10000, None),
        ("Half marathon", "race", HALF_MARATHON_M, None),
        ("Day off", "rest", None, None),
        ("Jog 1.5 hours", "easy", None, 5400),
        ("E run 800m", "easy", 800, None),
    ],
)
def test_read_workout_from_real_world_summaries(summary, run_type, distance_m, duration_s):
    workout = read_workout(summary)

    assert (workout.run_type, workout.distance_m, workout.duration_s) == (
        run_type,
        distance_m,
        duration_s,
    )


@pytest.mark.parametrize(
    ("summary", "reason"),
    [
        ("Bike 40 km", "not a run (bike)"),
        ("Bicycle 02:00:00", "not a run (bicycle)"),
        ("Cycling 01:15:00", "not a run (cycling)"),
        ("Swimming 2000m", "not a run (swimming)"),
        ("Strength 00:25:00", "not a run (strength)"),
        ("Gym: legs", "not a run (gym)"),
        ("Yoga", "not a run (yoga)"),
        ("Week 3 total: 40 mi", SUMMARY_EVENT),
        ("RB 00:25:00", NOT_RECOGNISED),
        ("Road Hammer Practice", NOT_RECOGNISED),
        ("", NOT_RECOGNISED),
    ],
)
def test_events_that_are_not_runs_say_why(summary, reason):
    workout = read_workout(summary)

    assert workout.run_type is None
    assert workout.skip == reason


def test_a_run_word_beside_another_sport_keeps_the_run():
    assert read_workout("Easy run + core strength 6 km").run_type == "easy"


def test_the_description_names_the_type_when_the_summary_does_not():
    workout = read_workout("RB 00:25:00", "Test 3 x 1000m speed run")

    assert (workout.run_type, workout.duration_s) == ("intervals", 1500)


def test_the_summary_wins_over_the_description():
    assert read_workout("Tempo 8 km", "Rest 2 min between reps").run_type == "tempo"


def test_a_rest_day_has_no_distance_or_time():
    assert read_workout("Rest day (30 min walk)") == read_workout("Rest")


@pytest.mark.parametrize(
    ("text", "priority"),
    [
        ("A race: Chicago Marathon", "A"),
        ("Berlin Marathon (A)", "A"),
        ("Tune-up 10k, B-race", "B"),
        ("Parkrun, priority: C", "C"),
        ("Race: Berlin Marathon", ""),
        ("Run a race for fun", ""),
    ],
)
def test_race_priority(text, priority):
    assert parse_race_priority(text) == priority


def test_only_races_get_a_priority():
    assert read_workout("Long run (A)").race_priority == ""
    assert read_workout("Half marathon (A)").race_priority == "A"


def test_metres_count_from_100_and_never_as_an_interval_sessions_distance():
    assert parse_distance_m("Strides 50 m") is None
    assert parse_distance_m("Easy 800m") == 800
    assert parse_distance_m("800m repeats", run_type="intervals") is None


def test_paces_and_repetitions_are_not_distances():
    assert parse_distance_m("Easy @ 10K pace") is None
    assert parse_distance_m("Easy 5 mi @ 8:00/mi") == round(5 * MILE)
    assert parse_distance_m("4 x 1 mile") is None


def test_clock_times_and_paces_are_not_durations():
    assert parse_duration_s("Run 6:00 a.m.") is None
    assert parse_duration_s("Easy 5 mi @ 7:30/mi") is None
    assert parse_duration_s("45:00") == 2700
    assert parse_duration_s("6x3 min", run_type="intervals") is None
    assert parse_duration_s("Intervals 1h", run_type="intervals") == 3600
