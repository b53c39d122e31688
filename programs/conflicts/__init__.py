"""The conflict engine: strength sessions and runs in, coded flags with checked suggestions
out. Plain Python (no Django), so that it can be tested and timed on hand-built data.

    flags = evaluate(sessions, runs, Thresholds(), distance_unit="km")
    sessions = apply(flags[0].suggestion, sessions)
"""

from programs.conflicts.classify import Classification, SessionKind, Volume, classify
from programs.conflicts.engine import evaluate
from programs.conflicts.fixes import apply
from programs.conflicts.model import (
    Change,
    Code,
    Flag,
    Item,
    LoadClass,
    LoadType,
    Run,
    RunType,
    Severity,
    StrengthSession,
    Suggestion,
    SuggestionKind,
    Thresholds,
)

__all__ = [
    "Change",
    "Classification",
    "Code",
    "Flag",
    "Item",
    "LoadClass",
    "LoadType",
    "Run",
    "RunType",
    "SessionKind",
    "Severity",
    "StrengthSession",
    "Suggestion",
    "SuggestionKind",
    "Thresholds",
    "Volume",
    "apply",
    "classify",
    "evaluate",
]
