"""Each rule fires, stays quiet, and stops at its boundary (default thresholds unless
said otherwise). Suggestions are tested in test_fixes.py."""

import datetime
from dataclasses import replace

import pytest

from programs.conflicts import Code, Severity, Thresholds, evaluate
from tests.programs.conflicts.schedules import (
    BOX_JUMP,
    MON,
    PLANK,
    codes,
    day,
    heavy,
    light,
    loaded,
    only,
    plyo,
    run,
    session,
)

DEFAULTS = Thresholds()
# Most tests here hold one or two sessions: a plan that short would also be "too few".
ONE_OFF = Thresholds(min_per_week=0)


def limits(**values) -> Thresholds:
    return replace(ONE_OFF, **values)


def check(sessions, runs=(), thresholds=ONE_OFF):
    return evaluate(sessions, runs, thresholds, suggest=False)


# HEAVY_BEFORE_LONG_RUN


@pytest.mark.parametrize("run_type", ["long", "race"])
def test_hard_session_the_day_before_a_long_run_or_race_is_critical(run_type):
    flags = only(
        Code.HEAVY_BEFORE_LONG_RUN, check([heavy("s", day(4))], [run("r", day(5), run_type)])
    )

    assert [(f.severity, f.date, f.dates, f.session_ids, f.run_ids) for f in flags] == [
        (Severity.CRITICAL, day(4), (day(4), day(5)), ("s",), ("r",))
    ]


def test_plyometric_session_the_day_before_a_long_run_counts():
    flags = check([plyo("s", day(4))], [run("r", day(5), "long")])

    assert codes(flags) == [Code.HEAVY_BEFORE_LONG_RUN]


@pytest.mark.parametrize("when", [3, 5, 6])  # two days before, same day, day after
def test_no_long_run_flag_unless_the_day_before(when):
    flags = check([heavy("s", day(when))], [run("r", day(5), "long")])

    assert Code.HEAVY_BEFORE_LONG_RUN not in codes(flags)


def test_light_session_the_day_before_a_long_run_is_fine():
    assert check([light("s", day(4))], [run("r", day(5), "long")]) == []


def test_long_run_window_follows_the_threshold():
    sessions, runs = [heavy("s", day(3))], [run("r", day(5), "long")]

    assert codes(check(sessions, runs, limits(heavy_before_long_days=2))) == [
        Code.HEAVY_BEFORE_LONG_RUN
    ]
    assert check(sessions, runs, limits(heavy_before_long_days=0)) == []


# HEAVY_BEFORE_KEY_RUN


@pytest.mark.parametrize("run_type", ["tempo", "intervals", "hills"])
def test_hard_session_the_day_before_a_quality_run_is_a_warning(run_type):
    flags = check([heavy("s", day(0))], [run("r", day(1), run_type)])

    assert [(f.code, f.severity) for f in flags] == [(Code.HEAVY_BEFORE_KEY_RUN, Severity.WARNING)]


@pytest.mark.parametrize("run_type", ["easy", "recovery", "fartlek", "cross_training", "rest"])
def test_easy_runs_are_not_key_runs(run_type):
    assert check([heavy("s", day(0))], [run("r", day(1), run_type)]) == []


def test_two_days_before_a_tempo_run_is_fine():
    assert check([heavy("s", day(0))], [run("r", day(2), "tempo")]) == []


# STRENGTH_DAYS_TOO_CLOSE


def test_monday_and_tuesday_are_too_close():
    flags = check([light("a", day(0)), light("b", day(1))])

    assert [(f.code, f.severity, f.session_ids, f.date) for f in flags] == [
        (Code.STRENGTH_DAYS_TOO_CLOSE, Severity.WARNING, ("a", "b"), day(1))
    ]


def test_monday_and_wednesday_are_fine():
    assert check([light("a", day(0)), light("b", day(2))]) == []


def test_two_sessions_on_the_same_day_are_too_close():
    flags = check([light("b", day(0)), light("a", day(0))])

    assert [f.session_ids for f in only(Code.STRENGTH_DAYS_TOO_CLOSE, flags)] == [("a", "b")]


def test_each_close_pair_is_flagged_once():
    flags = check([light("a", day(0)), light("b", day(1)), light("c", day(2))])

    assert [f.session_ids for f in flags] == [("a", "b"), ("b", "c")]


def test_spacing_follows_the_threshold():
    sessions = [light("a", day(0)), light("b", day(2))]

    assert codes(check(sessions, thresholds=limits(min_days_between=3))) == [
        Code.STRENGTH_DAYS_TOO_CLOSE
    ]
    same_day = [light("a", day(0)), light("b", day(0)), light("c", day(1))]
    assert [f.session_ids for f in check(same_day, thresholds=limits(min_days_between=1))] == [
        ("a", "b")
    ]


# TOO_MANY_STRENGTH_SESSIONS


def test_three_sessions_a_week_is_the_maximum():
    assert check([light("a", day(0)), light("b", day(2)), light("c", day(4))]) == []


def test_a_fourth_session_in_the_week_is_too_many():
    sessions = [light(i, day(n)) for i, n in [("a", 0), ("b", 2), ("c", 4), ("d", 6)]]

    flags = check(sessions)

    assert [(f.code, f.severity, f.date, f.session_ids) for f in flags] == [
        (Code.TOO_MANY_STRENGTH_SESSIONS, Severity.WARNING, MON, ("a", "b", "c", "d"))
    ]


def test_sessions_count_per_monday_to_sunday_week():
    sessions = [light(i, day(n)) for i, n in [("a", 2), ("b", 4), ("c", 6), ("d", 8)]]

    assert Code.TOO_MANY_STRENGTH_SESSIONS not in codes(check(sessions))


# TOO_FEW_STRENGTH_SESSIONS


def week_of(first: int, *ids: str, phase: str = ""):
    return [light(i, day(7 * first + 2 * n), phase=phase) for n, i in enumerate(ids)]


def test_one_session_in_a_week_of_the_plan_is_too_few():
    sessions = week_of(0, "a", "b") + week_of(1, "c") + week_of(2, "d", "e")

    flags = check(sessions, thresholds=DEFAULTS)

    assert [(f.code, f.severity, f.date, f.session_ids) for f in flags] == [
        (Code.TOO_FEW_STRENGTH_SESSIONS, Severity.INFO, day(7), ("c",))
    ]


def test_an_empty_week_inside_the_plan_is_too_few():
    flags = check(week_of(0, "a", "b") + week_of(2, "c", "d"), thresholds=DEFAULTS)

    assert [(f.code, f.date, f.session_ids) for f in flags] == [
        (Code.TOO_FEW_STRENGTH_SESSIONS, day(7), ())
    ]
    assert flags[0].message.startswith("No strength session in the week of Mon 15 Dec")


def test_weeks_outside_the_plan_are_not_counted():
    assert check(week_of(0, "a", "b"), thresholds=DEFAULTS) == []


@pytest.mark.parametrize("phase", ["deload", "taper"])
def test_deload_and_taper_weeks_may_be_short(phase):
    sessions = week_of(0, "a", "b") + week_of(1, "c", phase=phase) + week_of(2, "d", "e")

    assert check(sessions, thresholds=DEFAULTS) == []


# HEAVY_IN_TAPER


def taper(days_before: int, priority: str = "A", session=heavy):
    race = run("race", day(20), "race", 42.195, race_priority=priority)
    return only(Code.HEAVY_IN_TAPER, check([session("s", day(20 - days_before))], [race]))


@pytest.mark.parametrize(
    ("days_before", "severity"),
    [(11, None), (10, Severity.WARNING), (4, Severity.WARNING), (3, Severity.CRITICAL),
     (1, Severity.CRITICAL), (0, Severity.CRITICAL)],
)  # fmt: skip
def test_taper_window_boundaries(days_before, severity):
    assert [f.severity for f in taper(days_before)] == ([severity] if severity else [])


@pytest.mark.parametrize(
    ("priority", "flagged"), [("A", True), ("B", True), ("", False), ("C", False)]
)
def test_c_races_and_races_without_a_priority_do_not_taper(priority, flagged):
    assert bool(taper(5, priority)) is flagged


@pytest.mark.parametrize(
    ("days_before", "severity"),
    [(6, None), (5, Severity.WARNING), (3, Severity.WARNING), (2, Severity.CRITICAL),
     (0, Severity.CRITICAL)],
)  # fmt: skip
def test_a_b_race_has_a_shorter_taper(days_before, severity):
    assert [f.severity for f in taper(days_before, "B")] == ([severity] if severity else [])


def test_b_taper_windows_follow_the_thresholds():
    race = run("race", day(20), "race", race_priority="B")
    wider = limits(b_taper_warning_days=8, b_taper_critical_days=4)

    flags = check([heavy("s", day(13)), heavy("t", day(16))], [race], wider)

    assert [(f.session_ids, f.severity) for f in only(Code.HEAVY_IN_TAPER, flags)] == [
        (("s",), Severity.WARNING),
        (("t",), Severity.CRITICAL),
    ]


def test_a_weekly_parkrun_without_a_priority_puts_no_taper_on_heavy_sessions():
    parkruns = [run(f"p{w}", day(7 * w + 5), "race", 5) for w in range(4)]
    sessions = [heavy(f"s{w}", day(7 * w + 2)) for w in range(4)]

    assert only(Code.HEAVY_IN_TAPER, check(sessions, parkruns)) == []


def test_light_work_in_the_taper_is_fine():
    assert taper(2, session=light) == []
    assert len(taper(2, session=plyo)) == 1


def test_one_taper_flag_per_session_about_the_nearest_race():
    races = [
        run("a-race", day(10), "race", race_priority="A"),
        run("b-race", day(5), "race", race_priority="B"),
    ]

    flags = only(Code.HEAVY_IN_TAPER, check([heavy("s", day(2))], races))

    # Three days before the B race: its warning window, not its 2-day critical one.
    assert [(f.run_ids, f.severity) for f in flags] == [(("b-race",), Severity.WARNING)]


def test_taper_windows_follow_the_thresholds():
    wider = limits(taper_warning_days=14, taper_critical_days=7)
    race = run("race", day(20), "race", race_priority="A")

    flags = check([heavy("s", day(7)), heavy("t", day(13))], [race], wider)

    assert [(f.session_ids, f.severity) for f in only(Code.HEAVY_IN_TAPER, flags)] == [
        (("s",), Severity.WARNING),
        (("t",), Severity.CRITICAL),
    ]


# STRENGTH_BEFORE_RUN_SAME_DAY


def same_day(session_time=None, run_time=None, run_type="long", km=30):
    return check(
        [light("s", day(5), start_time=session_time)],
        [run("r", day(5), run_type, km, start_time=run_time)],
    )


def test_strength_on_a_key_run_day_is_info():
    flags = same_day()

    assert [(f.code, f.severity, f.run_ids) for f in flags] == [
        (Code.STRENGTH_BEFORE_RUN_SAME_DAY, Severity.INFO, ("r",))
    ]


@pytest.mark.parametrize("run_type", ["long", "tempo"])
def test_strength_timed_before_the_run_is_flagged_at_or_after_it_is_not(run_type):
    seven, nine = datetime.time(7), datetime.time(9)
    just_before = datetime.time(8, 59)

    assert codes(same_day(seven, nine, run_type)) == [Code.STRENGTH_BEFORE_RUN_SAME_DAY]
    assert codes(same_day(just_before, nine, run_type)) == [Code.STRENGTH_BEFORE_RUN_SAME_DAY]
    assert same_day(nine, nine, run_type) == []  # at the run's start time
    assert same_day(nine, seven, run_type) == []


def test_an_evening_session_after_a_morning_tempo_run_is_fine():
    assert same_day(datetime.time(18), datetime.time(6, 30), "tempo", 10) == []


@pytest.mark.parametrize(
    ("session_time", "run_time"), [(None, datetime.time(7)), (datetime.time(18), None)]
)
def test_strength_that_may_be_before_the_run_is_flagged(session_time, run_time):
    assert codes(same_day(session_time, run_time, "tempo", 10)) == [
        Code.STRENGTH_BEFORE_RUN_SAME_DAY
    ]


@pytest.mark.parametrize(
    ("run_type", "km", "flagged"),
    [("tempo", 10, True), ("race", 30, True), ("easy", 8, False), ("easy", 30, True)],
)
def test_only_key_runs_count_on_the_same_day(run_type, km, flagged):
    # 30 km is long for an athlete with no recent runs, so an easy run of 30 km is key.
    assert bool(same_day(run_type=run_type, km=km)) is flagged


# HEAVY_AFTER_LONG_RUN


def test_heavy_session_the_day_after_a_long_run_is_a_warning():
    flags = check([heavy("s", day(6))], [run("r", day(5), "long", 30)])

    assert [(f.code, f.severity, f.dates) for f in flags] == [
        (Code.HEAVY_AFTER_LONG_RUN, Severity.WARNING, (day(5), day(6)))
    ]


def test_plyometrics_or_two_days_later_do_not_count_after_a_long_run():
    assert check([plyo("s", day(6))], [run("r", day(5), "long")]) == []
    assert check([heavy("s", day(7))], [run("r", day(5), "long")]) == []


# HEAVY_AFTER_RACE


def after_race(days_after: int, km: float | None, session=heavy, priority="C"):
    race = run("race", day(5), "race", km, race_priority=priority)
    flags = check([session("s", day(5 + days_after))], [race])
    return [(f.code, f.severity) for f in flags if f.code != Code.STRENGTH_DAYS_TOO_CLOSE]


@pytest.mark.parametrize(
    ("km", "recovery"),
    [(5, 2), (10, 2), (15, 5), (21.1, 5), (30, 10), (42.2, 10), (50, 14), (100, 14)],
)
def test_a_race_s_recovery_lasts_by_its_distance(km, recovery):
    assert after_race(recovery, km) == [(Code.HEAVY_AFTER_RACE, Severity.WARNING)]
    assert after_race(recovery + 1, km) == []


def test_a_race_without_a_distance_recovers_like_a_10k():
    assert after_race(1, None) == [(Code.HEAVY_AFTER_RACE, Severity.WARNING)]
    assert after_race(2, None) == [(Code.HEAVY_AFTER_RACE, Severity.WARNING)]
    assert after_race(3, None) == []


@pytest.mark.parametrize(("km", "critical"), [(10, False), (20, False), (21.1, True), (42.2, True)])
def test_the_day_after_a_half_marathon_or_longer_is_critical(km, critical):
    severity = Severity.CRITICAL if critical else Severity.WARNING

    assert after_race(1, km) == [(Code.HEAVY_AFTER_RACE, severity)]
    assert after_race(2, km) == [(Code.HEAVY_AFTER_RACE, Severity.WARNING)]


@pytest.mark.parametrize("priority", ["A", "B", "C", ""])
def test_every_race_needs_its_recovery_plyometrics_too(priority):
    assert after_race(3, 21.1, session=plyo, priority=priority) == [
        (Code.HEAVY_AFTER_RACE, Severity.WARNING)
    ]
    assert after_race(3, 21.1, session=light, priority=priority) == []


def test_the_day_after_a_race_is_one_flag_not_two():
    flags = check([heavy("s", day(6))], [run("r", day(5), "race", 10, race_priority="C")])

    assert [(f.code, f.dates, f.run_ids) for f in flags] == [
        (Code.HEAVY_AFTER_RACE, (day(5), day(6)), ("r",))
    ]


def test_one_recovery_flag_about_the_latest_race():
    races = [run("marathon", day(0), "race", 42.2), run("5k", day(5), "race", 5)]

    flags = only(Code.HEAVY_AFTER_RACE, check([heavy("s", day(6))], races))

    assert [f.run_ids for f in flags] == [("5k",)]


# HEAVY_SAME_DAY_AS_LONG_RUN


@pytest.mark.parametrize("run_type", ["long", "race"])
@pytest.mark.parametrize(
    ("session_time", "run_time"),
    [(None, None), (datetime.time(7), datetime.time(9)), (datetime.time(18), datetime.time(9))],
)
def test_hard_work_on_a_long_run_or_race_day_is_a_warning_in_either_order(
    run_type, session_time, run_time
):
    flags = check(
        [plyo("s", day(5), start_time=session_time)],
        [run("r", day(5), run_type, 30, start_time=run_time)],
    )

    assert [(f.code, f.severity, f.dates, f.run_ids) for f in flags] == [
        (Code.HEAVY_SAME_DAY_AS_LONG_RUN, Severity.WARNING, (day(5),), ("r",))
    ]


def test_light_work_or_a_tempo_day_is_not_heavy_on_a_long_run_day():
    assert codes(check([light("s", day(5))], [run("r", day(5), "long", 30)])) == [
        Code.STRENGTH_BEFORE_RUN_SAME_DAY
    ]
    assert Code.HEAVY_SAME_DAY_AS_LONG_RUN not in codes(
        check([heavy("s", day(5))], [run("r", day(5), "tempo", 10)])
    )


# LOAD_SPIKE


def weekly(*kgs: float, sessions_a_week: int = 2):
    """Each week's sessions at ``kg``; a 0 leaves the week without strength sessions."""
    return [
        loaded(f"w{w}s{n}", day(7 * w + 3 * n), kg)
        for w, kg in enumerate(kgs)
        for n in range(sessions_a_week)
        if kg
    ]


def spikes(sessions):
    return [f.date for f in only(Code.LOAD_SPIKE, check(sessions))]


def test_volume_above_one_and_a_half_times_the_last_four_weeks_spikes():
    flags = only(Code.LOAD_SPIKE, check(weekly(20, 20, 20, 20, 31)))

    assert [(f.severity, f.date, len(f.session_ids)) for f in flags] == [
        (Severity.WARNING, day(28), 2)
    ]
    assert flags[0].message == (
        "Strength volume in the week of Mon 5 Jan (1,860 kg lifted) is 1.6× the mean of the "
        "previous 4 weeks (1,200 kg), above the limit of 1.5×"
    )


def test_exactly_one_and_a_half_times_is_not_a_spike():
    assert spikes(weekly(20, 20, 20, 20, 30)) == []


def test_no_spike_in_a_plan_s_first_week():
    assert spikes(weekly(100)) == []
    assert spikes(weekly(0, 0, 0, 0, 100)) == []


def test_the_first_weeks_of_a_plan_compare_with_the_weeks_they_have():
    assert spikes(weekly(20, 30)) == []  # exactly 1.5 × the first week
    assert spikes(weekly(20, 31)) == [day(7)]
    assert spikes(weekly(10, 40, 80, 100)) == [day(7), day(14), day(21)]


def test_the_week_after_a_week_off_compares_with_the_loaded_weeks():
    # The reproduced bug: 6,000 kg after a week off, against 2,400 kg a week before that.
    flags = only(Code.LOAD_SPIKE, check(weekly(40, 40, 40, 0, 100)))

    assert [f.date for f in flags] == [day(28)]
    assert flags[0].message == (
        "Strength volume in the week of Mon 5 Jan (6,000 kg lifted) is 2.5× the mean of the "
        "3 weeks with kg lifted among the previous 4 (2,400 kg), above the limit of 1.5×"
    )
    assert spikes(weekly(40, 40, 40, 0, 60)) == []  # exactly 1.5 ×


def test_after_three_weeks_off_the_one_loaded_week_is_the_baseline():
    flags = only(Code.LOAD_SPIKE, check(weekly(40, 0, 0, 0, 61)))

    assert [f.date for f in flags] == [day(28)]
    assert "is 1.5× the only week with kg lifted among the previous 4 (2,400 kg)" in (
        flags[0].message
    )
    assert spikes(weekly(40, 0, 0, 0, 60)) == []
    assert spikes(weekly(40, 0, 0, 0, 0, 100)) == []  # four weeks off: nothing to compare


def test_the_first_loaded_weeks_after_bodyweight_weeks_do_not_spike():
    bodyweight = [light(f"bw{w}{n}", day(7 * w + 3 * n)) for w in range(4) for n in range(2)]
    goblet = [loaded(f"g{n}", day(28 + 3 * n), 16) for n in range(2)]

    assert spikes(bodyweight + goblet) == []


def test_sets_of_unloaded_work_spike_too():
    steady = [light(f"s{w}{n}", day(7 * w + 3 * n)) for w in range(4) for n in range(2)]
    doubled = [light(f"d{n}", day(28 + 2 * n)) for n in range(4)]  # twice the sets

    assert spikes(steady + doubled) == [day(28)]


def jumps(week: int, reps: int, *, sessions_a_week: int = 2, contacts: int = 1):
    """A week of box jump sessions, 3 × ``reps`` at ``contacts`` a rep, and a plank: the
    same sets every week, so only the foot contacts change."""
    jump = replace(BOX_JUMP, reps=reps, foot_contacts=contacts)
    return [
        session(f"w{week}s{n}", day(7 * week + 3 * n), jump, PLANK) for n in range(sessions_a_week)
    ]


def test_foot_contacts_spike_too():
    sessions = [*jumps(0, 4), *jumps(1, 4), *jumps(2, 4), *jumps(3, 4), *jumps(4, 7)]

    flags = only(Code.LOAD_SPIKE, check(sessions))

    assert [(f.severity, f.date) for f in flags] == [(Severity.WARNING, day(28))]
    assert flags[0].message == (
        "Strength volume in the week of Mon 5 Jan (42 foot contacts) is 1.8× the mean of the "
        "previous 4 weeks (24 foot contacts), above the limit of 1.5×"
    )


def test_exactly_one_and_a_half_times_the_foot_contacts_is_not_a_spike():
    steady = [s for week in range(4) for s in jumps(week, 4)]

    assert spikes([*steady, *jumps(4, 6)]) == []  # 36 contacts against 24
    assert spikes([*steady, *jumps(4, 3, contacts=2)]) == []  # 3 reps of 2 contacts: 36
    assert spikes([*steady, *jumps(4, 4, contacts=2)]) == [day(28)]  # 48


def test_weeks_without_jumps_are_left_out_of_the_foot_contacts_mean():
    no_jumps = [light(f"l{n}", day(7 + 3 * n)) for n in range(2)]  # week 1: sets, no jumps
    sessions = [*jumps(0, 4), *no_jumps, *jumps(2, 4), *jumps(3, 4), *jumps(4, 7)]

    (flag,) = only(Code.LOAD_SPIKE, check(sessions))

    assert flag.date == day(28)
    assert (
        "(42 foot contacts) is 1.8× the mean of the 3 weeks with foot contacts among the "
        "previous 4 (24 foot contacts)"
    ) in flag.message


def test_the_first_week_of_jumps_does_not_spike_on_foot_contacts():
    bodyweight = [light(f"bw{w}{n}", day(7 * w + 3 * n)) for w in range(4) for n in range(2)]

    assert spikes([*bodyweight, *jumps(4, 4)]) == []


# NO_DELOAD


def deloads(sessions, thresholds=DEFAULTS):
    return [(f.date, f.dates) for f in only(Code.NO_DELOAD, check(sessions, thresholds=thresholds))]


def test_seven_loading_weeks_in_a_row_need_a_deload():
    assert deloads(weekly(*[20] * 7)) == [(day(42), (MON, day(42)))]


def test_six_loading_weeks_are_fine_and_a_long_run_is_flagged_once():
    assert deloads(weekly(*[20] * 6)) == []
    assert len(deloads(weekly(*[20] * 12))) == 1
    assert deloads(weekly(*[20] * 4), limits(max_loading_weeks=3)) == [(day(21), (MON, day(21)))]


def test_a_deload_week_resets_the_count():
    sessions = weekly(*[20] * 9)
    sessions = [
        s
        if s.date < day(21) or s.date >= day(28)
        else s.__class__(**{**s.__dict__, "phase": "deload"})
        for s in sessions
    ]

    assert deloads(sessions) == []


def test_a_week_at_most_60_percent_of_the_one_before_resets_the_count():
    assert deloads(weekly(20, 20, 20, 12, 20, 20, 20, 20)) == []
    assert deloads(weekly(20, 20, 20, 13, 20, 20, 20)) == [(day(42), (MON, day(42)))]


def test_a_week_without_strength_resets_the_count():
    assert deloads(weekly(20, 20, 20, 0, 20, 20, 20, 20)) == []


def test_a_plan_with_every_rule_quiet_raises_nothing():
    sessions = [light("a", day(0)), light("b", day(3))]
    runs = [run("e", day(0), "easy"), run("t", day(1), "tempo"), run("l", day(5), "long")]

    assert check(sessions, runs, DEFAULTS) == []
