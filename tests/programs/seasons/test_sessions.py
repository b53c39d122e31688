"""The sessions by phase: seed 003's progression from bodyweight patterns to loaded lifts to
jumps, week-to-week progression, loads from 1RMs, and the lighter versions."""

from programs.conflicts import Thresholds
from programs.seasons import Phase, PlannedExercise, plan_season
from programs.seasons.sessions import Catalogue, lighten
from tests.programs.seasons.calendars import CATALOGUE, day, race, request, weeks_of_runs


def build(**fields):
    """The 16-week build to an A marathon of test_phases: foundation 0–3 (deload 3),
    strength 4–11 (deloads 7, 11; heavier from 8), power 12–13, taper 14–15."""
    a = day(15, "sun")
    return plan_season(request([*weeks_of_runs(16, skip={a}), race(a, "A")], **fields))


def first(plan, week: int, slug: str) -> PlannedExercise:
    return next(e for e in plan.weeks[week].sessions[0].exercises if e.slug == slug)


def test_bodyweight_patterns_then_loaded_lifts_then_jumps():
    plan = build()
    by_phase: dict[str, set[str]] = {}
    for week in plan.weeks:
        for session in week.sessions:
            by_phase.setdefault(week.phase, set()).update(e.slug for e in session.exercises)

    foundation = [e for s in plan.weeks[0].sessions for e in s.exercises]
    assert {e.load_text for e in foundation} == {"bodyweight"}
    assert {"bodyweight-squat", "reverse-lunge", "glute-bridge"} <= by_phase[Phase.FOUNDATION]
    assert {"goblet-squat", "romanian-deadlift", "single-leg-romanian-deadlift"} <= by_phase[
        Phase.STRENGTH
    ]
    assert "box-jump" in by_phase[Phase.POWER]
    assert "box-jump" not in by_phase[Phase.FOUNDATION] | by_phase[Phase.STRENGTH]
    assert not any(s.heavy or s.plyometric for w in plan.weeks[:8] for s in w.sessions)
    assert all(s.heavy for w in plan.weeks[8:11] for s in w.sessions)
    assert all(s.plyometric for w in plan.weeks[12:14] for s in w.sessions)


def test_reps_rise_week_to_week_and_hold_through_a_deload():
    plan = build()

    assert [first(plan, w, "bodyweight-squat").reps_text for w in range(4)] == [
        "12",
        "13",
        "14",
        "14",
    ]
    assert [first(plan, w, "goblet-squat").reps_text for w in (4, 5, 6)] == ["10", "11", "12"]
    assert {first(plan, w, "goblet-squat").load_text for w in (4, 5, 6)} == {"RPE 7"}


def test_heavier_and_fewer_in_the_second_half_of_strength():
    plan = build()

    deadlift = first(plan, 8, "romanian-deadlift")
    assert (deadlift.sets, deadlift.reps_text, deadlift.load_text) == (3, "6", "RPE 8")


def test_loads_from_one_rep_maxes_where_known_else_rpe():
    plan = build(one_rep_maxes={"romanian-deadlift": 100.0})

    assert first(plan, 4, "romanian-deadlift").load_text == "65% 1RM · 65 kg"
    assert first(plan, 4, "goblet-squat").load_text == "RPE 7"
    # The heavier half adds 2.5% a week from 77.5%.
    assert [first(plan, w, "romanian-deadlift").load_text for w in (8, 9, 10)] == [
        "77.5% 1RM · 77.5 kg",
        "80% 1RM · 80 kg",
        "82.5% 1RM · 82.5 kg",
    ]
    assert first(plan, 8, "romanian-deadlift").load_kg == 77.5


def test_a_deload_halves_the_sets_and_holds_the_load():
    plan = build(one_rep_maxes={"romanian-deadlift": 100.0})
    before, deload = first(plan, 10, "romanian-deadlift"), first(plan, 11, "romanian-deadlift")

    assert plan.weeks[11].phase == Phase.DELOAD
    assert (before.sets, deload.sets) == (3, 2)
    assert deload.load_text == before.load_text
    assert deload.reps_text == before.reps_text


def test_taper_and_recovery_sessions_are_light():
    a = day(10, "sun")
    runs = [*weeks_of_runs(17, skip={a}), race(a, "A")]
    plan = plan_season(request(runs, end=day(16, "sun")))
    easy = [s for w in plan.weeks if w.phase in (Phase.TAPER, Phase.RECOVERY) for s in w.sessions]

    assert easy
    assert not any(s.heavy or s.plyometric for s in easy)
    recovery = [s for w in plan.weeks if w.phase == Phase.RECOVERY for s in w.sessions]
    assert [s.name for s in recovery] == ["Mobility + core"]
    assert not any(e.slug == "box-jump" for s in easy for e in s.exercises)


def test_a_missing_exercise_is_stood_in_for_by_one_of_its_pattern_and_class():
    catalogue = tuple(e for e in CATALOGUE if e.slug != "goblet-squat")
    plan = build(catalogue=catalogue)
    slugs = [e.slug for e in plan.weeks[4].sessions[0].exercises]

    assert "goblet-squat" not in slugs
    assert slugs[0] == "single-leg-squat"  # the first squat of heavy_lower by slug


def test_a_lighter_session_swaps_heavy_lifts_and_jumps_for_easier_variants():
    plan = build()
    power = plan.weeks[12].sessions[0].exercises
    heavy = plan.weeks[8].sessions[1].exercises

    light_power = lighten(power, Catalogue(CATALOGUE), Thresholds())
    light_heavy = lighten(heavy, Catalogue(CATALOGUE), Thresholds())

    assert light_power is not None
    assert "box-jump" not in [e.slug for e in light_power]  # no easier variant: left out
    assert light_heavy is not None
    by_slug = {e.slug: e for e in light_heavy}
    assert by_slug["bodyweight-squat"].load_text == "bodyweight"  # goblet squat's easier
    assert by_slug["hip-thrust"].load_text == "RPE 6"  # no easier: itself, moderately
    assert all(e.sets <= 2 for e in light_heavy if e.load_class != "core")


def test_nothing_to_lighten_in_a_session_of_jumps_alone():
    jumps = (PlannedExercise("box-jump", "Box jump", "plyometric", 3, 8, foot_contacts_per_rep=1),)

    assert lighten(jumps, Catalogue(CATALOGUE), Thresholds()) is None
