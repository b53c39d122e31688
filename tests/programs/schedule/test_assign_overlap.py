"""Assigning over a block the athlete already has: the coach chooses, explicitly, to replace
the rest of it or to add alongside; the preview's weeks start on the start date; a zero
count of conflicts is not painted red."""

import datetime
import re
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from programs.models import Assignment, Run, ScheduledSession, SessionStatus, SetLog
from programs.schedule import services
from tests.factories import AthleteFactory, ExerciseFactory, link, make_block

HTMX = {"HX-Request": "true"}
MONDAY = datetime.date(2026, 12, 7)
THURSDAY = datetime.date(2026, 12, 10)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 2, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def squat():
    return ExerciseFactory(name="Back squat", load_class="heavy_lower")


@pytest.fixture
def current(coach, athlete, squat):
    """A 4-week block the athlete is on from Monday 30 Nov, Monday and Thursday."""
    block = make_block(coach, [squat], name="Autumn base", weeks=4, sessions=2)
    (assignment,) = services.assignment_create(
        block=block,
        athletes=[athlete.athlete_profile],
        start=datetime.date(2026, 11, 30),
        weekdays=[1, 4],
        assigned_by=coach,
    )
    return assignment


@pytest.fixture
def block(coach, squat):
    return make_block(coach, [squat], name="Winter strength", weeks=2, sessions=2)


def url(block) -> str:
    return reverse("programs:assign", args=[block.pk])


def form(athletes, **changes) -> dict:
    return {
        "athletes": [a.athlete_profile.pk for a in athletes],
        "start": MONDAY.isoformat(),
        "weekdays": ["1", "4"],
        **changes,
    }


def log_a_set(session: ScheduledSession) -> None:
    rx = session.prescriptions.first()
    SetLog.objects.create(
        id=uuid.uuid4(),
        athlete=session.athlete,
        session=session,
        prescription=rx,
        exercise=rx.exercise,
        set_number=1,
        reps=10,
        load_kg=Decimal(40),
        performed_on=session.date,
        logged_at=timezone.now(),
    )


def test_confirming_over_a_current_block_without_a_choice_is_refused(
    coach_client, athlete, current, block
):
    before = ScheduledSession.objects.count()
    response = coach_client.post(url(block), form([athlete], confirm="1"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose whether this block replaces the rest of the current one" in html
    assert "Ana Athlete: “Autumn base”, from Mon 30 Nov 2026" in html
    assert "Replace the rest of the current block" in html
    assert "Add alongside" in html
    assert not re.search(r'name="overlap"[^>]*checked', html), "no choice is made for the coach"
    # The preview still shows, so the coach can decide, and the button stays.
    assert "Assign to 1 athlete" in html
    assert Assignment.objects.count() == 1
    assert ScheduledSession.objects.count() == before


def test_the_preview_asks_before_anything_is_confirmed(coach_client, athlete, current, block):
    response = coach_client.post(url(block), form([athlete], preview="1"), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="assign-overlap"' in html
    assert "Choose whether" not in html  # a question, not yet an error


def test_replace_removes_the_rest_of_the_current_block_but_never_what_was_logged(
    coach_client, athlete, current, block
):
    sessions = list(current.sessions.order_by("date"))
    done_early, logged_later = sessions[2], sessions[3]  # Mon 7 and Thu 10 Dec
    done_early.status = SessionStatus.DONE
    done_early.save()
    log_a_set(logged_later)

    response = coach_client.post(url(block), form([athlete], confirm="1", overlap="replace"))

    assert response.status_code == 302
    kept = set(current.sessions.values_list("date", flat=True))
    assert kept == {
        datetime.date(2026, 11, 30),
        datetime.date(2026, 12, 3),
        done_early.date,
        logged_later.date,
    }
    new = Assignment.objects.get(block_name="Winter strength")
    assert new.sessions.count() == 4
    assert new.start_date == MONDAY


def test_replace_drops_a_current_block_that_had_not_started(coach, coach_client, athlete, block):
    later = make_block(coach, [ExerciseFactory()], name="Spring", weeks=1, sessions=1)
    services.assignment_create(
        block=later,
        athletes=[athlete.athlete_profile],
        start=datetime.date(2026, 12, 14),
        weekdays=[3],
        assigned_by=coach,
    )
    response = coach_client.post(url(block), form([athlete], confirm="1", overlap="replace"))
    assert response.status_code == 302
    assert set(Assignment.objects.values_list("block_name", flat=True)) == {"Winter strength"}


def test_alongside_keeps_both_blocks(coach_client, athlete, current, block):
    before = current.sessions.count()
    response = coach_client.post(url(block), form([athlete], confirm="1", overlap="alongside"))
    assert response.status_code == 302
    assert current.sessions.count() == before
    assert Assignment.objects.get(block_name="Winter strength").sessions.count() == 4


def test_a_block_that_ends_before_the_start_asks_nothing(coach, coach_client, athlete, block):
    old = make_block(coach, [ExerciseFactory()], name="Old", weeks=1, sessions=1)
    services.assignment_create(
        block=old,
        athletes=[athlete.athlete_profile],
        start=datetime.date(2026, 11, 23),
        weekdays=[1],
        assigned_by=coach,
    )
    response = coach_client.post(url(block), form([athlete], confirm="1"))
    assert response.status_code == 302
    assert Assignment.objects.filter(block_name="Winter strength").exists()


def test_another_athletes_block_is_not_in_question(coach, coach_client, athlete, current, block):
    other = AthleteFactory(name="Bo Other")
    link(coach, other)
    response = coach_client.post(url(block), form([other], confirm="1"))
    assert response.status_code == 302


def test_an_unknown_choice_is_a_clear_error_not_a_500(coach_client, athlete, current, block):
    response = coach_client.post(url(block), form([athlete], confirm="1", overlap="both"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Assignment.objects.count() == 1


def test_the_replace_preview_strikes_out_the_sessions_it_would_remove(
    coach_client, athlete, current, block
):
    response = coach_client.post(
        url(block), form([athlete], preview="1", overlap="replace"), headers=HTMX
    )
    html = response.content.decode()
    # Autumn base has 4 sessions from 7 Dec (weeks 2 and 3 of its 4 fall in the preview).
    assert html.count("(replaced)</span></del>") == 4
    assert not Assignment.objects.filter(block_name="Winter strength").exists()


def test_the_preview_weeks_start_on_the_start_date(coach_client, athlete, block):
    response = coach_client.post(
        url(block), form([athlete], preview="1", start=THURSDAY.isoformat()), headers=HTMX
    )
    html = response.content.decode()
    assert re.search(r"Week 1<span[^>]*>from 10 Dec</span>", html)
    assert re.search(r"Week 2<span[^>]*>from 17 Dec</span>", html)
    assert "Week 3" not in html
    header = re.search(r"<thead><tr>(.*?)</tr></thead>", html).group(1)
    assert re.findall(r">(\w+)</th>", header) == [
        "Week",
        "Thu",
        "Fri",
        "Sat",
        "Sun",
        "Mon",
        "Tue",
        "Wed",
    ]


def test_zero_counts_are_neutral_badges_not_red_or_yellow(coach_client, athlete, block):
    Run.objects.create(
        athlete=athlete.athlete_profile,
        date=MONDAY,
        run_type="long",
        distance_m=30000,
    )
    response = coach_client.post(url(block), form([athlete], preview="1"), headers=HTMX)
    html = response.content.decode()
    assert "conflict" in html
    assert '<span class="badge text-bg-secondary">0 critical</span>' in html
    assert "text-bg-danger" not in html
    assert '<span class="badge text-bg-secondary">0 warnings</span>' in html
    assert "1 conflict this would create" in html
