"""What goes into the season planner and what comes out: frozen dataclasses, no ORM.

The Django side loads an athlete's runs, kept sessions, 1RMs and the library into a
``SeasonRequest``; ``plan_season`` returns a ``SeasonPlan`` whose weeks it turns into
ordinary blocks and assignments."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from programs.conflicts.model import (
    Flag,
    LoadType,
    Run,
    RunType,
    StrengthSession,
    Thresholds,
)
from programs.conflicts.text import METRES
from programs.conflicts.titles import title

MOST_WEEKS = 104  # two years: a season, not a career
SESSIONS_PER_WEEK = (2, 3)
IN_SEASON_SESSIONS = (1, 2)
DELOAD_EVERY = (3, 6)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PLATE_KG = 2.5


class Phase(StrEnum):
    FOUNDATION = "foundation"
    STRENGTH = "strength"
    POWER = "power"
    MAINTENANCE = "maintenance"
    DELOAD = "deload"
    TAPER = "taper"
    RECOVERY = "recovery"


LOADING = frozenset({Phase.FOUNDATION, Phase.STRENGTH, Phase.POWER, Phase.MAINTENANCE})


class Reason(StrEnum):
    """Why a week could not be planned as asked."""

    FEWER_SESSIONS = "fewer_sessions"
    KEPT_SESSION = "kept_session"
    NO_SAFE_DAY = "no_safe_day"
    VOLUME = "volume"


@dataclass(frozen=True)
class CatalogueExercise:
    """One exercise the planner may prescribe: the library's published exercises, or a
    hand-built few in tests. ``easier`` is the slug of its easier variant."""

    slug: str
    name: str
    load_class: str
    pattern: str = ""
    foot_contacts_per_rep: int = 0
    easier: str | None = None


def _frozen(mapping: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class SeasonRequest:
    """One athlete's season to plan.

    ``end`` defaults to the last A race on or after ``start``. ``weekdays`` are the
    preferred strength days, 0 = Monday (``datetime.date.weekday()``). ``existing`` are the
    athlete's strength sessions as the engine reads them, history included (the load spike
    rule looks four weeks back); they are kept, except that with ``replace_existing`` the
    planned, not done ones dated from ``start`` to ``end`` are replaced. ``one_rep_maxes``
    are kg by exercise slug. ``deload_every`` is the loading weeks before a deload."""

    start: datetime.date
    runs: tuple[Run, ...]
    catalogue: tuple[CatalogueExercise, ...]
    end: datetime.date | None = None
    sessions_per_week: int = 2
    in_season_sessions: int = 2
    weekdays: tuple[int, ...] = ()
    existing: tuple[StrengthSession, ...] = ()
    replace_existing: bool = False
    thresholds: Thresholds = field(default_factory=Thresholds)
    one_rep_maxes: Mapping[str, float] = field(default_factory=dict)
    deload_every: int = 3
    deload_fraction: float = 0.5
    distance_unit: str = "km"

    def __post_init__(self) -> None:
        # Tuples and a read-only mapping, whatever the caller passed: the request is a value.
        for name in ("runs", "catalogue", "weekdays", "existing"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "one_rep_maxes", _frozen(self.one_rep_maxes))

    def last_a_race(self) -> datetime.date | None:
        """The default end: the date of the last A race on or after the start."""
        return max(
            (
                r.date
                for r in self.runs
                if r.run_type == RunType.RACE and r.race_priority == "A" and r.date >= self.start
            ),
            default=None,
        )

    def errors(self) -> dict[str, str]:
        """Field name → a message for a form; empty when the request can be planned."""
        errors = {f"thresholds.{k}": v for k, v in self.thresholds.errors().items()}
        if self.sessions_per_week not in SESSIONS_PER_WEEK:
            errors["sessions_per_week"] = "Plan 2 or 3 strength sessions a week."
        if self.in_season_sessions not in IN_SEASON_SESSIONS:
            errors["in_season_sessions"] = "Plan 1 or 2 strength sessions a week in season."
        if any(d not in range(7) for d in self.weekdays) or len(set(self.weekdays)) != len(
            self.weekdays
        ):
            errors["weekdays"] = "Pick each strength day once, Monday to Sunday."
        low, high = DELOAD_EVERY
        if not low <= self.deload_every <= high:
            errors["deload_every"] = f"Deload every {low} to {high} loading weeks."
        if not 0 < self.deload_fraction < 1:
            errors["deload_fraction"] = "A deload cuts between 1% and 99% of the sets."
        if self.distance_unit not in METRES:
            errors["distance_unit"] = "Use km or mi."
        end = self.end or self.last_a_race()
        if end is None:
            errors["end"] = "No A race on or after the start date: give an end date."
        elif end < self.start:
            errors["end"] = "The end date can't be before the start date."
        elif (end - self.start).days > MOST_WEEKS * 7:
            errors["end"] = f"Plan at most {MOST_WEEKS} weeks at a time."
        if not self.catalogue:
            errors["catalogue"] = "The planner needs exercises to choose from."
        return errors


@dataclass(frozen=True)
class PlannedExercise:
    """One prescription of a planned session, in the shape of a block's prescription. A %
    1RM load carries the kg it comes to (``load_kg``) from the athlete's 1RM."""

    slug: str
    name: str
    load_class: str
    sets: int
    reps_min: int | None = None
    reps_max: int | None = None
    duration_s: int | None = None
    per_side: bool = False
    load_type: str = LoadType.BODYWEIGHT
    load_value: float | None = None
    load_kg: float | None = None
    one_rm_kg: float | None = None
    foot_contacts_per_rep: int = 0

    @property
    def reps_text(self) -> str:
        """ "12", "15–20", "30 s", with " per side" when each side does them."""
        if self.reps_min is not None:
            text = str(self.reps_min)
            if self.reps_max and self.reps_max != self.reps_min:
                text = f"{self.reps_min}–{self.reps_max}"
        else:
            text = f"{self.duration_s or 0} s"
        return f"{text} per side" if self.per_side else text

    @property
    def load_text(self) -> str:
        """ "bodyweight", "RPE 7", "77.5% 1RM · 62.5 kg" (rounded to 2.5 kg plates)."""
        value = "" if self.load_value is None else f"{self.load_value:g}"
        if self.load_type == LoadType.PERCENT_1RM:
            text = f"{value}% 1RM"
            if self.load_kg:
                plates = round(self.load_kg / PLATE_KG) * PLATE_KG
                text += f" · {plates:g} kg"
            return text
        return {
            LoadType.KG: f"{value} kg",
            LoadType.RPE: f"RPE {value}",
            LoadType.RIR: f"RIR {value}",
        }.get(LoadType(self.load_type), "bodyweight")

    def to_json(self) -> dict[str, object]:
        return {
            "slug": self.slug,
            "sets": self.sets,
            "reps": self.reps_text,
            "load": self.load_text,
        }


@dataclass(frozen=True)
class PlannedSession:
    """A new strength session. ``phase`` is its week's; ``lightened`` says the planner made
    it lighter than its phase asks, because no day of its week took the full session."""

    id: str
    date: datetime.date
    name: str
    phase: str
    exercises: tuple[PlannedExercise, ...]
    heavy: bool
    plyometric: bool
    start_time: datetime.time | None = None
    lightened: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "time": None if self.start_time is None else f"{self.start_time:%H:%M}",
            "name": self.name,
            "heavy": self.heavy,
            "plyometric": self.plyometric,
            "exercises": [e.to_json() for e in self.exercises],
        }


@dataclass(frozen=True)
class PlannedWeek:
    start: datetime.date  # a Monday
    phase: str
    sessions: tuple[PlannedSession, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "phase": self.phase,
            "sessions": [s.to_json() for s in self.sessions],
        }


@dataclass(frozen=True)
class Unavoidable:
    """An explained exception: what the planner could not avoid in the week of ``week``,
    why (``reason``, a stable code, and ``message``, in words), and the flags it leaves."""

    week: datetime.date
    reason: str
    message: str
    flags: tuple[Flag, ...] = ()


@dataclass(frozen=True)
class SeasonPlan:
    """The planned season. ``flags`` are the engine's flags on the plan beside the
    athlete's runs and kept sessions, from the first week's Monday to the end; every
    warning or critical one is in an exception's ``flags``. ``kept`` and ``replaced`` are
    the ids of the existing sessions in the plan's dates that stay and that go."""

    start: datetime.date
    end: datetime.date
    weeks: tuple[PlannedWeek, ...]
    flags: tuple[Flag, ...] = ()
    exceptions: tuple[Unavoidable, ...] = ()
    kept: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()

    @property
    def sessions(self) -> tuple[PlannedSession, ...]:
        return tuple(s for w in self.weeks for s in w.sessions)

    def to_json(self) -> dict[str, object]:
        """The plan as ``manage.py plan_season --json`` prints it (dates as ISO strings)."""
        return {
            "weeks": [w.to_json() for w in self.weeks],
            "flags": [flag_json(f) for f in self.flags],
        }


def flag_json(flag: Flag) -> dict[str, object]:
    return {
        "code": flag.code,
        "title": title(flag.code),
        "severity": flag.severity,
        "date": flag.date.isoformat(),
        "message": flag.message,
    }
