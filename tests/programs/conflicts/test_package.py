"""The engine is plain Python: importing it loads no Django; its settings validate."""

import subprocess
import sys
from pathlib import Path

import pytest

from programs.conflicts import Thresholds, evaluate
from tests.programs.conflicts.schedules import day, light, run

ROOT = Path(__file__).resolve().parents[3]


def test_importing_the_engine_loads_no_django():
    script = (
        "import sys\n"
        "import programs.conflicts\n"
        "from programs.conflicts import evaluate\n"
        "evaluate([], [])\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == ""


def test_default_thresholds_are_valid():
    assert Thresholds().errors() == {}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"heavy_before_long_days": -1}, "heavy_before_long_days"),
        ({"min_days_between": -2}, "min_days_between"),
        ({"spike_ratio": 1.0}, "spike_ratio"),
        ({"spike_ratio": 0.8}, "spike_ratio"),
        ({"min_per_week": 4, "max_per_week": 3}, "min_per_week"),
        ({"taper_critical_days": 11}, "taper_critical_days"),
        ({"b_taper_critical_days": 6}, "b_taper_critical_days"),
        ({"b_taper_critical_days": -1}, "b_taper_critical_days"),
        ({"max_per_week": 0, "min_per_week": 0}, "max_per_week"),
        ({"max_loading_weeks": 0}, "max_loading_weeks"),
        ({"heavy_pct_1rm": 120}, "heavy_pct_1rm"),
        ({"heavy_rpe": 11}, "heavy_rpe"),
        ({"heavy_max_reps": 0}, "heavy_max_reps"),
    ],
)
def test_bad_thresholds_get_a_message_on_their_field(values, field):
    errors = Thresholds(**values).errors()

    assert list(errors) == [field]
    assert errors[field].endswith(".")


def test_a_negative_value_reads_well():
    assert Thresholds(taper_warning_days=-1, taper_critical_days=-2).errors() == {
        "taper_warning_days": "Taper window (warning) can't be negative.",
        "taper_critical_days": "Taper window (critical) can't be negative.",
    }


def test_evaluate_refuses_bad_thresholds_and_units():
    with pytest.raises(ValueError, match="load spike ratio"):
        evaluate([], [], Thresholds(spike_ratio=1))
    with pytest.raises(ValueError, match="distance unit"):
        evaluate([], [], distance_unit="furlong")


def test_evaluate_refuses_two_sessions_with_one_id():
    twins = [light("a", day(0)), light("a", day(3))]

    with pytest.raises(ValueError, match="Each session needs its own id"):
        evaluate(twins, [])
    # Sessions and runs are told apart by kind: one of each may share an id.
    assert evaluate([light("a", day(0)), light("b", day(3))], [run("a", day(1), "easy")]) == []
