"""A week's sessions from the templates: exercises picked from the catalogue, doses moved on
week by week with the builder's progression rules (programs.blocks.progression), loads as %
1RM where the athlete has a 1RM, else RPE; and the lighter version of each session that
the day search falls back on."""

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from programs.blocks.progression import Dose, Rule, deload, next_week
from programs.conflicts.classify import classify, is_heavy, is_plyometric
from programs.conflicts.model import (
    LOWER_BODY,
    Item,
    LoadClass,
    LoadType,
    StrengthSession,
    Thresholds,
)
from programs.seasons import templates
from programs.seasons.model import CatalogueExercise, Phase, PlannedExercise, PlannedSession
from programs.seasons.phases import WeekFrame
from programs.seasons.templates import SessionTemplate, Slot

# As the engine's lighter session does it (programs.conflicts.fixes).
LIGHT_SETS = 2
RPE_STEP_DOWN = 2
LIGHT_SUFFIX = " (light)"


@dataclass(frozen=True)
class Choice:
    """A session a week asks for, in full and lightened (None when it can't be: lightening
    would leave it empty or still hard)."""

    template: str
    name: str
    full: tuple[PlannedExercise, ...]
    light: tuple[PlannedExercise, ...] | None
    heavy: bool
    plyometric: bool


class Catalogue:
    """The exercises by slug, with the stand-in for a slot whose exercises are missing."""

    def __init__(self, exercises: tuple[CatalogueExercise, ...]) -> None:
        self.by_slug = {e.slug: e for e in exercises}
        self._by_kind: dict[tuple[str, str], CatalogueExercise] = {}
        for exercise in sorted(exercises, key=lambda e: e.slug):
            self._by_kind.setdefault((exercise.pattern, exercise.load_class), exercise)

    def pick(self, slot: Slot) -> CatalogueExercise | None:
        for slug in slot.slugs:
            if slug in self.by_slug:
                return self.by_slug[slug]
        return self._by_kind.get((slot.pattern, slot.load_class))

    def easier(self, exercise: CatalogueExercise) -> CatalogueExercise | None:
        return self.by_slug.get(exercise.easier or "")


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _dose(slot: Slot, index: int, deload_fraction: float | None, one_rm: float | None) -> Dose:
    """The slot's dose after ``index`` loading weeks; a deload week's is the last trained
    dose (after index - 1) with its sets cut."""
    if slot.rpe is None:
        load_type, value, step = LoadType.BODYWEIGHT, None, None
    elif one_rm:
        load_type, value, step = LoadType.PERCENT_1RM, slot.pct, slot.pct_step
    else:
        load_type, value, step = LoadType.RPE, slot.rpe, None
    reps_max = slot.reps_max if slot.reps is not None else None
    start = Dose(slot.sets, slot.reps, reps_max, load_type, _decimal(value))
    rule = Rule(slot.rule, load_step=_decimal(step), reps_cap=slot.reps_cap)
    trained = index - 1 if deload_fraction is not None else index
    dose = start
    for _week in range(max(0, trained)):
        dose = next_week(dose, rule, start=start)
    if deload_fraction is not None:
        dose = deload(dose, _decimal(deload_fraction) or Decimal(0))
    return dose


def _exercise(
    slot: Slot, exercise: CatalogueExercise, dose: Dose, one_rm: float | None
) -> PlannedExercise:
    value = None if dose.load_value is None else float(dose.load_value)
    percent = dose.load_type == LoadType.PERCENT_1RM
    return PlannedExercise(
        slug=exercise.slug,
        name=exercise.name,
        load_class=exercise.load_class,
        sets=dose.sets,
        reps_min=dose.reps_min,
        reps_max=dose.reps_max,
        duration_s=slot.seconds if dose.reps_min is None else None,
        per_side=slot.per_side,
        load_type=dose.load_type,
        load_value=value,
        load_kg=one_rm * value / 100 if percent and one_rm and value else None,
        one_rm_kg=one_rm if percent else None,
        foot_contacts_per_rep=exercise.foot_contacts_per_rep,
    )


def _templates(frame: WeekFrame) -> tuple[tuple[SessionTemplate, ...], int]:
    """The templates a week's sessions come from, and the week's progression index in
    them. The strength phase's second half is heavier and fewer (seed 003)."""
    base, index = frame.base, frame.index
    if base == Phase.STRENGTH:
        build = math.ceil(frame.span / 2)
        trained = index - 1 if frame.phase == Phase.DELOAD else index
        if trained >= build:
            return templates.STRENGTH_HEAVY, index - build
        return templates.STRENGTH, index
    return {
        Phase.FOUNDATION: templates.FOUNDATION,
        Phase.POWER: templates.POWER,
        Phase.MAINTENANCE: templates.MAINTENANCE,
        Phase.TAPER: templates.TAPER,
        Phase.RECOVERY: templates.RECOVERY,
    }[base], index


def week_choices(
    frame: WeekFrame,
    count: int,
    *,
    catalogue: Catalogue,
    one_rep_maxes: Mapping[str, float],
    thresholds: Thresholds,
    deload_fraction: float,
) -> list[Choice]:
    """The ``count`` sessions the week asks for, in their order (A, B, C). One in-season
    session a week alternates A and B."""
    pool, index = _templates(frame)
    if count == 1 and frame.base in (Phase.POWER, Phase.MAINTENANCE):
        chosen = (pool[index % len(pool)],)
    else:
        chosen = pool[:count]
    fraction = deload_fraction if frame.phase == Phase.DELOAD else None
    choices = []
    for template in chosen:
        exercises = []
        for slot in template.slots:
            exercise = catalogue.pick(slot)
            if exercise is None:
                continue
            one_rm = one_rep_maxes.get(exercise.slug) if slot.rpe is not None else None
            dose = _dose(slot, index, fraction, one_rm)
            exercises.append(_exercise(slot, exercise, dose, one_rm))
        if not exercises:
            continue
        full = tuple(exercises)
        kind = classify(_probe(full), thresholds)
        choices.append(
            Choice(
                template=template.key,
                name=template.name,
                full=full,
                light=lighten(full, catalogue, thresholds) if kind.hard else None,
                heavy=kind.heavy,
                plyometric=kind.plyometric,
            )
        )
    return choices


def item(exercise: PlannedExercise) -> Item:
    """The exercise as the conflict engine reads it."""
    return Item(
        exercise=exercise.name,
        load_class=exercise.load_class,
        sets=exercise.sets,
        reps=exercise.reps_min,
        load_type=exercise.load_type,
        load_value=exercise.load_value,
        load_kg=exercise.load_kg,
        foot_contacts=exercise.foot_contacts_per_rep,
        one_rm_kg=exercise.one_rm_kg,
    )


def _probe(exercises: tuple[PlannedExercise, ...]) -> StrengthSession:
    return StrengthSession("probe", datetime.date.min, "", tuple(map(item, exercises)))


def engine_session(session: PlannedSession) -> StrengthSession:
    return StrengthSession(
        id=session.id,
        date=session.date,
        title=session.name,
        items=tuple(map(item, session.exercises)),
        start_time=session.start_time,
        phase=session.phase,
    )


def lighten(
    exercises: tuple[PlannedExercise, ...], catalogue: Catalogue, thresholds: Thresholds
) -> tuple[PlannedExercise, ...] | None:
    """The session without its hard work, as the engine's lighter session has it: a heavy
    lift becomes its easier variant (or itself) at a moderate RPE, a jump its easier
    variant that is not a jump, else it goes; lower-body sets are cut to two. None when
    that leaves nothing, or leaves it hard."""
    moderate = max(1.0, thresholds.heavy_rpe - RPE_STEP_DOWN)
    lighter = []
    for exercise in exercises:
        sets = min(exercise.sets, LIGHT_SETS) if exercise.load_class in LOWER_BODY else None
        engine_item = item(exercise)
        easier: PlannedExercise | None = exercise
        if is_heavy(engine_item, thresholds):
            easier = _easier_lift(exercise, catalogue, moderate)
        elif is_plyometric(engine_item):
            easier = _easier_jump(exercise, catalogue)
        if easier is not None:
            lighter.append(easier if sets is None else replace(easier, sets=sets))
    if not lighter or classify(_probe(tuple(lighter)), thresholds).hard:
        return None
    return tuple(lighter)


def _easier_lift(
    exercise: PlannedExercise, catalogue: Catalogue, moderate: float
) -> PlannedExercise:
    own = catalogue.by_slug.get(exercise.slug)
    easier = catalogue.easier(own) if own else None
    target = exercise
    if easier is not None and easier.load_class in (LoadClass.HEAVY_LOWER, LoadClass.LIGHT_LOWER):
        target = replace(
            exercise,
            slug=easier.slug,
            name=easier.name,
            load_class=easier.load_class,
            foot_contacts_per_rep=0,
        )
    if target.load_class == LoadClass.LIGHT_LOWER:
        return replace(target, load_type=LoadType.BODYWEIGHT, load_value=None, load_kg=None,
                       one_rm_kg=None)  # fmt: skip
    return replace(target, load_type=LoadType.RPE, load_value=moderate, load_kg=None,
                   one_rm_kg=None)  # fmt: skip


def _easier_jump(exercise: PlannedExercise, catalogue: Catalogue) -> PlannedExercise | None:
    """The first variant down the easier chain that is not a jump; None if there is none."""
    current, seen = catalogue.by_slug.get(exercise.slug), set()
    while current is not None and current.slug not in seen:
        seen.add(current.slug)
        current = catalogue.easier(current)
        if current is not None and current.load_class != LoadClass.PLYOMETRIC:
            return replace(
                exercise,
                slug=current.slug,
                name=current.name,
                load_class=current.load_class,
                load_type=LoadType.BODYWEIGHT,
                load_value=None,
                load_kg=None,
                one_rm_kg=None,
                foot_contacts_per_rep=current.foot_contacts_per_rep,
            )
    return None


def session_kind(
    exercises: tuple[PlannedExercise, ...], thresholds: Thresholds
) -> tuple[bool, bool]:
    """(heavy, plyometric), as the engine classifies the session."""
    kind = classify(_probe(exercises), thresholds)
    return kind.heavy, kind.plyometric
