"""Week-to-week progression and deloads, as pure functions over plain data.

A prescription's dose in week n+1 follows from its dose in week n and its rule:
- hold: unchanged;
- add_load: load += step each week (kg or % 1RM);
- double: reps rise by one each week until the top of the range reaches the cap; the week
  after, load rises by the step and reps return to where they started (double
  progression: load only rises once every set reached the top of the range).
A deload week cuts sets by a fraction (volume) and holds load; the week after it carries
on from the dose before the deload.
"""

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

HOLD, ADD_LOAD, DOUBLE = "hold", "add_load", "double"
PROGRESSIVE_LOADS = {"kg", "pct_1rm"}
MAX_LOAD = {"kg": Decimal(500), "pct_1rm": Decimal(110)}


@dataclass(frozen=True)
class Dose:
    sets: int
    reps_min: int | None
    reps_max: int | None
    load_type: str
    load_value: Decimal | None


@dataclass(frozen=True)
class Rule:
    kind: str = HOLD
    load_step: Decimal | None = None
    reps_cap: int | None = None


def next_week(dose: Dose, rule: Rule, *, start: Dose) -> Dose:
    """The dose the week after ``dose``. ``start`` is the dose the rule began from, to
    which double progression returns its reps after a load step."""
    if rule.kind == ADD_LOAD:
        return _add_load(dose, rule.load_step)
    if rule.kind == DOUBLE and dose.reps_min is not None:
        top = dose.reps_max if dose.reps_max is not None else dose.reps_min
        cap = rule.reps_cap if rule.reps_cap is not None else top
        if top < cap:
            return replace(
                dose,
                reps_min=dose.reps_min + 1,
                reps_max=None if dose.reps_max is None else dose.reps_max + 1,
            )
        loaded = _add_load(dose, rule.load_step)
        return replace(loaded, reps_min=start.reps_min, reps_max=start.reps_max)
    return dose


def deload(dose: Dose, fraction: Decimal) -> Dose:
    """Volume cut by ``fraction`` (0.5 halves the sets), at least one set; load held."""
    kept = (Decimal(dose.sets) * (1 - Decimal(fraction))).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return replace(dose, sets=max(1, int(kept)))


def is_deload_week(number: int, every: int | None) -> bool:
    """Every ``every``-th week (1-based) is a deload; none when ``every`` is empty."""
    return bool(every) and number % every == 0


def doses_after(
    source: Dose,
    rule: Rule,
    *,
    week_numbers: list[int],
    deload_every: int | None,
    fraction: Decimal,
    trained: Dose | None = None,
) -> list[Dose]:
    """The doses of the weeks numbered ``week_numbers``, which follow the ``source`` week.

    ``trained`` is the dose the progression had reached when the source week is itself a
    deload (the weeks after it carry on from there); by default it is ``source``.
    """
    trained = trained or source
    doses = []
    for number in week_numbers:
        if is_deload_week(number, deload_every):
            doses.append(deload(trained, fraction))
            continue
        trained = next_week(trained, rule, start=source)
        doses.append(trained)
    return doses


def _add_load(dose: Dose, step: Decimal | None) -> Dose:
    if not step or dose.load_type not in PROGRESSIVE_LOADS or dose.load_value is None:
        return dose
    value = min(dose.load_value + step, MAX_LOAD[dose.load_type])
    return replace(dose, load_value=value)
