"""Properties over generated schedules: checked suggestions hold when applied, and the
result depends on the situation only (not on input order, titles or repeated calls)."""

import datetime
from dataclasses import replace

from hypothesis import event, given, settings
from hypothesis import strategies as st

from programs.conflicts import Run, Severity, StrengthSession, SuggestionKind, apply, evaluate
from tests.programs.conflicts.schedules import (
    BACK_SQUAT_80,
    BODYWEIGHT_SQUAT,
    BOX_JUMP,
    DEADLIFT_RPE_8,
    GLUTE_BRIDGE,
    GOBLET_SQUAT,
    JUMP_SQUAT,
    MON,
    PLANK,
    PUSH_UP,
)

ITEMS = [BACK_SQUAT_80, DEADLIFT_RPE_8, GOBLET_SQUAT, BOX_JUMP, JUMP_SQUAT, BODYWEIGHT_SQUAT,
         GLUTE_BRIDGE, PLANK, PUSH_UP]  # fmt: skip
RUN_TYPES = ["easy", "long", "tempo", "intervals", "hills", "race", "race", "recovery", "rest"]
# Races from a parkrun to an ultra, across each recovery boundary (10 km, 21.1 km, 42.2 km).
DISTANCES = st.none() | st.integers(3000, 60000) | st.sampled_from([10000, 21097, 21100, 42195])
DAYS = 49  # seven weeks: enough for LOAD_SPIKE's four weeks of history and NO_DELOAD
TIMES = st.none() | st.sampled_from([datetime.time(7), datetime.time(12), datetime.time(18)])


def days(low: int = 0, high: int = DAYS) -> st.SearchStrategy[datetime.date]:
    return st.integers(low, high).map(lambda n: MON + datetime.timedelta(days=n))


@st.composite
def sessions(draw) -> list[StrengthSession]:
    count = draw(st.integers(0, 14))
    return [
        StrengthSession(
            id=f"s{n}",
            date=draw(days()),
            title=f"Session {n}",
            items=tuple(draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=3))),
            start_time=draw(TIMES),
            phase=draw(st.sampled_from(["", "", "strength", "deload"])),
            done=draw(st.booleans()),
            # Sometimes inside an assignment: a move must stay within its days.
            earliest=draw(st.none() | days()),
            latest=draw(st.none() | days()),
        )
        for n in range(count)
    ]


@st.composite
def runs(draw) -> list[Run]:
    count = draw(st.integers(0, 16))
    return [
        Run(
            id=f"r{n}",
            date=draw(days(-3, DAYS + 12)),
            run_type=draw(st.sampled_from(RUN_TYPES)),
            title=f"Run {n}",
            distance_m=draw(DISTANCES),
            start_time=draw(TIMES),
            race_priority=draw(st.sampled_from(["A", "B", "C", ""])),
        )
        for n in range(count)
    ]


def warning_keys(flags):
    return {f.key for f in flags if f.severity != Severity.INFO}


def recovery(metres: int | None) -> int:
    """The brief's table, written out again: 10 km 2 days, 21.1 km 5, 42.2 km 10, else 14."""
    metres = metres or 0
    return 2 if metres <= 10000 else 5 if metres <= 21100 else 10 if metres <= 42200 else 14


def no_move_days(runs):
    """Long-run and race days, and each race's recovery days."""
    days = set()
    for run in runs:
        if run.run_type in ("long", "race"):
            days.add(run.date)
        if run.run_type == "race":
            days.update(
                run.date + datetime.timedelta(n) for n in range(1, recovery(run.distance_m) + 1)
            )
    return days


@settings(max_examples=150, deadline=None)
@given(sessions(), runs(), st.none() | days())
def test_a_suggestion_clears_its_flag_and_raises_no_new_warning(sessions, runs, today):
    flags = evaluate(sessions, runs, today=today)
    before = warning_keys(flags)

    for flag in flags:
        event(f"{flag.code} → {flag.suggestion.kind}")
        if flag.suggestion.kind == SuggestionKind.NONE:
            continue
        if flag.suggestion.kind == SuggestionKind.MOVE:
            assert today is None or flag.suggestion.to_date >= today
            assert flag.suggestion.to_date not in no_move_days(runs)
            bounded = next(s for s in sessions if s.id == flag.suggestion.session_id)
            assert bounded.earliest is None or flag.suggestion.to_date >= bounded.earliest
            assert bounded.latest is None or flag.suggestion.to_date <= bounded.latest
        changed = apply(flag.suggestion, sessions)
        assert changed != tuple(sessions)
        moved = next(s for s in sessions if s.id == flag.suggestion.session_id)
        assert not moved.done
        assert next(s for s in changed if s.id == moved.id).items  # never an empty session
        after = evaluate(changed, runs, suggest=False)
        assert flag.key not in {f.key for f in after}
        assert warning_keys(after) <= before


@settings(max_examples=100, deadline=None)
@given(sessions(), runs(), st.randoms(use_true_random=False))
def test_flags_do_not_depend_on_input_order(sessions, runs, random):
    shuffled_sessions, shuffled_runs = sessions[:], runs[:]
    random.shuffle(shuffled_sessions)
    random.shuffle(shuffled_runs)

    assert evaluate(shuffled_sessions, shuffled_runs) == evaluate(sessions, runs)


@settings(max_examples=50, deadline=None)
@given(sessions(), runs())
def test_evaluating_twice_gives_the_same_flags(sessions, runs):
    assert evaluate(sessions, runs) == evaluate(sessions, runs)


def fingerprints(sessions, runs):
    return {f.key: f.fingerprint for f in evaluate(sessions, runs, suggest=False)}


@settings(max_examples=100, deadline=None)
@given(sessions(), runs())
def test_fingerprints_ignore_titles_times_and_unrelated_runs(sessions, runs):
    renamed = [replace(s, title=f"Renamed {s.id}") for s in sessions]
    retitled = [replace(r, title=f"Renamed {r.id}") for r in runs]
    far_away = Run("far", MON + datetime.timedelta(days=400), "long", distance_m=30000)

    assert fingerprints(renamed, [*retitled, far_away]) == fingerprints(sessions, runs)


@settings(max_examples=100, deadline=None)
@given(sessions(), runs())
def test_fingerprints_change_with_the_run_that_raised_the_flag(sessions, runs):
    longer = [replace(r, distance_m=(r.distance_m or 0) + 1000) for r in runs]
    before, after = fingerprints(sessions, runs), fingerprints(sessions, longer)

    for key, fingerprint in before.items():
        run_ids = key[2]
        if run_ids and key in after:
            assert after[key] != fingerprint
        elif key in after:
            assert after[key] == fingerprint


@settings(max_examples=100, deadline=None)
@given(sessions(), runs())
def test_a_fingerprint_is_unique_to_its_flag(sessions, runs):
    flags = evaluate(sessions, runs, suggest=False)

    assert len({f.fingerprint for f in flags}) == len(flags)


@settings(max_examples=50, deadline=None)
@given(sessions(), runs())
def test_suggestions_do_not_change_the_flags(sessions, runs):
    plain = evaluate(sessions, runs, suggest=False)

    assert [replace(f, suggestion=None) for f in evaluate(sessions, runs)] == plain
