"""The season planner against the database: the request loaded from an athlete's calendar,
the plan applied as ordinary blocks and assignments on exactly its dates, in one
transaction, re-planning that touches only future unlogged sessions, the diff shown first,
group planning in the background, and the speed of a whole season."""

import datetime
import time
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from athletes.models import AthleteGroup
from library.models import Exercise
from programs.conflicts.model import Code
from programs.models import (
    Assignment,
    Block,
    ConflictSettings,
    Flag,
    GroupSeasonPlan,
    OneRepMax,
    ScheduledPrescription,
    ScheduledSession,
    SeasonJobStatus,
    SessionStatus,
)
from programs.schedule.services import assignment_create, assignment_push, plan_dates
from programs.seasons import SeasonPlan, plan_season
from programs.seasons import services as season_services
from programs.seasons.services import (
    season_apply,
    season_diff,
    season_request_for,
)
from programs.seasons.tasks import season_plan_group_queue
from tests.factories import AthleteFactory, ExerciseFactory, link, make_block
from tests.programs.seasons.records import (
    NOW,
    TODAY,
    add_runs,
    load_library,
    log_session,
    week_of,
)

DAY = datetime.timedelta(days=1)
# The engine's flag about the run plan itself (a marathon far longer than the longest run
# of the month before): no strength session changes it, so the planner leaves it to the
# conflicts page (docs/season-planner.md, "What comes out").
ABOUT_THE_RUNS = {Code.RUN_DISTANCE_SPIKE}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def library(db):
    load_library()


@pytest.fixture
def runner(athlete, library):
    """Ana: four weeks of runs done, twelve to come, a B 10 km in week 6 and an A
    marathon on the Sunday of week 12."""
    profile = athlete.athlete_profile
    races = {week_of(TODAY, 5, 5): ("B", 10), week_of(TODAY, 11, 6): ("A", 42.195)}
    add_runs(profile, first=TODAY - 4 * 7 * DAY, weeks=16, races=races)
    return profile


def a_plan(profile, **fields) -> SeasonPlan:
    return plan_season(season_request_for(athlete=profile, start=TODAY, **fields))


def sessions_of(profile):
    return ScheduledSession.objects.filter(athlete=profile).order_by("date")


def landed(profile) -> list[tuple]:
    return list(sessions_of(profile).values_list("date", "start_time", "title", "phase"))


def planned(plan: SeasonPlan) -> list[tuple]:
    return [(s.date, s.start_time, s.name, s.phase) for s in plan.sessions]


def warnings(profile) -> list[Flag]:
    return list(
        Flag.objects.filter(athlete=profile, severity__in=["warning", "critical"]).exclude(
            code__in=ABOUT_THE_RUNS
        )
    )


def an_old_block(profile, coach, *, start=TODAY - 14 * DAY):
    """Two sessions a week for six weeks from ``start``, Monday and Thursday."""
    squat = Exercise.objects.get(slug="bodyweight-squat")
    block = make_block(coach, [squat], name="Old block", weeks=6)
    (assignment,) = assignment_create(
        block=block, athletes=[profile], start=start, weekdays=[1, 4], assigned_by=coach
    )
    return assignment


class TestRequest:
    def test_it_holds_the_runs_the_history_the_1rms_the_library_and_the_coachs_thresholds(
        self, runner, coach
    ):
        assignment = an_old_block(runner, coach, start=TODAY - 35 * DAY)
        rdl = Exercise.objects.get(slug="romanian-deadlift")
        OneRepMax.objects.create(athlete=runner, exercise=rdl, kg=Decimal("102.5"))
        ConflictSettings.objects.create(coach=coach, taper_warning_days=7)
        ExerciseFactory(name="A draft", status="draft")

        request = season_request_for(athlete=runner, start=TODAY, weekdays=(0, 3))

        assert len(request.runs) == 16 * 6
        assert request.last_a_race() == week_of(TODAY, 11, 6)
        history = [s for s in request.existing if s.date < TODAY]
        assert min(s.date for s in history) <= TODAY - 28 * DAY, "four weeks to compare with"
        assert {s.id for s in request.existing} == {
            str(pk) for pk in assignment.sessions.values_list("pk", flat=True)
        }
        assert not any(s.id.startswith("plan-") for s in request.existing)
        assert request.one_rep_maxes == {"romanian-deadlift": 102.5}
        slugs = {e.slug for e in request.catalogue}
        assert "goblet-squat" in slugs
        assert "a-draft" not in slugs
        assert request.thresholds.taper_warning_days == 7
        assert request.weekdays == (0, 3)
        assert not request.replace_existing
        assert request.errors() == {}

    def test_replace_future_lets_the_planner_replace_only_future_unlogged_sessions(
        self, runner, coach
    ):
        assignment = an_old_block(runner, coach)
        today_session = assignment.sessions.get(date=TODAY)
        log_session(runner, today_session)

        request = season_request_for(athlete=runner, start=TODAY, replace_future=True)

        replaceable = {s.id for s in request.existing if not s.done}
        expected = assignment.sessions.filter(date__gt=TODAY).values_list("pk", flat=True)
        assert replaceable == {str(pk) for pk in expected}
        assert request.replace_existing

    def test_no_a_race_and_no_end_is_an_error_for_the_end(self, athlete, library):
        request = season_request_for(athlete=athlete.athlete_profile, start=TODAY)

        assert set(request.errors()) == {"end"}


class TestApply:
    def test_every_session_lands_on_its_planned_date_and_time_as_an_ordinary_assignment(
        self, runner, coach
    ):
        rdl = Exercise.objects.get(slug="romanian-deadlift")
        OneRepMax.objects.create(athlete=runner, exercise=rdl, kg=Decimal("100"))
        plan = a_plan(runner)
        weekdays = {tuple(s.date.weekday() for s in w.sessions) for w in plan.weeks}
        assert len(weekdays) > 1, "the planner's days change from week to week"

        (assignment,) = season_apply(plan=plan, athlete=runner, coach=coach)

        assert landed(runner) == planned(plan)
        assert assignment.weekdays == "1234567"
        assert assignment.start_date == plan.weeks[0].start
        assert assignment.assigned_by == coach
        block = assignment.block
        assert (block.owner, block.is_template) == (coach, False)
        assert list(block.weeks.values_list("phase", flat=True)) == [w.phase for w in plan.weeks]
        for session, wanted in zip(sessions_of(runner), plan.sessions, strict=True):
            doses = [
                (p.exercise.slug, p.sets, p.reps_min, p.duration_s, p.load_type, p.load_value)
                for p in session.prescriptions.select_related("exercise")
            ]
            assert doses == [
                (
                    e.slug,
                    e.sets,
                    e.reps_min,
                    e.duration_s,
                    e.load_type,
                    None if e.load_value is None else Decimal(str(e.load_value)),
                )
                for e in wanted.exercises
            ]
        assert ScheduledPrescription.objects.filter(load_type="pct_1rm").exists()

    def test_after_applying_the_engine_raises_no_warning(self, runner, coach):
        plan = a_plan(runner, sessions_per_week=3)

        season_apply(plan=plan, athlete=runner, coach=coach)

        assert plan.exceptions == ()
        assert warnings(runner) == []
        assert Flag.objects.filter(athlete=runner).exists(), "the flags were synced"

    def test_the_only_warnings_left_are_the_plans_explained_exceptions(self, runner, coach):
        # A session the coach keeps on the Friday before the long run, heavy.
        squat = Exercise.objects.get(slug="goblet-squat")
        heavy = {"sets": 4, "reps_min": 5, "load_type": "rpe", "load_value": 9}
        block = make_block(coach, [squat], name="Kept", weeks=1, sessions=1, days=[5], dose=heavy)
        assignment_create(
            block=block, athletes=[runner], start=TODAY, weekdays=[5], assigned_by=coach
        )
        plan = a_plan(runner)
        explained = {f.fingerprint for e in plan.exceptions for f in e.flags}
        assert explained

        season_apply(plan=plan, athlete=runner, coach=coach)

        assert warnings(runner)
        assert {f.fingerprint for f in warnings(runner)} <= explained

    def test_a_failure_part_way_leaves_nothing(self, runner, coach, monkeypatch):
        an_old_block(runner, coach)
        plan = a_plan(runner, replace_future=True)
        assert plan.replaced
        before = (
            list(sessions_of(runner).values_list("pk", "date")),
            Block.objects.count(),
            Assignment.objects.count(),
            ScheduledPrescription.objects.count(),
        )
        real = season_services.assignment_create

        def fails_after_writing(**kwargs):
            real(**kwargs)
            raise RuntimeError("the database went away")

        monkeypatch.setattr(season_services, "assignment_create", fails_after_writing)

        with pytest.raises(RuntimeError):
            season_apply(plan=plan, athlete=runner, coach=coach)

        after = (
            list(sessions_of(runner).values_list("pk", "date")),
            Block.objects.count(),
            Assignment.objects.count(),
            ScheduledPrescription.objects.count(),
        )
        assert after == before

    def test_pushing_the_block_keeps_every_date(self, runner, coach):
        plan = a_plan(runner)
        (assignment,) = season_apply(plan=plan, athlete=runner, coach=coach)

        report = assignment_push(assignment=assignment, today=TODAY)

        assert (report.added, report.removed) == (0, 0)
        assert landed(runner) == planned(plan)

    def test_the_athlete_sees_the_first_session_on_today(self, runner, coach, athlete, client):
        plan = a_plan(runner)
        season_apply(plan=plan, athlete=runner, coach=coach)
        first = plan.sessions[0]
        assert first.date == TODAY

        client.force_login(athlete)
        html = client.get("/athlete/").content.decode()

        assert "Today's strength" in html
        assert first.name in html
        assert first.exercises[0].name in html

    def test_a_season_longer_than_a_block_is_two_blocks_back_to_back(self, athlete, library, coach):
        profile = athlete.athlete_profile
        race = week_of(TODAY, 59, 6)
        add_runs(profile, first=TODAY, weeks=60, races={race: ("A", 21.1)})
        plan = a_plan(profile)
        assert len(plan.weeks) == 60

        first, second = season_apply(plan=plan, athlete=profile, coach=coach)

        assert (first.block.weeks.count(), second.block.weeks.count()) == (52, 8)
        assert second.start_date == plan.weeks[52].start
        assert "part 2 of 2" in second.block_name
        assert landed(profile) == planned(plan)

    def test_only_the_athletes_coach_may_apply(self, runner, other_coach):
        plan = a_plan(runner)

        with pytest.raises(ValidationError) as error:
            season_apply(plan=plan, athlete=runner, coach=other_coach)

        assert error.value.code == "not_coached"
        assert not ScheduledSession.objects.exists()

    def test_a_plan_made_on_a_calendar_that_changed_since_is_refused(self, runner, coach):
        assignment = an_old_block(runner, coach)
        plan = a_plan(runner, replace_future=True)
        replaced = assignment.sessions.get(pk=int(plan.replaced[0]))
        noon = datetime.datetime.combine(replaced.date, datetime.time(12), tzinfo=datetime.UTC)
        with time_machine.travel(noon, tick=False):
            log_session(runner, replaced)

        with pytest.raises(ValidationError) as error:
            season_apply(plan=plan, athlete=runner, coach=coach)

        assert error.value.code == "stale_plan"
        assert not Assignment.objects.exclude(pk=assignment.pk).exists()

    def test_a_plan_from_a_past_date_is_refused(self, runner, coach):
        plan = plan_season(season_request_for(athlete=runner, start=TODAY - DAY))

        with pytest.raises(ValidationError) as error:
            season_apply(plan=plan, athlete=runner, coach=coach)

        assert error.value.code == "in_the_past"


class TestReplan:
    def test_replanning_touches_only_future_unlogged_sessions(self, runner, coach):
        season_apply(plan=a_plan(runner), athlete=runner, coach=coach)
        three_weeks_on = TODAY + 21 * DAY
        with time_machine.travel(NOW + 21 * DAY, tick=False):
            past = list(sessions_of(runner).filter(date__lt=three_weeks_on))
            for session in past[::2]:
                log_session(runner, ScheduledSession.objects.get(pk=session.pk))
            before = {s.pk: (s.date, s.status) for s in sessions_of(runner)}
            editable = set(
                sessions_of(runner).editable_on(three_weeks_on).values_list("pk", flat=True)
            )
            # The race calendar changes: the B race moves a week later.
            runner.runs.filter(race_priority="B").update(date=week_of(TODAY, 6, 5))
            plan = plan_season(
                season_request_for(athlete=runner, start=three_weeks_on, replace_future=True)
            )

            season_apply(plan=plan, athlete=runner, coach=coach)

            after = {s.pk: (s.date, s.status) for s in sessions_of(runner)}
        gone = set(before) - set(after)
        assert gone
        assert gone <= editable
        assert {pk: before[pk] for pk in before if pk not in editable} == {
            pk: after[pk] for pk in before if pk not in editable
        }, "past, done and logged sessions are as they were"
        assert SessionStatus.DONE in {status for _date, status in after.values()}
        new = sessions_of(runner).exclude(pk__in=before)
        assert new.exists()
        assert not new.filter(date__lt=three_weeks_on).exists()
        assert set(new.values_list("date", flat=True)) == {s.date for s in plan.sessions}

    def test_the_diff_lists_what_applying_adds_removes_and_moves(self, runner, coach):
        season_apply(plan=a_plan(runner), athlete=runner, coach=coach)

        same = season_diff(athlete=runner, plan=a_plan(runner, replace_future=True))
        assert (same.added, same.removed, same.moved, same.kept) == ((), (), (), ())
        assert len(same.unchanged) == sessions_of(runner).count()
        assert not same.changed

        # A parkrun race on a Thursday morning, a day that had a session: it moves.
        week = week_of(TODAY, 6, 0)
        thursday = week + 3 * DAY
        assert thursday in {m.after.date for m in same.unchanged}
        runner.runs.create(date=thursday, run_type="race", race_priority="C", distance_m=5000,
                           start_time=datetime.time(9), title="parkrun")  # fmt: skip
        replan = a_plan(runner, replace_future=True)
        diff = season_diff(athlete=runner, plan=replan)

        assert diff.changed
        touched = [m.before.date for m in diff.moved] + [s.date for s in diff.removed]
        touched += [s.date for s in diff.added]
        assert thursday in touched
        assert all(week - 7 * DAY <= d <= week + 13 * DAY for d in touched)
        current = set(sessions_of(runner).values_list("pk", flat=True))
        listed = {m.before.id for m in (*diff.moved, *diff.unchanged)} | {
            s.id for s in diff.removed
        }
        assert listed == current
        data = diff.to_json()
        assert set(data) == {"added", "removed", "moved", "unchanged", "kept"}

    def test_without_replacing_the_diff_only_adds_and_keeps(self, runner, coach):
        assignment = an_old_block(runner, coach)
        plan = a_plan(runner)

        diff = season_diff(athlete=runner, plan=plan)

        assert diff.removed == diff.moved == ()
        assert {s.id for s in diff.kept} == set(
            assignment.sessions.filter(date__gte=TODAY).values_list("pk", flat=True)
        )
        assert len(diff.added) == len(plan.sessions)


def test_day_slots_are_kept_when_every_day_is_a_strength_day(coach, library):
    squat = Exercise.objects.get(slug="bodyweight-squat")
    block = make_block(coach, [squat], weeks=1, sessions=2, days=[2, 6])

    every_day = plan_dates(block=block, start=TODAY, weekdays=range(1, 8))
    two_days = plan_dates(block=block, start=TODAY, weekdays=[1, 4])

    assert [d.date.isoweekday() for d in every_day] == [2, 6]
    assert [d.date.isoweekday() for d in two_days] == [1, 4]


def test_a_groups_seasons_are_planned_and_applied_in_the_background(
    coach, runner, django_capture_on_commit_callbacks
):
    without_race = AthleteFactory(name="Ben Noraces")
    link(coach, without_race)
    group = AthleteGroup.objects.create(coach=coach, name="Marathon squad")
    group.athletes.add(runner, without_race.athlete_profile)

    with django_capture_on_commit_callbacks(execute=True):
        job = season_plan_group_queue(group=group, coach=coach, start=TODAY, apply=True)

    job.refresh_from_db()
    assert (job.status, job.processed, job.total, job.percent) == (SeasonJobStatus.DONE, 2, 2, 100)
    lines = {line["email"]: line for line in job.report}
    assert lines["ana@example.com"]["applied"] is True
    assert lines["ana@example.com"]["sessions"] == sessions_of(runner).count() > 0
    assert lines[without_race.email]["applied"] is False
    assert "give an end date" in lines[without_race.email]["error"]
    assert not ScheduledSession.objects.filter(athlete=without_race.athlete_profile).exists()

    # Run again (a worker that died after finishing): nothing is applied twice.
    from programs.seasons.tasks import season_plan_group

    GroupSeasonPlan.objects.filter(pk=job.pk).update(status=SeasonJobStatus.RUNNING)
    season_plan_group.enqueue(job_id=str(job.pk))
    assert Assignment.objects.filter(athlete=runner).count() == 1


def test_only_the_groups_coach_may_plan_it(coach, other_coach, db):
    group = AthleteGroup.objects.create(coach=coach, name="Squad")

    with pytest.raises(ValidationError):
        season_plan_group_queue(group=group, coach=other_coach, start=TODAY)


def test_a_40_week_season_plans_in_under_2_seconds_through_the_service(athlete, library):
    """2 A marathons, 3 B races and 6 runs a week: loading, planning and the engine."""
    profile = athlete.athlete_profile
    races = {
        week_of(TODAY, 7, 5): ("B", 21.1),
        week_of(TODAY, 12, 5): ("B", 10),
        week_of(TODAY, 16, 6): ("A", 42.195),
        week_of(TODAY, 29, 5): ("B", 21.1),
        week_of(TODAY, 39, 6): ("A", 42.195),
    }
    add_runs(profile, first=TODAY - 4 * 7 * DAY, weeks=44, races=races)
    for slug, kg in (("romanian-deadlift", 100), ("hip-thrust", 120), ("split-squat", 60)):
        OneRepMax.objects.create(athlete=profile, exercise=Exercise.objects.get(slug=slug), kg=kg)

    started = time.perf_counter()
    request = season_request_for(athlete=profile, start=TODAY, sessions_per_week=3)
    plan = plan_season(request)
    seconds = time.perf_counter() - started

    print(f"\n40-week season through the service: {seconds * 1000:.0f} ms")  # noqa: T201
    assert len(plan.weeks) == 40
    assert sum(1 for w in plan.weeks if w.phase == "taper") >= 4
    assert seconds < 2
