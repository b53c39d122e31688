"""A fingerprint stays while the situation does, and changes when it changes."""

from dataclasses import replace

from programs.conflicts import Code, evaluate
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


def fingerprint(sessions, runs, code=Code.HEAVY_BEFORE_LONG_RUN):
    (flag,) = only(code, evaluate(sessions, runs, suggest=False))
    return flag.fingerprint


LONG = run("long", day(5), "long", 32)
SESSIONS = [heavy("fri", day(4)), light("tue", day(1))]


def test_a_heavier_dose_of_the_same_kind_keeps_the_fingerprint():
    heavier = replace(BACK_SQUAT_80, load_value=87.5, sets=5)
    sessions = [session("fri", day(4), heavier, PLANK, title="Other title"), SESSIONS[1]]

    assert fingerprint(sessions, [LONG]) == fingerprint(SESSIONS, [LONG])


def test_unrelated_sessions_and_runs_keep_the_fingerprint():
    more = [*SESSIONS, light("later", day(30))]
    runs = [LONG, run("easy", day(3), "easy", 5), replace(LONG, title="Sunday long")]

    assert fingerprint(more, runs[:2]) == fingerprint(SESSIONS, [LONG])
    assert fingerprint(SESSIONS, [runs[2]]) == fingerprint(SESSIONS, [LONG])


def test_adding_jumps_changes_the_fingerprint():
    both = [session("fri", day(4), BACK_SQUAT_80, BOX_JUMP), SESSIONS[1]]

    assert fingerprint(both, [LONG]) != fingerprint(SESSIONS, [LONG])


def test_a_longer_run_or_a_race_changes_the_fingerprint():
    base = fingerprint(SESSIONS, [LONG])

    assert fingerprint(SESSIONS, [replace(LONG, distance_m=35000)]) != base
    assert fingerprint(SESSIONS, [replace(LONG, run_type="race")]) != base


def test_a_taper_flag_turning_critical_changes_the_fingerprint():
    race = run("race", day(14), "race", 42.195, race_priority="A")
    warning = fingerprint([heavy("s", day(8))], [race], Code.HEAVY_IN_TAPER)
    critical = fingerprint([heavy("s", day(11))], [race], Code.HEAVY_IN_TAPER)

    assert warning != critical
