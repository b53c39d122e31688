"""RUN_DISTANCE_SPIKE: a run longer than the longest of the 30 days before it by more than
10% (info), 30% (warning) or 100% (critical); nothing without a baseline."""

from dataclasses import replace

import pytest

from programs.conflicts import Code, Severity, SuggestionKind, evaluate
from tests.programs.conflicts.schedules import (
    day,
    heavy,
    only,
    run,
    seed_002_week,
    seed_003_week,
)


def spikes(runs, sessions=(), **options):
    return only(Code.RUN_DISTANCE_SPIKE, evaluate(sessions, runs, **options))


def history(km: float = 20):
    """A month of history: the longest run of the 30 days before day 0 is ``base``."""
    return [run("old", day(-40), "long", km), run("base", day(-10), "long", km)]


@pytest.mark.parametrize(
    ("metres", "severity"),
    [
        (15_000, None),
        (20_000, None),
        (22_000, None),  # exactly +10%
        (22_001, Severity.INFO),
        (26_000, Severity.INFO),  # exactly +30%
        (26_001, Severity.WARNING),
        (40_000, Severity.WARNING),  # exactly +100%
        (40_001, Severity.CRITICAL),
    ],
)
def test_the_bands_and_their_boundaries(metres, severity):
    target = replace(run("new", day(0), "long"), distance_m=metres)

    flags = spikes([*history(20), target])

    assert [f.severity for f in flags] == ([severity] if severity else [])
    assert all(f.run_ids == ("new", "base") and f.session_ids == () for f in flags)


@pytest.mark.parametrize(("offset", "fires"), [(-30, True), (-31, False)])
def test_the_30th_day_back_counts_and_the_31st_does_not(offset, fires):
    runs = [
        run("old", day(-60), "long", 20),
        run("base", day(offset), "easy", 10),
        run("new", day(0), "long", 15),
    ]

    flags = spikes(runs)

    assert [(f.run_ids, f.severity) for f in flags] == (
        [(("new", "base"), Severity.WARNING)] if fires else []
    )


def test_the_runs_own_day_is_not_its_baseline():
    runs = [*history(20), run("am", day(0), "easy", 5), run("pm", day(0), "long", 21)]

    assert spikes(runs) == []


def test_a_done_run_counts_at_its_done_distance():
    done = replace(run("new", day(0), "long", 20), done=True, actual_distance_m=30_000)

    flags = spikes([*history(20), done])

    assert [f.severity for f in flags] == [Severity.WARNING]
    assert flags[0].message.startswith("Your long run (30 km) on Mon 8 Dec is 50% longer")


def test_a_done_run_without_a_done_distance_counts_at_its_plan():
    done = replace(run("new", day(0), "long", 21), done=True)
    planned_with_a_stray_actual = replace(run("new", day(0), "long", 21), actual_distance_m=40_000)

    assert spikes([*history(20), done]) == []
    assert spikes([*history(20), planned_with_a_stray_actual]) == []


def test_a_done_baseline_counts_at_its_done_distance():
    base = replace(run("base", day(-10), "long", 20), done=True, actual_distance_m=30_000)

    flags = spikes([run("old", day(-40), "long", 20), base, run("new", day(0), "long", 32)])

    # The done 30 km is itself a spike over the 20 km before it; the 32 km after it is not.
    assert [f.run_ids for f in flags] == [("base", "old")]


def test_no_run_in_the_previous_30_days_raises_nothing():
    # A comeback after a break: no baseline, so no flag, however long the run.
    assert spikes([run("old", day(-45), "easy", 5), run("new", day(0), "long", 30)]) == []
    assert spikes([run("new", day(0), "long", 30)]) == []


def test_a_plan_without_30_days_of_history_raises_nothing():
    # The first run the engine knows of is 10 days back: day 0's 30 days are not all known.
    runs = [run("base", day(-10), "easy", 5), run("new", day(0), "long", 30)]

    assert spikes(runs) == []


@pytest.mark.parametrize("week", [seed_003_week, seed_002_week])
def test_a_sample_week_on_its_own_raises_nothing(week):
    sessions, runs = week()

    assert spikes(runs, sessions) == []


def test_rest_cross_training_and_runs_without_a_distance_neither_raise_nor_count():
    runs = [
        run("old", day(-40), "easy", 10),
        run("bike", day(-5), "cross_training", 60),
        run("undistanced", day(-4), "long"),
        run("base", day(-3), "easy", 10),
        run("swim", day(0), "cross_training", 30),
        run("rest", day(1), "rest", 30),
        run("new", day(2), "long", 12),
        run("timed", day(3), "long", None, duration_s=3 * 3600),
    ]

    flags = spikes(runs)

    assert [(f.run_ids, f.severity) for f in flags] == [(("new", "base"), Severity.INFO)]


def test_the_message_names_the_run_the_previous_longest_and_their_dates():
    flags = spikes([*history(20), run("new", day(0), "long", 32)])

    assert flags[0].message == (
        "Your long run (32 km) on Mon 8 Dec is 60% longer than the longest run of the "
        "previous 30 days, your long run (20 km) on Fri 28 Nov"
    )
    assert flags[0].dates == (day(-10), day(0))


def test_the_message_uses_the_athletes_unit_and_the_latest_of_equal_longest_runs():
    runs = [
        *history(16.09344),
        run("tie", day(-5), "easy", 16.09344),
        run("new", day(0), "long", 22.1),
    ]

    (flag,) = spikes(runs, distance_unit="mi")

    assert flag.run_ids == ("new", "tie")
    assert flag.message == (
        "Your long run (13.7 mi) on Mon 8 Dec is 37.3% longer than the longest run of the "
        "previous 30 days, your easy run (10 mi) on Wed 3 Dec"
    )


def test_the_suggestion_is_advice_and_never_touches_a_strength_session():
    sessions = [heavy("sat", day(-2)), heavy("sun", day(-1))]

    (flag,) = spikes([*history(20), run("new", day(0), "easy", 30)], sessions)

    assert flag.session_ids == ()
    assert flag.suggestion.kind == SuggestionKind.NONE
    assert flag.suggestion.session_id is None
    assert flag.suggestion.text == (
        "Keep it within 10% of your longest recent run (20 km), or build up to it over the "
        "coming weeks."
    )


def test_a_done_spike_gets_advice_for_the_next_runs():
    done = replace(run("new", day(0), "long", 20), done=True, actual_distance_m=30_000)

    (flag,) = spikes([*history(20), done])

    assert flag.suggestion.text.startswith("This run is done: keep the next long runs near 20 km")
