"""The progression engine on plain data: no database."""

from decimal import Decimal as D  # noqa: N817 (short, in many figures below)

import pytest

from programs.blocks.progression import Dose, Rule, deload, doses_after, is_deload_week, next_week

GOBLET = Dose(sets=3, reps_min=8, reps_max=None, load_type="kg", load_value=D("16"))


def weeks(source, rule, n, *, every=None, fraction=D("0.5"), trained=None):
    return doses_after(
        source,
        rule,
        week_numbers=list(range(2, n + 1)),
        deload_every=every,
        fraction=fraction,
        trained=trained,
    )


def test_hold_keeps_the_dose():
    assert weeks(GOBLET, Rule(), 4) == [GOBLET] * 3


def test_add_load_adds_the_step_each_week():
    doses = weeks(GOBLET, Rule("add_load", load_step=D("2.5")), 4)

    assert [d.load_value for d in doses] == [D("18.5"), D("21.0"), D("23.5")]
    assert {d.sets for d in doses} == {3}


def test_add_load_leaves_bodyweight_rpe_and_rir_alone():
    for load_type, value in [("bodyweight", None), ("rpe", D(7)), ("rir", D(2))]:
        dose = Dose(3, 10, None, load_type, value)
        assert next_week(dose, Rule("add_load", load_step=D(5)), start=dose) == dose


def test_percent_load_never_passes_110():
    dose = Dose(3, 3, None, "pct_1rm", D(108))

    assert next_week(dose, Rule("add_load", load_step=D(5)), start=dose).load_value == 110


def test_double_progression_adds_reps_to_the_cap_then_load_and_resets_reps():
    rule = Rule("double", load_step=D("2.5"), reps_cap=10)

    doses = weeks(GOBLET, rule, 6)

    assert [(d.reps_min, d.load_value) for d in doses] == [
        (9, D(16)),
        (10, D(16)),
        (8, D("18.5")),
        (9, D("18.5")),
        (10, D("18.5")),
    ]


def test_double_progression_moves_a_rep_range_and_steps_at_its_top():
    source = Dose(3, 8, 10, "kg", D(20))
    rule = Rule("double", load_step=D(2), reps_cap=12)

    doses = weeks(source, rule, 5)

    assert [(d.reps_min, d.reps_max, d.load_value) for d in doses] == [
        (9, 11, D(20)),
        (10, 12, D(20)),
        (8, 10, D(22)),
        (9, 11, D(22)),
    ]


def test_a_deload_week_cuts_volume_and_the_next_week_carries_on():
    rule = Rule("add_load", load_step=D(2))

    doses = weeks(GOBLET, rule, 6, every=4)

    assert [(d.sets, d.load_value) for d in doses] == [
        (3, D(18)),
        (3, D(20)),
        (2, D(20)),
        (3, D(22)),
        (3, D(24)),
    ]


@pytest.mark.parametrize(
    ("sets", "fraction", "kept"),
    [(4, "0.5", 2), (3, "0.5", 2), (1, "0.5", 1), (5, "0.4", 3), (5, "0.6", 2)],
)
def test_deload_keeps_at_least_one_set(sets, fraction, kept):
    assert deload(Dose(sets, 5, None, "kg", D(50)), D(fraction)).sets == kept


def test_deload_weeks():
    assert [n for n in range(1, 13) if is_deload_week(n, 4)] == [4, 8, 12]
    assert not any(is_deload_week(n, None) for n in range(1, 13))


def test_after_a_deload_source_the_progression_resumes_from_the_trained_dose():
    deloaded = Dose(2, 8, None, "kg", D(20))
    trained = Dose(3, 8, None, "kg", D(20))

    doses = weeks(deloaded, Rule("add_load", load_step=D(2)), 3, trained=trained)

    assert [(d.sets, d.load_value) for d in doses] == [(3, D(22)), (3, D(24))]
