"""The planner's contract with the Django side: what a request must hold, the default end,
the JSON the command prints, and the flags it reports."""

import datetime
import json
import re
import time

import pytest

from benchmarks.seasons import season_request
from programs.conflicts import Thresholds
from programs.seasons import Phase, plan_season
from tests.programs.seasons.calendars import MON, day, race, request, weeks_of_runs

PHASES = {p.value for p in Phase}


def a_plan(**fields):
    a1, a2 = day(9, "sun"), day(20, "sun")
    runs = [*weeks_of_runs(21, skip={a1, a2}), race(a1, "A"), race(a2, "A")]
    return plan_season(request(runs, **fields))


def test_the_end_defaults_to_the_last_a_race():
    plan = a_plan()

    assert plan.end == day(20, "sun")
    assert plan.weeks[-1].start == day(20, "mon")


def test_json_has_exactly_the_commands_shape():
    plan = a_plan(one_rep_maxes={"romanian-deadlift": 100.0})
    data = json.loads(json.dumps(plan.to_json()))

    assert set(data) == {"weeks", "flags"}
    assert len(data["weeks"]) == 21
    for week in data["weeks"]:
        assert set(week) == {"start", "phase", "sessions"}
        assert datetime.date.fromisoformat(week["start"]).weekday() == 0
        assert week["phase"] in PHASES
        for session in week["sessions"]:
            assert set(session) == {"date", "time", "name", "heavy", "plyometric", "exercises"}
            datetime.date.fromisoformat(session["date"])
            assert session["time"] is None or re.fullmatch(r"\d\d:\d\d", session["time"])
            assert isinstance(session["heavy"], bool)
            assert isinstance(session["plyometric"], bool)
            for exercise in session["exercises"]:
                assert set(exercise) == {"slug", "sets", "reps", "load"}
                assert isinstance(exercise["sets"], int)
                assert isinstance(exercise["reps"], str)
                assert isinstance(exercise["load"], str)
    for flag in data["flags"]:
        assert {"code", "severity", "date", "message"} <= set(flag)
    assert data["weeks"][0]["sessions"][0]["exercises"][0] == {
        "slug": "bodyweight-squat",
        "sets": 3,
        "reps": "12",
        "load": "bodyweight",
    }


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"sessions_per_week": 4}, "sessions_per_week"),
        ({"in_season_sessions": 3}, "in_season_sessions"),
        ({"weekdays": (0, 7)}, "weekdays"),
        ({"weekdays": (1, 1)}, "weekdays"),
        ({"deload_every": 2}, "deload_every"),
        ({"deload_every": 7}, "deload_every"),
        ({"end": MON - datetime.timedelta(days=1)}, "end"),
        ({"end": MON + datetime.timedelta(weeks=105)}, "end"),
        ({"distance_unit": "furlong"}, "distance_unit"),
        ({"thresholds": Thresholds(spike_ratio=1)}, "thresholds.spike_ratio"),
    ],
)
def test_a_request_with_errors_is_refused(fields, field):
    fields.setdefault("end", day(5, "sun"))
    season = request([], **fields)

    assert field in season.errors()
    with pytest.raises(ValueError, match=re.escape(season.errors()[field])):
        plan_season(season)


def test_without_an_a_race_an_end_date_is_needed():
    season = request(weeks_of_runs(4))

    assert season.errors() == {"end": "No A race on or after the start date: give an end date."}


def test_a_plan_starting_mid_week_starts_on_the_start_date():
    plan = plan_season(request([], start=day(0, "thu"), end=day(3, "sun")))

    assert plan.weeks[0].start == MON
    assert min(s.date for s in plan.sessions) >= day(0, "thu")
    assert not any(e.week == MON for e in plan.exceptions)  # a short week is no exception


def test_a_40_week_season_plans_in_under_two_seconds():
    season = season_request()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        plan = plan_season(season)
        times.append(time.perf_counter() - start)

    assert min(times) < 2.0
    assert len(plan.weeks) == 40
    assert not [f for f in plan.flags if f.severity != "info"]
