"""Suggestions: the nearest day that clears the flag and raises nothing new at warning or
worse; else a lighter session; else advice. Logged sessions never move."""

from programs.conflicts import Code, Severity, SuggestionKind, Thresholds, apply, evaluate
from tests.programs.conflicts.schedules import (
    BACK_SQUAT_80,
    BOX_JUMP,
    JUMP_SQUAT,
    MON,
    PLANK,
    day,
    heavy,
    light,
    loaded,
    only,
    run,
    session,
)

ONE_OFF = Thresholds(min_per_week=0)


def suggestion_for(code, sessions, runs=(), **options):
    (flag,) = only(code, evaluate(sessions, runs, ONE_OFF, **options))
    return flag.suggestion


def keys(sessions, runs):
    return {f.key for f in evaluate(sessions, runs, ONE_OFF, suggest=False)}


def test_move_to_the_nearest_day_earlier_first_on_a_tie():
    sessions, runs = [heavy("s", day(2))], [run("t", day(3), "tempo", 10)]

    move = suggestion_for(Code.HEAVY_BEFORE_KEY_RUN, sessions, runs)

    assert (move.kind, move.session_id, move.to_date, move.text) == (
        SuggestionKind.MOVE,
        "s",
        day(1),
        "Move it to Tue 9 Dec.",
    )
    assert keys(apply(move, sessions), runs) == set()


def test_a_day_in_the_same_week_comes_before_a_nearer_day_in_another_week():
    sessions = [heavy("s", day(0)), light("w", day(2))]

    move = suggestion_for(Code.HEAVY_BEFORE_KEY_RUN, sessions, [run("t", day(1), "tempo")])

    assert move.to_date == day(4)  # Tue, Wed, Thu are too close to Wednesday's session


def test_a_move_that_would_raise_a_new_warning_is_passed_over():
    sessions = [heavy("s", day(4))]
    runs = [run("t", day(4), "tempo", 10), run("long", day(5), "long", 32)]

    move = suggestion_for(Code.HEAVY_BEFORE_LONG_RUN, sessions, runs)

    # Thursday would be the day before Friday's tempo run; Saturday is the long run's day
    # and Sunday the day after it.
    assert (move.to_date, move.text) == (day(2), "Move it to Wed 10 Dec.")
    assert evaluate(apply(move, sessions), runs, ONE_OFF) == []


def test_another_week_when_no_day_in_this_one_works():
    sessions = [heavy("s", day(0))]
    runs = [run(f"t{n}", day(n), "tempo", 10) for n in range(1, 8)]

    assert suggestion_for(Code.HEAVY_BEFORE_KEY_RUN, sessions, runs).to_date == day(-1)


def test_a_move_never_lands_before_today():
    sessions = [heavy("s", day(0))]
    runs = [run(f"t{n}", day(n), "tempo", 10) for n in range(1, 8)]

    move = suggestion_for(Code.HEAVY_BEFORE_KEY_RUN, sessions, runs, today=MON)

    assert (move.to_date, move.text) == (
        day(7),
        "Move it to Mon 15 Dec, after your tempo run (10 km).",
    )


def test_the_later_of_two_close_sessions_moves_unless_it_is_logged():
    later = suggestion_for(Code.STRENGTH_DAYS_TOO_CLOSE, [light("a", day(0)), light("b", day(1))])
    earlier = suggestion_for(
        Code.STRENGTH_DAYS_TOO_CLOSE, [light("a", day(0)), light("b", day(1), done=True)]
    )

    assert (later.session_id, later.to_date) == ("b", day(2))
    assert (earlier.session_id, earlier.to_date, earlier.text) == (
        "a",
        day(3),
        "Move Session a (Mon 8 Dec) to Thu 11 Dec.",
    )


def test_a_logged_session_is_never_moved():
    sessions = [heavy("s", day(4), done=True)]

    advice = suggestion_for(Code.HEAVY_BEFORE_LONG_RUN, sessions, [run("l", day(5), "long", 32)])

    assert (advice.kind, advice.session_id, advice.to_date, advice.changes) == (
        SuggestionKind.NONE,
        "s",
        None,
        (),
    )
    assert advice.text == (
        "This session is logged: keep your long run (32 km) on Sat 13 Dec easy, or move it a "
        "day later."
    )
    assert apply(advice, sessions) == tuple(sessions)


def boxed_in(*sessions):
    """A tempo run every day for three weeks: no day is free of HEAVY_BEFORE_KEY_RUN."""
    return list(sessions), [run(f"t{n}", day(n), "tempo", 10) for n in range(-10, 12)]


def test_lighten_when_no_day_works():
    sessions, runs = boxed_in(heavy("s", day(2)))

    lighten = suggestion_for(Code.HEAVY_BEFORE_KEY_RUN, sessions, runs)

    assert (lighten.kind, lighten.session_id, lighten.text) == (
        SuggestionKind.LIGHTEN,
        "s",
        "Swap Back squat for Goblet squat at RPE 6 and cut lower-body sets to 2.",
    )
    (lighter,) = apply(lighten, sessions)
    assert [(i.exercise, i.sets, i.load_type, i.load_value, i.load_kg) for i in lighter.items] == [
        ("Goblet squat", 2, "rpe", 6, None),
        ("Plank", 3, "bodyweight", None, None),
    ]
    assert only(Code.HEAVY_BEFORE_KEY_RUN, evaluate(apply(lighten, sessions), runs)) == []


def test_lighten_drops_jumps_or_swaps_them_for_a_non_jumping_variant():
    sessions, runs = boxed_in(session("s", day(2), BOX_JUMP, JUMP_SQUAT, PLANK))

    lighten = suggestion_for(Code.HEAVY_BEFORE_KEY_RUN, sessions, runs)

    assert lighten.text == (
        "Drop Box jump, swap Jump squat for Bodyweight squat and cut lower-body sets to 2."
    )
    (lighter,) = apply(lighten, sessions)
    assert [(i.exercise, i.load_class, i.sets) for i in lighter.items] == [
        ("Bodyweight squat", "light_lower", 2),
        ("Plank", "core", 3),
    ]


def test_after_a_long_run_lightening_keeps_the_jumps():
    sessions = [session("s", day(2), BACK_SQUAT_80, BOX_JUMP)]
    runs = [run(f"l{n}", day(n), "long", 20) for n in range(-10, 12)]

    lighten = suggestion_for(Code.HEAVY_AFTER_LONG_RUN, sessions, runs)

    assert lighten.kind == SuggestionKind.LIGHTEN
    assert "Box jump" in [i.exercise for i in apply(lighten, sessions)[0].items]


def test_two_logged_sessions_too_close_get_advice():
    advice = suggestion_for(
        Code.STRENGTH_DAYS_TOO_CLOSE, [light("a", day(0), done=True), light("b", day(1), done=True)]
    )

    assert (advice.kind, advice.session_id, advice.text) == (
        SuggestionKind.NONE,
        None,
        "Both sessions are logged: keep at least 2 days between the next ones.",
    )


def test_too_many_moves_a_session_out_of_the_week():
    sessions = [light(i, day(n)) for i, n in [("a", 0), ("b", 2), ("c", 4), ("d", 6)]]

    move = suggestion_for(Code.TOO_MANY_STRENGTH_SESSIONS, sessions)

    # Sunday the 7th is as near as Monday the 15th, but a week of one session before this
    # week's three would make this week a load spike (a week is compared with the weeks
    # before it that had any work): the later day.
    assert (move.session_id, move.to_date, move.text) == (
        "d",
        day(7),
        "Move Session d (Sun 14 Dec) to Mon 15 Dec.",
    )
    assert keys(apply(move, sessions), []) == set()


def test_same_day_advice_is_to_run_first():
    advice = suggestion_for(
        Code.STRENGTH_BEFORE_RUN_SAME_DAY, [light("s", day(5))], [run("l", day(5), "long")]
    )

    assert (advice.kind, advice.text) == (
        SuggestionKind.NONE,
        "Run first, then do the strength session.",
    )


def test_weekly_flags_get_advice():
    weeks = [
        loaded(f"s{w}{n}", day(7 * w + 3 * n), 40 if w == 4 else 20)
        for w in range(5)
        for n in range(2)
    ]

    flags = evaluate(weeks, [], Thresholds(max_loading_weeks=4))

    assert {f.code: (f.suggestion.kind, f.suggestion.text) for f in flags} == {
        Code.LOAD_SPIKE: (
            SuggestionKind.NONE,
            "Cut sets, load or jumps this week to stay within 1.5× the mean of the previous 4 "
            "weeks.",
        ),
        Code.NO_DELOAD: (
            SuggestionKind.NONE,
            "Make this week a deload week: about half the usual sets, same loads.",
        ),
    }


def test_no_suggestions_when_not_asked():
    flags = evaluate([heavy("s", day(4))], [run("l", day(5), "long")], suggest=False)

    assert flags
    assert {f.suggestion for f in flags} == {None}


# Moves stay off long-run and race days and out of a race's recovery. Each test reproduces
# a fix a coach rejected.


def assert_fix_holds(flag, sessions, runs):
    """The suggestion clears its flag and raises nothing new at warning or worse."""
    before = {f.key for f in evaluate(sessions, runs, ONE_OFF) if f.severity != Severity.INFO}
    after = evaluate(apply(flag.suggestion, sessions), runs, ONE_OFF, suggest=False)
    assert flag.key not in {f.key for f in after}
    assert {f.key for f in after if f.severity != Severity.INFO} <= before


def test_jumps_before_an_a_half_marathon_are_not_moved_to_the_day_after_it():
    sessions = [session("s", day(4), BOX_JUMP, PLANK, title="Power")]
    runs = [run("half", day(5), "race", 21.1, race_priority="A", title="City Half")]

    flags = evaluate(sessions, runs, ONE_OFF)

    assert {f.code for f in flags} == {Code.HEAVY_BEFORE_LONG_RUN, Code.HEAVY_IN_TAPER}
    for flag in flags:
        if flag.suggestion.kind == SuggestionKind.MOVE:
            assert not day(5) <= flag.suggestion.to_date <= day(10)  # race day + 5 days
        if flag.suggestion.kind != SuggestionKind.NONE:
            assert_fix_holds(flag, sessions, runs)


def test_squats_in_a_marathon_taper_are_not_moved_to_two_days_after_it():
    sessions = [heavy("s", day(3))]
    runs = [run("marathon", day(6), "race", 42.195, race_priority="A")]

    (flag,) = only(Code.HEAVY_IN_TAPER, evaluate(sessions, runs, ONE_OFF))

    assert flag.severity == Severity.CRITICAL
    assert flag.suggestion.to_date != day(8)
    if flag.suggestion.kind == SuggestionKind.MOVE:
        assert not day(6) <= flag.suggestion.to_date <= day(16)  # race day + 10 days
    assert_fix_holds(flag, sessions, runs)


def test_squats_the_day_after_a_long_run_are_not_moved_onto_the_long_run_day():
    sessions = [heavy("s", day(6))]
    runs = [run("long", day(5), "long", 30)]

    move = suggestion_for(Code.HEAVY_AFTER_LONG_RUN, sessions, runs)

    assert (move.kind, move.to_date) == (SuggestionKind.MOVE, day(3))  # not Sat, not Fri
    (flag,) = only(Code.HEAVY_AFTER_LONG_RUN, evaluate(sessions, runs, ONE_OFF))
    assert_fix_holds(flag, sessions, runs)


def test_no_move_onto_a_long_run_day_even_for_light_work():
    sessions = [light("a", day(4)), light("b", day(5))]

    move = suggestion_for(Code.STRENGTH_DAYS_TOO_CLOSE, sessions, [run("l", day(6), "long", 30)])

    assert move.to_date != day(6)


def test_a_move_lands_after_a_race_s_recovery_when_nothing_earlier_works():
    sessions = [heavy("s", day(7))]
    runs = [run("5k", day(6), "race", 5), *(run(f"t{n}", day(n), "tempo") for n in range(6))]

    move = suggestion_for(Code.HEAVY_AFTER_RACE, sessions, runs)

    assert (move.kind, move.to_date) == (SuggestionKind.MOVE, day(9))  # 5k: 2 days' recovery


def test_a_lighter_jump_session_is_never_empty():
    jumps_only, runs = boxed_in(session("s", day(2), BOX_JUMP, BOX_JUMP))

    advice = suggestion_for(Code.HEAVY_BEFORE_KEY_RUN, jumps_only, runs)

    # Pogo hops are jumps too: no lighter session clears the flag, so advice, not an
    # empty session.
    assert (advice.kind, advice.changes) == (SuggestionKind.NONE, ())


def test_a_jump_with_a_non_jumping_variant_is_swapped_not_dropped():
    sessions, runs = boxed_in(session("s", day(2), JUMP_SQUAT))

    lighten = suggestion_for(Code.HEAVY_BEFORE_KEY_RUN, sessions, runs)

    assert lighten.kind == SuggestionKind.LIGHTEN
    (lighter,) = apply(lighten, sessions)
    assert [(i.exercise, i.load_class, i.sets) for i in lighter.items] == [
        ("Bodyweight squat", "light_lower", 2)
    ]


# Moves stay inside the session's assignment (issue 14): never before its start date, never
# after the last day of its last week.


def test_a_move_never_lands_before_the_assignment_starts():
    # The marathon's recovery (race day + 10) covers every later candidate: only the days
    # before Wednesday clear the flag, and the assignment starts on Wednesday.
    runs = [run("marathon", day(3), "race", 42.195)]
    unbounded = suggestion_for(Code.HEAVY_BEFORE_LONG_RUN, [heavy("s", day(2))], runs)
    assert (unbounded.kind, unbounded.to_date) == (SuggestionKind.MOVE, day(1))

    sessions = [heavy("s", day(2), earliest=day(2), latest=day(2 + 4 * 7 - 1))]
    fix = suggestion_for(Code.HEAVY_BEFORE_LONG_RUN, sessions, runs)

    assert fix.kind == SuggestionKind.LIGHTEN
    assert fix.to_date is None
    assert Code.HEAVY_BEFORE_LONG_RUN not in {f.code for f in evaluate(apply(fix, sessions), runs)}


def test_a_move_never_lands_after_the_assignment_ends():
    # Saturday's session is the day before Sunday's long run; today is Saturday, Sunday is the
    # long run's day and Monday the day after it, so only Tuesday on clears the flag, and the
    # assignment's last week ends on Sunday.
    runs = [run("long", day(6), "long", 30)]
    unbounded = suggestion_for(Code.HEAVY_BEFORE_LONG_RUN, [heavy("s", day(5))], runs, today=day(5))
    assert (unbounded.kind, unbounded.to_date) == (SuggestionKind.MOVE, day(8))

    sessions = [heavy("s", day(5), earliest=day(-21), latest=day(6))]
    fix = suggestion_for(Code.HEAVY_BEFORE_LONG_RUN, sessions, runs, today=day(5))

    assert fix.kind == SuggestionKind.LIGHTEN
    assert fix.to_date is None


def test_a_plyometric_session_with_nowhere_to_go_inside_its_assignment_gets_advice():
    sessions = [session("p", day(2), BOX_JUMP, title="Power", earliest=day(2), latest=day(2))]

    fix = suggestion_for(Code.HEAVY_BEFORE_LONG_RUN, sessions, [run("m", day(3), "race", 42.195)])

    assert (fix.kind, fix.session_id, fix.to_date) == (SuggestionKind.NONE, "p", None)
