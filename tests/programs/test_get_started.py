"""Get started (/coach/start/): a runner who coaches themselves starts a built-in template
in one click, and gets the same checks as any coach's athlete."""

import datetime

import pytest
import time_machine
from django.test import Client

from programs.models import Assignment, Block, Flag, ScheduledSession
from programs.schedule import runs as run_services
from tests.factories import (
    AthleteFactory,
    ExerciseFactory,
    link,
    make_block,
    make_builtin_template,
    make_self_coached,
)

URL = "/coach/start/"
WEDNESDAY = datetime.date(2026, 12, 2)
MONDAY = datetime.date(2026, 12, 7)
THURSDAY = MONDAY + datetime.timedelta(days=3)
FRIDAY = MONDAY + datetime.timedelta(days=4)
HEAVY = {"sets": 4, "reps_min": 5, "load_type": "pct_1rm", "load_value": 80}
HEAVY_TITLE = "Heavy legs the day before your long run"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 2, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def squat(db):
    easier = ExerciseFactory(name="Goblet squat", load_class="light_lower")
    return ExerciseFactory(name="Back squat", load_class="heavy_lower", easier=easier)


@pytest.fixture
def heavy(squat) -> Block:
    """A built-in template with heavy squats on Monday and Thursday."""
    return make_builtin_template(
        [squat], key="heavy-legs", name="Heavy legs", weeks=1, sessions=2, dose=HEAVY, days=[1, 4]
    )


@pytest.fixture
def light(squat) -> Block:
    """A built-in template whose three labelled sessions get the default days."""
    return make_builtin_template([squat], key="three-days", name="Three days", weeks=2, sessions=3)


@pytest.fixture
def runner(db):
    return make_self_coached(name="Rosa Runner", email="rosa@example.com")


@pytest.fixture
def runner_client(client, runner):
    client.force_login(runner)
    return client


def start(client, template: Block, **data):
    return client.post(
        URL, {"template": template.pk, "start": "2026-12-07", "weekdays": ["1", "4"], **data}
    )


def long_run(runner, date=FRIDAY):
    return run_services.run_create(
        athlete=runner.athlete_profile, date=date, run_type="long", distance_m=30_000
    )


class TestPage:
    def test_lists_the_built_in_templates_with_next_monday_and_their_days(
        self, runner_client, heavy, light
    ):
        html = runner_client.get(URL).content.decode()

        assert html.index("Heavy legs") < html.index("Three days")
        assert "From Mon 7 Dec, on Mon, Thu" in html  # the template's own days
        assert "From Mon 7 Dec, on Mon, Wed, Fri" in html  # three sessions: the default
        for block in (heavy, light):
            assert f'name="template" value="{block.pk}"' in html
            assert (
                f'value="2026-12-07" class="form-control" required id="start-{block.pk}-start"'
                in html
            )
        assert html.count(">Start this block</button>") == 2

    def test_each_card_has_its_own_ids_and_the_suggested_days_ticked(
        self, runner_client, heavy, light
    ):
        html = runner_client.get(URL).content.decode()

        assert html.count('id="start-') == len(set(_ids(html, 'id="start-')))
        assert _checked(html, f"start-{heavy.pk}-weekdays") == {"1", "4"}
        assert _checked(html, f"start-{light.pk}-weekdays") == {"1", "3", "5"}

    def test_plans_a_season_for_themselves(self, runner_client, runner):
        html = runner_client.get(URL).content.decode()

        assert f'href="/coach/athletes/{runner.athlete_profile.pk}/season/"' in html
        assert (
            runner_client.get(f"/coach/athletes/{runner.athlete_profile.pk}/season/").status_code
            == 200
        )

    def test_only_built_in_templates_are_offered(self, runner_client, coach, squat, heavy):
        private = make_block(coach, [squat], name="Casey's private block")
        shared = make_block(coach, [squat], name="Casey's shared template")
        Block.objects.filter(pk=shared.pk).update(is_template=True, is_shared=True)

        html = runner_client.get(URL).content.decode()

        assert "Heavy legs" in html
        assert private.name not in html
        assert "shared template" not in html

    def test_without_templates_it_says_what_else_to_do(self, runner_client):
        html = runner_client.get(URL).content.decode()

        assert "No built-in blocks are loaded yet" in html

    def test_queries_do_not_grow_with_templates(
        self, runner_client, squat, heavy, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(20) as few:
            runner_client.get(URL)
        for n in range(4):
            make_builtin_template([squat], key=f"more-{n}", name=f"More {n}", weeks=3)
        with django_assert_max_num_queries(len(few)):
            runner_client.get(URL)


def _ids(html: str, prefix: str) -> list[str]:
    out, at = [], html.find(prefix)
    while at != -1:
        out.append(html[at : html.index('"', at + len(prefix))])
        at = html.find(prefix, at + 1)
    return out


def _checked(html: str, name_prefix: str) -> set[str]:
    """The values of the ticked boxes whose id starts with ``name_prefix``."""
    ticked = set()
    for rest in html.split("<input")[1:]:
        tag = rest[: rest.index(">")]
        if f'id="{name_prefix}' in tag and "checked" in tag:
            ticked.add(tag.split('value="')[1].split('"')[0])
    return ticked


class TestStart:
    def test_one_click_copies_the_template_and_assigns_it_to_themselves(
        self, runner_client, runner, heavy
    ):
        response = start(runner_client, heavy)

        assert response.status_code == 302
        assert response["Location"] == "/athlete/"
        block = Block.objects.get(owner=runner)
        assert (block.name, block.is_template, block.created_from) == ("Heavy legs", False, heavy)
        (assignment,) = Assignment.objects.all()
        assert assignment.athlete == runner.athlete_profile
        assert (assignment.block, assignment.assigned_by) == (block, runner)
        assert list(
            ScheduledSession.objects.filter(athlete=runner.athlete_profile)
            .order_by("date")
            .values_list("date", flat=True)
        ) == [MONDAY, THURSDAY]
        today = runner_client.get("/athlete/").content.decode()
        assert "“Heavy legs” starts Mon 7 Dec" in today

    def test_other_days_and_a_later_start(self, runner_client, runner, heavy):
        start(runner_client, heavy, start="2026-12-15", weekdays=["2", "6"])

        dates = ScheduledSession.objects.order_by("date").values_list("date", flat=True)
        assert list(dates) == [datetime.date(2026, 12, 15), datetime.date(2026, 12, 19)]

    def test_heavy_legs_the_day_before_a_long_run_is_flagged_on_today_and_calendar(
        self, runner_client, runner, heavy
    ):
        long_run(runner)

        start(runner_client, heavy)

        flag = Flag.objects.get(athlete=runner.athlete_profile, code="HEAVY_BEFORE_LONG_RUN")
        assert flag.date == THURSDAY
        assert HEAVY_TITLE in runner_client.get("/athlete/").content.decode()
        week = runner_client.get("/calendar/?view=week&at=2026-12-07").content.decode()
        assert HEAVY_TITLE in week
        # And in their coach's inbox: their own.
        assert "HEAVY_BEFORE_LONG_RUN" in runner_client.get("/flags/").content.decode()

    def test_the_coachs_assign_page_gives_them_the_same_flag(self, runner_client, runner, squat):
        long_run(runner)
        block = make_block(runner, [squat], name="My heavy block", weeks=1, sessions=2, dose=HEAVY)

        response = runner_client.post(
            f"/blocks/{block.pk}/assign/",
            {
                "athletes": [str(runner.athlete_profile.pk)],
                "start": "2026-12-07",
                "weekdays": ["1", "4"],
                "confirm": "1",
            },
        )

        assert response.status_code == 302
        assert Flag.objects.filter(
            athlete=runner.athlete_profile, code="HEAVY_BEFORE_LONG_RUN", date=THURSDAY
        ).exists()
        assert HEAVY_TITLE in runner_client.get("/athlete/").content.decode()


class TestRefusals:
    """A clear error on the page, at 200, and nothing written."""

    def _refused(self, response, message: str) -> None:
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Assignment.objects.exists()
        assert not Block.objects.filter(owner__email="rosa@example.com").exists()

    def test_a_start_in_the_past(self, runner_client, heavy):
        self._refused(start(runner_client, heavy, start="2026-12-01"), "Start today or later.")

    def test_a_start_too_far_ahead(self, runner_client, heavy):
        self._refused(start(runner_client, heavy, start="2029-01-01"), "Start within two years.")

    def test_too_few_days_for_the_sessions(self, runner_client, light):
        response = start(runner_client, light, weekdays=["1"])
        self._refused(response, "pick at least 3 strength days")
        # The card that was posted opens with its error and what was posted.
        html = response.content.decode()
        assert '<details class="mb-2" open>' in html

    def test_no_days(self, runner_client, heavy):
        self._refused(start(runner_client, heavy, weekdays=[]), "Pick your strength days.")

    def test_a_malformed_date(self, runner_client, heavy):
        self._refused(start(runner_client, heavy, start="7/12/2026x"), "Enter a valid date.")

    @pytest.mark.parametrize("template", ["999999", "abc", "9" * 30, ""])
    def test_an_unknown_template(self, runner_client, heavy, template):
        response = runner_client.post(
            URL, {"template": template, "start": "2026-12-07", "weekdays": ["1", "4"]}
        )
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()
        assert not Assignment.objects.exists()

    def test_another_coachs_private_block_is_no_template(self, runner_client, coach, squat):
        private = make_block(coach, [squat], name="Private", weeks=1, sessions=2)

        self._refused(start(runner_client, private), "That template is not available")

    def test_a_block_already_on_those_dates(self, runner_client, runner, heavy):
        start(runner_client, heavy)

        response = start(runner_client, heavy)

        assert response.status_code == 200
        assert "You already have a block with sessions on these dates" in response.content.decode()
        assert Assignment.objects.count() == 1
        assert Block.objects.filter(owner=runner).count() == 1


class TestAccess:
    def test_a_coach_of_others_is_refused(self, coach_client):
        assert coach_client.get(URL).status_code == 403

    def test_a_coach_coached_by_another_coach_is_refused(self, client, coach, heavy):
        coaching_athlete = AthleteFactory(is_coach=True)
        link(coach, coaching_athlete)
        client.force_login(coaching_athlete)

        assert client.get(URL).status_code == 403
        assert start(client, heavy).status_code == 403
        assert not Assignment.objects.exists()

    def test_an_athlete_is_refused(self, athlete_client, heavy):
        assert athlete_client.get(URL).status_code == 403
        assert start(athlete_client, heavy).status_code == 403

    def test_anonymous_signs_in(self, db):
        response = Client().get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")

    @pytest.mark.parametrize("method", ["put", "patch", "delete"])
    def test_other_methods(self, runner_client, method):
        assert getattr(runner_client, method)(URL).status_code == 405
