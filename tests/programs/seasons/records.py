"""Athletes' calendars in the database, for the season planner's service and command
tests (calendars.py builds the pure planner's inputs by hand)."""

import datetime
import uuid

from library.io import BUILTIN_PATH, import_exercises
from library.models import Exercise, Source
from programs.logbook.services import set_logs_record
from programs.models import Run, RunStatus, ScheduledSession, SeasonDraft
from programs.seasons import PlannedExercise, PlannedSession, PlannedWeek, SeasonPlan
from programs.seasons.edits import plan_to_data

TODAY = datetime.date(2027, 1, 4)  # a Monday
# Six in the morning in London, the athletes' time zone: TODAY everywhere that matters.
NOW = datetime.datetime(2027, 1, 4, 6, tzinfo=datetime.UTC)
MORNING, EVENING = datetime.time(7), datetime.time(18, 30)
# A runner's week: easy Monday, intervals Tuesday evening, easy Wednesday, tempo Thursday
# evening, Friday off, long Saturday, recovery Sunday.
WEEK = (
    (0, "easy", 8, MORNING),
    (1, "intervals", 10, EVENING),
    (2, "easy", 8, MORNING),
    (3, "tempo", 10, EVENING),
    (5, "long", 20, MORNING),
    (6, "recovery", 6, MORNING),
)
# Every third week the long run is on Sunday and the recovery run on Saturday, so the
# planner's days change from week to week.
SWAPPED = {5: (6, "long", 20, MORNING), 6: (5, "recovery", 6, MORNING)}


def load_library() -> None:
    import_exercises(
        data=BUILTIN_PATH.read_bytes(), filename=BUILTIN_PATH.name, source=Source.BUILTIN
    )


def week_of(first: datetime.date, week: int, weekday: int) -> datetime.date:
    return first + datetime.timedelta(weeks=week, days=weekday)


def add_runs(
    profile,
    *,
    first: datetime.date,
    weeks: int,
    races: dict[datetime.date, tuple[str, float]] | None = None,
    today: datetime.date = TODAY,
) -> list[Run]:
    """``weeks`` weeks of WEEK from the Monday ``first``; a race (priority, km) in place of
    the day's run on each date of ``races``; done before ``today``."""
    races = races or {}
    runs = []
    for week in range(weeks):
        for slot in WEEK:
            weekday, run_type, km, start = SWAPPED.get(slot[0], slot) if week % 3 == 2 else slot
            date = week_of(first, week, weekday)
            priority, km = races.get(date, ("", km))
            runs.append(
                Run(
                    athlete=profile,
                    date=date,
                    run_type="race" if priority else run_type,
                    title=f"{'Race' if priority else run_type.capitalize()} {km:g} km",
                    distance_m=round(km * 1000),
                    duration_s=round(km * 330),
                    start_time=start,
                    race_priority=priority,
                    status=RunStatus.DONE if date < today else RunStatus.PLANNED,
                )
            )
    return Run.objects.bulk_create(runs)


def log_session(profile, session: ScheduledSession) -> None:
    """Every set of ``session`` logged as the phone sends them (the session becomes done)."""
    items = [
        {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"test/{rx.pk}/{number}")),
            "session": session.pk,
            "prescription": rx.pk,
            "set": number,
            "reps": rx.reps_min or "",
            "duration": "" if rx.reps_min else rx.duration_s,
            "load": "",
            "rpe": "",
            "performed_on": session.date.isoformat(),
        }
        for rx in session.prescriptions.all()
        for number in range(1, rx.sets + 1)
    ]
    set_logs_record(athlete=profile, items=items, unit="kg")


def a_draft(coach, profile, *, monday: datetime.date, exercise: Exercise) -> SeasonDraft:
    """A one-week draft season built by hand, for pages that need one to exist: a session
    of ``exercise`` on ``monday``."""
    session = PlannedSession(
        id=f"plan-{monday:%Y%m%d}",
        date=monday,
        name="Lower body",
        phase="foundation",
        exercises=(
            PlannedExercise(
                slug=exercise.slug,
                name=exercise.name,
                load_class=exercise.load_class,
                sets=3,
                reps_min=10,
            ),
        ),
        heavy=False,
        plyometric=False,
    )
    plan = SeasonPlan(
        start=monday,
        end=monday + datetime.timedelta(days=6),
        weeks=(PlannedWeek(monday, "foundation", (session,)),),
    )
    return SeasonDraft.objects.create(coach=coach, athlete=profile, plan=plan_to_data(plan))
