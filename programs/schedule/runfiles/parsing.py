"""Reading a run's type, distance and duration from the words of a calendar event
("Long run 18 mi", "Intervals 6x800", "OFF"). Pure functions: no Django, no database.

The type slugs are those of ``programs.models.RunType``; the rules are listed, in the order
they are tried, in docs/run-format.md."""

from __future__ import annotations

import re
from dataclasses import dataclass

MARATHON_M = 42195
HALF_MARATHON_M = 21098  # 21,097.5 m, rounded to whole metres
# programs.units' factors as floats: this module stays free of Django (see above).
METRES_PER_UNIT = {"mi": 1609.344, "km": 1000.0, "m": 1.0}

NOT_A_RUN = "not a run"
NOT_RECOGNISED = "no run type recognised"
SUMMARY_EVENT = "a weekly summary, not a run"

_CROSS_TRAINING = re.compile(r"\bcross[- ]?train\w*|\bxt\b")
_OTHER_SPORT = re.compile(
    r"\b(bike|biking|bicycle|cycl\w*|swim\w*|strength|gym|yoga|pilates|weights?|"
    r"lifting|rowing|elliptical|spin(ning)?)\b"
)
_SUMMARY = re.compile(r"\bweek\w*\b.*\b(summary|total|mileage|volume)\b")
_RUNNING_WORD = re.compile(r"\b(run\w*|jog\w*|parkrun|lr)\b")
_MARATHON_NAME = re.compile(r"\b(half[- ]?)?marathon\b(?!\s*(pace|effort))")
_HALF_NAME = re.compile(r"\bhalf\b(?!\s*(marathon\s*)?(pace|effort))")
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "race",
        re.compile(
            r"\brac(e|es|ing)\b(?!\s*(pace|effort))|\bparkrun\b|\btime[- ]?trial\b|\bcompetition\b"
        ),
    ),
    ("long", re.compile(r"\blong\b|\blr\b")),
    ("tempo", re.compile(r"\btempo\b|\bthreshold\b|\bt[- ]?run\b|\blt\b|\bcruise\b")),
    ("hills", re.compile(r"hill")),
    (
        "intervals",
        re.compile(
            r"\binterval|\d\s*x\b|\d\s*x\s*\d|\brepeats?\b|\bvo2|\breps?\b|\btrack\b|\bspeed\b"
        ),
    ),
    ("fartlek", re.compile(r"\bfartlek")),
    ("recovery", re.compile(r"\brecovery\b|\bshake[- ]?out\b|\bregenerat")),
    ("race", _MARATHON_NAME),
    ("race", _HALF_NAME),
    ("rest", re.compile(r"\brest\b|\boff\b")),
    ("easy", re.compile(r"\beasy\b|\be[- ]run\b|\bjog|\bruns?\b|\brunning\b|\baerobic\b|\bbase\b")),
)
_PRIORITY = (
    re.compile(r"\b([ABC])[- ]?[Rr][Aa][Cc][Ee]\b"),
    re.compile(r"\(([ABC])\)"),
    re.compile(r"(?i:priority)\s*:?\s*([ABC])\b"),
)

_NUMBER = r"\d+(?:[.,]\d+)?"
# "6x800", "4 x 1 mile", "10x(400m)": repetitions, never the session's distance or time.
_REPS = re.compile(
    rf"\d+\s*x\s*\(?\s*{_NUMBER}\s*(?:km|k|miles?|mi|met(?:er|re)s?|m|min\w*|sec\w*|s)?\b"
)
_DISTANCE = re.compile(
    rf"(?<![\w.:])({_NUMBER})\s*(miles?|mi|kilomet(?:er|re)s?|km|k|met(?:er|re)s?|m)\b"
)
_PACE_AFTER = re.compile(r"\s*(pace|effort|/)")
# "5 mi @ MP", "3 km at race pace": a segment of the run, not its distance, when the
# summary also gives a total.
_SEGMENT_AFTER = re.compile(r"\s*(@|at\b[^,;]*\bpace\b)")
_CLOCK = re.compile(r"(?<![\d:])(\d{1,2}):([0-5]\d)(?::([0-5]\d))?(?![\d:])")
_CLOCK_NOT_DURATION = re.compile(r"\s*(/|min\s*/|per\b|pace|a\.?m\b|p\.?m\b)")
_HOURS = re.compile(
    rf"(?<![\w.])({_NUMBER})\s*(?:h|hrs?|hours?)(?![a-z])\s*(?:(\d{{1,2}})\s*(?:m|mins?|minutes?)?(?![a-z]))?"
)
_MINUTES = re.compile(r"(?<![\w.:])(\d{1,3})\s*(?:mins?|minutes?|')(?![a-z/])")


@dataclass(frozen=True)
class Workout:
    """What an event's words say: a run type, or why it is not a run (``skip``)."""

    run_type: str | None
    skip: str = ""
    distance_m: int | None = None
    duration_s: int | None = None
    race_priority: str = ""


def read_workout(summary: str, description: str = "") -> Workout:
    """The type from the summary (or, when it names none, the description); distance and
    duration from the summary."""
    run_type, skip = _classify(summary)
    if run_type is None and not skip:
        run_type, skip = _classify(description)
    distance_m = parse_distance_m(summary, run_type=run_type)
    if run_type is None and not skip and distance_m is not None:
        run_type = "easy"
    if run_type is None:
        return Workout(None, skip=skip or NOT_RECOGNISED)
    if run_type == "rest":
        return Workout("rest")
    priority = parse_race_priority(f"{summary}\n{description}") if run_type == "race" else ""
    return Workout(
        run_type,
        distance_m=distance_m,
        duration_s=parse_duration_s(summary, run_type=run_type),
        race_priority=priority,
    )


def _classify(text: str) -> tuple[str | None, str]:
    lowered = _plain(text)
    if not lowered:
        return None, ""
    if _CROSS_TRAINING.search(lowered):
        return "cross_training", ""
    if _SUMMARY.search(lowered):
        return None, SUMMARY_EVENT
    sport = _OTHER_SPORT.search(lowered)
    if sport and not _RUNNING_WORD.search(lowered):
        return None, f"{NOT_A_RUN} ({sport.group(0)})"
    for run_type, pattern in _RULES:
        if pattern.search(lowered):
            return run_type, ""
    return None, ""


def parse_race_priority(text: str) -> str:
    """``A``, ``B`` or ``C`` when the text says so ("A race", "(B)", "priority: C")."""
    for pattern in _PRIORITY:
        match = pattern.search(text)
        if match:
            return match.group(1)
    return ""


def parse_distance_m(text: str, *, run_type: str | None = None) -> int | None:
    """The sum of the distances written in ``text``, in metres, or None.

    Repetitions ("6x800"), paces ("@ 10K pace", "8:00/mi") and, beside a total, segments
    ("16 mi with 5 mi at race pace") do not count; metres count
    only from 100 m up, and not at all in an interval session (they are its reps). A race
    named a marathon or half marathon with no distance written is that distance."""
    lowered = _REPS.sub(" ", _plain(text))
    whole: list[float] = []
    segments: list[float] = []
    for match in _DISTANCE.finditer(lowered):
        if _PACE_AFTER.match(lowered, match.end()) or lowered[: match.start()].rstrip().endswith(
            "@"
        ):
            continue
        number = float(match.group(1).replace(",", "."))
        unit = _unit(match.group(2))
        if unit == "m" and (number < 100 or run_type == "intervals"):
            continue
        found = segments if _SEGMENT_AFTER.match(lowered, match.end()) else whole
        found.append(number * METRES_PER_UNIT[unit])
    if whole or segments:
        return round(sum(whole or segments))
    if run_type == "race":
        named = _MARATHON_NAME.search(lowered)
        if named:
            return HALF_MARATHON_M if named.group(1) else MARATHON_M
        if _HALF_NAME.search(lowered):
            return HALF_MARATHON_M
    return None


def _unit(word: str) -> str:
    if word.startswith("mi"):
        return "mi"
    if word in ("k", "km") or word.startswith("kilo"):
        return "km"
    return "m"


def parse_duration_s(text: str, *, run_type: str | None = None) -> int | None:
    """The sum of the durations written in ``text``, in seconds, or None.

    "45 min", "1h30", "1.5 hours", "1:30" (H:MM when the first number is below 10, else
    MM:SS) and "00:25:00" (H:MM:SS). Clock times and paces ("6:00 a.m.", "7:30/mi") do not
    count; in an interval session neither do minutes (they are reps and recoveries)."""
    lowered = _REPS.sub(" ", _plain(text))
    total = 0
    found = False
    for match in _CLOCK.finditer(lowered):
        if _CLOCK_NOT_DURATION.match(lowered, match.end()):
            continue
        first, second, third = match.groups()
        if third is not None:
            total += int(first) * 3600 + int(second) * 60 + int(third)
        elif int(first) < 10:
            total += int(first) * 3600 + int(second) * 60
        else:
            total += int(first) * 60 + int(second)
        found = True
    lowered = _CLOCK.sub(" ", lowered)
    for match in _HOURS.finditer(lowered):
        total += round(float(match.group(1).replace(",", ".")) * 3600)
        total += int(match.group(2) or 0) * 60
        found = True
    if run_type != "intervals":
        for match in _MINUTES.finditer(_HOURS.sub(" ", lowered)):
            total += int(match.group(1)) * 60
            found = True
    return total if found else None


def _plain(text: str) -> str:
    return " ".join(text.replace("×", "x").lower().split())
