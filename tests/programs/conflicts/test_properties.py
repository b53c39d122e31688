"""Properties over generated schedules: checked suggestions hold when applied, the result
depends on the situation only (not on input order, titles or repeated calls), and the rules
that read long runs, times of day and weekly volume agree with the brief written out again."""

import datetime
import statistics
from collections import defaultdict
from dataclasses import replace

from hypothesis import event, given, settings
from hypothesis import strategies as st

from programs.conflicts import (
    Code,
    Item,
    Run,
    Severity,
    StrengthSession,
    SuggestionKind,
    Thresholds,
    apply,
    classify,
    evaluate,
)
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

# Heavy by its 1RM (120 kg of 140 kg, 3×8), and just under it (100 kg, 71%).
DEADLIFT_1RM = Item("Deadlift", "heavy_lower", 3, 8, "kg", 120, load_kg=120, one_rm_kg=140,
                    easier="Romanian deadlift", easier_load_class="heavy_lower")  # fmt: skip
DEADLIFT_UNDER = replace(DEADLIFT_1RM, load_value=100, load_kg=100)
BOUNDING = Item("Bounding", "plyometric", 4, 10, foot_contacts=2)  # 80 contacts, no variant
ITEMS = [BACK_SQUAT_80, DEADLIFT_RPE_8, GOBLET_SQUAT, BOX_JUMP, JUMP_SQUAT, BODYWEIGHT_SQUAT,
         GLUTE_BRIDGE, PLANK, PUSH_UP, DEADLIFT_1RM, DEADLIFT_UNDER, BOUNDING]  # fmt: skip
RUN_TYPES = ["easy", "easy", "long", "tempo", "intervals", "hills", "race", "race", "recovery",
             "rest", "cross_training"]  # fmt: skip
# Races from a parkrun to an ultra, across each recovery boundary (10 km, 21.1 km, 42.2 km),
# and easy runs across the long-run boundaries (10 km, 25 km).
DISTANCES = (
    st.none()
    | st.integers(3000, 60000)
    | st.sampled_from([8000, 10000, 12000, 21097, 21100, 25000, 42195])
)
DAYS = 49  # seven weeks: enough for LOAD_SPIKE's four weeks of history and NO_DELOAD
TIMES = (
    st.none()
    | st.sampled_from(
        [datetime.time(6, 30), datetime.time(7), datetime.time(12), datetime.time(18)]
    )
    | st.times()
)
DEFAULTS = Thresholds()
NOT_RUNS = ("rest", "cross_training")


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
    count = draw(st.integers(0, 20))
    generated = []
    for n in range(count):
        done = draw(st.booleans())
        generated.append(
            Run(
                id=f"r{n}",
                date=draw(days(-30, DAYS + 12)),
                run_type=draw(st.sampled_from(RUN_TYPES)),
                title=f"Run {n}",
                distance_m=draw(DISTANCES),
                start_time=draw(TIMES),
                race_priority=draw(st.sampled_from(["A", "B", "C", ""])),
                done=done,
                actual_distance_m=draw(DISTANCES) if done else None,
            )
        )
    return generated


def warning_keys(flags):
    return {f.key for f in flags if f.severity != Severity.INFO}


def recovery(metres: int | None) -> int:
    """The brief's table, written out again: 10 km 2 days, 21.1 km 5, 42.2 km 10, else 14."""
    metres = metres or 0
    return 2 if metres <= 10000 else 5 if metres <= 21100 else 10 if metres <= 42200 else 14


def distance(run: Run) -> int | None:
    return run.actual_distance_m if run.done and run.actual_distance_m else run.distance_m


def long_runs(runs) -> set[str]:
    """The brief's rule, written out again: typed long, a race, or at least 1.5 × the median
    of the runs with a distance of the 28 days before (its day not included) and 10 km; with
    fewer than three such runs, at least 25 km."""
    counted = [r for r in runs if r.run_type not in NOT_RUNS and distance(r)]
    ids = set()
    for run in runs:
        metres = distance(run)
        if run.run_type in ("long", "race"):
            ids.add(run.id)
        elif run.run_type not in NOT_RUNS and metres:
            recent = [distance(o) for o in counted if 1 <= (run.date - o.date).days <= 28]
            if len(recent) < 3:
                long = metres >= 25000
            else:
                long = metres >= 10000 and metres >= 1.5 * statistics.median(recent)
            if long:
                ids.add(run.id)
    return ids


def no_move_days(runs):
    """Long-run and race days, and each race's recovery days."""
    days, long = set(), long_runs(runs)
    for run in runs:
        if run.id in long:
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
    longer = [
        replace(
            r,
            distance_m=(r.distance_m or 0) + 1000,
            actual_distance_m=r.actual_distance_m and r.actual_distance_m + 1000,
        )
        for r in runs
    ]
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


def hard(session: StrengthSession) -> bool:
    return classify(session, DEFAULTS).hard


@settings(max_examples=150, deadline=None)
@given(sessions(), runs())
def test_long_run_rules_read_long_runs_as_the_brief_says(sessions, runs):
    flags = evaluate(sessions, runs, suggest=False)
    long = long_runs(runs)
    event(
        f"long by distance: {bool(long - {r.id for r in runs if r.run_type in ('long', 'race')})}"
    )

    def pairs(code):
        return {(f.session_ids, f.run_ids) for f in flags if f.code == code}

    assert pairs(Code.HEAVY_BEFORE_LONG_RUN) == {
        ((s.id,), (r.id,))
        for s in sessions
        for r in runs
        if hard(s) and r.id in long and (r.date - s.date).days == 1
    }
    assert pairs(Code.HEAVY_SAME_DAY_AS_LONG_RUN) == {
        ((s.id,), (r.id,))
        for s in sessions
        for r in runs
        if hard(s) and r.id in long and r.date == s.date
    }
    heavy = {s.id for s in sessions if classify(s, DEFAULTS).heavy}
    assert pairs(Code.HEAVY_AFTER_LONG_RUN) == {
        ((s.id,), (r.id,))
        for s in sessions
        for r in runs
        if s.id in heavy and r.id in long and r.run_type != "race" and (s.date - r.date).days == 1
    }


@settings(max_examples=150, deadline=None)
@given(sessions(), runs())
def test_strength_before_a_run_the_same_day_only_when_it_is_or_may_be_before(sessions, runs):
    flags = evaluate(sessions, runs, suggest=False)
    long = long_runs(runs)
    key = long | {r.id for r in runs if r.run_type in ("tempo", "intervals", "hills")}

    def before(s: StrengthSession, r: Run) -> bool:
        if s.start_time is None or r.start_time is None:
            return True
        return s.start_time < r.start_time

    expected = {
        ((s.id,), (r.id,))
        for s in sessions
        for r in runs
        if r.date == s.date and r.id in key and not (hard(s) and r.id in long) and before(s, r)
    }
    found = {
        (f.session_ids, f.run_ids) for f in flags if f.code == Code.STRENGTH_BEFORE_RUN_SAME_DAY
    }
    event(f"same day: {len(found)} flagged")
    assert found == expected


def weekly_volumes(sessions) -> dict[datetime.date, tuple[float, int, int]]:
    """kg lifted, sets of everything else, plyometric foot contacts, by Monday."""
    weeks = defaultdict(lambda: [0.0, 0, 0])
    for s in sessions:
        week = weeks[s.date - datetime.timedelta(days=s.date.weekday())]
        for i in s.items:
            kg = i.load_kg or (i.load_value if i.load_type == "kg" else None)
            if kg and i.reps is not None:
                week[0] += i.sets * i.reps * kg
            else:
                week[1] += i.sets
            if i.load_class == "plyometric" and i.reps is not None:
                week[2] += i.sets * i.reps * i.foot_contacts
    return {w: tuple(v) for w, v in weeks.items()}


@settings(max_examples=150, deadline=None)
@given(sessions())
def test_load_spikes_compare_each_measure_with_the_loaded_weeks_before(sessions):
    volumes = weekly_volumes(sessions)
    expected = set()
    for week, now in volumes.items():
        for measure in range(3):
            before = [
                volumes[w][measure]
                for n in range(1, 5)
                if (w := week - datetime.timedelta(weeks=n)) in volumes and volumes[w][measure]
            ]
            if before and now[measure] > 1.5 * sum(before) / len(before):
                expected.add(week)

    flags = evaluate(sessions, [], suggest=False)

    assert {f.date for f in flags if f.code == Code.LOAD_SPIKE} == expected
