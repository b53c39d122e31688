"""The sessions the planner prescribes, by phase: seed 003's progression (bodyweight patterns
→ loaded single-leg and compound lifts → plyometrics and power) written out from the
built-in templates in ``programs/data/templates/`` (the 12-week plan, the 3-day week, the
in-season maintenance block and the pre-race taper).

A slot names the exercises it prefers by slug; when the catalogue has none of them, the
first published exercise of the same pattern and load class stands in, and when there is
none either the slot is left out. A loaded slot gives an RPE, and a % 1RM used instead
when the athlete has a 1RM for the exercise."""

from dataclasses import dataclass

from programs.blocks.progression import ADD_LOAD, DOUBLE, HOLD


@dataclass(frozen=True)
class Slot:
    slugs: tuple[str, ...]
    pattern: str
    load_class: str
    sets: int
    reps: int | None = None
    reps_max: int | None = None
    seconds: int | None = None
    per_side: bool = False
    rpe: float | None = None
    pct: float | None = None
    rule: str = HOLD
    reps_cap: int | None = None
    pct_step: float | None = None


@dataclass(frozen=True)
class SessionTemplate:
    key: str
    name: str
    slots: tuple[Slot, ...]


def _light(slug: str, pattern: str, sets: int, reps: int, **extra: object) -> Slot:
    return Slot((slug,), pattern, "light_lower", sets, reps, **extra)


def _core(slug: str, sets: int, *, reps: int | None = None, seconds: int | None = None,
          per_side: bool = False) -> Slot:  # fmt: skip
    return Slot((slug,), "core", "core", sets, reps, seconds=seconds, per_side=per_side)


def _loaded(slug: str, pattern: str, sets: int, reps: int, *, rpe: float, pct: float,
            **extra: object) -> Slot:  # fmt: skip
    return Slot((slug,), pattern, "heavy_lower", sets, reps, rpe=rpe, pct=pct, **extra)


def _jumps(sets: int, reps: int) -> Slot:
    return Slot(("box-jump", "pogo-hops"), "plyometric", "plyometric", sets, reps)


# Reps up by one a week to the cap, then back down with more load (the builder's "double").
def _double(cap: int) -> dict[str, object]:
    return {"rule": DOUBLE, "reps_cap": cap, "pct_step": 2.5}


SQUAT_BW = _light("bodyweight-squat", "squat", 3, 12, **_double(15))
REVERSE_LUNGE = _light("reverse-lunge", "lunge", 3, 12, per_side=True, **_double(15))
GLUTE_BRIDGE = _light("glute-bridge", "hip_glute", 3, 12, **_double(15))
PLANK = _core("plank", 3, seconds=30)
SIDE_PLANK = _core("side-plank", 2, seconds=30, per_side=True)
DEAD_BUG = _core("dead-bug", 2, reps=8, per_side=True)
PALLOF = _core("pallof-press", 2, reps=10, per_side=True)
CALF_RAISE = _light("calf-raise", "calf_ankle", 2, 15, reps_max=20)
SL_CALF_RAISE = _light("single-leg-calf-raise", "calf_ankle", 2, 12, reps_max=15, per_side=True)
CLAMSHELL = _light("clamshell", "hip_glute", 2, 15, per_side=True)
BAND_WALK = _light("band-lateral-walk", "hip_glute", 2, 12, per_side=True)

GOBLET = _loaded("goblet-squat", "squat", 3, 10, rpe=7, pct=65, **_double(12))
RDL = _loaded("romanian-deadlift", "hinge", 3, 10, rpe=7, pct=65, **_double(12))
SL_RDL = _loaded("single-leg-romanian-deadlift", "hinge", 3, 10, rpe=7, pct=60, per_side=True,
                 **_double(12))  # fmt: skip
STEP_UP_LOADED = _loaded("weighted-step-up", "step_up", 3, 10, rpe=7, pct=60, per_side=True,
                         **_double(12))  # fmt: skip
SL_SQUAT = Slot(("single-leg-squat",), "squat", "heavy_lower", 3, 10, per_side=True,
                **_double(15))  # fmt: skip
LUNGE_ROTATION = _light("lunge-with-rotation", "lunge", 3, 10, per_side=True)

# "Then heavier and fewer" (seed 003's strength phase): the second half of the phase.
HEAVY = {"rule": ADD_LOAD, "pct_step": 2.5}
RDL_HEAVY = _loaded("romanian-deadlift", "hinge", 3, 6, rpe=8, pct=77.5, **HEAVY)
SPLIT_SQUAT_HEAVY = _loaded("split-squat", "lunge", 3, 6, rpe=8, pct=75, per_side=True, **HEAVY)
GOBLET_HEAVY = _loaded("goblet-squat", "squat", 3, 6, rpe=8, pct=77.5, **HEAVY)
HIP_THRUST_HEAVY = _loaded("hip-thrust", "hip_glute", 3, 6, rpe=8, pct=77.5, **HEAVY)

LUNGE_POWER = _loaded("dumbbell-lunge", "lunge", 3, 8, rpe=7, pct=65, per_side=True, **_double(10))
HIP_THRUST_POWER = _loaded("hip-thrust", "hip_glute", 3, 8, rpe=7, pct=70, **_double(10))
SL_SQUAT_POWER = Slot(("single-leg-squat",), "squat", "heavy_lower", 3, 8, per_side=True,
                      **_double(10))  # fmt: skip
HEEL_DROP = _light("eccentric-heel-drop", "calf_ankle", 2, 12, per_side=True)

FOUNDATION = (
    SessionTemplate(
        "foundation-a",
        "Lower body",
        (SQUAT_BW, REVERSE_LUNGE, GLUTE_BRIDGE, PLANK, CALF_RAISE, CLAMSHELL),
    ),
    SessionTemplate(
        "foundation-b",
        "Lower body + core",
        (SQUAT_BW, REVERSE_LUNGE, GLUTE_BRIDGE, PLANK, SIDE_PLANK, BAND_WALK),
    ),
    SessionTemplate(
        "foundation-c",
        "Single-leg + core",
        (
            _light("step-up", "step_up", 3, 10, per_side=True, **_double(12)),
            _light("lunge-with-rotation", "lunge", 2, 10, per_side=True),
            CALF_RAISE,
            SIDE_PLANK,
            DEAD_BUG,
        ),
    ),
)
SINGLE_LEG_C = SessionTemplate(
    "strength-c",
    "Single-leg strength + core",
    (SL_SQUAT, LUNGE_ROTATION, _light("calf-raise", "calf_ankle", 3, 15), PLANK),
)
STRENGTH = (
    SessionTemplate(
        "strength-a",
        "Lower body",
        (GOBLET, RDL, SL_RDL, STEP_UP_LOADED, SL_CALF_RAISE, BAND_WALK),
    ),
    SessionTemplate(
        "strength-b",
        "Lower body + core",
        (GOBLET, RDL, SL_RDL, STEP_UP_LOADED, SIDE_PLANK, PALLOF),
    ),
    SINGLE_LEG_C,
)
STRENGTH_HEAVY = (
    SessionTemplate(
        "strength-heavy-a",
        "Heavy lower body",
        (
            RDL_HEAVY,
            SPLIT_SQUAT_HEAVY,
            _loaded("weighted-step-up", "step_up", 3, 8, rpe=7, pct=60, per_side=True),
            SL_CALF_RAISE,
            BAND_WALK,
        ),
    ),
    SessionTemplate(
        "strength-heavy-b",
        "Heavy lower body + core",
        (
            GOBLET_HEAVY,
            HIP_THRUST_HEAVY,
            _loaded("single-leg-romanian-deadlift", "hinge", 3, 8, rpe=7, pct=60, per_side=True),
            SIDE_PLANK,
            PALLOF,
        ),
    ),
    SINGLE_LEG_C,
)
POWER = (
    SessionTemplate(
        "power-a",
        "Power + lower body",
        (_jumps(3, 8), LUNGE_POWER, HIP_THRUST_POWER, SL_SQUAT_POWER, HEEL_DROP, CLAMSHELL),
    ),
    SessionTemplate(
        "power-b",
        "Power + core",
        (
            _jumps(3, 8),
            LUNGE_POWER,
            HIP_THRUST_POWER,
            SL_SQUAT_POWER,
            _core("side-plank", 2, seconds=40, per_side=True),
            DEAD_BUG,
        ),
    ),
)
MAINTENANCE = (
    SessionTemplate(
        "maintenance-a",
        "Strength",
        (
            _loaded("split-squat", "lunge", 2, 8, rpe=7, pct=70, per_side=True),
            _loaded("romanian-deadlift", "hinge", 2, 8, rpe=7, pct=70),
            SL_CALF_RAISE,
            SIDE_PLANK,
        ),
    ),
    SessionTemplate(
        "maintenance-b",
        "Power + core",
        (
            _jumps(2, 5),
            _loaded("hip-thrust", "hip_glute", 2, 8, rpe=7, pct=70),
            _light("step-up-with-knee-drive", "step_up", 2, 8, per_side=True),
            DEAD_BUG,
        ),
    ),
)
# The pre-race taper without its box jumps: the A-race window allows no plyometrics.
TAPER = (
    SessionTemplate(
        "taper-a",
        "Short strength",
        (
            _loaded("goblet-squat", "squat", 2, 8, rpe=7, pct=65),
            _loaded("romanian-deadlift", "hinge", 2, 8, rpe=7, pct=65),
            SL_CALF_RAISE,
            SIDE_PLANK,
        ),
    ),
    SessionTemplate(
        "taper-b",
        "Light strength",
        (
            _light("glute-bridge", "hip_glute", 2, 12),
            _light("step-up", "step_up", 2, 8, per_side=True),
            _light("band-lateral-walk", "hip_glute", 2, 10, per_side=True),
            DEAD_BUG,
        ),
    ),
)
RECOVERY = (
    SessionTemplate(
        "recovery-a",
        "Mobility + core",
        (
            _light("glute-bridge", "hip_glute", 2, 10),
            CLAMSHELL,
            DEAD_BUG,
            _core("side-plank", 2, seconds=20, per_side=True),
            Slot(("90-90-hip-switch",), "mobility", "mobility", 2, 8, per_side=True),
        ),
    ),
)
