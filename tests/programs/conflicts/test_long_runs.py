"""A run is long when it is typed long, is a race, or is long for the athlete by its
distance: at least 1.5 × the median of their runs of the 28 days before it and at least
10 km, or, with fewer than three runs in those days, at least 25 km. Every rule about long
runs reads it the same way."""

from dataclasses import replace

import pytest

from programs.conflicts import Code, Severity, Thresholds, evaluate
from programs.conflicts.model import is_long_by_distance
from tests.programs.conflicts.schedules import codes, day, heavy, light, only, run

ONE_OFF = Thresholds(min_per_week=0)
SAT = day(12)  # Sat 20 Dec: the run that may be long


def check(sessions, runs):
    return evaluate(sessions, runs, ONE_OFF, suggest=False)


def recent(*kms: float, days_before: int = 2) -> list:
    """Easy runs of ``kms`` on every ``days_before``-th day before SAT, nearest first."""
    return [run(f"e{n}", day(12 - days_before * (n + 1)), "easy", km) for n, km in enumerate(kms)]


def long_before(km: float, *history, run_type: str = "easy", **fields) -> list[str]:
    """The codes raised by heavy squats on Friday before a ``km`` run on Saturday."""
    runs = [run("sat", SAT, run_type, km, **fields), *history]
    return codes(only(Code.HEAVY_BEFORE_LONG_RUN, check([heavy("s", day(11))], runs)))


# The rule itself, for the importer as for the engine


@pytest.mark.parametrize(
    ("metres", "recent_metres", "long"),
    [
        (12_000, [8_000, 8_000, 8_000], True),  # exactly 1.5 × the median
        (11_999, [8_000, 8_000, 8_000], False),
        (13_500, [6_000, 8_000, 10_000, 12_000], True),  # median of an even count: 9 km
        (13_499, [6_000, 8_000, 10_000, 12_000], False),
        (10_000, [5_000, 5_000, 6_000], True),  # exactly 10 km
        (9_999, [5_000, 5_000, 6_000], False),  # 2 × the median, but under 10 km
        (29_999, [20_000, 20_000, 20_000], False),  # 25 km and more, but not 1.5 × 20 km
        (25_000, [8_000, 8_000], True),  # fewer than three runs: exactly 25 km
        (24_999, [8_000, 8_000], False),
        (25_000, [], True),
        (None, [], False),
    ],
)
def test_long_by_distance(metres, recent_metres, long):
    assert is_long_by_distance(metres, recent_metres) is long


# Through the rules


def test_an_easy_run_long_for_the_athlete_is_a_long_run():
    flags = check([heavy("s", day(11))], [run("sat", SAT, "easy", 32), *recent(10, 12, 8, 10)])

    assert [(f.code, f.severity, f.run_ids) for f in flags] == [
        (Code.HEAVY_BEFORE_LONG_RUN, Severity.CRITICAL, ("sat",))
    ]
    assert flags[0].message == (
        "Heavy lower-body session (Back squat 4×5 @ 80%) on Fri 19 Dec is the day before "
        "your easy run (32 km, long for you) on Sat 20 Dec"
    )


def test_an_easy_run_under_one_and_a_half_times_the_median_is_not():
    assert long_before(14, *recent(10, 10, 10)) == []
    assert long_before(15, *recent(10, 10, 10)) == [Code.HEAVY_BEFORE_LONG_RUN]


def test_ten_km_at_least_with_three_recent_runs():
    assert long_before(9.999, *recent(4, 4, 4)) == []
    assert long_before(10, *recent(4, 4, 4)) == [Code.HEAVY_BEFORE_LONG_RUN]


def test_twenty_five_km_at_least_with_fewer_than_three_recent_runs():
    assert long_before(24.999, *recent(8, 8)) == []
    assert long_before(25, *recent(8, 8)) == [Code.HEAVY_BEFORE_LONG_RUN]


def test_the_window_is_the_28_days_before_the_run():
    # Three 8 km runs 28, 21 and 14 days before: 12 km is long. A day further back, the
    # first falls out and two are left: 12 km is not, 25 km is.
    within = [run(f"w{n}", day(-16 + 7 * n), "easy", 8) for n in range(3)]  # 28, 21, 14 days
    assert long_before(12, *within) == [Code.HEAVY_BEFORE_LONG_RUN]
    older = [run(f"o{n}", day(-17 + 7 * n), "easy", 8) for n in range(3)]  # 29, 22, 15 days
    assert long_before(12, *older) == []
    assert long_before(25, *older) == [Code.HEAVY_BEFORE_LONG_RUN]


def test_runs_on_the_same_day_rest_cross_training_and_runs_without_a_distance_do_not_count():
    others = [
        run("same-day", SAT, "easy", 5),
        run("rest", day(10), "rest"),
        run("bike", day(9), "cross_training", 40),
        run("no-distance", day(8), "easy"),
        *recent(8, 8),
    ]

    assert long_before(24, *others) == []
    assert long_before(25, *others) == [Code.HEAVY_BEFORE_LONG_RUN]


def test_a_done_run_counts_at_its_done_distance():
    done = {"done": True, "actual_distance_m": 30_000}

    assert long_before(10, *recent(8, 8), **done) == [Code.HEAVY_BEFORE_LONG_RUN]
    # and as recent runs: two of three 8 km runs done at 30 km make the median 30 km
    history = [replace(r, **done) if r.id != "e2" else r for r in recent(8, 8, 8)]
    assert long_before(12, *recent(8, 8, 8)) == [Code.HEAVY_BEFORE_LONG_RUN]
    assert long_before(12, *history) == []


def test_the_message_gives_the_done_distance():
    sat = run("sat", SAT, "easy", 10, done=True, actual_distance_m=30_000)

    (flag,) = check([heavy("s", day(11))], [sat])

    assert "your easy run (30 km, long for you) on Sat 20 Dec" in flag.message


def test_a_long_tempo_run_raises_the_long_run_flag_only():
    runs = [run("sat", SAT, "tempo", 30)]

    assert codes(check([heavy("s", day(11))], runs)) == [Code.HEAVY_BEFORE_LONG_RUN]
    two_days = Thresholds(min_per_week=0, heavy_before_key_days=2)
    assert codes(evaluate([heavy("s", day(10))], runs, two_days, suggest=False)) == [
        Code.HEAVY_BEFORE_KEY_RUN  # outside the long-run rule's day: the key-run rule says it
    ]


def test_heavy_work_the_day_after_or_the_day_of_a_long_easy_run():
    runs = [run("sat", SAT, "easy", 30)]

    assert [(f.code, f.dates) for f in check([heavy("s", day(13))], runs)] == [
        (Code.HEAVY_AFTER_LONG_RUN, (SAT, day(13)))
    ]
    (flag,) = check([heavy("s", SAT)], runs)
    assert (flag.code, flag.message) == (
        Code.HEAVY_SAME_DAY_AS_LONG_RUN,
        "Heavy lower-body session (Back squat 4×5 @ 80%) on Sat 20 Dec is on the same day as "
        "your easy run (30 km, long for you)",
    )


def test_a_long_easy_run_is_a_key_run_for_light_strength_on_its_day():
    assert codes(check([light("s", SAT)], [run("sat", SAT, "easy", 30)])) == [
        Code.STRENGTH_BEFORE_RUN_SAME_DAY
    ]
    assert check([light("s", SAT)], [run("sat", SAT, "easy", 20)]) == []


@pytest.mark.parametrize(("km", "to"), [(30, day(13)), (20, SAT)])
def test_nothing_moves_onto_a_long_easy_run_s_day(km, to):
    # Friday's session is too close to Thursday's; Saturday is the nearest day that clears
    # it (Tuesday's session rules out Wednesday), unless Saturday's easy run is long.
    sessions = [light("t", day(8)), light("a", day(10)), light("b", day(11))]

    (flag,) = evaluate(sessions, [run("sat", SAT, "easy", km)], ONE_OFF)

    assert (flag.code, flag.suggestion.session_id, flag.suggestion.to_date) == (
        Code.STRENGTH_DAYS_TOO_CLOSE,
        "b",
        to,
    )
