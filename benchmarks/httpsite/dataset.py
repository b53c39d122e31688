"""The HTTP benchmark's data: one coach with a squad of 200 athletes, as the app holds it
after eight weeks of a season.

Every athlete is on the same 16-week block (3 strength sessions a week of 6 exercises at an
RPE, a heavy week every third), started eight weeks ago on today's weekday so that every
athlete has a session today; 5 or 6 runs a week with a B race ten days out; every past
session logged with loads (every third athlete skipped the last set of each exercise last
week), a pain note from every tenth, the conflict flags computed, the squad in four groups.
The coach also owns a 12-week block for the builder. The built-in exercise library and
block templates are loaded as ``manage.py load_library`` and ``load_templates`` do.

The athletes from LOGGER_FIRST on have logged their first set of today's session, so the
set-log POST measures a session under way (the common case: set 2 to 18 of a session),
not the first set, which also recomputes the athlete's flags.

``squads_build`` makes several such coaches in one database (the load test's 20 coaches of
50 athletes, benchmarks/load.py), each squad with its own blocks, runs and logs.
"""

import datetime
import io
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from benchmarks.flags import RUN_WEEK, season_block

ATHLETES = 200
WEEKS = 16
LOGGED_WEEKS = 8
BUILDER_WEEKS = 12
LOGGER_FIRST = 100  # athletes[100:] post sets; athletes[0] is the one who opens Today
GROUPS = 4
SKIPPED_BY_ODD_ATHLETES = "recovery"  # they run 5 times a week, the others 6


@dataclass(frozen=True)
class Logger:
    user_id: int
    session_id: int
    prescription_ids: list[int]


@dataclass(frozen=True)
class Dataset:
    coach_id: int
    athlete_id: int  # the user who opens Today, the calendar and the feed
    feed_token: str
    builder_block_id: int
    today: datetime.date
    loggers: list[Logger]
    logger_profile_ids: list[int]
    counts: dict[str, int] = field(default_factory=dict)


def strength_days(today: datetime.date) -> list[int]:
    """Three days a week, a day apart, the first of them today (ISO weekdays)."""
    return sorted((today.isoweekday() - 1 + offset) % 7 + 1 for offset in (0, 2, 4))


def squad(coach, count: int):
    from tests.factories import AthleteFactory, link

    users = [AthleteFactory() for _ in range(count)]
    for user in users:
        link(coach, user)
    return [u.athlete_profile for u in users]


def runs_create(profiles, start: datetime.date, today: datetime.date, *, weeks: int = WEEKS) -> int:
    from programs.models import Run

    runs = []
    for index, profile in enumerate(profiles):
        for week in range(weeks):
            for day, kind, km in RUN_WEEK:
                if index % 2 and kind == SKIPPED_BY_ODD_ATHLETES:
                    continue
                date = start + datetime.timedelta(weeks=week, days=day)
                done = date < today
                runs.append(
                    Run(
                        athlete=profile,
                        date=date,
                        run_type=kind,
                        distance_m=km * 1000,
                        duration_s=km * 330,
                        status="done" if done else "planned",
                        actual_distance_m=km * 1000 + 120 * (week % 3) if done else None,
                        actual_duration_s=km * 325 + 7 * week if done else None,
                    )
                )
        # A tune-up race ten days out for every athlete: the race rule has work to do.
        runs.append(
            Run(
                athlete=profile,
                date=today + datetime.timedelta(days=10),
                run_type="race",
                race_priority="B",
                distance_m=21097,
            )
        )
    Run.objects.bulk_create(runs, batch_size=5000)
    return len(runs)


def plans_assign(coach, block, profiles, start: datetime.date, today: datetime.date) -> None:
    from programs.schedule import services

    # Set-up only: the flags are computed once, at the end.
    with mock.patch("programs.schedule.services.conflicts_sync"):
        for first in range(0, len(profiles), 100):
            services.assignment_create(
                block=block,
                athletes=profiles[first : first + 100],
                start=start,
                weekdays=strength_days(today),
                assigned_by=coach,
            )


def logs_create(profiles, today: datetime.date) -> int:
    """Every past session logged, loads rising a little each week; every third athlete
    skipped the last set of each exercise last week (their compliance drops)."""
    from programs.models import PainNote, ScheduledPrescription, ScheduledSession, SetLog

    last_week = today - datetime.timedelta(days=7)
    slackers = {p.pk for p in profiles[::3]}
    rows = ScheduledPrescription.objects.filter(
        session__athlete__in=profiles, session__date__lt=today
    ).values_list(
        "pk",
        "session_id",
        "session__athlete_id",
        "exercise_id",
        "sets",
        "reps_min",
        "session__date",
        "session__week_number",
        "order",
    )
    now = timezone.now()
    sets = []
    for rx, session, athlete, exercise, planned, reps, date, week, order in rows:
        count = planned - 1 if athlete in slackers and date >= last_week else planned
        load = Decimal(40 + 10 * order) + Decimal("2.5") * week
        sets += [
            SetLog(
                id=uuid.uuid4(),
                athlete_id=athlete,
                session_id=session,
                prescription_id=rx,
                exercise_id=exercise,
                set_number=number,
                reps=reps,
                load_kg=load,
                rpe=Decimal(7 + (number == planned)),
                performed_on=date,
                logged_at=now,
            )
            for number in range(1, count + 1)
        ]
    SetLog.objects.bulk_create(sets, batch_size=5000)
    ScheduledSession.objects.filter(athlete__in=profiles, date__lt=today).update(
        status="done", rpe=7, completed_at=now
    )
    PainNote.objects.bulk_create(
        PainNote(athlete=p, date=today - datetime.timedelta(days=2), area="calf", score=3)
        for p in profiles[::10]
    )
    return len(sets)


def loggers_start(profiles, today: datetime.date) -> list[Logger]:
    """Set 1 of the first exercise of today's session, for each athlete in ``profiles``:
    the session is under way, as after the phone's first set."""
    from programs.models import ScheduledSession, SetLog

    sessions = (
        ScheduledSession.objects.filter(athlete__in=profiles, date=today)
        .select_related("athlete")
        .prefetch_related("prescriptions")
        .order_by("athlete_id")
    )
    loggers, first_sets = [], []
    for session in sessions:
        prescriptions = sorted(session.prescriptions.all(), key=lambda p: p.order)
        first = prescriptions[0]
        first_sets.append(
            SetLog(
                athlete_id=session.athlete_id,
                session=session,
                prescription=first,
                exercise_id=first.exercise_id,
                set_number=1,
                reps=first.reps_min,
                load_kg=Decimal(60),
                performed_on=today,
                logged_at=timezone.now(),
            )
        )
        loggers.append(
            Logger(
                user_id=session.athlete.user_id,
                session_id=session.pk,
                prescription_ids=[p.pk for p in prescriptions],
            )
        )
    SetLog.objects.bulk_create(first_sets)
    ScheduledSession.objects.filter(pk__in=[s.pk for s in sessions]).update(status="done")
    return loggers


def dataset_build(
    *,
    athletes: int = ATHLETES,
    logger_first: int = LOGGER_FIRST,
    weeks: int = WEEKS,
    logged_weeks: int = LOGGED_WEEKS,
    coach_name: str = "Squad Coach",
    library: bool = True,
) -> Dataset:
    """Fill the (empty, migrated) database; quick password hashing for the set-up. The
    defaults make the HTTP benchmark's squad; ``library=False`` adds a squad to a database
    that already holds the library (``squads_build``)."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    from athletes.models import AthleteGroup, AthleteProfile
    from library.models import Exercise
    from programs.conflicts.services import conflicts_sync
    from programs.models import Flag, Run, ScheduledPrescription, SetLog
    from programs.schedule.feed import athlete_feed_rotate
    from programs.units import local_today
    from tests.factories import CoachFactory

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        if library:
            call_command("load_library", stdout=io.StringIO())
            call_command("load_templates", stdout=io.StringIO())
        exercises = list(Exercise.objects.filter(load_class="heavy_lower").order_by("slug")[:3])
        exercises += list(Exercise.objects.filter(load_class="light_lower").order_by("slug")[:3])
        coach = CoachFactory(name=coach_name)
        block = season_block(coach, exercises, weeks=weeks, heavy_every=3)
        block.name = "Spring season"  # the builder's block below is "Season"
        block.save(update_fields=["name"])
        profiles = squad(coach, athletes)
        today = local_today(profiles[0].user)
        start = today - datetime.timedelta(weeks=logged_weeks)
        runs_create(profiles, start, today, weeks=weeks)
        plans_assign(coach, block, profiles, start, today)
        logs_create(profiles, today)
        loggers = loggers_start(profiles[logger_first:], today)
        conflicts_sync(
            athletes=AthleteProfile.objects.select_related("user").filter(
                pk__in=[p.pk for p in profiles]
            )
        )
        size = athletes // GROUPS
        for number in range(GROUPS):
            group = AthleteGroup.objects.create(coach=coach, name=f"Squad {number + 1}")
            group.athletes.set(profiles[number * size : (number + 1) * size])
        builder = season_block(coach, exercises, weeks=BUILDER_WEEKS)
        token = athlete_feed_rotate(athlete=profiles[0])
    return Dataset(
        coach_id=coach.pk,
        athlete_id=profiles[0].user_id,
        feed_token=token,
        builder_block_id=builder.pk,
        today=today,
        loggers=loggers,
        logger_profile_ids=[p.pk for p in profiles[logger_first:]],
        counts={
            "athletes": len(profiles),
            "scheduled prescriptions": ScheduledPrescription.objects.count(),
            "sets": SetLog.objects.count(),
            "runs": Run.objects.count(),
            "open flags": Flag.objects.filter(acknowledged_at=None).count(),
        },
    )


def squads_build(
    *, coaches: int, athletes: int, weeks: int = WEEKS, logged_weeks: int = LOGGED_WEEKS
) -> list[Dataset]:
    """``coaches`` squads of ``athletes`` each in one database, each on a ``weeks`` block
    ``logged_weeks`` in, every athlete a logger (today's session under way) and the
    library loaded once."""
    return [
        dataset_build(
            athletes=athletes,
            logger_first=0,
            weeks=weeks,
            logged_weeks=logged_weeks,
            coach_name=f"Coach {number + 1}",
            library=number == 0,
        )
        for number in range(coaches)
    ]
