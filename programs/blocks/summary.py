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
            summary_add(summary, p, exercise.load_class, exercise.foot_contacts_per_rep)
    return summary


def summary_add(summary: WeekSummary, dose, load_class: str, foot_contacts_per_rep: int) -> None:
    """One exercise's sets counted into ``summary``'s heavy lower sets, plyometric sets and
    foot contacts (``dose``: its sets, reps and sides, a model's or plain values)."""
    if load_class == LoadClass.HEAVY_LOWER:
        summary.heavy_lower_sets += dose.sets
    elif load_class == LoadClass.PLYOMETRIC:
        summary.plyometric_sets += dose.sets
        reps = dose.reps_max or dose.reps_min or 0
        sides = 2 if dose.per_side else 1
        summary.foot_contacts += dose.sets * reps * foot_contacts_per_rep * sides
