"""Days picked around the run plan: nothing hard before a long run, race or key run, nor
heavy after a long run; strength after a key run the same day, at a time after it; two days
between sessions; the coach's weekdays first; kept sessions kept; and the search order
(other days, then swapping sessions, then a lighter session)."""

import datetime
import itertools

from programs.conflicts import Code, Item, Run, Severity, StrengthSession
from programs.conflicts.model import KEY_RUNS, LONG_RUNS
from programs.seasons import Phase, Reason, plan_season
from programs.seasons.days import Day, rank_week
from programs.seasons.model import PlannedExercise
from programs.seasons.sessions import Choice
from tests.programs.seasons.calendars import (
    MON,
    USUAL_WEEK,
    day,
    race,
    request,
    run,
    weeks_of_runs,
)

HEAVY_KEPT = Item("Back squat", "heavy_lower", 4, 5, "rpe", 9)


def build(runs_weeks: int = 16, plan=USUAL_WEEK, **fields):
    a = day(runs_weeks - 1, "sun")
    runs = [*weeks_of_runs(runs_weeks, plan, skip={a}), race(a, "A")]
    return plan_season(request(runs, **fields)), runs


def test_nothing_hard_the_day_before_a_long_run_race_or_key_run_nor_heavy_the_day_after():
    plan, runs = build()
    on = {}
    for r in runs:
        on.setdefault(r.date, set()).add(r.run_type)
    hard = [s for s in plan.sessions if s.heavy or s.plyometric]

    assert len(hard) > 10
    for session in hard:
        after = on.get(session.date + datetime.timedelta(days=1), set())
        assert not after & KEY_RUNS, session
        assert not on.get(session.date, set()) & LONG_RUNS, session
        if session.heavy:
            before = on.get(session.date - datetime.timedelta(days=1), set())
            assert not before & LONG_RUNS, session
    assert not any(f.severity != Severity.INFO for f in plan.flags)


def test_strength_after_a_key_run_the_same_day_gets_a_time_after_it():
    timed = []
    for week in range(16):
        timed.append(run(day(week, "tue"), "intervals", 10, start_time=datetime.time(7),
                         duration_s=3600))  # fmt: skip
        timed.append(run(day(week, "thu"), "tempo", 10, start_time=datetime.time(18),
                         duration_s=2700))  # fmt: skip
        timed.append(run(day(week, "sat"), "long", 20))
    a = day(15, "sun")
    plan = plan_season(request([*timed, race(a, "A")]))
    heavy = [s for s in plan.sessions if s.heavy]

    assert heavy
    for session in heavy:
        # The day before is free of key runs only on Tuesday and Thursday.
        assert session.date.weekday() in (1, 3)
        expected = datetime.time(8, 30) if session.date.weekday() == 1 else datetime.time(19, 15)
        assert session.start_time == expected
    assert not any(f.code == Code.STRENGTH_BEFORE_RUN_SAME_DAY for f in plan.flags)
    assert plan.to_json()["weeks"][8]["sessions"][0]["time"] == "08:30"


def test_two_days_between_sessions_across_weeks():
    # Sunday and Monday preferred: never both, or they would be a day apart.
    plan, _runs = build(weekdays=(0, 6))
    dates = [s.date for s in plan.sessions]

    assert all((b - a).days >= 2 for a, b in itertools.pairwise(dates))
    assert any(d.weekday() in (0, 6) for d in dates)


def test_the_coachs_weekdays_first():
    plan = plan_season(request([], end=MON + datetime.timedelta(weeks=10, days=-1),
                               weekdays=(1, 4)))  # fmt: skip

    assert {s.date.weekday() for s in plan.sessions} == {1, 4}


def test_mon_wed_fri_for_three_sessions_by_default():
    plan = plan_season(request([], end=MON + datetime.timedelta(weeks=4, days=-1),
                               sessions_per_week=3))  # fmt: skip

    assert {s.date.weekday() for s in plan.sessions} == {0, 2, 4}
    assert [len(w.sessions) for w in plan.weeks] == [3, 3, 3, 3]


def test_a_kept_session_stays_counts_and_is_explained_when_it_conflicts():
    friday = day(3, "fri")  # the day before week 3's long run
    kept = StrengthSession("41", friday, "Heavy legs", (HEAVY_KEPT,), done=True)
    plan, _runs = build(existing=(kept,))
    week = plan.weeks[3]

    assert plan.kept == ("41",)
    assert len(week.sessions) == 1  # two asked, one kept
    assert all(abs((s.date - friday).days) >= 2 for s in plan.sessions)
    (exception,) = plan.exceptions
    assert (exception.week, exception.reason) == (week.start, Reason.KEPT_SESSION)
    assert [f.code for f in exception.flags] == [Code.HEAVY_BEFORE_LONG_RUN]


def test_future_unlogged_sessions_are_replaced_when_allowed():
    planned = StrengthSession("7", day(2, "fri"), "Old plan", (HEAVY_KEPT,))
    done = StrengthSession("8", day(1, "fri"), "Logged", (HEAVY_KEPT,), done=True)

    kept_plan, _runs = build(existing=(planned, done))
    replaced_plan, _runs = build(existing=(planned, done), replace_existing=True)

    assert kept_plan.kept == ("7", "8")
    assert replaced_plan.kept == ("8",)
    assert replaced_plan.replaced == ("7",)
    assert len(replaced_plan.weeks[2].sessions) == 2
    assert not any("7" in f.session_ids for f in replaced_plan.flags)


def test_a_week_of_races_every_day_is_explained():
    stage = {day(5, d) for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    runs = [*weeks_of_runs(16, skip=stage), *(race(d, "C", 12) for d in stage)]
    plan = plan_season(request(runs, end=day(15, "sun")))

    assert plan.weeks[5].sessions == ()
    (exception,) = [e for e in plan.exceptions if e.week == plan.weeks[5].start]
    assert exception.reason == Reason.FEWER_SESSIONS
    assert "Only 0 of 2" in exception.message


def test_hard_sessions_are_lightened_when_no_day_takes_them():
    # A key run every day: every day is the day before one.
    every_day = tuple((d, "intervals", 8) for d in ("mon", "tue", "wed", "thu", "fri", "sat",
                                                     "sun"))  # fmt: skip
    runs = weeks_of_runs(21, every_day)
    plan = plan_season(request(runs, end=day(19, "sun")))
    lightened = [s for s in plan.sessions if s.lightened]

    assert lightened
    assert all(s.name.endswith(" (light)") for s in lightened)
    assert not any(s.heavy or s.plyometric for s in plan.sessions)
    assert {w.phase for w in plan.weeks} >= {Phase.STRENGTH, Phase.POWER}
    assert not any(f.severity != Severity.INFO for f in plan.flags)


def _choice(name: str, *, heavy: bool = False) -> Choice:
    exercise = PlannedExercise("plank", "Plank", "core", 2, duration_s=30)
    light = (exercise,) if heavy else None
    return Choice(name, name, (exercise,), light, heavy=heavy, plyometric=False)


def _week(heavy_days: set[int]) -> list[Day]:
    return [
        Day(MON + datetime.timedelta(days=n), n in heavy_days, n in heavy_days, False, 0, None)
        for n in range(7)
    ]


def test_search_moves_a_hard_session_to_another_day_first():
    (best, *_rest) = rank_week([_choice("A", heavy=True), _choice("B")], _week({2}), (), 2,
                               (0, 3))  # fmt: skip

    # Wednesday takes A without swapping or lightening; B goes after it, as far as the
    # week allows (Saturday: Friday would be only the minimum apart).
    assert [(p.choice.name, p.day.date.weekday(), p.light) for p in best.placed] == [
        ("A", 2, False),
        ("B", 5, False),
    ]
    assert best.cost[:3] == (0, 0, 0)


def test_search_swaps_sessions_before_lightening_one():
    # Only Monday takes a hard session: B (hard) goes first, A (light) after it.
    (best, *_rest) = rank_week([_choice("A"), _choice("B", heavy=True)], _week({0}), (), 2,
                               (0, 3))  # fmt: skip

    assert [(p.choice.name, p.day.date.weekday(), p.light) for p in best.placed] == [
        ("B", 0, False),
        ("A", 3, False),
    ]
    assert best.cost[:3] == (0, 0, 1)


def test_search_lightens_only_when_no_day_or_swap_will_do():
    # Two hard sessions and a single day that takes one.
    (best, *_rest) = rank_week([_choice("A", heavy=True), _choice("B", heavy=True)],
                               _week({0}), (), 2, (0, 3))  # fmt: skip

    assert [(p.choice.name, p.day.date.weekday(), p.light) for p in best.placed] == [
        ("A", 0, False),
        ("B", 3, True),
    ]
    assert best.cost[:2] == (0, 1)


def test_search_drops_a_session_only_when_no_day_is_left():
    days = [Day(MON, True, True, False, 0, None)]

    (best, *_rest) = rank_week([_choice("A"), _choice("B")], days, (), 2, (0,))

    assert len(best.placed) == 1
    assert best.cost[0] == 1


def test_runs_in_run_objects_are_respected_by_the_probe_table():
    # A long run typed easy but long by its distance counts as one, as in the engine.
    runs = [
        *weeks_of_runs(10, (("mon", "easy", 8), ("wed", "easy", 8), ("fri", "easy", 8))),
        *(Run(f"x{w}", day(w, "sat"), "easy", distance_m=32000) for w in range(10)),
    ]
    plan = plan_season(request(runs, end=day(9, "sun")))

    assert not any((s.heavy or s.plyometric) and s.date.weekday() in (4, 5) for s in plan.sessions)
    assert not any(f.severity != Severity.INFO for f in plan.flags)
