"""What kind of session this is, and how much work it holds."""

from dataclasses import dataclass
from enum import StrEnum

from programs.conflicts.model import (
    LOWER_BODY,
    Item,
    LoadClass,
    LoadType,
    StrengthSession,
    Thresholds,
)


class SessionKind(StrEnum):
    HEAVY_PLYOMETRIC = "heavy_plyometric"
    HEAVY_LOWER = "heavy_lower"
    PLYOMETRIC = "plyometric"
    LIGHT = "light"
    UPPER_CORE = "upper_core"


@dataclass(frozen=True)
class Classification:
    heavy: bool
    plyometric: bool
    lower: bool

    @property
    def hard(self) -> bool:
        return self.heavy or self.plyometric

    @property
    def kind(self) -> SessionKind:
        if self.heavy and self.plyometric:
            return SessionKind.HEAVY_PLYOMETRIC
        if self.heavy:
            return SessionKind.HEAVY_LOWER
        if self.plyometric:
            return SessionKind.PLYOMETRIC
        return SessionKind.LIGHT if self.lower else SessionKind.UPPER_CORE


def external_kg(item: Item) -> float | None:
    """The absolute load in kg when there is one; bodyweight and unknown loads give None."""
    if item.load_kg:
        return item.load_kg
    if item.load_type == LoadType.KG and item.load_value:
        return item.load_value
    return None


def is_heavy(item: Item, thresholds: Thresholds) -> bool:
    """A heavy_lower exercise at a heavy intensity. Timed work (no reps) is heavy only by
    % 1RM, RPE or RIR; a 0 kg load counts as bodyweight."""
    if item.load_class != LoadClass.HEAVY_LOWER:
        return False
    value = item.load_value
    if value is not None:
        if item.load_type == LoadType.PERCENT_1RM and value >= thresholds.heavy_pct_1rm:
            return True
        if item.load_type == LoadType.RPE and value >= thresholds.heavy_rpe:
            return True
        if item.load_type == LoadType.RIR and value <= thresholds.heavy_rir:
            return True
    return (
        item.reps is not None
        and item.reps <= thresholds.heavy_max_reps
        and external_kg(item) is not None
    )


def is_plyometric(item: Item) -> bool:
    return item.load_class == LoadClass.PLYOMETRIC


def classify(session: StrengthSession, thresholds: Thresholds) -> Classification:
    heavy = plyometric = lower = False
    for item in session.items:
        heavy = heavy or is_heavy(item, thresholds)
        plyometric = plyometric or is_plyometric(item)
        lower = lower or item.load_class in LOWER_BODY
    return Classification(heavy=heavy, plyometric=plyometric, lower=lower)


@dataclass(frozen=True)
class Volume:
    """A week's strength volume in two parts that are never added together: kg lifted
    (sets × reps × kg, for items with a known load and reps) and the sets of everything
    else (bodyweight, timed, unknown load). Adding kg to sets would make the first loaded
    week of a plan look like a huge spike."""

    kg: float = 0.0
    sets: int = 0

    def __bool__(self) -> bool:
        return self.kg > 0 or self.sets > 0


def session_volume(session: StrengthSession) -> Volume:
    kg, sets = 0.0, 0
    for item in session.items:
        load = external_kg(item)
        if load is not None and item.reps is not None:
            kg += item.sets * item.reps * load
        else:
            sets += item.sets
    return Volume(kg, sets)
