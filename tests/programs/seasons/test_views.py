"""The coach's season planner screens through the test client: plan an athlete's season,
review it on a calendar, edit it (each edit checked by the engine again), see what applying
changes, apply it; and plan a group in the background with its progress. Access for every
view is in tests/config/test_url_matrix.py; the inputs in tests/config/test_fuzz.py."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from athletes.models import AthleteGroup
from programs.models import (
    Assignment,
    GroupSeasonPlan,
    Run,
    ScheduledSession,
    SeasonDraft,
    SeasonJobStatus,
)
from programs.schedule.services import assignment_create
from programs.seasons.edits import move_targets, plan_from_data
from tests.factories import AthleteFactory, link, make_block
from tests.programs.seasons.records import NOW, TODAY, add_runs, load_library, week_of

DAY = datetime.timedelta(days=1)
A_RACE = week_of(TODAY, 11, 6)
FIRST_RUNS = TODAY - 4 * 7 * DAY


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def runner(athlete):
    """Ana: four weeks of runs done, twelve to come, a B 10 km in week 6 and an A
    marathon on the Sunday of week 12."""
    load_library()
    profile = athlete.athlete_profile
    races = {week_of(TODAY, 5, 5): ("B", 10), A_RACE: ("A", 42.195)}
    add_runs(profile, first=FIRST_RUNS, weeks=16, races=races)
    return profile


def plan_url(profile) -> str:
    return reverse("seasons:plan", args=[profile.pk])


def draft_url(profile) -> str:
    return reverse("seasons:draft", args=[profile.pk])


def planned(client, profile, **fields):
    data = {"start": TODAY.isoformat(), "sessions_per_week": "2", **fields}
    response = client.post(plan_url(profile), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return SeasonDraft.objects.get(athlete=profile)


def plan_of(profile):
    return plan_from_data(SeasonDraft.objects.get(athlete=profile).plan)


def htmx(client, url, data):
    return client.post(url, data, headers={"HX-Request": "true"})


class TestPlanning:
    def test_the_athletes_page_links_to_planning_a_season(self, coach_client, runner):
        html = coach_client.get(reverse("coach_athlete", args=[runner.pk])).content.decode()

        assert plan_url(runner) in html
        assert "Plan a season" in html

    def test_the_form_says_the_default_end_and_lists_the_races(self, coach_client, runner):
        response = coach_client.get(plan_url(runner))

        html = response.content.decode()
        assert response.status_code == 200
        assert f"the last A race, {A_RACE:%a} {A_RACE.day} {A_RACE:%b %Y}" in html
        assert "A race" in html
        assert "B race" in html
        assert f'value="{TODAY.isoformat()}"' in html

    def test_planning_keeps_a_draft_and_shows_the_season_on_a_calendar(self, coach_client, runner):
        response = coach_client.post(
            plan_url(runner),
            {"start": TODAY.isoformat(), "sessions_per_week": "3", "weekdays": ["1", "3", "5"]},
        )

        assert response.status_code == 302
        assert response.url == draft_url(runner)
        draft = SeasonDraft.objects.get(athlete=runner)
        assert (draft.sessions_per_week, draft.weekdays, draft.edits) == (3, "135", 0)
        plan = plan_from_data(draft.plan)
        assert plan.end == A_RACE
        assert not ScheduledSession.objects.exists(), "a draft writes nothing to the calendar"

        html = coach_client.get(draft_url(runner)).content.decode()
        for phase in ("Foundation", "Strength", "Taper"):
            assert f"phase-badge phase-{phase.lower()}" in html
            assert phase in html
        assert html.count('<tr id="week-') == len(plan.weeks)
        assert "A race</span> Race 42.2 km" in html
        assert plan.sessions[0].name in html
        assert "No warning or critical flag" in html
        assert "sets</span>" in html

    @pytest.mark.parametrize("weeks", [3, 12])
    def test_the_draft_page_reads_in_the_same_queries_however_long_the_season(
        self, coach_client, runner, weeks, django_assert_max_num_queries
    ):
        planned(coach_client, runner, end=week_of(TODAY, weeks - 1, 6).isoformat())
        assert len(plan_of(runner).weeks) == weeks

        with django_assert_max_num_queries(12):
            response = coach_client.get(draft_url(runner))

        assert response.status_code == 200

    def test_without_an_a_race_the_end_date_is_asked_for(self, coach_client, athlete):
        load_library()

        data = {"start": TODAY.isoformat(), "sessions_per_week": "2"}

        response = coach_client.post(plan_url(athlete.athlete_profile), data)

        assert response.status_code == 200
        assert "No A race on or after the start date" in response.content.decode()
        assert not SeasonDraft.objects.exists()

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"start": (TODAY - DAY).isoformat()}, "Start today or later."),
            ({"end": (TODAY - 7 * DAY).isoformat()}, "can&#x27;t be before the start date"),
            ({"sessions_per_week": "4"}, "Select a valid choice"),
            ({"weekdays": ["8"]}, "Select a valid choice"),
        ],
    )
    def test_the_form_refuses_what_cannot_be_planned(self, coach_client, runner, fields, message):
        data = {"start": TODAY.isoformat(), "sessions_per_week": "2", **fields}

        response = coach_client.post(plan_url(runner), data)

        assert response.status_code == 200
        assert message in response.content.decode()
        assert not SeasonDraft.objects.exists()

    def test_planning_again_replaces_the_draft(self, coach_client, runner):
        first = planned(coach_client, runner)
        end = week_of(TODAY, 7, 6)

        planned(coach_client, runner, end=end.isoformat())

        (draft,) = SeasonDraft.objects.all()
        assert draft.pk == first.pk
        assert plan_from_data(draft.plan).end == end
        assert "Review the draft" in coach_client.get(plan_url(runner)).content.decode()

    def test_another_coach_gets_404(self, client, other_coach, coach_client, runner):
        planned(coach_client, runner)
        client.force_login(other_coach)

        for url in (plan_url(runner), draft_url(runner)):
            assert client.get(url).status_code == 404
        move = reverse("seasons:move", args=[runner.pk])
        assert client.post(move, {"session": "x", "date": "2027-01-05"}).status_code == 404
        assert client.post(reverse("seasons:apply", args=[runner.pk])).status_code == 404
        assert SeasonDraft.objects.get().edits == 0


def a_move(plan):
    """The first session with another day to go to, and that day."""
    session = next(s for s in plan.sessions if move_targets(plan, s))
    return session, move_targets(plan, session)[0]


class TestEditing:
    def test_the_calendar_loads_a_sessions_editor_when_it_opens(self, coach_client, runner):
        planned(coach_client, runner)
        session = plan_of(runner).weeks[1].sessions[0]
        url = reverse("seasons:session", args=[runner.pk, session.id])

        page = coach_client.get(draft_url(runner)).content.decode()
        fragment = coach_client.get(url, headers={"HX-Request": "true"}).content.decode()

        assert f'hx-get="{url}" hx-trigger="toggle once"' in page
        assert f'<a href="{url}">Edit {session.name} on its own page</a>' in page
        assert "Move to" not in page, "editors are loaded one at a time"
        assert "<html" not in fragment
        assert 'hx-post="/coach/' in fragment
        assert "Move to" in fragment
        assert "Easy 8 km" in fragment, "each day says its runs"
        assert session.exercises[0].name in fragment

    def test_without_javascript_the_editor_is_a_page(self, coach_client, runner):
        planned(coach_client, runner)
        session = plan_of(runner).weeks[1].sessions[0]

        response = coach_client.get(reverse("seasons:session", args=[runner.pk, session.id]))

        html = response.content.decode()
        assert response.status_code == 200
        assert "<h1" in html
        assert "Move to" in html
        assert "hx-post" not in html

    def test_an_unknown_session_has_no_editor(self, coach_client, runner):
        planned(coach_client, runner)

        url = reverse("seasons:session", args=[runner.pk, "plan-20990101"])

        assert coach_client.get(url).status_code == 404

    def test_moving_a_session_with_htmx_answers_the_season_with_its_new_day(
        self, coach_client, runner
    ):
        planned(coach_client, runner)
        session, day = a_move(plan_of(runner))

        response = htmx(
            coach_client,
            reverse("seasons:move", args=[runner.pk]),
            {"session": session.id, "date": day.isoformat()},
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert html.lstrip().startswith('<div id="season-draft">')
        assert "<html" not in html
        assert 'id="season-status" role="status" aria-live="polite" hx-swap-oob="true"' in html
        assert f"Moved “{session.name}” from " in html
        assert f'id="week-{day - datetime.timedelta(days=day.weekday()):%Y-%m-%d}"' in html
        draft = SeasonDraft.objects.get()
        assert draft.edits == 1
        after = plan_from_data(draft.plan)
        assert day in {s.date for s in after.sessions}
        assert session.date not in {s.date for s in after.sessions}
        assert len(after.sessions) == len(plan_of(runner).sessions)

    def test_a_plain_move_goes_back_to_the_edited_week(self, coach_client, runner):
        planned(coach_client, runner)
        session, day = a_move(plan_of(runner))

        response = coach_client.post(
            reverse("seasons:move", args=[runner.pk]),
            {"session": session.id, "date": day.isoformat()},
        )

        monday = session.date - datetime.timedelta(days=session.date.weekday())
        assert response.status_code == 302
        assert response.url == f"{draft_url(runner)}#week-{monday:%Y-%m-%d}"

    def test_a_move_that_makes_a_conflict_shows_the_engines_new_flag(self, coach_client, runner):
        planned(coach_client, runner)
        plan = plan_of(runner)
        long_runs = set(
            Run.objects.filter(athlete=runner, run_type="long").values_list("date", flat=True)
        )
        # A heavy session, and the day before its week's long run.
        session, eve = next(
            (s, day)
            for s in plan.sessions
            if s.heavy
            for day in move_targets(plan, s)
            if day + DAY in long_runs
        )

        response = htmx(
            coach_client,
            reverse("seasons:move", args=[runner.pk]),
            {"session": session.id, "date": eve.isoformat()},
        )

        html = response.content.decode()
        assert "HEAVY_BEFORE_LONG_RUN" in html
        assert "No warning or critical flag" not in html
        assert "warning or critical flag" in html
        flags = plan_of(runner).flags
        assert any(f.code == "HEAVY_BEFORE_LONG_RUN" and f.date == eve for f in flags)

    @pytest.mark.parametrize(
        ("where", "message"),
        [
            (lambda s, plan: s.date + 7 * DAY, "another day of its own week"),
            (lambda s, plan: s.date, "on that day already"),
            (
                lambda s, plan: next(o.date for o in plan.sessions if o.id != s.id),
                "another day of its own week",
            ),
        ],
    )
    def test_a_refused_move_says_why_and_changes_nothing(
        self, coach_client, runner, where, message
    ):
        planned(coach_client, runner)
        plan = plan_of(runner)
        session = plan.weeks[1].sessions[0]

        response = htmx(
            coach_client,
            reverse("seasons:move", args=[runner.pk]),
            {"session": session.id, "date": where(session, plan).isoformat()},
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert message in html
        assert "alert-danger" in html
        assert SeasonDraft.objects.get().edits == 0
        assert plan_of(runner) == plan

    def test_a_move_onto_another_session_of_the_week_is_refused(self, coach_client, runner):
        planned(coach_client, runner)
        plan = plan_of(runner)
        first, second = plan.weeks[1].sessions[:2]

        response = htmx(
            coach_client,
            reverse("seasons:move", args=[runner.pk]),
            {"session": first.id, "date": second.date.isoformat()},
        )

        assert "Another session of the season is on that day." in response.content.decode()
        assert plan_of(runner) == plan

    def test_an_unknown_session_is_refused(self, coach_client, runner):
        planned(coach_client, runner)

        response = coach_client.post(
            reverse("seasons:remove", args=[runner.pk]), {"session": "plan-20990101"}
        )

        assert response.status_code == 200
        assert "That session is not in this season." in response.content.decode()

    def test_removing_a_session(self, coach_client, runner):
        planned(coach_client, runner)
        before = plan_of(runner)
        session = before.weeks[2].sessions[0]

        response = htmx(
            coach_client, reverse("seasons:remove", args=[runner.pk]), {"session": session.id}
        )

        assert f"Removed “{session.name}”" in response.content.decode()
        after = plan_of(runner)
        assert len(after.sessions) == len(before.sessions) - 1
        assert session.id not in {s.id for s in after.sessions}

    def test_changing_sets_and_reps(self, coach_client, runner):
        planned(coach_client, runner)
        session = plan_of(runner).sessions[0]
        index = next(i for i, e in enumerate(session.exercises) if e.reps_min is not None)

        response = htmx(
            coach_client,
            reverse("seasons:dose", args=[runner.pk]),
            {
                "session": session.id,
                "exercise": str(index),
                "sets": "2",
                "reps_min": "8",
                "reps_max": "10",
            },
        )

        assert f"in “{session.name}”" in response.content.decode()
        assert " is now 2 × 8–10." in response.content.decode()
        exercise = plan_of(runner).sessions[0].exercises[index]
        assert (exercise.sets, exercise.reps_min, exercise.reps_max) == (2, 8, 10)

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"sets": "0"}, "greater than or equal to 1"),
            ({"sets": "21"}, "less than or equal to 20"),
            ({"reps_min": "10", "reps_max": "8"}, "The most reps are at least the fewest."),
            ({"exercise": "49"}, "That exercise is not in the session."),
        ],
    )
    def test_a_dose_out_of_range_is_refused(self, coach_client, runner, fields, message):
        planned(coach_client, runner)
        plan = plan_of(runner)
        session = plan.sessions[0]
        data = {"session": session.id, "exercise": "0", "sets": "3", "reps_min": "10", **fields}

        response = htmx(coach_client, reverse("seasons:dose", args=[runner.pk]), data)

        assert response.status_code == 200
        assert message in response.content.decode()
        assert plan_of(runner) == plan


class TestApplying:
    def test_applying_puts_the_edited_season_on_the_calendar(self, coach_client, runner, client):
        planned(coach_client, runner)
        session, day = a_move(plan_of(runner))
        coach_client.post(
            reverse("seasons:move", args=[runner.pk]),
            {"session": session.id, "date": day.isoformat()},
        )
        plan = plan_of(runner)

        response = coach_client.post(reverse("seasons:apply", args=[runner.pk]))

        assert response.status_code == 302
        assert response.url == (
            f"{reverse('schedule:athlete_calendar', args=[runner.pk])}"
            f"?view=month&at={TODAY.isoformat()}"
        )
        assert not SeasonDraft.objects.exists()
        landed = list(
            ScheduledSession.objects.filter(athlete=runner)
            .order_by("date")
            .values_list("date", "start_time", "title")
        )
        assert landed == [(s.date, s.start_time, s.name) for s in plan.sessions]
        assert (day, session.name) in {(d, t) for d, _time, t in landed}
        assert Assignment.objects.get().assigned_by.email == "casey@example.com"

    def test_a_draft_made_on_a_calendar_that_changed_since_is_refused(
        self, coach_client, runner, coach
    ):
        # With replacing, the plan knows every session in its dates; a new one makes it stale.
        planned(coach_client, runner, replace_future="on")
        block = make_block(coach, [], name="Later", weeks=1, sessions=1)
        assignment_create(
            block=block, athletes=[runner], start=TODAY + 14 * DAY, weekdays=[3], assigned_by=coach
        )

        response = coach_client.post(reverse("seasons:apply", args=[runner.pk]))

        assert response.status_code == 200
        assert "changed since this season was planned" in response.content.decode()
        assert SeasonDraft.objects.exists()
        assert Assignment.objects.count() == 1

    def test_replanning_shows_the_difference_before_applying(self, coach_client, runner):
        planned(coach_client, runner)
        coach_client.post(reverse("seasons:apply", args=[runner.pk]))
        first = set(ScheduledSession.objects.filter(athlete=runner).values_list("date", "title"))

        planned(coach_client, runner, sessions_per_week="3", replace_future="on")
        html = coach_client.get(draft_url(runner)).content.decode()

        assert "Re-planning: applying replaces" in html
        assert "added" in html
        assert "moved to another day or time" in html
        assert ScheduledSession.objects.filter(athlete=runner).count() == len(first)
        replan = plan_of(runner)

        coach_client.post(reverse("seasons:apply", args=[runner.pk]))

        after = set(ScheduledSession.objects.filter(athlete=runner).values_list("date", "title"))
        assert after == {(s.date, s.name) for s in replan.sessions}
        assert after != first

    def test_discarding_the_draft(self, coach_client, runner):
        planned(coach_client, runner)

        response = coach_client.post(reverse("seasons:discard", args=[runner.pk]))

        assert response.status_code == 302
        assert response.url == plan_url(runner)
        assert not SeasonDraft.objects.exists()
        assert coach_client.get(draft_url(runner)).status_code == 404


@pytest.fixture
def squad(coach, runner):
    group = AthleteGroup.objects.create(coach=coach, name="Marathon squad")
    no_race = AthleteFactory(name="Nia Norace", email="nia@example.com")
    link(coach, no_race)
    group.athletes.add(runner, no_race.athlete_profile)
    return group


class TestGroup:
    def test_the_group_page_links_to_planning_its_seasons(self, coach_client, squad):
        html = coach_client.get(reverse("group_detail", args=[squad.pk])).content.decode()

        assert reverse("seasons:group", args=[squad.pk]) in html

    def test_planning_a_group_queues_the_task_and_shows_its_progress(
        self, coach_client, squad, runner, django_capture_on_commit_callbacks
    ):
        response = coach_client.get(reverse("seasons:group", args=[squad.pk]))
        assert "Plan 2 seasons" in response.content.decode()

        with django_capture_on_commit_callbacks(execute=True):
            response = coach_client.post(
                reverse("seasons:group", args=[squad.pk]),
                {"start": TODAY.isoformat(), "sessions_per_week": "2", "apply": "on"},
            )

        job = GroupSeasonPlan.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("seasons:group_job", args=[job.pk])
        assert job.status == SeasonJobStatus.DONE  # the tests' task backend runs it at once
        page = coach_client.get(response.url).content.decode()
        assert "Done: 2 athletes." in page
        assert "Applied" in page
        assert "No A race on or after the start date" in page
        assert ScheduledSession.objects.filter(athlete=runner).exists()

        fragment = coach_client.get(response.url, headers={"HX-Request": "true"})
        html = fragment.content.decode()
        assert html.lstrip().startswith('<div id="season-progress"')
        assert "hx-trigger" not in html, "a finished planning is not polled"

    def test_a_running_planning_is_polled(self, coach_client, squad, coach):
        job = GroupSeasonPlan.objects.create(
            coach=coach, group=squad, start=TODAY, total=2, status=SeasonJobStatus.RUNNING
        )

        html = coach_client.get(
            reverse("seasons:group_job", args=[job.pk]), headers={"HX-Request": "true"}
        ).content.decode()

        assert 'hx-trigger="every 1s"' in html
        assert "0 of 2 athletes planned" in html

    def test_another_coachs_group_and_planning_are_404(self, client, other_coach, squad, coach):
        job = GroupSeasonPlan.objects.create(coach=coach, group=squad, start=TODAY)
        client.force_login(other_coach)

        assert client.get(reverse("seasons:group", args=[squad.pk])).status_code == 404
        assert client.get(reverse("seasons:group_job", args=[job.pk])).status_code == 404
