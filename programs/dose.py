"""Doses and loads as an athlete reads them: in their unit, with % of 1RM turned into a weight.

Loads are stored in kg. A % 1RM load is resolved when it is shown, from the athlete's
recorded 1RM on that exercise, so recording a new 1RM changes every future session at
once; without a 1RM it stays a percentage. Weights round to what a gym can load: 2.5 kg
or 5 lb steps.
"""

from collections.abc import Mapping
from decimal import Decimal

from programs.models import Dose, LoadType
from programs.units import format_weight


def resolved_kg(dose: Dose, one_rep_maxes: Mapping[int, Decimal]) -> Decimal | None:
    """The absolute load of ``dose`` in kg, when there is one to know."""
    if dose.load_type == LoadType.KG:
        return dose.load_value
    if dose.load_type == LoadType.PERCENT_1RM:
        one_rm = one_rep_maxes.get(dose.exercise_id)
        if one_rm is not None:
            return one_rm * dose.load_value / 100
    return None


def load_for_athlete(dose: Dose, one_rep_maxes: Mapping[int, Decimal], unit: str) -> str:
    """ "60 kg", "132.5 lb", "80% 1RM · 64 kg", "80% 1RM" (no 1RM yet), "RPE 8", ""."""
    if dose.load_type == LoadType.KG:
        return format_weight(dose.load_value, unit)
    if dose.load_type == LoadType.PERCENT_1RM:
        kg = resolved_kg(dose, one_rep_maxes)
        if kg is not None:
            return f"{dose.load_text} · {format_weight(kg, unit)}"
    return dose.load_text


def dose_for_athlete(dose: Dose, one_rep_maxes: Mapping[int, Decimal], unit: str) -> str:
    """ "3×5 @ 80% 1RM · 64 kg": the sets, reps and load the athlete will lift."""
    load = load_for_athlete(dose, one_rep_maxes, unit)
    return f"{dose.amount_text} @ {load}" if load else dose.amount_text


def set_text(set_log, unit: str) -> str:
    """A logged set as the reader reads it: "5 × 100 kg @ RPE 8", "12 × bodyweight",
    "45 s"."""
    if set_log.reps is not None:
        load = format_weight(set_log.load_kg, unit, plates=False) if set_log.load_kg else ""
        text = f"{set_log.reps} × {load or 'bodyweight'}"
    else:
        text = f"{set_log.duration_s} s"
        if set_log.load_kg:
            text += f" with {format_weight(set_log.load_kg, unit, plates=False)}"
    if set_log.rpe is not None:
        text += f" @ RPE {set_log.rpe.normalize():f}"
    return text
