"""Session classification: heavy lower body, plyometric, light, upper/core only."""

from dataclasses import replace

import pytest

from programs.conflicts import Item, SessionKind, Thresholds, classify
from tests.programs.conflicts.schedules import (
    BACK_SQUAT_80,
    BOX_JUMP,
    MON,
    PLANK,
    PUSH_UP,
    seed_002_week,
    seed_003_foundation_week,
    seed_003_week,
    session,
)

SQUAT = Item("Back squat", "heavy_lower", sets=4, reps=8)


DEFAULTS = Thresholds()


def kind(*items: Item, thresholds: Thresholds = DEFAULTS) -> SessionKind:
    return classify(session("s", MON, *items), thresholds).kind


@pytest.mark.parametrize(
    ("load_type", "value", "expected"),
    [
        ("pct_1rm", 75, SessionKind.HEAVY_LOWER),
        ("pct_1rm", 74.5, SessionKind.LIGHT),
        ("rpe", 8, SessionKind.HEAVY_LOWER),
        ("rpe", 7.5, SessionKind.LIGHT),
        ("rir", 2, SessionKind.HEAVY_LOWER),
        ("rir", 3, SessionKind.LIGHT),
    ],
)
def test_heavy_by_intensity_at_the_threshold(load_type, value, expected):
    assert kind(replace(SQUAT, load_type=load_type, load_value=value)) == expected


@pytest.mark.parametrize(
    ("reps", "load_type", "value", "load_kg", "expected"),
    [
        (6, "kg", 60, 60, SessionKind.HEAVY_LOWER),
        (7, "kg", 60, 60, SessionKind.LIGHT),
        (6, "kg", 60, None, SessionKind.HEAVY_LOWER),  # kg given, not resolved by the caller
        (5, "rpe", 6, 70, SessionKind.HEAVY_LOWER),  # external load known in kg
        (5, "bodyweight", None, None, SessionKind.LIGHT),
        (5, "rpe", 6, None, SessionKind.LIGHT),  # no load known
        (None, "kg", 60, 60, SessionKind.LIGHT),  # timed: no reps to count
    ],
)
def test_heavy_by_low_reps_only_with_external_load(reps, load_type, value, load_kg, expected):
    item = replace(SQUAT, reps=reps, load_type=load_type, load_value=value, load_kg=load_kg)

    assert kind(item) == expected


def test_only_heavy_lower_exercises_can_be_heavy():
    calf_raise = Item("Calf raise", "light_lower", 3, 5, "pct_1rm", 90, load_kg=80)

    assert kind(calf_raise) == SessionKind.LIGHT
    assert kind(replace(calf_raise, load_class="upper")) == SessionKind.UPPER_CORE


def test_thresholds_move_the_line():
    item = replace(SQUAT, load_type="pct_1rm", load_value=70)

    assert kind(item) == SessionKind.LIGHT
    assert kind(item, thresholds=Thresholds(heavy_pct_1rm=70)) == SessionKind.HEAVY_LOWER


def test_plyometric_heavy_both_and_upper_core():
    assert kind(BOX_JUMP, PLANK) == SessionKind.PLYOMETRIC
    assert kind(BACK_SQUAT_80, BOX_JUMP) == SessionKind.HEAVY_PLYOMETRIC
    assert kind(PUSH_UP, PLANK) == SessionKind.UPPER_CORE
    cls = classify(session("s", MON, BACK_SQUAT_80, BOX_JUMP), Thresholds())
    assert (cls.heavy, cls.plyometric, cls.hard) == (True, True, True)


@pytest.mark.parametrize("week", [seed_002_week, seed_003_week, seed_003_foundation_week])
def test_the_seeds_doses_are_not_heavy(week):
    sessions, _ = week()

    assert {classify(s, Thresholds()).kind for s in sessions} == {SessionKind.LIGHT}


# Heavy by kg against the athlete's 1RM: deadlift 3×8 at 120 kg with a 140 kg 1RM is heavy.
DEADLIFT_3X8 = Item("Deadlift", "heavy_lower", 3, 8, "kg", 120, load_kg=120, one_rm_kg=140)


@pytest.mark.parametrize(
    ("kg", "expected"),
    [
        (120, SessionKind.HEAVY_LOWER),  # 85.7%
        (105, SessionKind.HEAVY_LOWER),  # exactly 75%
        (104.5, SessionKind.LIGHT),  # 74.6%
    ],
)
def test_kg_at_75_percent_of_the_1rm_is_heavy_whatever_the_reps(kg, expected):
    assert kind(replace(DEADLIFT_3X8, load_value=kg, load_kg=kg)) == expected


def test_without_a_1rm_kg_is_heavy_only_for_few_reps():
    assert kind(replace(DEADLIFT_3X8, one_rm_kg=None)) == SessionKind.LIGHT
    assert kind(replace(DEADLIFT_3X8, one_rm_kg=None, reps=6)) == SessionKind.HEAVY_LOWER


def test_the_1rm_line_follows_the_threshold():
    assert kind(DEADLIFT_3X8, thresholds=Thresholds(heavy_pct_1rm=90)) == SessionKind.LIGHT
    assert kind(DEADLIFT_3X8, thresholds=Thresholds(heavy_pct_1rm=85)) == SessionKind.HEAVY_LOWER


def test_timed_work_at_75_percent_is_heavy_bodyweight_and_light_classes_are_not():
    assert kind(replace(DEADLIFT_3X8, reps=None)) == SessionKind.HEAVY_LOWER
    bodyweight = replace(DEADLIFT_3X8, load_type="bodyweight", load_value=None, load_kg=None)
    assert kind(bodyweight) == SessionKind.LIGHT
    assert kind(replace(DEADLIFT_3X8, load_class="light_lower")) == SessionKind.LIGHT
