"""Flag messages name both things, the dose, the dates and the run in the athlete's unit."""

import contextlib
import datetime
import locale
from dataclasses import replace

import pytest

from programs.conflicts import Code, Item, evaluate
from programs.conflicts.text import day as day_text
from programs.conflicts.text import distance, duration
from tests.programs.conflicts.schedules import (
    BACK_SQUAT_80,
    BOX_JUMP,
    PLANK,
    day,
    heavy,
    light,
    only,
    run,
    session,
)


def messages(sessions, runs, **options):
    return [f.message for f in evaluate(sessions, runs, suggest=False, **options)]


def test_heavy_before_long_run_sentence():
    sessions = [heavy("fri", day(4)), light("tue", day(1))]

    assert messages(sessions, [run("long", day(5), "long", 32)]) == [
        "Heavy lower-body session (Back squat 4×5 @ 80%) on Fri 12 Dec is the day before "
        "your long run (32 km) on Sat 13 Dec"
    ]


def test_distances_in_miles():
    sessions = [heavy("fri", day(4)), light("tue", day(1))]
    twenty_miles = run("long", day(5), "long", 32.18688)

    assert messages(sessions, [twenty_miles], distance_unit="mi")[0].endswith(
        "your long run (20 mi) on Sat 13 Dec"
    )


@pytest.mark.parametrize(
    ("metres", "unit", "expected"),
    [(32000, "km", "32 km"), (21097, "km", "21.1 km"), (21097, "mi", "13.1 mi"),
     (5000, "mi", "3.1 mi"), (42195, "km", "42.2 km"), (9990, "km", "10 km")],
)  # fmt: skip
def test_distance_shows_a_decimal_only_when_needed(metres, unit, expected):
    assert distance(metres, unit) == expected


def test_duration_when_a_run_has_no_distance():
    assert [duration(s) for s in (2700, 5400, 3600)] == ["45 min", "1 h 30 min", "1 h"]
    sessions = [heavy("s", day(0)), light("t", day(3))]
    tempo = run("t", day(1), "tempo")

    assert messages(sessions, [replace(tempo, duration_s=2700)]) == [
        "Heavy lower-body session (Back squat 4×5 @ 80%) on Mon 8 Dec is the day before "
        "your tempo run (45 min) on Tue 9 Dec"
    ]


def test_race_message_names_the_race_and_the_taper():
    race = run("race", day(12), "race", 42.195, race_priority="A", title="Valencia Marathon")
    sessions = [session("s", day(9), BACK_SQUAT_80, BOX_JUMP, title="Power"), light("t", day(6))]

    (flag,) = only(Code.HEAVY_IN_TAPER, evaluate(sessions, [race], suggest=False))

    assert flag.message == (
        "Heavy lower-body and plyometric session (Back squat 4×5 @ 80%, Box jump 3×5) on "
        "Wed 17 Dec is 3 days before your A race Valencia Marathon (42.2 km) on Sat 20 Dec, "
        "inside the last 3 days before it"
    )


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Half marathon (A)", "Half marathon"),
        ("A race: Half marathon", "Half marathon"),
        ("Half marathon - A-race", "Half marathon"),
        ("Half marathon, priority: A", "Half marathon"),
        ("(A)", ""),
        ("Half marathon (B)", "Half marathon (B)"),  # not this race's priority: kept as is
        ("A race Half marathon (A)", "Half marathon"),
        ("Half marathon (A race)", "Half marathon"),
        ("Half marathon [A]", "Half marathon"),
        ("Half marathon (a)", "Half marathon"),
        ("Half marathon (priority A)", "Half marathon"),
        ("Half marathon, A priority", "Half marathon"),
        ("A: Half marathon", "Half marathon"),
        ("Half marathon – A", "Half marathon"),
        ("Half marathon (A race, goal 1:45)", "Half marathon (goal 1:45)"),
        ("Half marathon (-5°C) (A)", "Half marathon (-5°C)"),  # other brackets are kept
    ],
)
def test_a_race_s_priority_is_never_repeated(title, name):
    race = run("race", day(12), "race", 21.1, race_priority="A", title=title)

    (flag,) = only(Code.HEAVY_IN_TAPER, evaluate([heavy("s", day(9))], [race], suggest=False))

    named = f" {name}" if name else ""
    assert f"your A race{named} (21.1 km) on Sat 20 Dec" in flag.message
    assert flag.message.count("A race") + flag.message.count("A-race") == 1
    assert "(A)" not in flag.message
    assert "priority" not in flag.message
    assert "()" not in flag.message.replace(" ", "")


def test_race_recovery_message_names_both_sides_and_the_dates():
    race = run("race", day(5), "race", 42.195, race_priority="A", title="Valencia Marathon (A)")

    (flag,) = only(Code.HEAVY_AFTER_RACE, evaluate([heavy("s", day(7))], [race], suggest=False))

    assert (flag.code, flag.message) == (
        Code.HEAVY_AFTER_RACE,
        "Heavy lower-body session (Back squat 4×5 @ 80%) on Mon 15 Dec is 2 days after your "
        "A race Valencia Marathon (42.2 km) on Sat 13 Dec, inside its 10-day recovery",
    )


def test_same_day_message_names_the_session_and_the_long_run():
    runs = [run("l", day(5), "long", 30)]
    (flag,) = only(Code.HEAVY_SAME_DAY_AS_LONG_RUN, evaluate([heavy("s", day(5))], runs))

    assert (flag.code, flag.message) == (
        Code.HEAVY_SAME_DAY_AS_LONG_RUN,
        "Heavy lower-body session (Back squat 4×5 @ 80%) on Sat 13 Dec is on the same day as "
        "your long run (30 km)",
    )


def test_more_than_two_hard_items_are_summed_up():
    squats = [Item(f"Squat {n}", "heavy_lower", 3, 3, "rpe", 9) for n in range(4)]

    flags = evaluate([session("s", day(0), *squats, PLANK)], [run("r", day(1), "hills")])

    (flag,) = only(Code.HEAVY_BEFORE_KEY_RUN, flags)

    assert flag.message.startswith(
        "Heavy lower-body session (Squat 0 3×3 @ RPE 9, Squat 1 3×3 @ RPE 9 and 2 more) on"
    )


def test_spacing_message_names_both_sessions_and_dates():
    sessions = [
        light("a", day(0), title="Hips and glutes"),
        light("b", day(1), title="Single-leg strength"),
    ]

    assert messages(sessions, []) == [
        "Strength sessions Hips and glutes (Mon 8 Dec) and Single-leg strength (Tue 9 Dec) are "
        "only 1 day apart; keep at least 2 days between them"
    ]


def test_same_day_message_with_times():
    early = datetime.time(7, 30)
    sessions = [light("s", day(5), title="Core", start_time=early), light("t", day(2))]
    runs = [run("r", day(5), "long", 30, start_time=datetime.time(9))]

    assert messages(sessions, runs) == [
        "Core at 07:30 on Sat 13 Dec comes before your long run (30 km) at 09:00"
    ]


def test_dates_use_fixed_english_names_whatever_the_locale():
    original = locale.setlocale(locale.LC_TIME)
    with contextlib.suppress(locale.Error):  # without a German locale the check still holds
        locale.setlocale(locale.LC_TIME, "de_DE.UTF-8")
    try:
        assert [day_text(datetime.date(2026, m, 1)) for m in (1, 3, 5, 10)] == [
            "Thu 1 Jan",
            "Sun 1 Mar",
            "Fri 1 May",
            "Thu 1 Oct",
        ]
    finally:
        locale.setlocale(locale.LC_TIME, original)


def test_a_lift_heavy_by_its_1rm_says_how_heavy():
    deadlift = Item("Deadlift", "heavy_lower", 3, 8, "kg", 120, load_kg=120, one_rm_kg=140)
    sessions = [session("fri", day(4), deadlift, PLANK, title="Pull"), light("tue", day(1))]

    assert messages(sessions, [run("long", day(5), "long", 32)]) == [
        "Heavy lower-body session (Deadlift 3×8 @ 120 kg · 85.7% 1RM) on Fri 12 Dec is the "
        "day before your long run (32 km) on Sat 13 Dec"
    ]
