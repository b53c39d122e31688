"""The seeds' own weeks raise nothing a runner must act on; a heavy Monday does."""

import pytest

from programs.conflicts import Code, Severity, evaluate
from tests.programs.conflicts.schedules import (
    BACK_SQUAT_80,
    PLANK,
    day,
    seed_002_week,
    seed_003_foundation_week,
    seed_003_week,
    session,
)


@pytest.mark.parametrize("week", [seed_003_week, seed_003_foundation_week, seed_002_week])
def test_the_seeds_sample_weeks_raise_no_flag(week):
    sessions, runs = week()

    assert evaluate(sessions, runs) == []


def test_seed_003_week_with_a_heavy_monday_warns_about_tuesdays_tempo():
    heavy_monday = session("mon", day(0), BACK_SQUAT_80, PLANK, title="Lower body")
    sessions, runs = seed_003_week(heavy_monday)

    flags = [f for f in evaluate(sessions, runs) if f.severity != Severity.INFO]

    assert [(f.code, f.session_ids, f.run_ids) for f in flags] == [
        (Code.HEAVY_BEFORE_KEY_RUN, ("mon",), ("tempo",))
    ]
    assert flags[0].message == (
        "Heavy lower-body session (Back squat 4×5 @ 80%) on Mon 8 Dec is the day before your "
        "tempo run (10 km) on Tue 9 Dec"
    )
