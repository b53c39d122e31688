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
    """A heavy_lower exercise at a heavy intensity: at ``heavy_pct_1rm`` % 1RM or more,
    given as a percentage or as kg against the athlete's recorded 1RM (whatever the reps:
    3×8 at 86% is heavy); or at a heavy RPE or RIR; or for few reps with an external load.
    Timed work (no reps) is heavy only by % 1RM, RPE or RIR; a 0 kg load counts as
    bodyweight."""
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
    if item.one_rm_kg:
        kg = external_kg(item)
        # Multiplied out rather than divided, so that exactly 75% is 75% (105 kg of 140 kg).
        if kg is not None and kg * 100 >= thresholds.heavy_pct_1rm * item.one_rm_kg:
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
    """A week's strength volume in parts that are never added together: kg lifted
    (sets × reps × kg, for items with a known load and reps), the sets of everything else
    (bodyweight, timed, unknown load), and the foot contacts of plyometric work (sets ×
    reps × contacts per rep), which also count in one of the first two. Adding kg to sets
    would make the first loaded week of a plan look like a huge spike."""

    kg: float = 0.0
    sets: int = 0
    contacts: int = 0

    def __bool__(self) -> bool:
        return self.kg > 0 or self.sets > 0 or self.contacts > 0


def foot_contacts(item: Item) -> int:
    """The landings a plyometric item asks for: sets × reps × contacts per rep."""
    if item.load_class != LoadClass.PLYOMETRIC or item.reps is None:
        return 0
    return item.sets * item.reps * item.foot_contacts


def session_volume(session: StrengthSession) -> Volume:
    kg, sets, contacts = 0.0, 0, 0
    for item in session.items:
        load = external_kg(item)
        if load is not None and item.reps is not None:
            kg += item.sets * item.reps * load
        else:
            sets += item.sets
        if item.foot_contacts:
            contacts += foot_contacts(item)
    return Volume(kg, sets, contacts)
