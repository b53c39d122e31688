"""The coach's roster: each athlete's week at a glance, and why any of them needs attention,
for all of a coach's athletes in a fixed number of queries.

Compliance has the definition of ``programs.logbook.progress.weekly_summary``: the sets logged
against the sessions planned in a Monday-to-Sunday week over the sets those sessions
prescribe, skipped sessions and skipped exercises included (they were planned). Here the
database adds it up per session for every athlete at once and the weeks are bucketed in
Python, so the cost is one query however many athletes there are.

``needs_attention`` is a pure function of a row: the rules read the facts the row holds
and the thresholds below, so they can be tested at their boundaries without a database.
"""

from programs.coaching.roster.loading import (
    roster_details,
    roster_entries,
    roster_page_rows,
    roster_rows,
)
from programs.coaching.roster.rows import (
    ATTENTION_COMPLIANCE,
    ATTENTION_DROP,
    NO_LOG_DAYS,
    PAIN_DAYS,
    RACE_DAYS,
    TREND_WEEKS,
    Attention,
    Reason,
    RosterEntry,
    RosterRow,
    Sort,
    needs_attention,
    roster_select,
)

__all__ = [
    "ATTENTION_COMPLIANCE",
    "ATTENTION_DROP",
    "NO_LOG_DAYS",
    "PAIN_DAYS",
    "RACE_DAYS",
    "TREND_WEEKS",
    "Attention",
    "Reason",
    "RosterEntry",
    "RosterRow",
    "Sort",
    "needs_attention",
    "roster_details",
    "roster_entries",
    "roster_page_rows",
    "roster_rows",
    "roster_select",
]
