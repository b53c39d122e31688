"""The engine keeps its own enums so that it imports no Django; these tests keep them equal
to the model choices they mirror, so a value added on one side cannot be missed on the
other."""

from library.models import LoadClass as ModelLoadClass
from programs import conflicts
from programs.conflicts.model import EASY_PHASES, TAPER_PRIORITIES
from programs.models import LoadType as ModelLoadType
from programs.models import Phase, RacePriority
from programs.models import RunType as ModelRunType


def test_load_classes_match_the_library():
    assert set(conflicts.LoadClass) == set(ModelLoadClass.values)


def test_load_types_match_prescriptions():
    assert set(conflicts.LoadType) == set(ModelLoadType.values)


def test_run_types_match_runs():
    assert set(conflicts.RunType) == set(ModelRunType.values)


def test_phases_the_engine_names_are_block_phases():
    assert set(EASY_PHASES) <= set(Phase.values)


def test_race_priorities_the_engine_names_are_run_priorities():
    assert set(TAPER_PRIORITIES) - {""} <= set(RacePriority.values)
