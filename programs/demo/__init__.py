"""Demo data, so a fresh ``make run`` meets a living product: people, the built-in library
and templates, the demo coach's own blocks, and a season drawn by the season planner."""

import datetime
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission

from athletes.models import AthleteProfile, CoachingLink, User
from library.io import BUILTIN_PATH, import_exercises
from library.models import Source
from programs.blocks.templates_builtin import demo_blocks, load_builtin_templates
from programs.demo.runs import autumn_plan, marathon_plan
from programs.logbook.services import MAX_BATCH, session_finish, set_logs_record
from programs.models import Assignment, Block, Run, RunStatus, ScheduledSession
from programs.schedule.services import assignment_create, scheduled_session_skip
from programs.seasons import plan_season
from programs.seasons.services import season_apply, season_request_for
from programs.units import local_today

DEMO_PASSWORD = "runstrong-demo"  # noqa: S105 (published in the README on purpose)
COACH_EMAIL = "coach@example.com"
CURATOR_EMAIL = "curator@example.com"
ATHLETES = [
    ("ana@example.com", "Ana Ruiz", "Europe/Madrid"),
    ("ben@example.com", "Ben Okafor", "Europe/London"),
    ("chloe@example.com", "Chloé Martin", "Europe/Paris"),
]
# Each demo athlete's strength days for the marathon block, and the flags they make: Ana
# lifts the day before her interval and hill sessions (warnings once the block gets
# heavy), Chloé on Saturdays before her long runs (critical), Ben on Tuesday and Friday
# (clear), but his taper's jump session lands ten days before the marathon.
STRENGTH_DAYS = {"ana@example.com": [1, 4], "ben@example.com": [2, 5], "chloe@example.com": [1, 6]}
TAPER_DAYS = {"ben@example.com": [4, 7]}
TAPER_WEEK = 15
# The plan started this many weeks before today, so the calendar has a past and a future.
WEEKS_INTO_PLAN = 6
# The weights the demo athletes lift in the strength phase (kg), rising 2 kg a session,
# so the log has personal records in it.
DEMO_LOADS = {
    "goblet-squat": 14,
    "romanian-deadlift": 26,
    "single-leg-romanian-deadlift": 8,
    "weighted-step-up": 6,
}
SKIPPED = {"ben@example.com": "Travelling for work"}
# Ben's autumn after the marathon: a half marathon plan of runs and the strength season the
# season planner drew around it, applied, on his Tuesday and Friday if the runs allow.
SEASON_EMAIL = "ben@example.com"
SEASON_WEEKDAYS = (1, 4)  # 0 = Monday
PAIN = {"chloe@example.com": ("calf", 3, "Tight left calf after the hill repeats")}
CURATORS_GROUP = "Curators"
CURATOR_APPS = ("library",)


@dataclass
class DemoReport:
    changes: list[str] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)


def _user(report: DemoReport, *, email: str, name: str, **fields) -> User:
    user = User.objects.by_email(email).first()
    if user is None:
        user = User.objects.create_user(email=email, name=name, password=DEMO_PASSWORD, **fields)
        report.changes.append(f"created {email}")
    return user


def curators_group() -> Group:
    """The group curators belong to, holding every permission of the library app."""
    group, _created = Group.objects.get_or_create(name=CURATORS_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=CURATOR_APPS)
    missing = permissions.exclude(group=group)
    if missing.exists():
        group.permissions.add(*missing)
    return group


def seed_demo() -> DemoReport:
    report = DemoReport()
    coach = _user(report, email=COACH_EMAIL, name="Casey Coach", is_coach=True)
    report.logins.append((COACH_EMAIL, "coach"))
    for email, name, time_zone in ATHLETES:
        user = _user(report, email=email, name=name, time_zone=time_zone)
        profile, _created = AthleteProfile.objects.get_or_create(user=user)
        if not CoachingLink.objects.active().filter(coach=coach, athlete=profile).exists():
            CoachingLink.objects.create(coach=coach, athlete=profile)
            report.changes.append(f"{coach.email} coaches {email}")
        report.logins.append((email, "athlete"))
    curator = _user(report, email=CURATOR_EMAIL, name="Cleo Curator", is_staff=True)
    group = curators_group()
    if not curator.groups.filter(pk=group.pk).exists():
        curator.groups.add(group)
        report.changes.append(f"{CURATOR_EMAIL} joins {CURATORS_GROUP}")
    report.logins.append((CURATOR_EMAIL, "curator"))
    blocks = _programs(report, coach)
    _plans(report, coach, blocks[0])
    _season(report, coach)
    return report


def _programs(report: DemoReport, coach: User) -> list[Block]:
    """The library and templates (quietly, if make run's loaders have not run yet) and
    the demo coach's blocks."""
    library = import_exercises(
        data=BUILTIN_PATH.read_bytes(), filename=BUILTIN_PATH.name, source=Source.BUILTIN
    )
    if library.created:
        report.changes.append(f"loaded {len(library.created)} built-in exercises")
    report.changes.extend(load_builtin_templates())
    before = set(Block.objects.filter(owner=coach).values_list("pk", flat=True))
    blocks = demo_blocks(coach)
    for block in blocks:
        if block.pk not in before:
            report.changes.append(f"{coach.email} owns the block “{block.name}”")
    return blocks


def _plans(report: DemoReport, coach: User, block: Block) -> None:
    """Each demo athlete's 16-week marathon plan of runs, the marathon block assigned from
    the same Monday and the pre-race taper for its last two weeks, unless they already
    have runs or a block."""
    block = Block.objects.with_structure().get(pk=block.pk)
    taper = Block.objects.with_structure().get(builtin_key="pre-race-taper")
    for profile in AthleteProfile.objects.filter(
        user__email__in=[email for email, *_rest in ATHLETES]
    ).select_related("user"):
        today = local_today(profile.user)
        start = today - datetime.timedelta(days=today.weekday(), weeks=WEEKS_INTO_PLAN)
        if not Run.objects.filter(athlete=profile).exists():
            Run.objects.bulk_create(
                Run(
                    athlete=profile,
                    date=run.date,
                    run_type=run.run_type,
                    distance_m=round(run.km * 1000),
                    title=run.title,
                    race_priority=run.race_priority,
                    status=RunStatus.DONE if run.date < today else RunStatus.PLANNED,
                )
                for run in marathon_plan(start)
            )
            report.changes.append(f"{profile.user.email} has a 16-week marathon plan")
        if not Assignment.objects.filter(athlete=profile).exists():
            assignment_create(
                block=block,
                athletes=[profile],
                start=start,
                weekdays=STRENGTH_DAYS.get(profile.user.email, [1, 4]),
                assigned_by=coach,
            )
            email = profile.user.email
            assignment_create(
                block=taper,
                athletes=[profile],
                start=start + datetime.timedelta(weeks=TAPER_WEEK - 1),
                weekdays=TAPER_DAYS.get(email, STRENGTH_DAYS.get(email, [1, 4])),
                assigned_by=coach,
            )
            report.changes.append(f"{email} is assigned “{block.name}” and “{taper.name}”")
            _logs(report, profile, today)


def _season(report: DemoReport, coach: User) -> None:
    """Ben's autumn from the Monday after his marathon: the runs, unless he has runs after
    it, and the planned season, unless he has a block from then on. Nothing when the
    marathon is past (a demo database seeded long ago)."""
    profile = AthleteProfile.objects.select_related("user").filter(user__email=SEASON_EMAIL)
    athlete = profile.first()
    marathon = Run.objects.filter(athlete=athlete, race_priority="A").order_by("date").first()
    if athlete is None or marathon is None:
        return
    start = marathon.date + datetime.timedelta(days=7 - marathon.date.weekday())
    if start <= local_today(athlete.user):
        return
    if not Run.objects.filter(athlete=athlete, date__gte=start).exists():
        Run.objects.bulk_create(
            Run(
                athlete=athlete,
                date=run.date,
                run_type=run.run_type,
                distance_m=round(run.km * 1000),
                title=run.title,
                race_priority=run.race_priority,
            )
            for run in autumn_plan(start)
        )
        report.changes.append(f"{SEASON_EMAIL} has an autumn half marathon plan")
    if not Assignment.objects.filter(athlete=athlete, start_date__gte=start).exists():
        request = season_request_for(athlete=athlete, start=start, weekdays=SEASON_WEEKDAYS)
        plan = plan_season(request)
        (assignment, *_more) = season_apply(plan=plan, athlete=athlete, coach=coach)
        report.changes.append(
            f"{SEASON_EMAIL} has a planned season, “{assignment.block_name}”: "
            f"{len(plan.weeks)} weeks, {len(plan.sessions)} sessions"
        )


def _logs(report: DemoReport, profile: AthleteProfile, today: datetime.date) -> None:
    """The athlete's past sessions, logged as the phone would have sent them."""
    email = profile.user.email
    past = list(
        ScheduledSession.objects.for_athlete(profile)
        .filter(date__lt=today)
        .with_prescriptions()
        .order_by("date")
    )
    if SKIPPED.get(email) and past:
        scheduled_session_skip(session=past.pop(len(past) // 2), reason=SKIPPED[email])
    items = []
    for index, session in enumerate(past):
        for rx in session.prescriptions.all():
            base = DEMO_LOADS.get(rx.exercise.slug)
            load = "" if base is None or rx.load_type == "bodyweight" else str(base + 2 * index)
            for number in range(1, rx.sets + 1):
                items.append(
                    {
                        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo/{rx.pk}/{number}")),
                        "session": session.pk,
                        "prescription": rx.pk,
                        "set": number,
                        "reps": rx.reps_min or "",
                        "duration": "" if rx.reps_min else rx.duration_s,
                        "load": load,
                        "rpe": 7 if load else "",
                        "performed_on": session.date.isoformat(),
                    }
                )
    for first in range(0, len(items), MAX_BATCH):
        set_logs_record(athlete=profile, items=items[first : first + MAX_BATCH], unit="kg")
    if past:
        area, score, note = PAIN.get(email, ("", None, ""))
        session_finish(
            session=past[-1],
            rpe=7,
            notes="Good session, legs a bit heavy from the long run.",
            pain_area=area,
            pain_score=score,
            pain_note=note,
            today=today,
        )
    report.changes.append(f"{email} has logged {len(items)} sets in {len(past)} sessions")
