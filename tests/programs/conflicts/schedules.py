"""Hand-built sessions, runs and weeks for the conflict engine's tests."""

import datetime
from dataclasses import replace

from programs.conflicts import Flag, Item, Run, StrengthSession

MON = datetime.date(2025, 12, 8)  # a Monday
MON_NOON = datetime.time(12, 0)


def day(offset: int) -> datetime.date:
    """MON + offset days: day(4) is Fri 12 Dec 2025."""
    return MON + datetime.timedelta(days=offset)


BACK_SQUAT_80 = Item(
    "Back squat",
    "heavy_lower",
    sets=4,
    reps=5,
    load_type="pct_1rm",
    load_value=80,
    load_kg=96,
    easier="Goblet squat",
    easier_load_class="heavy_lower",
)
DEADLIFT_RPE_8 = Item("Deadlift", "heavy_lower", sets=3, reps=5, load_type="rpe", load_value=8)
BOX_JUMP = Item(
    "Box jump",
    "plyometric",
    sets=3,
    reps=5,
    foot_contacts=1,
    easier="Pogo hops",
    easier_load_class="plyometric",
)
JUMP_SQUAT = Item(
    "Jump squat",
    "plyometric",
    sets=3,
    reps=8,
    foot_contacts=1,
    easier="Bodyweight squat",
    easier_load_class="light_lower",
)
PLANK = Item("Plank", "core", sets=3)
PUSH_UP = Item("Push-up", "upper", sets=3, reps=10)

# The seeds' own doses (seed 002's Mon/Wed/Fri week, seed 003's weeks 1-8).
GOBLET_SQUAT = Item("Goblet squat", "heavy_lower", 3, 10, "kg", 16, load_kg=16)
ROMANIAN_DEADLIFT = Item("Romanian deadlift", "heavy_lower", 3, 10, "kg", 20, load_kg=20)
SINGLE_LEG_DEADLIFT = Item("Single-leg Romanian deadlift", "heavy_lower", 3, 8)
SINGLE_LEG_SQUAT = Item("Single-leg squat", "heavy_lower", 3, 10)
STEP_UP = Item("Step-up", "light_lower", 3, 10)
LUNGE_WITH_ROTATION = Item("Lunge with rotation", "light_lower", 3, 10)
BODYWEIGHT_SQUAT = Item("Bodyweight squat", "light_lower", 3, 12)
FORWARD_LUNGE = Item("Forward lunge", "light_lower", 3, 12)
GLUTE_BRIDGE = Item("Glute bridge", "light_lower", 3, 12)
CALF_RAISE = Item("Calf raise", "light_lower", 3, 15)
BAND_WALK = Item("Band lateral walk", "light_lower", 3, 12)
SIDE_PLANK = Item("Side plank", "core", 3)


def session(
    id: str, date: datetime.date, *items: Item, title: str = "", **fields: object
) -> StrengthSession:
    return StrengthSession(id, date, title or f"Session {id}", items or (PLANK,), **fields)


def heavy(id: str, date: datetime.date, **fields: object) -> StrengthSession:
    return session(id, date, BACK_SQUAT_80, PLANK, title="Lower A", **fields)


def light(id: str, date: datetime.date, **fields: object) -> StrengthSession:
    return session(id, date, BODYWEIGHT_SQUAT, GLUTE_BRIDGE, PLANK, **fields)


def plyo(id: str, date: datetime.date, **fields: object) -> StrengthSession:
    return session(id, date, BOX_JUMP, PLANK, title="Power", **fields)


def run(id: str, date: datetime.date, run_type: str, km: float | None = None, **fields) -> Run:
    metres = None if km is None else round(km * 1000)
    return Run(id, date, run_type, distance_m=metres, **fields)


def loaded(id: str, date: datetime.date, kg: float, **fields: object) -> StrengthSession:
    """A session of 3×10 goblet squats at ``kg``: 30 × kg lifted, not heavy."""
    return session(id, date, replace(GOBLET_SQUAT, load_value=kg, load_kg=kg), **fields)


def codes(flags: list[Flag]) -> list[str]:
    return [f.code for f in flags]


def only(code: str, flags: list[Flag]) -> list[Flag]:
    return [f for f in flags if f.code == code]


def seed_003_week(monday_session: StrengthSession | None = None):
    """Seed 003's week: Mon easy run + strength, Tue tempo, Wed easy, Thu strength, Fri
    rest, Sat long run, Sun rest; the strength at its weeks 5-8 dose (3 × 10-12)."""
    sessions = [
        monday_session
        or session("mon", day(0), GOBLET_SQUAT, ROMANIAN_DEADLIFT, PLANK, title="Lower body"),
        session(
            "thu",
            day(3),
            SINGLE_LEG_DEADLIFT,
            STEP_UP,
            GLUTE_BRIDGE,
            PLANK,
            title="Lower body + core",
        ),
    ]
    runs = [
        run("easy-mon", day(0), "easy", 8),
        run("tempo", day(1), "tempo", 10),
        run("easy-wed", day(2), "easy", 8),
        run("long", day(5), "long", 24),
    ]
    return sessions, runs


def seed_003_foundation_week():
    """The same week at seed 003's weeks 1-4 dose: bodyweight squats, lunges, glute
    bridges, planks."""
    foundation = (BODYWEIGHT_SQUAT, FORWARD_LUNGE, GLUTE_BRIDGE, PLANK)
    sessions = [session("mon", day(0), *foundation), session("thu", day(3), *foundation)]
    return sessions, seed_003_week()[1]


def seed_002_week():
    """Seed 002's sample week (Mon / Wed / Fri) with a Sunday long run."""
    sessions = [
        session("mon", day(0), SINGLE_LEG_SQUAT, LUNGE_WITH_ROTATION, PLANK),
        session("wed", day(2), SINGLE_LEG_DEADLIFT, CALF_RAISE, BAND_WALK),
        session("fri", day(4), STEP_UP, GLUTE_BRIDGE, SIDE_PLANK),
    ]
    runs = [
        run("easy-tue", day(1), "easy", 6),
        run("easy-thu", day(3), "easy", 6),
        run("long", day(6), "long", 20),
    ]
    return sessions, runs
