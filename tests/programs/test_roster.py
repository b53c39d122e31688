import datetime
import io
import uuid
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from athletes.models import AthleteGroup, AthleteProfile, CoachingLink, Invitation, User
from config import pagecache
from programs.caching import squad_changed
from programs.coaching.roster import loading, roster_entries, roster_rows
from programs.coaching.roster.rows import (
    Attention,
    FlagCounts,
    LastLog,
    Pain,
    RosterRow,
    UpcomingRun,
    WeekFigures,
    needs_attention,
    percent,
)
from programs.logbook.progress import weekly_summary
from programs.models import (
    KEY_RUN_TYPES,
    Flag,
    PainNote,
    Run,
    ScheduledPrescription,
    ScheduledSession,
    SessionStatus,
    SetLog,
)
from programs.schedule import services
from programs.units import local_today
from tests.caches import clear_caches
from tests.factories import AthleteFactory, ExerciseFactory, link, make_block

TODAY = datetime.date(2026, 12, 9)  # a Wednesday
MONDAY = datetime.date(2026, 12, 7)
START = MONDAY - datetime.timedelta(weeks=4)
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "roster"}
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 9, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def squat(db):
    return ExerciseFactory(name="Back squat", load_class="heavy_lower")


@pytest.fixture
def calf_raise(db):
    return ExerciseFactory(name="Calf raise", load_class="light_lower")


def assign(coach, user, exercises, *, start=START, weeks=6, dose=None, phases=None, days=(1, 4)):
    """The block on ``days`` from ``start``; its sessions by date. Flags are left to each
    test: the conflict engine is not run."""
    block = make_block(
        coach,
        exercises,
        name=f"Block for {user.name}",
        weeks=weeks,
        sessions=len(days),
        dose=dose,
        phases=phases,
    )
    with mock.patch("programs.schedule.services.conflicts_sync"):
        services.assignment_create(
            block=block,
            athletes=[user.athlete_profile],
            start=start,
            weekdays=list(days),
            assigned_by=coach,
        )
    return {s.date: s for s in ScheduledSession.objects.filter(athlete__user=user)}


def log(session, sets, *, on=None):
    """``sets`` sets of the session's prescriptions in order, done on ``on``; the session is
    then done on that day, as logging on the phone leaves it."""
    on = on or session.date
    prescriptions = [rx for rx in session.prescriptions.order_by("order") for _ in range(rx.sets)]
    SetLog.objects.bulk_create(
        SetLog(
            id=uuid.uuid4(),
            athlete=session.athlete,
            session=session,
            prescription=rx,
            exercise=rx.exercise,
            set_number=number,
            reps=5,
            performed_on=on,
            logged_at=timezone.now(),
        )
        for number, rx in enumerate(prescriptions[:sets], start=1)
    )
    session.status, session.date = SessionStatus.DONE, on
    session.save()


def flag(athlete_user, severity, *, on=TODAY, acknowledged=False):
    return Flag.objects.create(
        athlete=athlete_user.athlete_profile,
        code="HEAVY_BEFORE_LONG_RUN",
        severity=severity,
        date=on,
        message="Heavy legs the day before the long run",
        fingerprint=uuid.uuid4().hex[:40],
        acknowledged_at=timezone.now() if acknowledged else None,
    )


def run(athlete_user, on, run_type, **fields):
    return Run.objects.create(
        athlete=athlete_user.athlete_profile, date=on, run_type=run_type, **fields
    )


def row_for(coach, user):
    return next(r for r in roster_rows(coach) if r.athlete.user_id == user.pk)


def reasons(row):
    return {reason.code for reason in row.reasons}


@pytest.fixture
def season(coach, athlete, squat, calf_raise):
    """Ana's 6-week block (two sessions a week of squats 3×5 and calf raises 3×5: 12 sets a
    week), in its fifth week, logged unevenly."""
    sessions = assign(coach, athlete, [squat, calf_raise], phases={5: "strength"})
    weeks = [START + datetime.timedelta(weeks=n) for n in range(5)]
    mon, thu = (lambda w: sessions[w]), (lambda w: sessions[w + 3 * DAY])
    log(mon(weeks[0]), 6)
    log(thu(weeks[0]), 6)  # 12 of 12
    log(mon(weeks[1]), 6)
    log(thu(weeks[1]), 3)  # 9 of 12
    services.scheduled_session_skip(session=mon(weeks[2]), reason="Sick")
    log(thu(weeks[2]), 6)  # 6 of 12
    log(thu(weeks[3]), 2)  # 2 of 12, Monday not logged
    log(mon(weeks[4]), 4)  # this week: 4 of the 6 due, 12 planned
    return sessions


class TestFigures:
    def test_this_weeks_compliance_sets_and_sessions(self, coach, athlete, season):
        week = row_for(coach, athlete).week

        assert week.start == MONDAY
        assert (week.done_sets, week.planned_sets) == (4, 12)
        assert (week.done_sessions, week.planned_sessions) == (1, 2)
        # Thursday's session is not due yet: 4 of Monday's 6 sets.
        assert (week.due_sets, week.compliance_so_far) == (6, 67)

    def test_the_trend_is_the_four_weeks_before(self, coach, athlete, season):
        row = row_for(coach, athlete)

        assert [w.start for w in row.trend] == [
            START + datetime.timedelta(weeks=n) for n in range(4)
        ]
        assert [w.compliance for w in row.trend] == [100, 75, 50, 17]
        # 29 of 48 sets: the weeks together, not the mean of the four percentages.
        assert row.previous_compliance == 60

    def test_compliance_is_the_progress_pages(self, coach, athlete, season):
        row = row_for(coach, athlete)
        weeks = weekly_summary(athlete.athlete_profile, weeks=5, today=TODAY)

        assert [(w.done_sets, w.planned_sets) for w in weeks] == [
            (w.done_sets, w.planned_sets) for w in [*row.trend, row.week]
        ]

    def test_open_flags_by_severity(self, coach, athlete, other_athlete, season):
        flag(athlete, "critical")
        flag(athlete, "critical", on=TODAY + 20 * DAY)
        flag(athlete, "warning")
        flag(athlete, "info", acknowledged=True)
        # Not recomputed for a fortnight: history, as in the flag inbox.
        flag(athlete, "critical", on=TODAY - 14 * DAY)
        flag(other_athlete, "critical")

        assert row_for(coach, athlete).flags == FlagCounts(critical=2, warning=1, info=0)

    def test_last_logged_session(self, coach, athlete, season):
        assert row_for(coach, athlete).last_log == LastLog(MONDAY, "Session A")

    def test_next_key_run_or_race(self, coach, athlete, season):
        run(athlete, TODAY, "tempo", status="done", distance_m=10000)
        run(athlete, TODAY + DAY, "easy", distance_m=8000)
        run(athlete, TODAY + 2 * DAY, "tempo", status="skipped", distance_m=10000)
        run(athlete, TODAY + 3 * DAY, "long", distance_m=24000, title="Long run, hilly")
        run(athlete, TODAY + 4 * DAY, "race", distance_m=21097, race_priority="B")

        assert row_for(coach, athlete).next_key_run == UpcomingRun(
            TODAY + 3 * DAY, "long", "Long run, hilly", "24 km"
        )

    def test_a_race_can_be_the_next_key_run_in_the_coachs_unit(self, coach, athlete, season):
        coach.distance_unit = "mi"
        coach.save()
        run(athlete, TODAY + 4 * DAY, "race", distance_m=21097, race_priority="A")

        upcoming = row_for(coach, athlete).next_key_run
        assert (upcoming.is_race, upcoming.distance) == (True, "13.11 mi")

    def test_current_block_week_and_phase(self, coach, athlete, season):
        block = row_for(coach, athlete).block

        assert (block.name, block.week, block.weeks, block.phase_label) == (
            "Block for Ana Athlete",
            5,
            6,
            "Strength",
        )

    def test_pain_notes_of_the_last_seven_days(self, coach, athlete, season):
        PainNote.objects.create(athlete=athlete.athlete_profile, date=MONDAY, area="calf", score=3)
        PainNote.objects.create(
            athlete=athlete.athlete_profile, date=TODAY - 7 * DAY, area="knee", score=6
        )

        pains = row_for(coach, athlete).pains
        assert [(p.area_label, p.score, p.date) for p in pains] == [("Calf", 3, MONDAY)]

    def test_an_athlete_with_nothing_yet(self, coach, athlete):
        row = row_for(coach, athlete)

        assert (row.week.planned_sets, row.week.compliance_so_far) == (0, None)
        assert [w.compliance for w in row.trend] == [None] * 4
        assert (row.last_log, row.next_key_run, row.block, row.reasons) == (None, None, None, [])

    def test_last_weeks_running_done_against_planned(self, coach, athlete, other_athlete):
        last_monday, last_sunday = MONDAY - 7 * DAY, MONDAY - DAY
        run(
            athlete, last_monday, "easy", distance_m=10_000, status="done", actual_distance_m=10_200
        )
        run(athlete, last_monday, "tempo", distance_m=8000, status="done")  # as planned
        run(athlete, last_sunday, "long", distance_m=12_000, status="skipped")
        run(athlete, last_sunday, "easy", distance_m=6000)  # never marked
        run(athlete, last_sunday, "easy", status="done", source="activity", actual_distance_m=5000)
        run(athlete, last_sunday, "cross_training", distance_m=30_000, status="done")
        run(athlete, MONDAY, "easy", distance_m=7000, status="done")  # this week
        run(athlete, last_monday - DAY, "easy", distance_m=9000, status="done")
        run(other_athlete, last_monday, "long", distance_m=40_000, status="done")

        running = row_for(coach, athlete).last_week_running

        assert (running.done_m, running.planned_m) == (10_200 + 8000 + 5000, 36_000)
        assert (running.done, running.planned) == ("23.2 km", "36 km")

    def test_last_weeks_running_in_the_coachs_unit_and_none_without_runs(self, coach, athlete):
        coach.distance_unit = "mi"
        coach.save()
        quiet = AthleteFactory(name="Quinn Quiet")
        link(coach, quiet)
        run(athlete, MONDAY - DAY, "long", distance_m=32_187, status="done")

        assert row_for(coach, athlete).last_week_running.done == "20 mi"
        assert row_for(coach, quiet).last_week_running is None

    def test_last_weeks_running_is_the_athletes_own_last_week(self, coach, athlete):
        # Sunday 13 Dec at 20:00 in London is Monday 14 Dec in Auckland: for Ana there,
        # last week is 7 to 13 December.
        athlete.time_zone = "Pacific/Auckland"
        athlete.save()
        run(athlete, MONDAY - DAY, "easy", distance_m=5000, status="done")
        run(athlete, MONDAY + 6 * DAY, "easy", distance_m=8000, status="done")

        with time_machine.travel(datetime.datetime(2026, 12, 13, 20, tzinfo=datetime.UTC)):
            running = row_for(coach, athlete).last_week_running

        assert (running.done_m, running.planned_m) == (8000, 8000)

    def test_each_athletes_own_today(self, coach, athlete, season):
        # Noon in London is already Thursday in Auckland.
        athlete.time_zone = "Pacific/Auckland"
        athlete.save()

        row = row_for(coach, athlete)
        assert row.today == TODAY + DAY
        assert row.week.due_sets == 6


def make_row(**fields):
    user = User(name="Ana Athlete", email="ana@example.com")
    fields.setdefault("week", WeekFigures(MONDAY))
    return RosterRow(athlete=AthleteProfile(pk=7, user=user), today=TODAY, **fields)


def codes(**fields):
    return [reason.code for reason in needs_attention(make_row(**fields))]


def weeks(*pairs):
    return [
        WeekFigures(START + datetime.timedelta(weeks=n), done_sets=done, planned_sets=planned)
        for n, (done, planned) in enumerate(pairs)
    ]


def this_week(done, due):
    return WeekFigures(MONDAY, done_sets=done, planned_sets=12, due_sets=due)


class TestNeedsAttention:
    """The rules at their boundaries, on rows built by hand."""

    def test_a_quiet_athlete_needs_nothing(self):
        assert codes() == []

    def test_an_open_critical_flag(self):
        assert codes(flags=FlagCounts(critical=1)) == [Attention.CRITICAL_FLAG]
        assert codes(flags=FlagCounts(warning=4, info=2)) == []

    def test_compliance_under_half_of_what_is_due(self):
        assert codes(week=this_week(4, 10)) == [Attention.LOW_COMPLIANCE]
        assert codes(week=this_week(5, 10)) == []
        # Shown as 50%, judged as shown.
        assert percent(99, 200) == 50
        assert codes(week=this_week(99, 200)) == []

    def test_nothing_due_yet_is_not_judged(self):
        assert codes(week=this_week(0, 0), trend=weeks(*[(10, 10)] * 4)) == []

    def test_compliance_down_twenty_points_on_the_four_weeks_before(self):
        trend = weeks(*[(10, 10)] * 4)
        assert codes(week=this_week(8, 10), trend=trend) == [Attention.COMPLIANCE_DROP]
        assert codes(week=this_week(9, 10), trend=trend) == []
        assert codes(week=this_week(8, 10), trend=weeks(*[(0, 0)] * 4)) == []

    def test_a_pain_note_in_the_last_seven_days(self):
        def pain(days_ago):
            return [Pain(TODAY - days_ago * DAY, "calf", 2, "")]

        assert codes(pains=pain(0)) == [Attention.PAIN]
        assert codes(pains=pain(6)) == [Attention.PAIN]
        assert codes(pains=pain(7)) == []

    def test_the_worst_pain_is_named(self):
        row = make_row(
            pains=[
                Pain(TODAY, "calf", 2, ""),
                Pain(TODAY - 2 * DAY, "knee", 5, ""),
            ]
        )
        assert needs_attention(row)[0].text == "Pain: Knee 5/10 on Mon 7 Dec (and 1 more)"

    def test_ten_days_without_a_log_while_sessions_were_planned(self):
        planned = [TODAY - 5 * DAY]

        def last(days_ago):
            return LastLog(TODAY - days_ago * DAY, "Session A")

        assert codes(last_log=last(10), past_sessions=planned) == [Attention.NO_LOGS]
        assert codes(last_log=last(9), past_sessions=planned) == []
        assert codes(last_log=None, past_sessions=planned) == [Attention.NO_LOGS]
        # Nothing was planned in those days: a break, not a lapse.
        assert codes(last_log=last(30), past_sessions=[TODAY - 12 * DAY]) == []
        assert codes(last_log=None, past_sessions=[]) == []

    def test_no_log_says_for_how_long(self):
        row = make_row(last_log=LastLog(TODAY - 12 * DAY, "A"), past_sessions=[TODAY - 8 * DAY])
        assert needs_attention(row)[0].text == (
            "Nothing logged for 12 days, with 1 session planned in the last 10 days"
        )

    def test_a_race_within_fourteen_days_with_hard_work_still_planned(self):
        def race(days):
            return [UpcomingRun(TODAY + days * DAY, "race", "Half marathon", "21.1 km", "A")]

        hard = [TODAY + 3 * DAY]
        assert codes(races=race(14), hard_sessions=hard) == [Attention.HEAVY_BEFORE_RACE]
        assert codes(races=race(15), hard_sessions=hard) == []
        assert codes(races=race(14), hard_sessions=[]) == []
        assert codes(races=race(2), hard_sessions=hard) == []
        assert codes(races=race(5), hard_sessions=[TODAY]) == [Attention.HEAVY_BEFORE_RACE]

    def test_each_reason_says_why_and_links_to_act(self):
        row = make_row(flags=FlagCounts(critical=2), week=this_week(1, 6))

        critical, low = needs_attention(row)
        assert (critical.text, critical.url) == ("2 critical conflicts open", "/coach/athletes/7/")
        assert (low.text, low.url) == (
            "17% of this week's sets done so far (1 of 6 due)",
            reverse("logs:athlete", args=[7]),
        )


class TestNeedsAttentionFromTheLogs:
    """Each rule from stored data, end to end."""

    def test_a_critical_flag(self, coach, athlete, season):
        flag(athlete, "critical")
        assert Attention.CRITICAL_FLAG in reasons(row_for(coach, athlete))

    def test_low_compliance_this_week(self, coach, athlete, squat, calf_raise):
        sessions = assign(coach, athlete, [squat, calf_raise], start=MONDAY)
        log(sessions[MONDAY], 2)

        assert reasons(row_for(coach, athlete)) == {Attention.LOW_COMPLIANCE}

    def test_compliance_dropping(self, coach, athlete, squat, calf_raise):
        sessions = assign(coach, athlete, [squat, calf_raise])
        for date, session in sessions.items():
            if date < MONDAY:
                log(session, 6)
        log(sessions[MONDAY], 4)

        row = row_for(coach, athlete)
        assert (row.previous_compliance, row.week.compliance_so_far) == (100, 67)
        assert reasons(row) == {Attention.COMPLIANCE_DROP}

    def test_pain(self, coach, athlete, season):
        PainNote.objects.create(athlete=athlete.athlete_profile, date=MONDAY, area="calf", score=3)
        assert reasons(row_for(coach, athlete)) == {Attention.PAIN}

    def test_no_logs(self, coach, athlete, squat):
        sessions = assign(coach, athlete, [squat])
        log(sessions[MONDAY - 11 * DAY], 3)

        row = row_for(coach, athlete)
        assert row.days_since_log == 13
        assert Attention.NO_LOGS in reasons(row)

    @pytest.mark.parametrize(
        ("dose", "priority", "marked"),
        [
            ({"reps_min": 5, "load_type": "pct_1rm", "load_value": 80}, "A", True),
            ({"reps_min": 5, "load_type": "pct_1rm", "load_value": 80}, "C", False),
            ({"reps_min": 12, "load_type": "pct_1rm", "load_value": 60}, "A", False),
        ],
    )
    def test_heavy_work_before_a_race(self, coach, athlete, squat, dose, priority, marked):
        assign(coach, athlete, [squat], start=MONDAY, dose=dose)
        run(athlete, MONDAY + 12 * DAY, "race", race_priority=priority, title="Half marathon")

        row = row_for(coach, athlete)
        assert (Attention.HEAVY_BEFORE_RACE in reasons(row)) is marked
        if marked:
            # Thursday, Monday: both still planned before the race on Saturday week.
            assert row.hard_sessions == [MONDAY + 3 * DAY, MONDAY + 7 * DAY, MONDAY + 10 * DAY]

    def test_heavy_by_the_athletes_one_rep_max(self, coach, athlete, squat):
        # 5 reps at 100 kg is heavy only because it is 5 reps with external load.
        assign(
            coach,
            athlete,
            [squat],
            start=MONDAY,
            dose={"reps_min": 5, "load_type": "kg", "load_value": 100},
        )
        run(athlete, MONDAY + 12 * DAY, "race", race_priority="A")

        assert Attention.HEAVY_BEFORE_RACE in reasons(row_for(coach, athlete))


@pytest.fixture
def squad(coach, other_coach, athlete, other_athlete):
    """Ana and Ben in the marathon group; Ben marked by a pain note, Ana by a flag and a
    pain note; Cy clear."""
    ben, cy = (
        AthleteFactory(name="Ben Bell", email="ben@example.com"),
        AthleteFactory(name="Cy Clear", email="cy@example.com"),
    )
    link(coach, ben)
    link(coach, cy)
    flag(athlete, "critical")
    for user in (athlete, ben):
        PainNote.objects.create(athlete=user.athlete_profile, date=MONDAY, area="calf", score=2)
    group = AthleteGroup.objects.create(coach=coach, name="Marathon")
    group.athletes.add(athlete.athlete_profile, ben.athlete_profile)
    theirs = AthleteGroup.objects.create(coach=other_coach, name="Theirs")
    theirs.athletes.add(other_athlete.athlete_profile)
    return {"group": group, "theirs": theirs}


def names(response):
    return [row.name for row in response.context["rows"]]


class TestRosterPage:
    def test_shows_every_athlete_with_the_reasons_and_links(self, coach_client, athlete, squad):
        response = coach_client.get("/coach/")

        assert response.status_code == 200
        assert names(response) == ["Ana Athlete", "Ben Bell", "Cy Clear"]
        html = response.content.decode()
        assert "Oscar Other" not in html
        assert "1 critical conflict open" in html
        assert "Pain: Calf 2/10 on Mon 7 Dec" in html
        assert f'href="/coach/athletes/{athlete.athlete_profile.pk}/">Review conflicts' in html
        assert "2 need attention" in html

    def test_shows_last_weeks_running(self, coach_client, athlete, squad):
        run(
            athlete,
            MONDAY - 2 * DAY,
            "long",
            distance_m=20_000,
            status="done",
            actual_distance_m=21_100,
        )
        run(athlete, MONDAY - 4 * DAY, "easy", distance_m=8000, status="skipped")

        html = coach_client.get("/coach/").content.decode()

        assert '<th scope="col">Running last week</th>' in html
        cell = (
            '<span class="fw-semibold text-nowrap">21.1 km</span>\n'
            '                  <div class="small text-body-secondary text-nowrap">'
            "of 28 km planned</div>"
        )
        assert cell in html
        # Ben and Cy ran nothing.
        assert html.count('—<span class="visually-hidden">no runs</span>') == 2

    def test_links_to_invitations_groups_and_the_flag_inbox(self, coach_client, coach):
        for email in ("a@example.com", "b@example.com"):
            Invitation.objects.create(
                coach=coach,
                email=email,
                token_hash=uuid.uuid4().hex * 2,
                expires_at=timezone.now() + datetime.timedelta(days=14),
            )

        html = coach_client.get("/coach/").content.decode()
        assert f'href="{reverse("invitations")}"' in html
        assert "2 pending" in html
        assert f'href="{reverse("groups")}"' in html
        assert f'href="{reverse("flags:inbox")}"' in html

    def test_filter_by_group(self, coach_client, squad):
        response = coach_client.get("/coach/", {"group": squad["group"].pk})
        assert names(response) == ["Ana Athlete", "Ben Bell"]
        assert "2 shown of 3 athletes" in response.content.decode()

    def test_another_coachs_group_filters_nothing_and_shows_nobody_of_theirs(
        self, coach_client, squad
    ):
        response = coach_client.get("/coach/", {"group": squad["theirs"].pk})
        assert names(response) == ["Ana Athlete", "Ben Bell", "Cy Clear"]
        assert "Oscar Other" not in response.content.decode()

    def test_needs_attention_only(self, coach_client, squad):
        response = coach_client.get("/coach/", {"attention": "1"})
        assert names(response) == ["Ana Athlete", "Ben Bell"]

    @pytest.mark.parametrize(
        ("q", "expected"), [("ben", ["Ben Bell"]), ("CY@EX", ["Cy Clear"]), ("zz", [])]
    )
    def test_search_by_name_or_email(self, coach_client, squad, q, expected):
        response = coach_client.get("/coach/", {"q": q})
        assert names(response) == expected
        if not expected:
            assert "No athlete matches" in response.content.decode()

    def test_search_never_finds_another_coachs_athlete(self, coach_client, squad):
        assert names(coach_client.get("/coach/", {"q": "oscar"})) == []

    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            ("name", ["Ana Athlete", "Ben Bell", "Cy Clear"]),
            ("attention", ["Ana Athlete", "Ben Bell", "Cy Clear"]),
            ("flags", ["Ana Athlete", "Ben Bell", "Cy Clear"]),
            # Nothing due, nothing to rank: last.
            ("compliance", ["Ben Bell", "Ana Athlete", "Cy Clear"]),
            ("nonsense", ["Ana Athlete", "Ben Bell", "Cy Clear"]),
        ],
    )
    def test_sort(self, coach_client, coach, athlete, squat, squad, sort, expected):
        ben = User.objects.get(email="ben@example.com")
        for user, sets in ((athlete, 3), (ben, 1)):
            sessions = assign(coach, user, [squat], start=MONDAY)
            log(sessions[MONDAY], sets)
        flag(ben, "warning")

        assert names(coach_client.get("/coach/", {"sort": sort})) == expected

    def test_attention_first_puts_the_most_reasons_then_critical_flags_first(
        self, coach_client, squad
    ):
        cy = User.objects.get(email="cy@example.com")
        flag(cy, "critical")
        flag(cy, "critical")
        PainNote.objects.create(athlete=cy.athlete_profile, date=TODAY, area="knee", score=4)

        assert names(coach_client.get("/coach/")) == ["Cy Clear", "Ana Athlete", "Ben Bell"]

    def test_htmx_gets_the_table_alone(self, coach_client, squad):
        response = coach_client.get("/coach/", {"attention": "1"}, **HTMX)

        html = response.content.decode()
        assert html.lstrip().startswith('<section id="roster"')
        assert "<form" not in html
        assert "Ben Bell" in html
        assert "Cy Clear" not in html
        assert "HX-Request" in response["Vary"]

    def test_the_filters_work_without_javascript(self, coach_client, squad):
        html = coach_client.get("/coach/").content.decode()
        assert '<form id="roster-filters" method="get" action="/coach/"' in html
        assert 'hx-get="/coach/" hx-target="#roster"' in html
        assert 'hx-push-url="true"' in html

    def test_no_athletes_yet(self, coach_client):
        html = coach_client.get("/coach/").content.decode()
        assert "No athletes yet" in html


class TestAccess:
    def test_an_athlete_is_refused(self, athlete_client):
        assert athlete_client.get("/coach/").status_code == 403

    def test_anonymous_goes_to_sign_in(self, client, db):
        response = client.get("/coach/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_post_is_refused(self, coach_client):
        assert coach_client.post("/coach/").status_code == 405


def busy_athlete(coach, squat, number):
    """An athlete with every figure the roster reads: a block, logs, runs, a race, flags,
    pain and a group."""
    user = AthleteFactory(name=f"Athlete {number:03}")
    link(coach, user)
    sessions = assign(
        coach, user, [squat], dose={"reps_min": 5, "load_type": "pct_1rm", "load_value": 80}
    )
    for date, session in sessions.items():
        if date < TODAY:
            log(session, 1)
    run(user, TODAY + 2 * DAY, "tempo", distance_m=10000)
    run(user, TODAY + 10 * DAY, "race", race_priority="A", distance_m=21097)
    run(user, MONDAY - DAY, "long", distance_m=20000, status="done", actual_distance_m=21000)
    run(user, MONDAY - 3 * DAY, "easy", distance_m=8000, status="done")
    flag(user, "critical")
    flag(user, "warning")
    PainNote.objects.create(athlete=user.athlete_profile, date=MONDAY, area="knee", score=4)
    group, _created = AthleteGroup.objects.get_or_create(coach=coach, name="Squad")
    group.athletes.add(user.athlete_profile)
    return user


def test_queries_do_not_grow_with_athletes(
    coach_client, coach, squat, django_assert_max_num_queries
):
    busy_athlete(coach, squat, 0)
    clear_caches()  # as below: the session and the user read afresh too
    with django_assert_max_num_queries(23) as one:
        coach_client.get("/coach/")
    for number in range(1, 12):
        busy_athlete(coach, squat, number)
    clear_caches()  # every row read again, as the first time

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = coach_client.get("/coach/", {"sort": "compliance"})
    assert len(response.context["rows"]) == 12
    assert all(len(row.reasons) == 4 for row in response.context["rows"])
    assert all(row.last_week_running.done == "29 km" for row in response.context["rows"])


def plain_athletes(coach, first, count, group=None):
    """``count`` athletes with nothing planned yet, "Plain 000" on, by name."""
    users = [AthleteFactory(name=f"Plain {n:03}") for n in range(first, first + count)]
    for user in users:
        link(coach, user)
    if group is not None:
        group.athletes.add(*(u.athlete_profile for u in users))
    return [u.name for u in users]


class TestRosterPages:
    """25 athletes a page: a page's queries and rows do not grow with the roster."""

    def test_a_pages_queries_and_rows_are_the_same_for_30_and_120_athletes(
        self, coach_client, coach, squat, django_assert_max_num_queries
    ):
        busy_athlete(coach, squat, 0)
        busy_athlete(coach, squat, 1)
        plain_athletes(coach, 0, 28)
        clear_caches()  # as below: the session and the user read afresh too
        with django_assert_max_num_queries(27) as thirty:
            response = coach_client.get("/coach/")
        assert len(response.context["rows"]) == 25
        plain_athletes(coach, 28, 90)
        clear_caches()  # every row read again, as the first time

        with django_assert_max_num_queries(len(thirty.captured_queries)) as many:
            response = coach_client.get("/coach/")
        assert len(many.captured_queries) == len(thirty.captured_queries)
        assert len(response.context["rows"]) == 25
        # The busy ones need attention and come first, with every figure of their row.
        assert names(response)[:2] == ["Athlete 000", "Athlete 001"]
        assert response.context["rows"][0].last_week_running.done == "29 km"
        assert response.context["rows"][0].next_key_run is not None
        assert "120 athletes" in response.content.decode()

    def test_page_two_shows_the_next_athletes(self, coach_client, coach):
        everyone = plain_athletes(coach, 0, 30)

        first = coach_client.get("/coach/", {"sort": "name"})
        second = coach_client.get("/coach/", {"sort": "name", "page": "2"})

        assert names(first) == everyone[:25]
        assert names(second) == everyone[25:]
        html = second.content.decode()
        assert "Athletes 26 to 30 of 30" in html
        assert 'rel="prev" href="?sort=name&amp;page=1"' in html

    def test_the_filters_and_the_sort_stay_across_pages(self, coach_client, coach):
        group = AthleteGroup.objects.create(coach=coach, name="Track")
        members = plain_athletes(coach, 0, 27, group)
        plain_athletes(coach, 27, 10)

        html = coach_client.get("/coach/", {"group": group.pk, "sort": "name"}).content.decode()
        link_query = f"group={group.pk}&amp;sort=name&amp;page=2"
        assert f'rel="next" href="?{link_query}" hx-get="?{link_query}"' in html
        assert "27 shown of 37 athletes" in html
        response = coach_client.get("/coach/", {"group": group.pk, "sort": "name", "page": 2})
        assert names(response) == members[25:]

    def test_the_page_links_swap_the_table_alone(self, coach_client, coach):
        everyone = plain_athletes(coach, 0, 26)
        response = coach_client.get("/coach/", {"sort": "name", "page": 2}, **HTMX)
        html = response.content.decode()
        assert html.lstrip().startswith('<section id="roster"')
        assert names(response) == everyone[25:]
        assert 'hx-target="#roster"' in html

    @pytest.mark.parametrize(("page", "expected"), [("9", slice(25, 30)), ("x", slice(0, 25))])
    def test_a_page_past_the_last_shows_the_last_and_a_bad_one_the_first(
        self, coach_client, coach, page, expected
    ):
        everyone = plain_athletes(coach, 0, 30)
        response = coach_client.get("/coach/", {"sort": "name", "page": page})
        assert response.status_code == 200
        assert names(response) == everyone[expected]

    def test_a_page_builds_its_own_rows_alone_and_those_the_cache_let_go(self, coach_client, coach):
        """Every athlete's figures are read for the order and the counts; the rows are read
        (and built, if the cache let them go) for the page shown only."""
        everyone = plain_athletes(coach, 0, 30)
        coach_client.get("/coach/", {"sort": "name"})
        by_name = {entry.name: entry.row_key for entry in roster_entries(coach)}
        cache.delete_many(list(by_name.values()))  # the rows, not the figures beside them
        squad_changed([coach.pk])  # the page is built again

        response = coach_client.get("/coach/", {"sort": "name"})

        assert names(response) == everyone[:25]
        assert all(row.week is not None for row in response.context["rows"])
        assert cache.get(by_name[everyone[0]]) is not None  # built again, and kept
        assert cache.get(by_name[everyone[25]]) is None  # page 2's: not read at all
        assert "Athletes 1 to 25 of 30" in response.content.decode()

    def test_a_change_builds_that_athletes_figures_alone_and_reads_the_rest_as_one_value(
        self, coach, monkeypatch
    ):
        """The squad's figures are kept in one cached value with the key each was read
        under: a rebuild reads one value, not one per athlete (issue #17), and only the
        athlete whose version moved on is read from the database again."""
        everyone = plain_athletes(coach, 0, 30)
        roster_entries(coach)
        changed = User.objects.get(name=everyone[7])
        flag(changed, "critical")  # moves their version on (programs.caching)
        default = caches["default"]
        read = []
        for method in ("get", "get_many"):
            original = getattr(default, method)
            monkeypatch.setattr(
                default,
                method,
                lambda keys, *args, original=original, **kwargs: (
                    read.append(keys) or original(keys, *args, **kwargs)
                ),
            )

        with mock.patch.object(loading, "_rows_built", wraps=loading._rows_built) as built:
            entries = roster_entries(coach)

        assert read == [pagecache.key("roster-figures", coach.pk)]
        ((_coach, profiles, _todays), _kwargs) = built.call_args
        assert [p.user_id for p in profiles] == [changed.pk]
        by_name = {entry.name: entry for entry in entries}
        assert list(by_name) == everyone
        assert by_name[changed.name].flags == FlagCounts(critical=1)
        assert by_name[changed.name].attention == 1
        assert sum(entry.attention for entry in entries) == 1

    def test_a_former_athlete_still_in_a_group_is_not_on_the_roster(self, coach_client, coach):
        group = AthleteGroup.objects.create(coach=coach, name="Track")
        plain_athletes(coach, 0, 3, group)
        former = User.objects.get(name="Plain 001")
        CoachingLink.objects.filter(athlete=former.athlete_profile).update(ended_at=timezone.now())

        response = coach_client.get("/coach/", {"group": group.pk, "sort": "name"})

        assert names(response) == ["Plain 000", "Plain 002"]
        assert all(row.groups == ["Track"] for row in response.context["rows"])

    def test_one_page_has_no_page_links(self, coach_client, coach):
        plain_athletes(coach, 0, 25)
        html = coach_client.get("/coach/").content.decode()
        assert 'aria-label="Roster pages"' not in html


def test_the_demo_coachs_roster_tells_the_truth(client, db):
    """Every figure of the demo athletes' rows against the stored logs and plans."""
    call_command("seed_demo", stdout=io.StringIO())
    coach = User.objects.get(email="coach@example.com")
    rows = roster_rows(coach)

    assert [row.athlete.user.email for row in rows] == [
        "ana@example.com",
        "ben@example.com",
        "chloe@example.com",
    ]
    for row in rows:
        profile = row.athlete
        today = local_today(profile.user)
        assert row.today == today
        for week in [*row.trend, row.week]:
            sessions = ScheduledSession.objects.filter(
                athlete=profile, date__range=(week.start, week.start + 6 * DAY)
            )
            due = sessions.exclude(date__gte=today, status=SessionStatus.PLANNED)
            planned = ScheduledPrescription.objects.filter(session__in=sessions)
            assert week.planned_sets == planned.aggregate(n=Sum("sets"))["n"]
            assert week.done_sets == SetLog.objects.filter(session__in=sessions).count()
            assert week.due_sets == (
                planned.filter(session__in=due).aggregate(n=Sum("sets"))["n"] or 0
            )
            assert week.done_sessions == sessions.filter(status=SessionStatus.DONE).count()
        latest = SetLog.objects.filter(athlete=profile).latest("performed_on", "logged_at")
        assert row.last_log == LastLog(latest.performed_on, latest.session.title)
        assert [p.date for p in row.pains] == list(
            PainNote.objects.filter(athlete=profile, date__gt=today - 7 * DAY).values_list(
                "date", flat=True
            )
        )
        next_run = (
            Run.objects.filter(athlete=profile, date__gte=today, status="planned")
            .filter(run_type__in=KEY_RUN_TYPES)
            .first()
        )
        assert (row.next_key_run.date, row.next_key_run.run_type) == (
            next_run.date,
            next_run.run_type,
        )
        critical = Flag.objects.open().filter(athlete=profile, severity="critical")
        assert row.flags.critical == critical.filter(date__gte=today - 7 * DAY).count()

    chloe = rows[2]
    assert chloe.pains
    assert Attention.PAIN in reasons(chloe)
    assert sum(1 for row in rows if row.reasons) >= 1

    client.force_login(coach)
    html = client.get("/coach/").content.decode()
    assert "Chloé Martin" in html
    assert "Pain: Calf 3/10" in html
    assert "Read the pain note" in html


def test_the_roster_lists_pending_invitations_to_resend_or_withdraw(coach, coach_client):
    from athletes.models import Invitation

    coach_client.post("/coach/invitations/", {"email": "ivy@example.com"})
    html = coach_client.get("/coach/").content.decode()
    invitation = Invitation.objects.get()
    assert "Waiting to join (1)" in html
    assert f"/coach/invitations/{invitation.pk}/resend/" in html
    assert f"/coach/invitations/{invitation.pk}/revoke/" in html
