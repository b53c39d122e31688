"""The season planner: an athlete's races and run plan in, a whole strength season out,
checked by the conflict engine. Plain Python (no Django), like programs.conflicts.

    plan = plan_season(SeasonRequest(start=..., runs=..., catalogue=...))
"""

from programs.seasons.model import (
    CatalogueExercise,
    Phase,
    PlannedExercise,
    PlannedSession,
    PlannedWeek,
    Reason,
    SeasonPlan,
    SeasonRequest,
    Unavoidable,
)
from programs.seasons.planner import plan_season

__all__ = [
    "CatalogueExercise",
    "Phase",
    "PlannedExercise",
    "PlannedSession",
    "PlannedWeek",
    "Reason",
    "SeasonPlan",
    "SeasonRequest",
    "Unavoidable",
    "plan_season",
]
