"""The coach's edits to a planned season, plain Python as the planner: the plan as data and
back, moving a session within its week, removing it, changing its sets and reps, and the
engine's check of the edited plan."""

import datetime
import json
from dataclasses import replace

import pytest

from programs.conflicts import Thresholds
from programs.seasons import Reason, SeasonPlan, Unavoidable, plan_season
from programs.seasons.edits import (
    EditError,
    move_session,
    move_targets,
    plan_from_data,
    plan_to_data,
    recheck,
    remove_session,
    set_dose,
)
from tests.programs.seasons.calendars import day, race, request, run, weeks_of_runs

DAY = datetime.timedelta(days=1)


@pytest.fixture(scope="module")
def season():
    """Sixteen weeks of the usual running week (long run on Saturday) to an A marathon,
    three sessions a week, a 1RM: every kind of session and load in it."""
    a_race = day(15, "sun")
    runs = (*weeks_of_runs(16, skip={a_race}), race(a_race, "A"))
    asked = request(runs, sessions_per_week=3, one_rep_maxes={"romanian-deadlift": 100.0})
    return asked, plan_season(asked)


def test_the_plan_as_data_comes_back_the_same(season):
    _asked, plan = season

    data = json.loads(json.dumps(plan_to_data(plan)))

    assert plan_from_data(data) == plan


def test_data_of_another_version_is_refused(season):
    data = plan_to_data(season[1]) | {"version": 99}

    with pytest.raises(ValueError, match="version 1"):
        plan_from_data(data)


def test_rechecking_an_unedited_plan_says_what_the_planner_said(season):
    asked, plan = season

    assert recheck(plan, asked) == plan


def first_session(plan: SeasonPlan, *, heavy: bool = False):
    return next(s for s in plan.sessions if s.heavy or not heavy)


class TestMove:
    def test_a_session_moves_to_a_free_day_of_its_week_at_the_planners_time(self, season):
        asked, plan = season
        session = plan.weeks[1].sessions[0]
        targets = move_targets(plan, session)
        # Thursday has an evening tempo run: the session goes after it (seed 003: run first).
        thursday = day(1, "thu")
        assert thursday not in {s.date for s in plan.weeks[1].sessions}
        assert thursday in targets

        moved = move_session(plan, session_id=session.id, date=thursday, runs=asked.runs)

        week = moved.weeks[1].sessions
        assert [s.date for s in week] == sorted(s.date for s in week)
        (after,) = [s for s in week if s.date == thursday]
        assert after.id == "plan-20260115"
        assert (after.name, after.exercises) == (session.name, session.exercises)
        assert session.date not in {s.date for s in week}
        assert moved.weeks[0] == plan.weeks[0]

    def test_a_session_moves_after_the_days_timed_run(self, season):
        asked, plan = season
        session = plan.weeks[1].sessions[0]
        free = move_targets(plan, session)[0]
        evening = run(free, "easy", 8, start_time=datetime.time(18), duration_s=2700)

        moved = move_session(plan, session_id=session.id, date=free, runs=(*asked.runs, evening))

        (after,) = [s for s in moved.sessions if s.date == free]
        assert after.start_time == datetime.time(19, 15)

    def test_the_targets_are_the_weeks_free_days_in_the_season(self, season):
        _asked, plan = season
        session = plan.weeks[0].sessions[0]
        taken = {s.date for s in plan.weeks[0].sessions}

        targets = move_targets(plan, session)

        assert targets == [day(0, w) for w in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
                           if day(0, w) not in taken]  # fmt: skip

    @pytest.mark.parametrize(
        ("where", "code"),
        [
            (lambda s, plan: s.date, "same_day"),
            (lambda s, plan: s.date + 7 * DAY, "other_week"),
            (lambda s, plan: next(o.date for o in plan.weeks[1].sessions if o != s), "day_taken"),
        ],
    )
    def test_refused_moves(self, season, where, code):
        asked, plan = season
        session = plan.weeks[1].sessions[0]

        with pytest.raises(EditError) as error:
            move_session(plan, session_id=session.id, date=where(session, plan), runs=asked.runs)

        assert error.value.code == code

    def test_no_move_past_the_seasons_end(self, season):
        asked, plan = season
        shorter = replace(plan, end=plan.end - DAY)
        session = shorter.weeks[-1].sessions[0]

        assert plan.end not in move_targets(shorter, session)
        with pytest.raises(EditError) as error:
            move_session(shorter, session_id=session.id, date=plan.end, runs=asked.runs)
        assert error.value.code == "outside_season"

    def test_an_unknown_session(self, season):
        asked, plan = season

        with pytest.raises(EditError) as error:
            move_session(plan, session_id="plan-19990101", date=day(0, "tue"), runs=asked.runs)

        assert error.value.code == "no_such_session"


def test_removing_a_session(season):
    _asked, plan = season
    session = plan.weeks[3].sessions[1]

    removed = remove_session(plan, session_id=session.id)

    assert len(removed.sessions) == len(plan.sessions) - 1
    assert session not in removed.sessions


class TestDose:
    def test_fewer_reps_of_a_heavy_lift_stay_heavy_and_a_light_dose_is_not(self, season):
        _asked, plan = season
        session = first_session(plan, heavy=True)
        lift = next(i for i, e in enumerate(session.exercises) if e.load_class == "heavy_lower")

        edited = set_dose(plan, session_id=session.id, exercise=lift, sets=2, reps_min=5,
                          reps_max=None, thresholds=Thresholds())  # fmt: skip

        after = next(s for s in edited.sessions if s.id == session.id)
        assert (after.exercises[lift].sets, after.exercises[lift].reps_min) == (2, 5)
        assert after.exercises[lift].reps_max is None
        assert after.exercises[lift].load_type == session.exercises[lift].load_type

    def test_a_timed_exercise_takes_sets_only(self, season):
        _asked, plan = season
        session, index = next(
            (s, i) for s in plan.sessions for i, e in enumerate(s.exercises) if e.reps_min is None
        )

        with pytest.raises(EditError) as error:
            set_dose(plan, session_id=session.id, exercise=index, sets=2, reps_min=10,
                     reps_max=None, thresholds=Thresholds())  # fmt: skip
        assert error.value.code == "timed"

        edited = set_dose(plan, session_id=session.id, exercise=index, sets=4, reps_min=None,
                          reps_max=None, thresholds=Thresholds())  # fmt: skip
        after = next(s for s in edited.sessions if s.id == session.id).exercises[index]
        assert (after.sets, after.duration_s) == (4, session.exercises[index].duration_s)

    @pytest.mark.parametrize(
        ("fields", "code"),
        [
            ({"exercise": 99}, "no_such_exercise"),
            ({"sets": 0}, "sets"),
            ({"sets": 21}, "sets"),
            ({"reps_min": None}, "reps"),
            ({"reps_min": 101}, "reps"),
            ({"reps_min": 10, "reps_max": 8}, "reps_max"),
        ],
    )
    def test_refused_doses(self, season, fields, code):
        _asked, plan = season
        session = plan.sessions[0]
        index = next(i for i, e in enumerate(session.exercises) if e.reps_min is not None)
        dose = {"exercise": index, "sets": 3, "reps_min": 10, "reps_max": None, **fields}

        with pytest.raises(EditError) as error:
            set_dose(plan, session_id=session.id, thresholds=Thresholds(), **dose)

        assert error.value.code == code


def test_a_move_before_a_long_run_is_flagged_and_explained(season):
    asked, plan = season
    session = first_session(plan, heavy=True)
    friday = session.date + datetime.timedelta(days=4 - session.date.weekday())
    assert friday in move_targets(plan, session)

    checked = recheck(
        move_session(plan, session_id=session.id, date=friday, runs=asked.runs), asked
    )

    flagged = [f for f in checked.flags if f.code == "HEAVY_BEFORE_LONG_RUN"]
    assert [f.date for f in flagged] == [friday]
    (exception,) = [e for e in checked.exceptions if e.reason == Reason.NO_SAFE_DAY]
    assert flagged[0] in exception.flags


def test_rechecking_keeps_the_planners_short_weeks(season):
    asked, plan = season
    week = plan.weeks[2].start
    short = Unavoidable(week, Reason.FEWER_SESSIONS, "Only 1 of 3 strength sessions fit.")
    planned = replace(plan, exceptions=(*plan.exceptions, short))

    checked = recheck(remove_session(planned, session_id=plan.weeks[5].sessions[0].id), asked)

    assert [e for e in checked.exceptions if e.reason == Reason.FEWER_SESSIONS] == [short]
