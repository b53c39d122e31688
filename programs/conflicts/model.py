"""What goes into the conflict engine and what comes out: frozen dataclasses, no ORM."""

import datetime
import hashlib
import statistics
from collections.abc import Collection, Iterable
from dataclasses import dataclass, fields
from enum import StrEnum


class LoadClass(StrEnum):
    HEAVY_LOWER = "heavy_lower"
    PLYOMETRIC = "plyometric"
    LIGHT_LOWER = "light_lower"
    CORE = "core"
    UPPER = "upper"
    MOBILITY = "mobility"


LOWER_BODY = frozenset({LoadClass.HEAVY_LOWER, LoadClass.PLYOMETRIC, LoadClass.LIGHT_LOWER})


class LoadType(StrEnum):
    BODYWEIGHT = "bodyweight"
    KG = "kg"
    PERCENT_1RM = "pct_1rm"
    RPE = "rpe"
    RIR = "rir"


class RunType(StrEnum):
    EASY = "easy"
    RECOVERY = "recovery"
    LONG = "long"
    TEMPO = "tempo"
    INTERVALS = "intervals"
    HILLS = "hills"
    FARTLEK = "fartlek"
    RACE = "race"
    CROSS_TRAINING = "cross_training"
    REST = "rest"


KEY_RUNS = frozenset({RunType.LONG, RunType.TEMPO, RunType.INTERVALS, RunType.HILLS, RunType.RACE})
QUALITY_RUNS = frozenset({RunType.TEMPO, RunType.INTERVALS, RunType.HILLS})
LONG_RUNS = frozenset({RunType.LONG, RunType.RACE})
# The races an athlete tapers for. C races and races without a priority (a weekly parkrun
# imported from a calendar) get no taper: warning before each would bury the real ones.
TAPER_PRIORITIES = frozenset({"A", "B"})
# Days after race day that a race's recovery lasts, by its distance: (up to metres, days).
# Longer than the last entry: LONGEST_RECOVERY_DAYS. A race with no distance counts as the
# shortest (most races entered without one are short local races, and a marathon is rarely
# entered without its distance); the day after any race is still covered.
RECOVERY_DAYS = ((10_000, 2), (21_100, 5), (42_200, 10))
LONGEST_RECOVERY_DAYS = 14
# From a half marathon (21.0975 km) on, hard work the day after the race is critical.
CRITICAL_RECOVERY_FROM_M = 21_097
# Weeks that are meant to be easy: no TOO_FEW_STRENGTH_SESSIONS, and they end a run of
# loading weeks (NO_DELOAD). The season planner's recovery week after a race is one.
EASY_PHASES = frozenset({"deload", "taper", "recovery"})
# RUN_DISTANCE_SPIKE (Frandsen et al. 2025, Br J Sports Med 59(17):1203–1210): a run is
# compared with the longest run of the SPIKE_WINDOW_DAYS days before its date (its own day
# not included). Bands, as the percentage over that longest: (more than, severity), worst
# first; up to the first band's lower edge nothing is raised.
SPIKE_WINDOW_DAYS = 30
SPIKE_BANDS = ((100, "critical"), (30, "warning"), (10, "info"))
# Not runs: no distance to spike, and no baseline.
NOT_RUNS = frozenset({RunType.REST, RunType.CROSS_TRAINING})
# A run of any type is long, like one typed long, when its distance is long for the athlete
# (``is_long_by_distance``): at least LONG_RUN_RATIO × the median distance of their runs of
# the LONG_RUN_WINDOW_DAYS days before its date (its own day not included; rest days,
# cross-training and runs without a distance left out) and at least LONG_RUN_MIN_M. That
# needs LONG_RUN_MIN_RUNS such runs; with fewer (a plan imported without its history), a run
# is long from LONG_RUN_ALWAYS_M. A runner whose runs are mostly 8 km runs long from 12 km;
# one at 20 km every day only from 30 km.
LONG_RUN_RATIO = 1.5
LONG_RUN_WINDOW_DAYS = 28
LONG_RUN_MIN_RUNS = 3
LONG_RUN_MIN_M = 10_000
LONG_RUN_ALWAYS_M = 25_000


class Severity(StrEnum):
    CRITICAL = "critical"
    WARNING = "warning"
    INFO = "info"


class Code(StrEnum):
    HEAVY_BEFORE_LONG_RUN = "HEAVY_BEFORE_LONG_RUN"
    HEAVY_BEFORE_KEY_RUN = "HEAVY_BEFORE_KEY_RUN"
    STRENGTH_DAYS_TOO_CLOSE = "STRENGTH_DAYS_TOO_CLOSE"
    TOO_MANY_STRENGTH_SESSIONS = "TOO_MANY_STRENGTH_SESSIONS"
    TOO_FEW_STRENGTH_SESSIONS = "TOO_FEW_STRENGTH_SESSIONS"
    HEAVY_IN_TAPER = "HEAVY_IN_TAPER"
    STRENGTH_BEFORE_RUN_SAME_DAY = "STRENGTH_BEFORE_RUN_SAME_DAY"
    HEAVY_AFTER_LONG_RUN = "HEAVY_AFTER_LONG_RUN"
    HEAVY_AFTER_RACE = "HEAVY_AFTER_RACE"
    HEAVY_SAME_DAY_AS_LONG_RUN = "HEAVY_SAME_DAY_AS_LONG_RUN"
    LOAD_SPIKE = "LOAD_SPIKE"
    NO_DELOAD = "NO_DELOAD"
    RUN_DISTANCE_SPIKE = "RUN_DISTANCE_SPIKE"


# The rules about a hard session next to a run: lightening the session can clear them.
HARD_SESSION_CODES = frozenset(
    {
        Code.HEAVY_BEFORE_LONG_RUN,
        Code.HEAVY_BEFORE_KEY_RUN,
        Code.HEAVY_IN_TAPER,
        Code.HEAVY_AFTER_LONG_RUN,
        Code.HEAVY_AFTER_RACE,
        Code.HEAVY_SAME_DAY_AS_LONG_RUN,
    }
)


class SuggestionKind(StrEnum):
    MOVE = "move"
    LIGHTEN = "lighten"
    NONE = "none"


@dataclass(frozen=True)
class Item:
    """One prescription of a session, as planned or as done."""

    exercise: str
    load_class: str
    sets: int
    reps: int | None = None
    load_type: str = LoadType.BODYWEIGHT
    load_value: float | None = None
    load_kg: float | None = None
    foot_contacts: int = 0
    easier: str | None = None
    easier_load_class: str | None = None
    # The athlete's recorded 1RM for this exercise, in kg: an absolute load at
    # ``heavy_pct_1rm`` % of it or more is heavy, whatever the reps.
    one_rm_kg: float | None = None


@dataclass(frozen=True)
class StrengthSession:
    """A dated strength session. A done (logged) session sits on the day it was really done
    and is never moved by a suggestion. ``earliest`` and ``latest`` bound where a suggestion
    may move it (its assignment's first and last day); None: no bound."""

    id: str
    date: datetime.date
    title: str
    items: tuple[Item, ...]
    start_time: datetime.time | None = None
    phase: str = ""
    done: bool = False
    earliest: datetime.date | None = None
    latest: datetime.date | None = None


@dataclass(frozen=True)
class Run:
    id: str
    date: datetime.date
    run_type: str
    title: str = ""
    distance_m: int | None = None
    duration_s: int | None = None
    start_time: datetime.time | None = None
    race_priority: str = ""
    done: bool = False
    actual_distance_m: int | None = None

    @property
    def distance(self) -> int | None:
        """What the run is, or was, in metres: the done distance when there is one."""
        if self.done and self.actual_distance_m:
            return self.actual_distance_m
        return self.distance_m


def is_long_by_distance(distance_m: float | None, recent_distances: Collection[float]) -> bool:
    """Whether a run of ``distance_m`` metres is long for an athlete whose runs of the
    LONG_RUN_WINDOW_DAYS days before it were ``recent_distances`` metres (their runs with a
    distance, rest days and cross-training left out). With at least LONG_RUN_MIN_RUNS of
    them: from LONG_RUN_RATIO × their median, and never under LONG_RUN_MIN_M; with fewer,
    from LONG_RUN_ALWAYS_M. The engine asks it of every run; an importer may ask it to type
    a new run."""
    if not distance_m:
        return False
    if len(recent_distances) < LONG_RUN_MIN_RUNS:
        return distance_m >= LONG_RUN_ALWAYS_M
    return distance_m >= LONG_RUN_MIN_M and (
        distance_m >= LONG_RUN_RATIO * statistics.median(recent_distances)
    )


def recovery_days(race: Run) -> int:
    """How many days after race day the race's recovery lasts (see RECOVERY_DAYS)."""
    metres = race.distance_m or 0
    return next((days for most, days in RECOVERY_DAYS if metres <= most), LONGEST_RECOVERY_DAYS)


@dataclass(frozen=True)
class Change:
    """One item of a lightened session, by its index in ``items``: swap the exercise, set a
    new load, cut the sets, or drop the item."""

    index: int
    exercise: str | None = None
    load_class: str | None = None
    load_type: str | None = None
    load_value: float | None = None
    sets: int | None = None
    drop: bool = False


@dataclass(frozen=True)
class Suggestion:
    kind: str
    session_id: str | None
    to_date: datetime.date | None
    changes: tuple[Change, ...]
    text: str


@dataclass(frozen=True)
class Flag:
    code: str
    severity: str
    date: datetime.date
    dates: tuple[datetime.date, ...]
    session_ids: tuple[str, ...]
    run_ids: tuple[str, ...]
    message: str
    suggestion: Suggestion | None
    fingerprint: str

    @property
    def key(self) -> tuple[str, tuple[str, ...], tuple[str, ...], tuple[datetime.date, ...]]:
        """What makes two flags "the same flag" when a schedule changes."""
        return (self.code, self.session_ids, self.run_ids, self.dates)


SEVERITY = {
    Code.HEAVY_BEFORE_LONG_RUN: Severity.CRITICAL,
    Code.HEAVY_BEFORE_KEY_RUN: Severity.WARNING,
    Code.STRENGTH_DAYS_TOO_CLOSE: Severity.WARNING,
    Code.TOO_MANY_STRENGTH_SESSIONS: Severity.WARNING,
    Code.TOO_FEW_STRENGTH_SESSIONS: Severity.INFO,
    Code.HEAVY_IN_TAPER: Severity.WARNING,
    Code.STRENGTH_BEFORE_RUN_SAME_DAY: Severity.INFO,
    Code.HEAVY_AFTER_LONG_RUN: Severity.WARNING,
    Code.HEAVY_AFTER_RACE: Severity.WARNING,
    Code.HEAVY_SAME_DAY_AS_LONG_RUN: Severity.WARNING,
    Code.LOAD_SPIKE: Severity.WARNING,
    Code.NO_DELOAD: Severity.INFO,
    # Info, warning or critical by how far the run goes past the recent longest: the
    # default is the middle band's (see SPIKE_BANDS).
    Code.RUN_DISTANCE_SPIKE: Severity.WARNING,
}


def flag(
    code: Code,
    *,
    date: datetime.date,
    dates: Iterable[datetime.date],
    sessions: Iterable[StrengthSession],
    runs: Iterable[Run] = (),
    message: str,
    facts: Iterable[object] = (),
    severity: Severity | None = None,
) -> Flag:
    """A flag whose fingerprint hashes its code, severity, ids, dates and ``facts`` (what
    raised it: the session's kind, the run's type and distance…), so that it stays the same
    while the situation does."""
    severity = severity or SEVERITY[code]
    dates, ids, run_ids = tuple(dates), tuple(s.id for s in sessions), tuple(r.id for r in runs)
    parts = (code, severity, *ids, "|", *run_ids, "|", *map(str, dates), "|", *map(str, facts))
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=10).hexdigest()
    return Flag(code, severity, date, dates, ids, run_ids, message, None, digest)


_LABELS = {
    "heavy_before_long_days": "Days before a long run or race",
    "heavy_before_key_days": "Days before a tempo, interval or hill run",
    "min_days_between": "Days between strength sessions",
    "max_per_week": "Most strength sessions a week",
    "min_per_week": "Fewest strength sessions a week",
    "taper_warning_days": "Taper window (warning)",
    "taper_critical_days": "Taper window (critical)",
    "b_taper_warning_days": "B-race taper window (warning)",
    "b_taper_critical_days": "B-race taper window (critical)",
    "spike_ratio": "Load spike ratio",
    "max_loading_weeks": "Loading weeks before a deload",
    "heavy_pct_1rm": "Heavy from % 1RM",
    "heavy_rpe": "Heavy from RPE",
    "heavy_rir": "Heavy up to RIR",
    "heavy_max_reps": "Heavy up to reps (with external load)",
}


@dataclass(frozen=True)
class Thresholds:
    """A coach's settings for the rules, with the defaults of DOMAIN.md. The taper windows
    without a prefix are an A race's; a B race has its own, shorter ones."""

    heavy_before_long_days: int = 1
    heavy_before_key_days: int = 1
    min_days_between: int = 2
    max_per_week: int = 3
    min_per_week: int = 2
    taper_warning_days: int = 10
    taper_critical_days: int = 3
    b_taper_warning_days: int = 5
    b_taper_critical_days: int = 2
    spike_ratio: float = 1.5
    max_loading_weeks: int = 6
    heavy_pct_1rm: float = 75
    heavy_rpe: float = 8
    heavy_rir: float = 2
    heavy_max_reps: int = 6

    def errors(self) -> dict[str, str]:
        """Field name → a message for the settings form; empty when the values are usable."""
        errors: dict[str, str] = {}
        for field in fields(self):
            if getattr(self, field.name) < 0:
                errors[field.name] = f"{_LABELS[field.name]} can't be negative."
        if "max_per_week" not in errors and self.max_per_week < 1:
            errors["max_per_week"] = "Allow at least one strength session a week."
        if "min_per_week" not in errors and self.min_per_week > self.max_per_week:
            errors["min_per_week"] = (
                "The fewest sessions a week can't be more than the most sessions a week."
            )
        if "taper_critical_days" not in errors and (
            self.taper_critical_days > self.taper_warning_days
        ):
            errors["taper_critical_days"] = (
                "The critical taper window can't be longer than the warning window."
            )
        if "b_taper_critical_days" not in errors and (
            self.b_taper_critical_days > self.b_taper_warning_days
        ):
            errors["b_taper_critical_days"] = (
                "The critical B-race taper window can't be longer than its warning window."
            )
        if "spike_ratio" not in errors and self.spike_ratio <= 1:
            errors["spike_ratio"] = "The load spike ratio must be above 1 (1.5 = 50% more)."
        if "max_loading_weeks" not in errors and self.max_loading_weeks < 1:
            errors["max_loading_weeks"] = "Allow at least one loading week before a deload."
        if "heavy_pct_1rm" not in errors and not 0 < self.heavy_pct_1rm <= 100:
            errors["heavy_pct_1rm"] = "Heavy % 1RM must be between 1 and 100."
        if "heavy_rpe" not in errors and not 1 <= self.heavy_rpe <= 10:
            errors["heavy_rpe"] = "Heavy RPE must be between 1 and 10."
        if "heavy_max_reps" not in errors and self.heavy_max_reps < 1:
            errors["heavy_max_reps"] = "Heavy reps must be at least 1."
        return errors
