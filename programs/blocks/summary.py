"""What a week asks of the body: hard sets per muscle group, heavy lower-body sets and
plyometric foot contacts. Reads prefetched rows only, so a page of weeks costs no query."""

from collections import Counter
from dataclasses import dataclass, field

from library.models import LoadClass

NOT_HARD = {LoadClass.MOBILITY}


@dataclass
class WeekSummary:
    sets_by_muscle: Counter = field(default_factory=Counter)
    heavy_lower_sets: int = 0
    plyometric_sets: int = 0
    foot_contacts: int = 0

    @property
    def muscles(self) -> list[tuple[str, int]]:
        return sorted(self.sets_by_muscle.items(), key=lambda item: (-item[1], item[0]))


def week_summary(week, *, muscles: bool = True) -> WeekSummary:
    """``week``'s summary; without ``muscles``, no sets by muscle (the exercises' muscles
    need not be loaded: the builder's grid rows show the other figures only)."""
    summary = WeekSummary()
    for session in week.sessions.all():
        for p in session.prescriptions.all():
            exercise = p.exercise
            if exercise.load_class in NOT_HARD:
                continue
            if muscles:
                for role in exercise.muscle_roles.all():
                    if role.primary:
                        summary.sets_by_muscle[role.muscle.label] += p.sets
            if exercise.load_class == LoadClass.HEAVY_LOWER:
                summary.heavy_lower_sets += p.sets
            elif exercise.load_class == LoadClass.PLYOMETRIC:
                summary.plyometric_sets += p.sets
                reps = p.reps_max or p.reps_min or 0
                sides = 2 if p.per_side else 1
                summary.foot_contacts += p.sets * reps * exercise.foot_contacts_per_rep * sides
    return summary
