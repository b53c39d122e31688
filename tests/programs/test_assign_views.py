import datetime

import pytest
import time_machine
from django.urls import reverse

from programs.models import Assignment, Run, ScheduledSession, Session
from tests.factories import AthleteFactory, ExerciseFactory, link, make_block

HTMX = {"HX-Request": "true"}
MONDAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 2, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def block(coach):
    squat = ExerciseFactory(name="Back squat", load_class="heavy_lower")
    return make_block(coach, [squat], name="Winter base", weeks=4, sessions=2)


def url(block) -> str:
    return reverse("programs:assign", args=[block.pk])


def form(athletes, **changes) -> dict:
    return {
        "athletes": [a.athlete_profile.pk for a in athletes],
        "start": MONDAY.isoformat(),
        "weekdays": ["1", "4"],
        **changes,
    }


def test_the_form_suggests_next_monday_and_the_blocks_days(coach_client, block, athlete):
    response = coach_client.get(url(block), {"athlete": athlete.athlete_profile.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="2026-12-07"' in html
    assert athlete.name in html
    assert html.count("checked") == 3  # the athlete, Monday and Thursday


def test_preview_shows_each_athletes_runs_beside_the_new_sessions(
    coach, coach_client, block, athlete
):
    Run.objects.create(
        athlete=athlete.athlete_profile, date=MONDAY, run_type="long", distance_m=30000
    )
    response = coach_client.post(url(block), form([athlete], preview="1"), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div id="assign">' in html
    assert "<html" not in html
    assert "Long run 30 km" in html
    assert html.count('class="preview-new"') == 8
    assert "Assign to 1 athlete" in html
    assert not Assignment.objects.exists()


def test_confirm_assigns_and_redirects_to_the_athletes_calendar(coach_client, block, athlete):
    response = coach_client.post(url(block), form([athlete], confirm="1"))
    profile = athlete.athlete_profile
    assert response.status_code == 302
    assert response.url == (
        reverse("schedule:athlete_calendar", args=[profile.pk]) + "?view=month&at=2026-12-07"
    )
    assert ScheduledSession.objects.filter(athlete=profile).count() == 8


def test_several_athletes_at_once(coach, coach_client, block, athlete):
    others = [AthleteFactory() for _ in range(3)]
    for other in others:
        link(coach, other)
    response = coach_client.post(url(block), form([athlete, *others], confirm="1"))
    assert response.status_code == 302
    assert Assignment.objects.count() == 4


def test_too_few_days_is_explained_and_nothing_is_assigned(coach_client, block, athlete):
    response = coach_client.post(url(block), form([athlete], confirm="1", weekdays=["1"]))
    assert response.status_code == 200
    assert "Week 1 has 2 sessions: pick at least 2 strength days." in response.content.decode()
    assert not Assignment.objects.exists()


def test_an_athlete_of_another_coach_cannot_be_assigned(
    coach_client, block, athlete, other_athlete
):
    response = coach_client.post(url(block), form([other_athlete], confirm="1"))
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_built_in_template_can_be_assigned(coach_client, athlete, db):
    from library.io import BUILTIN_PATH, import_exercises
    from library.models import Source
    from programs.blocks.templates_builtin import load_builtin_templates
    from programs.models import Block

    import_exercises(data=BUILTIN_PATH.read_bytes(), filename="x.json", source=Source.BUILTIN)
    load_builtin_templates()
    template = Block.objects.get(builtin_key="runner-strength-3-day-week")
    response = coach_client.post(
        url(template), form([athlete], confirm="1", weekdays=["1", "3", "5"])
    )
    assert response.status_code == 302
    assert ScheduledSession.objects.filter(athlete__user=athlete).exists()


def test_another_coachs_private_block_is_404(client, other_coach, block):
    client.force_login(other_coach)
    assert client.get(url(block)).status_code == 404


def test_athletes_are_refused(athlete_client, block):
    assert athlete_client.get(url(block)).status_code == 403


def test_anonymous_goes_to_sign_in(client, block):
    response = client.get(url(block))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_wrong_method(coach_client, block):
    assert coach_client.put(url(block)).status_code == 405


class TestPushView:
    @pytest.fixture
    def assignment(self, coach_client, block, athlete):
        coach_client.post(url(block), form([athlete], confirm="1"))
        return Assignment.objects.get()

    def test_push_rewrites_future_sessions(self, coach_client, assignment, block):
        from programs.models import Prescription, ScheduledPrescription

        Prescription.objects.filter(session__week__block=block).update(sets=5)
        response = coach_client.post(reverse("schedule:push", args=[assignment.pk]), follow=True)
        assert "8 sessions updated" in response.content.decode()
        assert set(ScheduledPrescription.objects.values_list("sets", flat=True)) == {5}

    def test_another_coach_gets_404(self, client, other_coach, assignment):
        client.force_login(other_coach)
        assert client.post(reverse("schedule:push", args=[assignment.pk])).status_code == 404

    def test_get_is_not_allowed(self, coach_client, assignment):
        assert coach_client.get(reverse("schedule:push", args=[assignment.pk])).status_code == 405


def test_confirm_through_htmx_sends_the_page_to_the_calendar(coach_client, block, athlete):
    response = coach_client.post(url(block), form([athlete], confirm="1"), headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == (
        reverse("schedule:athlete_calendar", args=[athlete.athlete_profile.pk])
        + "?view=month&at=2026-12-07"
    )


class TestConflictsInThePreview:
    @pytest.fixture
    def heavy(self, coach):
        squat = ExerciseFactory(name="Back squat", load_class="heavy_lower")
        dose = {"sets": 4, "reps_min": 5, "load_type": "pct_1rm", "load_value": 80}
        return make_block(coach, [squat], name="Heavy", weeks=2, sessions=2, dose=dose)

    @pytest.fixture
    def fridays(self, athlete):
        for week in range(2):
            Run.objects.create(
                athlete=athlete.athlete_profile,
                date=MONDAY + datetime.timedelta(days=4 + 7 * week),
                run_type="long",
                distance_m=28000,
            )

    def test_the_preview_names_the_conflicts_it_would_create(
        self, coach_client, heavy, athlete, fridays
    ):
        response = coach_client.post(url(heavy), form([athlete], preview="1"), headers=HTMX)
        html = response.content.decode()
        assert "2 critical" in html
        assert "is the day before your long run (28 km) on Fri 11 Dec" in html
        assert not Assignment.objects.exists()

    def test_arrange_picks_days_clear_of_the_runs_and_confirm_keeps_them(
        self, coach_client, heavy, athlete, fridays
    ):
        from programs.models import Flag

        response = coach_client.post(url(heavy), form([athlete], arrange="1"), headers=HTMX)
        html = response.content.decode()
        assert "(arranged)" in html
        assert "No conflicts with Ana's runs." in html
        profile = athlete.athlete_profile
        marker = f'name="days-{profile.pk}" value="'
        days = html[html.index(marker) + len(marker) :].split('"')[0]
        assert days != "1,4"

        confirm = form([athlete], confirm="1", arranged_from="1,4")
        confirm[f"days-{profile.pk}"] = days
        coach_client.post(url(heavy), confirm)
        assert Assignment.objects.get().weekdays == days.replace(",", "")
        assert not Flag.objects.filter(severity__in=["critical", "warning"]).exists()

    def test_days_arranged_for_other_weekdays_are_ignored(
        self, coach_client, heavy, athlete, fridays
    ):
        confirm = form([athlete], confirm="1", arranged_from="2,5")
        confirm[f"days-{athlete.athlete_profile.pk}"] = "3,6"
        coach_client.post(url(heavy), confirm)
        assert Assignment.objects.get().weekdays == "14"


@pytest.mark.parametrize("bad", ["9" * 20, str(2**63), "-" + "9" * 20])
def test_an_athlete_id_past_the_id_range_is_not_a_choice(coach_client, block, athlete, bad):
    """The ids were looked up as they came: OverflowError, or DataError on PostgreSQL."""
    response = coach_client.post(url(block), {**form([athlete]), "athletes": [bad], "confirm": "1"})

    assert response.status_code == 200
    assert f"Select a valid choice. {bad} is not one of the available choices." in (
        response.content.decode()
    )
    assert not Assignment.objects.exists()


class TestPlannedTime:
    def test_every_session_takes_the_time_given(self, coach_client, block, athlete):
        response = coach_client.post(url(block), form([athlete], confirm="1", start_time="18:30"))

        assert response.status_code == 302
        times = ScheduledSession.objects.filter(athlete__user=athlete).values_list(
            "start_time", flat=True
        )
        assert set(times) == {datetime.time(18, 30)}

    def test_without_a_time_sessions_take_the_blocks(self, coach_client, block, athlete):
        Session.objects.filter(week__block=block, title="Session A").update(
            start_time=datetime.time(6, 45)
        )

        coach_client.post(url(block), form([athlete], confirm="1", start_time=""))

        times = ScheduledSession.objects.filter(athlete__user=athlete).values_list(
            "title", "start_time"
        )
        assert set(times) == {("Session A", datetime.time(6, 45)), ("Session B", None)}

    def test_the_preview_keeps_the_time_typed(self, coach_client, block, athlete):
        response = coach_client.post(
            url(block), form([athlete], preview="1", start_time="07:00"), headers=HTMX
        )

        html = response.content.decode()
        assert 'value="07:00"' in html
        assert not Assignment.objects.exists()

    def test_a_bad_time_is_explained_and_nothing_is_assigned(self, coach_client, block, athlete):
        response = coach_client.post(url(block), form([athlete], confirm="1", start_time="25:00"))

        assert response.status_code == 200
        assert "Enter a valid time." in response.content.decode()
        assert not Assignment.objects.exists()
