"""Each rule's plain title: what an athlete reads instead of a code ("Heavy legs the day
before your long run"). Coaches see the title too, with the code beside it."""

# Keyed by the codes' values, so that a code the engine adds without a title is caught by
# the test that every code has one (tests/programs/conflicts/test_titles.py).
TITLES: dict[str, str] = {
    "HEAVY_BEFORE_LONG_RUN": "Heavy legs the day before your long run",
    "HEAVY_BEFORE_KEY_RUN": "Heavy legs the day before a hard run",
    "STRENGTH_DAYS_TOO_CLOSE": "Strength days too close together",
    "TOO_MANY_STRENGTH_SESSIONS": "More strength sessions than planned this week",
    "TOO_FEW_STRENGTH_SESSIONS": "Fewer strength sessions than planned this week",
    "HEAVY_IN_TAPER": "Heavy work too close to your race",
    "STRENGTH_BEFORE_RUN_SAME_DAY": "Strength before a hard run on the same day",
    "HEAVY_AFTER_LONG_RUN": "Heavy legs the day after your long run",
    "HEAVY_AFTER_RACE": "Heavy work while you recover from a race",
    "HEAVY_SAME_DAY_AS_LONG_RUN": "Heavy legs on the day of your long run",
    "LOAD_SPIKE": "A big jump in strength work this week",
    "NO_DELOAD": "Time for an easier week",
    "RUN_DISTANCE_SPIKE": "A run much longer than your recent longest",
}


def title(code: str) -> str:
    """The plain title of ``code``; an unknown code reads as a generic warning rather than
    as a code."""
    return TITLES.get(code, "Check your plan")
