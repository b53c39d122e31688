"""What each format's reader hands back, the stable problem codes, and the arithmetic on
track points that the FIT, GPX and TCX readers share, so that a figure the file does not
summarise is computed the same way whatever the format:

- distance along a track: gpxpy's ``length_2d`` (horizontal distance, as watches and Strava
  report it; gpxpy uses an equirectangular step for points under 0.2° apart and haversine
  beyond, which on the real test tracks agrees with haversine to 0.0001%);
- elevation gain: gpxpy's ``calculate_uphill_downhill`` (a 0.3/0.4/0.3 smoothing of
  neighbouring altitudes, then the sum of the rises), which is what ``get_uphill_downhill``
  gives for a GPX file;
- moving time: the time between consecutive points faster than 1 km/h, gpxpy's default
  ``stopped_speed_threshold`` in ``get_moving_data``.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from fitdecode import profile as fit_profile
from gpxpy import geo

# A GPS track before 1990 is a device whose clock was never set (GPX files from such
# devices say 1901 or 1970); a start more than a day ahead is a wrong clock, not a run.
EARLIEST_START = datetime(1990, 1, 1, tzinfo=UTC)
STOPPED_BELOW_M_PER_S = 1000 / 3600


class Problem(StrEnum):
    """Why a file gave no activity. Stable codes: views and stored import logs use them."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNKNOWN_FORMAT = "unknown_format"
    DAMAGED = "damaged"
    NOT_XML = "not_xml"
    UNSAFE_XML = "unsafe_xml"
    NO_DATA = "no_data"
    NOT_AN_ACTIVITY = "not_an_activity"
    NOT_A_RUN = "not_a_run"
    NO_SPORT = "no_sport"
    UNSAFE_PATH = "unsafe_path"
    ARCHIVE_LIMIT = "archive_limit"
    BAD_ARCHIVE = "bad_archive"


# Nothing is wrong with these files: they hold something other than a run to import.
SKIP_PROBLEMS = frozenset({Problem.NOT_AN_ACTIVITY, Problem.NOT_A_RUN, Problem.NO_SPORT})


class Unreadable(Exception):  # noqa: N818 (a result, not a bug: caught in read_activity)
    def __init__(self, code: Problem, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass
class Reading:
    """One format reader's figures, before the sport and the limits are judged."""

    sport: str | None = None
    started_at: datetime | None = None
    distance_m: float | None = None
    moving_s: float | None = None
    elapsed_s: float | None = None
    elevation_gain_m: float | None = None
    avg_hr: float | None = None
    max_hr: int | None = None
    avg_cadence: float | None = None
    points: int = 0
    notes: list[str] = field(default_factory=list)


def not_xml(error: Exception | None) -> Unreadable:
    """For an ElementTree ParseError (which knows where the document breaks)."""
    line, column = getattr(error, "position", (0, 0))
    return Unreadable(
        Problem.NOT_XML,
        f"The file isn't well-formed XML (line {line}, column {column}), "
        "so it can't be read as GPX or TCX.",
    )


def as_utc(moment: datetime) -> datetime:
    """GPX and TCX times without a zone are UTC by both formats' definitions."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def plausible(moment: datetime) -> bool:
    return EARLIEST_START <= moment <= datetime.now(UTC) + timedelta(days=1)


def junk_times_note(first: datetime, last: datetime, *, durations_kept: bool = False) -> str:
    """The note for times that can't be used: the activity is imported without a date, and
    without durations unless the file states them apart from its clock (FIT's and TCX's
    timer totals)."""
    if not plausible(first) or not plausible(last):
        when = f"{first:%Y-%m-%d}" if first.date() == last.date() else f"{first:%Y-%m-%d}…"
        why = f"it says {when}"
    elif first == last:
        why = "every point has the same time"
    else:
        why = "its times run backwards"
    kept = "; its durations are kept" if durations_kept else " or durations"
    return f"The file's clock was wrong ({why}): imported without a date{kept}."


def elevation_gain(altitudes: list[float]) -> float | None:
    if len(altitudes) < 2:
        return None
    return geo.calculate_uphill_downhill(altitudes)[0]


def track_length(positions: list[tuple[float, float]]) -> float | None:
    if len(positions) < 2:
        return None
    return geo.length_2d([geo.Location(lat, lon) for lat, lon in positions])


def moving_seconds(times: list[float], distances: list[float]) -> float | None:
    """Seconds spent faster than 1 km/h, from each point's time (seconds on any clock) and
    cumulative distance (metres)."""
    if len(times) < 2:
        return None
    moving = 0.0
    for index in range(1, len(times)):
        seconds = times[index] - times[index - 1]
        if seconds > 0 and (distances[index] - distances[index - 1]) / seconds > (
            STOPPED_BELOW_M_PER_S
        ):
            moving += seconds
    return moving


def cumulative(positions: list[tuple[float, float]]) -> list[float]:
    """Distance from the first position to each, along the track."""
    total, out = 0.0, [0.0]
    for (lat1, lon1), (lat2, lon2) in itertools.pairwise(positions):
        total += geo.distance(lat1, lon1, None, lat2, lon2, None)
        out.append(total)
    return out


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    """Mean of (value, weight) pairs: laps' averages weighted by their durations."""
    weight = sum(w for _, w in pairs)
    if not pairs or weight <= 0:
        return mean([v for v, _ in pairs])
    return sum(v * w for v, w in pairs) / weight


# The FIT profile's sport names are the common vocabulary: Strava's GPX <type> uses the
# same words ("running", "cycling"), Garmin's GPX and TCX close variants.
_FIT_SPORTS = frozenset(fit_profile.FIELD_TYPES["sport"].enum.values()) - {
    "generic",
    "all",
    "multisport",
    "transition",
}
_ALIASES = {
    "run": "running",
    "jog": "running",
    "jogging": "running",
    "treadmill": "running",
    # Strava's older GPX exports number the type; 9 is a run (its other numbers are not
    # documented, so they are kept as numbers and are not runs).
    "9": "running",
    "biking": "cycling",
    "bike": "cycling",
    "ride": "cycling",
    "swim": "swimming",
    "walk": "walking",
    "hike": "hiking",
}
_NOT_A_WORD = re.compile(r"[^a-z0-9]+")


def sport_from_label(label: object) -> str | None:
    """A sport named by a file, normalised: "running" for every kind of run (trail,
    treadmill, track, virtual), the FIT profile's name for other sports, None when the
    file names no sport we recognise ("Other", "generic", "...")."""
    if not isinstance(label, str) or not label.strip():
        return None
    word = _NOT_A_WORD.sub("_", label.strip().lower()).strip("_")
    word = _ALIASES.get(word, word)
    if word == "running" or word.endswith(("_running", "_run")) or word.startswith("run_"):
        return "running"
    if word in _FIT_SPORTS:
        return word
    if word.isdigit():
        return f"activity type {word}"
    for part in word.split("_"):
        if _ALIASES.get(part, part) in {"cycling", "swimming", "walking", "hiking"}:
            return _ALIASES.get(part, part)
    return None


def sport_words(sport: str) -> str:
    return sport.replace("_", " ")
