"""Hand-built catalogues and run calendars for the season planner's tests."""

import datetime

from programs.conflicts import Run
from programs.seasons import CatalogueExercise, SeasonRequest

MON = datetime.date(2026, 1, 5)  # a Monday
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def _exercise(slug: str, load_class: str, pattern: str, easier: str | None = None, *,
              contacts: int = 0) -> CatalogueExercise:  # fmt: skip
    name = slug.replace("-", " ").capitalize()
    return CatalogueExercise(slug, name, load_class, pattern, contacts, easier)


# Every exercise the built-in templates name (programs/data/templates/*.json), with its
# load class, pattern and easier variant as the library has them; easier variants the
# templates do not name are left out, as an unpublished one would be.
CATALOGUE = (
    _exercise("bodyweight-squat", "light_lower", "squat"),
    _exercise("reverse-lunge", "light_lower", "lunge", "split-squat"),
    _exercise("glute-bridge", "light_lower", "hip_glute"),
    _exercise("plank", "core", "core"),
    _exercise("calf-raise", "light_lower", "calf_ankle"),
    _exercise("clamshell", "light_lower", "hip_glute"),
    _exercise("side-plank", "core", "core", "plank"),
    _exercise("band-lateral-walk", "light_lower", "hip_glute", "clamshell"),
    _exercise("step-up", "light_lower", "step_up"),
    _exercise("lunge-with-rotation", "light_lower", "lunge"),
    _exercise("dead-bug", "core", "core"),
    _exercise("goblet-squat", "heavy_lower", "squat", "bodyweight-squat"),
    _exercise("romanian-deadlift", "heavy_lower", "hinge"),
    _exercise("single-leg-romanian-deadlift", "heavy_lower", "hinge", "romanian-deadlift"),
    _exercise("weighted-step-up", "heavy_lower", "step_up", "step-up"),
    _exercise("single-leg-calf-raise", "light_lower", "calf_ankle", "calf-raise"),
    _exercise("pallof-press", "core", "core"),
    _exercise("single-leg-squat", "heavy_lower", "squat", "split-squat"),
    _exercise("split-squat", "heavy_lower", "lunge", "goblet-squat"),
    _exercise("hip-thrust", "heavy_lower", "hip_glute"),
    _exercise("box-jump", "plyometric", "plyometric", contacts=1),
    _exercise("dumbbell-lunge", "heavy_lower", "lunge"),
    _exercise("eccentric-heel-drop", "light_lower", "calf_ankle", "single-leg-calf-raise"),
    _exercise("step-up-with-knee-drive", "light_lower", "step_up", "step-up"),
)


def day(week: int, weekday: str) -> datetime.date:
    """The ``weekday`` of week ``week`` (0 = the week of MON)."""
    return MON + datetime.timedelta(weeks=week, days=WEEKDAYS[weekday])


def run(date: datetime.date, run_type: str = "easy", km: float | None = 8, **fields) -> Run:
    metres = None if km is None else int(km * 1000)
    return Run(f"r{date:%Y%m%d}-{run_type}", date, run_type, distance_m=metres, **fields)


def race(date: datetime.date, priority: str, km: float = 42.195, **fields) -> Run:
    return run(date, "race", km, race_priority=priority, **fields)


# A runner's usual week: easy Monday, intervals Tuesday, easy Wednesday, tempo Thursday,
# Friday off, long Saturday, recovery Sunday.
USUAL_WEEK = (("mon", "easy", 8), ("tue", "intervals", 10), ("wed", "easy", 8),
              ("thu", "tempo", 10), ("sat", "long", 20), ("sun", "recovery", 6))  # fmt: skip


def weeks_of_runs(weeks: int, plan=USUAL_WEEK, *, skip: set[datetime.date] = frozenset()):
    """``plan`` every week for ``weeks`` weeks from MON, leaving out the days in ``skip``
    (where a race goes)."""
    runs = []
    for week in range(weeks):
        for weekday, run_type, km in plan:
            date = day(week, weekday)
            if date not in skip:
                runs.append(run(date, run_type, km))
    return runs


def request(runs, **fields) -> SeasonRequest:
    fields.setdefault("start", MON)
    fields.setdefault("catalogue", CATALOGUE)
    return SeasonRequest(runs=tuple(runs), **fields)
