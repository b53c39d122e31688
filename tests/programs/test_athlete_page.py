"""The coach's page on one athlete: flags, races without a priority, this week, latest logs,
pain, 1RMs, progress, running volume."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from athletes.models import User
from programs.models import Flag, Run
from programs.schedule import runs, services
from tests.caches import clear_caches
from tests.factories import CoachFactory, ExerciseFactory, make_block, make_runs_for_a_year

HEAVY = {"sets": 4, "reps_min": 5, "load_type": "pct_1rm", "load_value": 80}


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)
    return User.objects.get(email="coach@example.com")


def test_the_demo_athlete_page_has_everything(client, demo, django_assert_max_num_queries):
    client.force_login(demo)
    chloe = User.objects.get(email="chloe@example.com").athlete_profile
    with django_assert_max_num_queries(40):
        response = client.get(f"/coach/athletes/{chloe.pk}/")
    html = response.content.decode()
    assert "HEAVY_BEFORE_LONG_RUN" in html
    assert "This week" in html
    assert "Latest sessions" in html
    assert "Calf 3/10" in html
    assert "Tight left calf" in html
    assert 'role="img"' in html  # the e1RM chart
    assert "Spring marathon block" in html


def test_queries_do_not_grow_with_history(client, demo, django_assert_max_num_queries):
    from programs.models import SetLog

    client.force_login(demo)
    ana = User.objects.get(email="ana@example.com").athlete_profile
    ben = User.objects.get(email="ben@example.com").athlete_profile
    assert SetLog.objects.filter(athlete=ana).exists()
    with django_assert_max_num_queries(40) as one:
        client.get(f"/coach/athletes/{ana.pk}/")
    with django_assert_max_num_queries(len(one)):
        client.get(f"/coach/athletes/{ben.pk}/")


def test_another_coach_gets_404(client, demo):
    chloe = User.objects.get(email="chloe@example.com").athlete_profile
    client.force_login(CoachFactory())
    assert client.get(f"/coach/athletes/{chloe.pk}/").status_code == 404


class TestRacesWithoutPriority:
    """The page lists the races ahead that have no priority, each with A, B and C; setting
    one rechecks the flags, as every run edit does."""

    TODAY = datetime.date(2026, 12, 2)
    RACE_DAY = datetime.date(2026, 12, 12)  # a Saturday

    @pytest.fixture(autouse=True)
    def frozen(self):
        moment = datetime.datetime(2026, 12, 2, 12, tzinfo=datetime.UTC)
        with time_machine.travel(moment, tick=False):
            yield

    @pytest.fixture
    def race(self, athlete) -> Run:
        return runs.run_create(
            athlete=athlete.athlete_profile,
            date=self.RACE_DAY,
            run_type="race",
            distance_m=10_000,
            title="Winter 10K",
        )

    @pytest.fixture
    def heavy_plan(self, coach, athlete):
        """Heavy squats on Monday 7 and Thursday 10 December: inside a B race's taper."""
        squat = ExerciseFactory(name="Back squat", load_class="heavy_lower")
        block = make_block(coach, [squat], weeks=1, sessions=2, dose=HEAVY)
        services.assignment_create(
            block=block,
            athletes=[athlete.athlete_profile],
            start=datetime.date(2026, 12, 7),
            weekdays=[1, 4],
            assigned_by=coach,
        )

    def page(self, client, athlete) -> str:
        return client.get(f"/coach/athletes/{athlete.athlete_profile.pk}/").content.decode()

    def test_lists_the_races_ahead_without_a_priority(self, coach_client, athlete, race):
        profile = athlete.athlete_profile
        runs.run_create(athlete=profile, date=self.RACE_DAY, run_type="race", race_priority="A")
        runs.run_create(
            athlete=profile, date=self.TODAY - datetime.timedelta(days=3), run_type="race"
        )
        runs.run_create(athlete=profile, date=self.RACE_DAY, run_type="long", distance_m=20_000)

        html = self.page(coach_client, athlete)

        section = html[html.index('id="races-without-priority"') :]
        section = section[: section.index("</section>")]
        assert "Winter 10K" in section
        assert "Sat 12 Dec 2026 · 10 km" in section
        assert "C races and races without a priority get no taper rule" in section
        assert section.count("<li") == 1  # not the A race, the past one or the long run
        assert section.count('name="race_priority"') == 3
        assert f'action="/runs/{race.pk}/priority/"' in section

    def test_no_section_when_every_race_has_one(self, coach_client, athlete):
        assert "races-without-priority" not in self.page(coach_client, athlete)

    def test_setting_a_priority_rechecks_the_flags(self, coach_client, athlete, race, heavy_plan):
        assert not Flag.objects.filter(code="HEAVY_IN_TAPER").exists()
        back = f"/coach/athletes/{athlete.athlete_profile.pk}/"

        response = coach_client.post(
            f"/runs/{race.pk}/priority/", {"race_priority": "B", "next": back}, follow=True
        )

        assert response.redirect_chain == [(back, 302)]
        race.refresh_from_db()
        assert race.race_priority == "B"
        assert Flag.objects.filter(code="HEAVY_IN_TAPER").exists()
        html = response.content.decode()
        assert "Race 10 km on Sat 12 Dec: B race." in html
        assert "races-without-priority" not in html
        assert "HEAVY_IN_TAPER" in html

        coach_client.post(f"/runs/{race.pk}/priority/", {"race_priority": "C", "next": back})
        assert not Flag.objects.filter(code="HEAVY_IN_TAPER").exists()

    def test_another_coachs_athletes_race_is_not_found(self, client, other_coach, race):
        client.force_login(other_coach)

        response = client.post(f"/runs/{race.pk}/priority/", {"race_priority": "A"})

        assert response.status_code == 404
        race.refresh_from_db()
        assert race.race_priority == ""


class TestRunningVolume:
    """The running of the last 16 weeks, planned against done, in the coach's unit; and this
    week's runs with what was run."""

    TODAY = datetime.date(2026, 12, 9)  # a Wednesday
    MONDAY = datetime.date(2026, 12, 7)

    @pytest.fixture(autouse=True)
    def frozen(self):
        moment = datetime.datetime(2026, 12, 9, 12, tzinfo=datetime.UTC)
        with time_machine.travel(moment, tick=False):
            yield

    def page(self, client, athlete) -> str:
        response = client.get(f"/coach/athletes/{athlete.athlete_profile.pk}/")
        assert response.status_code == 200
        return response.content.decode()

    def test_planned_and_done_per_week_in_the_coachs_unit(self, coach, coach_client, athlete):
        coach.distance_unit = "mi"
        coach.save()
        profile = athlete.athlete_profile
        Run.objects.create(
            athlete=profile,
            date=self.MONDAY,
            run_type="easy",
            distance_m=16_093,
            status="done",
            actual_distance_m=16_500,
        )
        Run.objects.create(
            athlete=profile,
            date=self.MONDAY - datetime.timedelta(days=1),
            run_type="long",
            distance_m=32_187,
            status="skipped",
        )

        html = self.page(coach_client, athlete)

        section = html[html.index('id="running-volume"') :]
        section = section[: section.index("</section>")]
        assert "Running, week by week" in section
        # 16.5 km is 10.3 mi; the skipped 20 mi long run was planned, not done.
        assert "30 Nov: 20 planned, 0 done; 7 Dec: 10 planned, 10.3 done (mi).</desc>" in section
        assert section.count("<g><title>Week of") == 16
        assert "This week" in html
        assert "Easy 10 mi ✓ 10.25 mi" in html

    def test_the_same_queries_with_ten_runs_and_with_a_year(
        self, coach_client, athlete, django_assert_max_num_queries
    ):
        profile = athlete.athlete_profile
        Run.objects.bulk_create(
            Run(
                athlete=profile,
                date=self.TODAY - datetime.timedelta(days=n),
                run_type="easy",
                distance_m=8000,
                status="done",
            )
            for n in range(10)
        )
        clear_caches()  # as below: the session and the user read afresh too
        with django_assert_max_num_queries(40) as ten_runs:
            self.page(coach_client, athlete)
        Run.objects.all().delete()
        make_runs_for_a_year(profile, today=self.TODAY)
        assert Run.objects.filter(status="done").count() >= 290
        clear_caches()  # the navbar's unread count read afresh, as the first time

        with django_assert_max_num_queries(len(ten_runs)) as a_year:
            html = self.page(coach_client, athlete)

        assert len(a_year) == len(ten_runs)
        assert html.count("<g><title>Week of") == 16
