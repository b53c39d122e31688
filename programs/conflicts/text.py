"""Plain-English pieces of flag messages. Day and month names are fixed English words so
that the text never depends on the server's locale."""

import datetime
import re
from collections.abc import Sequence

from programs.conflicts.classify import Classification
from programs.conflicts.model import (
    HARD_SESSION_CODES,
    SPIKE_BANDS,
    Change,
    Code,
    Flag,
    Item,
    LoadType,
    Run,
    RunType,
    StrengthSession,
    Thresholds,
)

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
METRES = {"km": 1000.0, "mi": 1609.344}
RUN_NAMES = {
    RunType.LONG: "long run",
    RunType.TEMPO: "tempo run",
    RunType.INTERVALS: "interval session",
    RunType.HILLS: "hill session",
    RunType.FARTLEK: "fartlek run",
    RunType.EASY: "easy run",
    RunType.RECOVERY: "recovery run",
    RunType.CROSS_TRAINING: "cross-training",
}
SHOWN_ITEMS = 2
# How a title may already give the race's priority: as the run importers read it ("A race",
# "B-race", "(A)", "priority: C") and as people type it ("(A race)", "[A]", "(a)", "A
# priority", "A: Valencia", "Valencia - A"). Taken out of the name, so "your A race Half
# marathon (A)" reads "your A race Half marathon". {} is the priority letter.
_PRIORITY_IN_TITLE = (
    r"\b{}[- ]?[Rr][Aa][Cc][Ee]\b",
    r"\b{}[- ](?i:priority)\b",
    r"(?i:priority)\s*:?\s*{}\b",
    r"[(\[]\s*(?i:{})\s*[)\]]",
    r"^{}\s*[-–—:|/]\s",
    r"\s[-–—:|/,]\s*{}$",
)
_PRIORITY_PATTERNS = {
    letter: re.compile("|".join(p.format(letter) for p in _PRIORITY_IN_TITLE)) for letter in "ABC"
}
# Where the priority was taken out (marked _CUT), what is left of its brackets goes too:
# "Half marathon (A race)" → "Half marathon", "Marathon (A race, goal 3:30)" → "Marathon
# (goal 3:30)". Brackets elsewhere in the title are kept as they are.
_CUT = "\x00"
_CUT_IN_BRACKETS = (
    (re.compile(rf"[(\[]\s*{_CUT}\s*[)\]]"), " "),
    (re.compile(rf"([(\[])\s*{_CUT}\s*[-–—:,;/|]?\s*"), r"\1"),
    (re.compile(rf"\s*[-–—:,;/|]?\s*{_CUT}\s*([)\]])"), r"\1"),
)
_LOOSE_ENDS = " \t-–—:,;/|"


def day(date: datetime.date) -> str:
    """'Fri 12 Dec'."""
    return f"{DAYS[date.weekday()]} {date.day} {MONTHS[date.month - 1]}"


def number(value: float) -> str:
    """80.0 → '80', 82.5 → '82.5': no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def whole(value: float) -> str:
    """4800.4 → '4,800'."""
    return f"{round(value):,}"


def distance(metres: float, unit: str) -> str:
    """'32 km', '21.1 km', '20 mi': one decimal only when it says something."""
    value = round(metres / METRES.get(unit, METRES["km"]), 1)
    return f"{number(value)} {unit if unit in METRES else 'km'}"


def duration(seconds: int) -> str:
    hours, minutes = divmod(round(seconds / 60), 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


def load(item: Item) -> str:
    value = "" if item.load_value is None else number(item.load_value)
    if item.load_type == LoadType.PERCENT_1RM and value:
        return f"{value}%"
    if item.load_type == LoadType.KG and value:
        if item.one_rm_kg and item.load_value:
            # Says why a lift of many reps is heavy: 120 kg of a 140 kg 1RM.
            share = number(round(item.load_value * 100 / item.one_rm_kg, 1))
            return f"{value} kg · {share}% 1RM"
        return f"{value} kg"
    if item.load_type == LoadType.RPE and value:
        return f"RPE {value}"
    if item.load_type == LoadType.RIR and value:
        return f"RIR {value}"
    return ""


def dose(item: Item) -> str:
    """'Back squat 4×5 @ 80%', 'Deadlift 3×8 @ 120 kg · 85.7% 1RM', 'Box jump 3×5'."""
    amount = f"{item.sets}×{item.reps}" if item.reps is not None else f"{item.sets} sets"
    text = f"{item.exercise} {amount}"
    weight = load(item)
    return f"{text} @ {weight}" if weight else text


def doses(items: Sequence[Item]) -> str:
    shown = ", ".join(dose(i) for i in items[:SHOWN_ITEMS])
    more = len(items) - SHOWN_ITEMS
    return f"{shown} and {more} more" if more > 0 else shown


def session_label(cls: Classification) -> str:
    if cls.heavy and cls.plyometric:
        return "Heavy lower-body and plyometric session"
    if cls.heavy:
        return "Heavy lower-body session"
    if cls.plyometric:
        return "Plyometric session"
    return "Strength session"


def session_phrase(cls: Classification, items: Sequence[Item]) -> str:
    """'Heavy lower-body session (Back squat 4×5 @ 80%)'."""
    label = session_label(cls)
    return f"{label} ({doses(items)})" if items else label


def run_amount(run: Run, unit: str) -> str:
    if run.distance_m:
        return distance(run.distance_m, unit)
    if run.duration_s:
        return duration(run.duration_s)
    return ""


def run_phrase(run: Run, unit: str, *, long: bool = False) -> str:
    """'your long run (32 km)', 'your A race Valencia Marathon (42.2 km)'; with ``long``,
    for a run that is long by its distance rather than its type, 'your easy run (32 km,
    long for you)'."""
    amount = run_amount(run, unit)
    if long:
        amount = f"{amount}, long for you" if amount else "long for you"
    if run.run_type == RunType.RACE:
        priority = f"{run.race_priority} " if run.race_priority else ""
        title = race_name(run)
        name = f" {title}" if title else ""
        text = f"your {priority}race{name}"
    else:
        text = f"your {RUN_NAMES.get(run.run_type, 'run')}"
    return f"{text} ({amount})" if amount else text


def race_name(run: Run) -> str:
    """The race's title without the priority it repeats: 'Half marathon (A)' → 'Half
    marathon', 'A race: Valencia' → 'Valencia'."""
    pattern = _PRIORITY_PATTERNS.get(run.race_priority)
    if pattern is None:
        return run.title.strip()
    name = pattern.sub(_CUT, run.title.strip().replace(_CUT, ""))
    for cut, kept in _CUT_IN_BRACKETS:
        name = cut.sub(kept, name)
    return " ".join(name.replace(_CUT, " ").split()).strip(_LOOSE_ENDS)


def and_list(words: Sequence[str]) -> str:
    """'Mon, Tue and Thu'."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def days_apart(days: int, direction: str) -> str:
    """'the day before', '3 days before', 'the same day'."""
    if days == 0:
        return "on the same day as"
    if days == 1:
        return f"the day {direction}"
    return f"{days} days {direction}"


def lighten_text(session: StrengthSession, changes: Sequence[Change]) -> str:
    """'Swap Back squat for Goblet squat at RPE 6 and cut lower-body sets to 2.'"""
    parts = []
    for change in changes:
        name = session.items[change.index].exercise
        rpe = f"RPE {number(change.load_value)}" if change.load_value is not None else ""
        if change.drop:
            parts.append(f"drop {name}")
        elif change.exercise is not None:
            parts.append(f"swap {name} for {change.exercise}{f' at {rpe}' if rpe else ''}")
        elif rpe:
            parts.append(f"take {name} down to {rpe}")
    if cut := next((c.sets for c in changes if c.sets is not None), None):
        parts.append(f"cut lower-body sets to {cut}")
    sentence = and_list(parts)
    return f"{sentence[:1].upper()}{sentence[1:]}."


def spike_advice(run: Run, longest: Run, unit: str) -> str:
    """RUN_DISTANCE_SPIKE's advice: keep a planned run near the recent longest; after a done
    one, build up to it."""
    recent = distance(longest.distance or 0, unit)
    if run.done:
        return (
            f"This run is done: keep the next long runs near {recent} and build up to "
            f"{distance(run.distance or 0, unit)} over the coming weeks."
        )
    return (
        f"Keep it within {SPIKE_BANDS[-1][0]}% of your longest recent run ({recent}), or "
        "build up to it over "
        "the coming weeks."
    )


def advice(flag: Flag, *, logged: bool, run: Run | None, thresholds: Thresholds, unit: str) -> str:
    """What to do about a flag when no move or lighter session is found."""
    if flag.code in HARD_SESSION_CODES and logged and run is not None:
        if flag.code == Code.HEAVY_AFTER_LONG_RUN:
            return "This session is logged: keep the next couple of runs easy."
        if flag.code == Code.HEAVY_IN_TAPER:
            return "This session is logged: keep the rest of the taper light."
        if flag.code == Code.HEAVY_AFTER_RACE:
            return "This session is logged: keep the rest of the race's recovery easy."
        if flag.code == Code.HEAVY_SAME_DAY_AS_LONG_RUN:
            return (
                f"This session is logged: keep {run_phrase(run, unit)} easy, and the next "
                "couple of runs too."
            )
        return (
            f"This session is logged: keep {run_phrase(run, unit)} on {day(run.date)} easy, "
            "or move it a day later."
        )
    texts = {
        Code.STRENGTH_DAYS_TOO_CLOSE: (
            f"Both sessions are logged: keep at least {thresholds.min_days_between} days "
            "between the next ones."
            if logged
            else "No nearby day works: merge the two sessions or skip one."
        ),
        Code.TOO_MANY_STRENGTH_SESSIONS: (
            f"Merge or skip a session to keep to {thresholds.max_per_week} this week."
        ),
        Code.TOO_FEW_STRENGTH_SESSIONS: (
            "Add a short strength session this week, away from the day before a key run."
        ),
        Code.STRENGTH_BEFORE_RUN_SAME_DAY: "Run first, then do the strength session.",
        Code.LOAD_SPIKE: (
            "Cut sets, load or jumps this week to stay within "
            f"{number(thresholds.spike_ratio)}× the mean of the previous 4 weeks."
        ),
        Code.NO_DELOAD: "Make this week a deload week: about half the usual sets, same loads.",
    }
    return texts.get(
        Code(flag.code),
        "No day within a week avoids a conflict: take the heavy lifts and jumps out of "
        "this session.",
    )
