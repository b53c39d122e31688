import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from programs.blocks import editing
from programs.models import (
    Assignment,
    OneRepMax,
    Prescription,
    ScheduledPrescription,
    ScheduledSession,
    Session,
    SessionStatus,
)
from programs.schedule import services
from programs.schedule.services import parse_weekdays, plan_dates
from tests.factories import AthleteFactory, ExerciseFactory, link, make_block

MONDAY = datetime.date(2026, 12, 7)
ANA = "ana@example.com"


@pytest.fixture
def squat(db):
    return ExerciseFactory(name="Back squat", load_class="heavy_lower")


@pytest.fixture
def block(coach, squat):
    return make_block(coach, [squat], name="Winter base", weeks=4, sessions=2)


def dates(athlete_user) -> list[datetime.date]:
    return list(
        ScheduledSession.objects.filter(athlete__user=athlete_user).values_list("date", flat=True)
    )


class TestPlanDates:
    def test_monday_start_puts_sessions_on_the_days_in_order(self, block):
        dated = plan_dates(block=block, start=MONDAY, weekdays=[1, 4])
        assert [(d.week_number, d.date) for d in dated][:4] == [
            (1, MONDAY),
            (1, MONDAY + datetime.timedelta(days=3)),
            (2, MONDAY + datetime.timedelta(days=7)),
            (2, MONDAY + datetime.timedelta(days=10)),
        ]
        assert [d.session.title for d in dated[:2]] == ["Session A", "Session B"]
        assert len(dated) == 8

    def test_a_thursday_start_keeps_session_order_and_nothing_before_the_start(self, block):
        thursday = MONDAY + datetime.timedelta(days=3)
        dated = plan_dates(block=block, start=thursday, weekdays=[1, 4])
        assert [(d.session.title, d.date) for d in dated[:2]] == [
            ("Session A", thursday),
            ("Session B", MONDAY + datetime.timedelta(days=7)),
        ]
        assert min(d.date for d in dated) == thursday

    def test_a_week_with_more_sessions_than_days_is_refused(self, coach, squat):
        block = make_block(coach, [squat], weeks=2, sessions=3)
        with pytest.raises(ValidationError) as caught:
            plan_dates(block=block, start=MONDAY, weekdays=[1, 4])
        assert caught.value.code == "too_few_days"
        assert "Week 1 has 3 sessions" in caught.value.messages[0]

    def test_an_empty_block_is_refused(self, coach, squat):
        block = make_block(coach, [squat], weeks=2, sessions=0)
        with pytest.raises(ValidationError) as caught:
            plan_dates(block=block, start=MONDAY, weekdays=[1])
        assert caught.value.code == "empty_block"

    def test_sessions_with_day_slots_take_the_chosen_days_in_weekday_order(self, coach, squat):
        block = make_block(coach, [squat], weeks=1, sessions=2, days=[5, 1])
        dated = plan_dates(block=block, start=MONDAY, weekdays=[2, 4])
        # The Monday session comes first whatever order it was added in.
        assert [(d.session.day, d.date.isoweekday()) for d in dated] == [(1, 2), (5, 4)]


@pytest.mark.parametrize(
    ("text", "days"),
    [("mon,thu", [1, 4]), ("Thu, Mon", [1, 4]), ("1,3,5", [1, 3, 5]), ("monday,sunday", [1, 7])],
)
def test_parse_weekdays(text, days):
    assert parse_weekdays(text) == days


@pytest.mark.parametrize(("text", "code"), [("mon,funday", "bad_weekday"), ("", "no_weekdays")])
def test_parse_weekdays_refuses(text, code):
    with pytest.raises(ValidationError) as caught:
        parse_weekdays(text)
    assert caught.value.code == code


class TestAssignmentCreate:
    def test_each_athlete_gets_dated_copies(self, coach, athlete, block, squat):
        second = AthleteFactory()
        link(coach, second)
        assignments = services.assignment_create(
            block=block,
            athletes=[athlete.athlete_profile, second.athlete_profile],
            start=MONDAY,
            weekdays=[1, 4],
            assigned_by=coach,
        )
        assert len(assignments) == 2
        assert Assignment.objects.filter(block=block, weekdays="14").count() == 2
        assert len(dates(athlete)) == 8
        assert dates(second) == dates(athlete)
        copies = ScheduledPrescription.objects.filter(session__athlete__user=athlete)
        assert copies.count() == 8
        assert {(c.exercise_id, c.sets, c.reps_min) for c in copies} == {(squat.pk, 3, 10)}

    def test_editing_the_block_later_does_not_rewrite_the_athletes_copy(
        self, coach, athlete, block
    ):
        services.assignment_create(
            block=block,
            athletes=[athlete.athlete_profile],
            start=MONDAY,
            weekdays=[1, 4],
            assigned_by=coach,
        )
        Prescription.objects.filter(session__week__block=block).update(sets=5)
        block.name = "Renamed"
        block.save()
        copies = ScheduledPrescription.objects.filter(session__athlete__user=athlete)
        assert set(copies.values_list("sets", flat=True)) == {3}
        assert Assignment.objects.get().block_name == "Winter base"

    def test_deleting_the_block_keeps_the_athletes_sessions(self, coach, athlete, block):
        services.assignment_create(
            block=block,
            athletes=[athlete.athlete_profile],
            start=MONDAY,
            weekdays=[1, 4],
            assigned_by=coach,
        )
        block.delete()
        assert ScheduledSession.objects.filter(athlete__user=athlete).count() == 8
        assert Assignment.objects.get().block is None

    def test_a_failure_half_way_leaves_nothing(self, coach, athlete, block):
        with (
            # The last write: sessions are in, their exercises fail to copy.
            mock.patch(
                "programs.schedule.services._copy_prescriptions",
                side_effect=RuntimeError("disk full"),
            ),
            pytest.raises(RuntimeError),
        ):
            services.assignment_create(
                block=block,
                athletes=[athlete.athlete_profile],
                start=MONDAY,
                weekdays=[1, 4],
                assigned_by=coach,
            )
        assert not Assignment.objects.exists()
        assert not ScheduledSession.objects.exists()

    def test_queries_do_not_grow_with_athletes(self, coach, block, django_assert_max_num_queries):
        athletes = []
        for _ in range(12):
            user = AthleteFactory()
            link(coach, user)
            athletes.append(user.athlete_profile)
        # The writes, then every athlete's conflict flags in one batch.
        with django_assert_max_num_queries(8 + 12):
            services.assignment_create(
                block=block, athletes=athletes, start=MONDAY, weekdays=[1, 4], assigned_by=coach
            )
        assert ScheduledSession.objects.count() == 12 * 8


class TestPush:
    @pytest.fixture
    def assignment(self, coach, athlete, block):
        (assignment,) = services.assignment_create(
            block=block,
            athletes=[athlete.athlete_profile],
            start=MONDAY,
            weekdays=[1, 4],
            assigned_by=coach,
        )
        return assignment

    def test_future_planned_sessions_take_the_edit_and_history_stays(
        self, assignment, block, squat
    ):
        today = MONDAY + datetime.timedelta(days=7)  # week 2 starts
        sessions = list(assignment.sessions.order_by("date"))
        done, past_planned = sessions[0], sessions[1]
        ScheduledSession.objects.filter(pk=done.pk).update(status=SessionStatus.DONE)
        skipped = sessions[3]
        services.scheduled_session_skip(session=skipped, reason="Travelling")
        moved = sessions[4]
        services.scheduled_session_move(session=moved, date=moved.date + datetime.timedelta(days=1))
        Prescription.objects.filter(session__week__block=block).update(sets=4)

        report = services.assignment_push(assignment=assignment, today=today)

        sets = dict(
            ScheduledPrescription.objects.filter(session__assignment=assignment).values_list(
                "session_id", "sets"
            )
        )
        assert sets[done.pk] == 3
        assert sets[past_planned.pk] == 3
        assert sets[skipped.pk] == 3
        assert sets[moved.pk] == 4
        assert sets[sessions[2].pk] == 4
        moved.refresh_from_db()
        assert moved.date == moved.planned_date + datetime.timedelta(days=1)
        assert (report.updated, report.added, report.removed, report.kept) == (5, 0, 0, 3)

    def test_sessions_added_and_removed_in_the_block_follow(self, assignment, block, squat):
        week3 = block.weeks.get(number=3)
        week3.sessions.get(title="Session B").delete()
        week4 = block.weeks.get(number=4)
        extra = editing.session_add(week=week4, day=None, title="Session C")
        editing.prescription_add(session=extra, exercise=squat, user=block.owner)
        # Three days are needed now: the push reports it rather than guessing a day.
        with pytest.raises(ValidationError) as caught:
            services.assignment_push(assignment=assignment, today=MONDAY)
        assert caught.value.code == "too_few_days"
        Assignment.objects.filter(pk=assignment.pk).update(weekdays="146")
        assignment.refresh_from_db()
        report = services.assignment_push(assignment=assignment, today=MONDAY)
        assert (report.added, report.removed) == (1, 1)
        titles = list(
            assignment.sessions.filter(week_number=4)
            .order_by("date")
            .values_list("title", flat=True)
        )
        assert titles == ["Session A", "Session B", "Session C"]

    def test_a_deleted_block_has_nothing_to_push(self, assignment, block):
        block.delete()
        assignment.refresh_from_db()
        with pytest.raises(ValidationError) as caught:
            services.assignment_push(assignment=assignment, today=MONDAY)
        assert caught.value.code == "no_block"


class TestSessionChanges:
    @pytest.fixture
    def session(self, coach, athlete, block):
        services.assignment_create(
            block=block,
            athletes=[athlete.athlete_profile],
            start=MONDAY,
            weekdays=[1, 4],
            assigned_by=coach,
        )
        return ScheduledSession.objects.order_by("date").first()

    def test_skip_needs_a_planned_session_and_keeps_the_reason(self, session):
        services.scheduled_session_skip(session=session, reason="  Sore calves ")
        session.refresh_from_db()
        assert (session.status, session.skip_reason) == ("skipped", "Sore calves")
        with pytest.raises(ValidationError):
            services.scheduled_session_move(session=session, date=MONDAY)
        services.scheduled_session_unskip(session=session)
        session.refresh_from_db()
        assert (session.status, session.skip_reason) == ("planned", "")

    def test_a_done_session_cannot_be_skipped(self, session):
        ScheduledSession.objects.filter(pk=session.pk).update(status=SessionStatus.DONE)
        session.refresh_from_db()
        with pytest.raises(ValidationError) as caught:
            services.scheduled_session_skip(session=session, reason="late")
        assert caught.value.code == "already_done"


class TestCommand:
    def test_assigns_by_name(self, block, athlete, capsys):
        call_command(
            "assign_block",
            "Winter base",
            athlete.email,
            "--start",
            "2026-12-07",
            "--days",
            "mon,thu",
        )
        assert "8 sessions from Mon 07 Dec 2026 to Thu 31 Dec 2026" in capsys.readouterr().out
        assert len(dates(athlete)) == 8

    def test_assigns_by_id(self, block, athlete):
        call_command(
            "assign_block", str(block.pk), athlete.email, "--start", "2026-12-07", "--days", "2,5"
        )
        assert {d.isoweekday() for d in dates(athlete)} == {2, 5}

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["Nope", "ana@example.com", "--start", "2026-12-07", "--days", "mon"], "No block"),
            (
                ["Winter base", "x@example.com", "--start", "2026-12-07", "--days", "mon"],
                "not an athlete",
            ),
            (
                ["Winter base", "ana@example.com", "--start", "07/12/2026", "--days", "mon,thu"],
                "not a date",
            ),
            (
                ["Winter base", "ana@example.com", "--start", "2026-12-07", "--days", "mon"],
                "pick at least 2",
            ),
            (
                ["Winter base", "ana@example.com", "--start", "2026-12-07", "--days", "mo,xx"],
                "not a weekday",
            ),
        ],
    )
    def test_refuses_with_a_reason(self, block, athlete, args, message):
        with pytest.raises(CommandError, match=message):
            call_command("assign_block", *args)
        assert not Assignment.objects.exists()

    def test_time_plans_every_session_at_it(self, block, athlete, capsys):
        Session.objects.filter(week__block=block).update(start_time=datetime.time(7, 0))
        call_command(
            "assign_block",
            str(block.pk),
            ANA,
            "--start",
            "2026-12-07",
            "--days",
            "mon,thu",
            "--time",
            "18:30",
        )
        assert "to Thu 31 Dec 2026 at 18:30." in capsys.readouterr().out
        times = ScheduledSession.objects.filter(athlete__user=athlete).values_list(
            "start_time", flat=True
        )
        assert set(times) == {datetime.time(18, 30)}

    def test_without_a_time_sessions_take_the_blocks(self, block, athlete):
        Session.objects.filter(week__block=block, title="Session B").update(
            start_time=datetime.time(7, 15)
        )
        call_command(
            "assign_block", str(block.pk), ANA, "--start", "2026-12-07", "--days", "mon,thu"
        )
        times = ScheduledSession.objects.filter(athlete__user=athlete).values_list(
            "title", "start_time"
        )
        assert set(times) == {("Session A", None), ("Session B", datetime.time(7, 15))}

    @pytest.mark.parametrize("text", ["6pm", "18.30", "7:30", "24:00", "18:30:00", ""])
    def test_a_bad_time_is_refused(self, block, athlete, text):
        with pytest.raises(CommandError, match=r"--time: .* is not a time like 18:30"):
            call_command(
                "assign_block",
                str(block.pk),
                ANA,
                "--start",
                "2026-12-07",
                "--days",
                "mon,thu",
                "--time",
                text,
            )
        assert not Assignment.objects.exists()


class TestOneRepMax:
    def test_set_replaces_the_previous_value(self, athlete, squat):
        profile = athlete.athlete_profile
        services.one_rep_max_set(athlete=profile, exercise=squat, kg=Decimal(100))
        services.one_rep_max_set(athlete=profile, exercise=squat, kg=Decimal(105))
        assert OneRepMax.objects.get().kg == Decimal(105)

    def test_out_of_range_is_refused(self, athlete, squat):
        with pytest.raises(ValidationError):
            services.one_rep_max_set(
                athlete=athlete.athlete_profile, exercise=squat, kg=Decimal(600)
            )
