"""Issue #14 end to end: a long run 50 % longer than the athlete's longest of the last 30
days. The coach finds the flag, with its code, on the athlete's page on a laptop; the
athlete reads its plain title on Today, below the workout, and never the code."""

import datetime
import re

from playwright.sync_api import expect

from programs.conflicts.services import conflicts_sync
from programs.models import Flag, Run
from programs.schedule import services
from programs.units import local_today
from tests.browser.test_runs import sign_in
from tests.factories import AthleteFactory, CoachFactory, ExerciseFactory, link, make_block

TITLE = "A run much longer than your recent longest"
DOSE = {"sets": 3, "reps_min": 10, "load_type": "bodyweight"}


def athlete_with_a_spike_ahead():
    """A session today of two exercises; runs done 40, 25 and 10 days ago (18, 19 and
    20 km: none more than 10 % over the one before, and the first is more than 30 days back,
    so the rule has its baseline), and a 30 km long run in two days."""
    coach = CoachFactory(email="coach@example.com", name="Casey Coach")
    athlete = AthleteFactory(email="mia@example.com", name="Mia Miles")
    link(coach, athlete)
    profile = athlete.athlete_profile
    today = local_today(athlete)
    exercises = [ExerciseFactory(name="Calf raise"), ExerciseFactory(name="Side plank")]
    block = make_block(coach, exercises, name="Base", weeks=1, sessions=1, dose=DOSE)
    services.assignment_create(
        block=block,
        athletes=[profile],
        start=today,
        weekdays=[today.isoweekday()],
        assigned_by=coach,
    )
    for days_ago, km in [(40, 18), (25, 19), (10, 20)]:
        Run.objects.create(
            athlete=profile,
            date=today - datetime.timedelta(days=days_ago),
            run_type="long",
            distance_m=km * 1000,
            status="done",
        )
    Run.objects.create(
        athlete=profile,
        date=today + datetime.timedelta(days=2),
        run_type="long",
        distance_m=30_000,
    )
    conflicts_sync(athletes=[profile])
    return profile


def test_the_coach_sees_the_code_and_the_athlete_the_title_below_the_workout(desktop, phone):
    profile = athlete_with_a_spike_ahead()
    flag = Flag.objects.get(athlete=profile, code="RUN_DISTANCE_SPIKE")
    assert flag.severity == "warning"  # 50 % longer: shown on Today

    desktop.set_viewport_size({"width": 1366, "height": 900})
    sign_in(desktop, "coach@example.com", f"/coach/athletes/{profile.pk}/")
    spike = desktop.locator(".flag", has_text="RUN_DISTANCE_SPIKE")
    expect(spike).to_be_visible()
    expect(spike).to_contain_text(TITLE)
    expect(spike).to_contain_text("Warning")
    expect(spike).to_contain_text("30 km")

    sign_in(phone, "mia@example.com", "/athlete/")
    expect(phone.get_by_role("heading", name=re.compile("Today's strength"))).to_be_visible()
    heads_up = phone.locator("#today-flags")
    expect(heads_up.get_by_role("link", name=re.compile(TITLE))).to_be_visible()
    cards = phone.locator("article.rx-log")
    expect(cards).to_have_count(2)
    last_card = cards.last.bounding_box()
    flags_box = heads_up.bounding_box()
    assert flags_box["y"] >= last_card["y"] + last_card["height"], (flags_box, last_card)
    assert "RUN_DISTANCE_SPIKE" not in phone.content()
    expect(phone.locator("body")).not_to_contain_text("RUN_DISTANCE_SPIKE")
