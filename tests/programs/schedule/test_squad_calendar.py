"""The squad calendar (issue #18 item 6): a coach's athletes, or one group, by week, with
their strength sessions, key runs, races and flags; only the coach's own athletes, in a
fixed number of queries."""

import datetime
import uuid

import pytest
import time_machine
from django.urls import reverse

from athletes.models import AthleteGroup
from programs.models import Flag, Run, ScheduledSession
from programs.schedule import services
from tests.caches import clear_caches
from tests.factories import AthleteFactory, ExerciseFactory, link, make_block

URL = reverse("schedule:squad")
# A Wednesday: its week runs from Monday 7 to Sunday 13 December 2026.
TODAY = datetime.date(2026, 12, 9)
MONDAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 9, 12, tzinfo=datetime.UTC), tick=False):
        yield


def assign(coach, athletes, *, start=MONDAY, weekdays=(2,), name="Base block"):
    block = make_block(
        coach, [ExerciseFactory()], name=name, weeks=2, sessions=len(weekdays), days=[2, 5]
    )
    services.assignment_create(
        block=block,
        athletes=[a.athlete_profile for a in athletes],
        start=start,
        weekdays=list(weekdays),
        assigned_by=coach,
    )


def flag(athlete_user, severity, *, on, session_ids=()):
    return Flag.objects.create(
        athlete=athlete_user.athlete_profile,
        code="HEAVY_BEFORE_LONG_RUN",
        severity=severity,
        date=on,
        message="Heavy legs the day before the long run",
        session_ids=[str(pk) for pk in session_ids],
        fingerprint=uuid.uuid4().hex[:40],
    )


def row(html: str, athlete_user) -> str:
    """The HTML of one athlete's row."""
    start = html.index(f'id="squad-row-{athlete_user.athlete_profile.pk}"')
    return html[start : html.index("</tr>", start)]


def cell(html: str, athlete_user, date: datetime.date) -> str:
    part = row(html, athlete_user)
    start = part.index(f'data-drop-date="{date.isoformat()}"')
    return part[start : part.index("</td>", start)]


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_an_athlete_is_refused(athlete_client):
    assert athlete_client.get(URL).status_code == 403


def test_only_get(coach_client):
    assert coach_client.post(URL).status_code == 405


def test_the_coach_sees_their_athletes_sessions_runs_and_races(coach_client, coach, athlete):
    bea = AthleteFactory(name="Bea Runner")
    link(coach, bea)
    assign(coach, [athlete, bea], weekdays=[2])
    profile = athlete.athlete_profile
    Run.objects.create(
        athlete=profile, date=MONDAY + datetime.timedelta(6), run_type="long", distance_m=24000
    )
    Run.objects.create(
        athlete=profile,
        date=MONDAY + datetime.timedelta(5),
        run_type="race",
        race_priority="A",
        distance_m=10000,
    )
    Run.objects.create(athlete=profile, date=MONDAY + datetime.timedelta(2), run_type="easy")
    Run.objects.create(athlete=profile, date=MONDAY + datetime.timedelta(3), run_type="rest")

    response = coach_client.get(URL, {"at": TODAY.isoformat()})

    assert response.status_code == 200
    html = response.content.decode()
    assert "7 Dec – 13 Dec 2026" in html
    # Each athlete's name opens their calendar at this week.
    calendar = reverse("schedule:athlete_calendar", args=[profile.pk])
    assert f'href="{calendar}?view=week&amp;at=2026-12-09">Ana Athlete</a>' in html
    tuesday = MONDAY + datetime.timedelta(1)
    for person in (athlete, bea):
        session = ScheduledSession.objects.get(athlete=person.athlete_profile, date=tuesday)
        assert reverse("schedule:session", args=[session.pk]) in cell(html, person, tuesday)
        assert "Session A" in cell(html, person, tuesday)
    assert "Long run 24 km" in cell(html, athlete, MONDAY + datetime.timedelta(6))
    race = cell(html, athlete, MONDAY + datetime.timedelta(5))
    assert "Race 10 km" in race
    assert '<span class="badge text-bg-danger">A</span>' in race
    assert "squad-muted" in cell(html, athlete, MONDAY + datetime.timedelta(2))
    assert "Rest" not in cell(html, athlete, MONDAY + datetime.timedelta(3))
    # Next week is empty for Bea: nothing of another week leaks in.
    assert "Session" not in cell(html, bea, MONDAY)


def test_a_coach_sees_only_their_own_athletes(coach_client, athlete, other_athlete, other_coach):
    assign(other_coach, [other_athlete])
    html = coach_client.get(URL).content.decode()
    assert "Ana Athlete" in html
    assert "Oscar Other" not in html
    assert f"squad-row-{other_athlete.athlete_profile.pk}" not in html


def test_an_athlete_whose_coaching_ended_is_gone(coach_client, coach, athlete):
    athlete.athlete_profile.coaching_links.update(ended_at=datetime.datetime.now(datetime.UTC))
    assert "Ana Athlete" not in coach_client.get(URL).content.decode()


def test_the_group_filter_shows_the_group_only(coach_client, coach, athlete):
    bea = AthleteFactory(name="Bea Runner")
    link(coach, bea)
    group = AthleteGroup.objects.create(coach=coach, name="Marathon squad")
    group.athletes.add(bea.athlete_profile)

    html = coach_client.get(URL, {"group": group.pk}).content.decode()

    assert "Bea Runner" in html
    assert "Ana Athlete" not in html
    assert f'<option value="{group.pk}" selected>Marathon squad</option>' in html
    # The week links keep the group.
    assert f"at=2026-12-14&amp;group={group.pk}" in html


def test_another_coachs_group_is_ignored_and_not_offered(
    coach_client, coach, athlete, other_coach, other_athlete
):
    """Another coach's group id is ignored, as on the roster: the coach's athletes, all of
    them, and nothing of the other coach's group."""
    theirs = AthleteGroup.objects.create(coach=other_coach, name="Their squad")
    theirs.athletes.add(other_athlete.athlete_profile)

    response = coach_client.get(URL, {"group": theirs.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ana Athlete" in html
    assert "Oscar Other" not in html
    assert "Their squad" not in html


def test_an_empty_group_says_so(coach_client, coach, athlete):
    group = AthleteGroup.objects.create(coach=coach, name="Track")
    html = coach_client.get(URL, {"group": group.pk}).content.decode()
    assert "No athletes in Track." in html
    assert "Ana Athlete" not in html


def test_week_navigation(coach_client, coach, athlete):
    assign(coach, [athlete], start=MONDAY + datetime.timedelta(7))
    this_week = coach_client.get(URL).content.decode()
    assert "7 Dec – 13 Dec 2026" in this_week
    assert 'href="?at=2026-11-30"' in this_week
    assert 'href="?at=2026-12-14"' in this_week
    assert "Session A" not in this_week

    next_week = coach_client.get(URL, {"at": "2026-12-14"}).content.decode()
    assert "14 Dec – 20 Dec 2026" in next_week
    assert "Session A" in cell(next_week, athlete, datetime.date(2026, 12, 15))

    # Any day of a week shows that week.
    assert "14 Dec – 20 Dec 2026" in coach_client.get(URL, {"at": "2026-12-20"}).content.decode()


def test_htmx_gets_the_grid_alone(coach_client, athlete):
    response = coach_client.get(URL, {"at": "2026-12-14"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="squad"')
    assert '<nav class="navbar' not in html
    assert "HX-Request" in response["Vary"]


def test_htmx_gets_one_row_of_the_coachs_own_athlete(coach_client, athlete, other_athlete):
    headers = {"HX-Request": "true"}
    mine = coach_client.get(URL, {"athlete": athlete.athlete_profile.pk}, headers=headers)
    assert mine.status_code == 200
    assert (
        mine.content.decode()
        .lstrip()
        .startswith(f'<tr id="squad-row-{athlete.athlete_profile.pk}"')
    )
    theirs = {"athlete": other_athlete.athlete_profile.pk}
    assert coach_client.get(URL, theirs, headers=headers).status_code == 404
    for junk in ("abc", "9" * 30, "-1", ""):
        assert coach_client.get(URL, {"athlete": junk}, headers=headers).status_code == 404


def test_flagged_sessions_show_the_worst_flag(coach_client, coach, athlete):
    assign(coach, [athlete], weekdays=[2, 5])
    tuesday, friday = MONDAY + datetime.timedelta(1), MONDAY + datetime.timedelta(4)
    first = ScheduledSession.objects.get(athlete=athlete.athlete_profile, date=tuesday)
    second = ScheduledSession.objects.get(athlete=athlete.athlete_profile, date=friday)
    flag(athlete, "warning", on=tuesday, session_ids=[first.pk])
    flag(athlete, "critical", on=tuesday, session_ids=[first.pk])
    flag(athlete, "info", on=friday, session_ids=[second.pk])
    acknowledged = flag(athlete, "critical", on=friday, session_ids=[second.pk])
    acknowledged.acknowledged_at = datetime.datetime.now(datetime.UTC)
    acknowledged.save()
    flag(athlete, "warning", on=MONDAY + datetime.timedelta(6))

    html = coach_client.get(URL).content.decode()

    worst = cell(html, athlete, tuesday)
    assert "squad-flag-critical" in worst
    assert ">Critical</span>" in worst
    assert "Warning" not in worst
    # An acknowledged flag no longer counts.
    assert ">Info</span>" in cell(html, athlete, friday)
    assert "Critical" not in cell(html, athlete, friday)
    # A flag naming no session marks its day.
    assert "Warning" in cell(html, athlete, MONDAY + datetime.timedelta(6))


def test_planned_sessions_can_be_dragged_within_their_row(coach_client, coach, athlete):
    assign(coach, [athlete])
    session = ScheduledSession.objects.get(
        athlete=athlete.athlete_profile, date=MONDAY + datetime.timedelta(1)
    )
    html = coach_client.get(URL).content.decode()
    part = row(html, athlete)
    assert "data-drop-scope" in part
    assert f'data-move-url="{reverse("schedule:session_move", args=[session.pk])}"' in part
    assert f"athlete={athlete.athlete_profile.pk}" in part

    session.status = "skipped"
    session.skip_reason = "Ill"
    session.save()
    assert "data-move-url" not in row(coach_client.get(URL).content.decode(), athlete)


def test_athletes_are_paged(coach_client, coach):
    for number in range(27):
        link(coach, AthleteFactory(name=f"Runner {number:02d}"))
    first = coach_client.get(URL).content.decode()
    assert "Runner 24" in first
    assert "Runner 25" not in first
    assert 'aria-label="Pages of athletes"' in first
    second = coach_client.get(URL, {"page": "2"}).content.decode()
    assert "Runner 26" in second
    assert "Runner 00" not in second
    # The week links keep the page.
    assert "page=2" in second


@pytest.mark.parametrize(
    "query",
    [
        {"at": "not a date"},
        {"at": "9999-12-31"},
        {"at": "2026-02-30"},
        {"group": "abc"},
        {"group": "9" * 30},
        {"group": "-3"},
        {"page": "abc"},
        {"page": "0"},
        {"page": "9" * 30},
        {"page": "-1"},
    ],
)
def test_bad_query_values_show_a_page(coach_client, athlete, query):
    response = coach_client.get(URL, query)
    assert response.status_code == 200
    assert "Ana Athlete" in response.content.decode()


def test_a_bad_date_shows_this_week(coach_client, athlete):
    assert "7 Dec – 13 Dec 2026" in coach_client.get(URL, {"at": "junk"}).content.decode()


def _squad_of(coach, size):
    athletes = [AthleteFactory() for _ in range(size)]
    for person in athletes:
        link(coach, person)
    assign(coach, athletes, weekdays=[2, 5], name=f"Block for {size}")
    for person in athletes:
        profile = person.athlete_profile
        Run.objects.create(athlete=profile, date=MONDAY + datetime.timedelta(6), run_type="long")
        session = ScheduledSession.objects.filter(athlete=profile).first()
        flag(person, "warning", on=session.date, session_ids=[session.pk])
    group = AthleteGroup.objects.create(coach=coach, name=f"Group {size}")
    group.athletes.add(*(p.athlete_profile for p in athletes))
    return group


@pytest.mark.parametrize("size", [3, 30])
def test_a_fixed_number_of_queries(coach_client, coach, size, django_assert_max_num_queries):
    group = _squad_of(coach, size)
    # The bound is the same for 3 and for 30 athletes (a page of 25).
    with django_assert_max_num_queries(12):
        response = coach_client.get(URL, {"group": group.pk})
    assert response.status_code == 200
    assert response.content.decode().count('class="squad-row"') == min(size, 25)


def test_the_same_number_of_queries_for_few_and_many(client, coach):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (3, 30):
        group = _squad_of(coach, size)
        client.force_login(coach)
        clear_caches()  # the navbar's unread count is kept a minute: count it each time
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"group": group.pk}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_coach_navbar_and_the_calendar_directions_link_here(coach_client, athlete):
    html = coach_client.get(reverse("coach_home")).content.decode()
    assert f'<a class="nav-link" href="{URL}">Squad calendar</a>' in html
    directions = coach_client.get(reverse("schedule:calendar")).content.decode()
    assert f'<a href="{URL}">the squad calendar</a>' in directions
