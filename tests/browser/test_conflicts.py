"""Issue #6 end to end: the coach sees the conflicts an assignment would create, finds them
in the inbox and on the athlete's page, applies the suggested fix, and the flag is gone."""

import datetime
import re

from playwright.sync_api import expect

from programs.models import Flag, Run
from programs.schedule import services as schedule_services
from tests.browser.test_runs import sign_in
from tests.browser.test_schedule import next_monday
from tests.factories import AthleteFactory, CoachFactory, ExerciseFactory, link, make_block

HEAVY = {"sets": 4, "reps_min": 5, "load_type": "pct_1rm", "load_value": 80}


def test_coach_sees_a_conflict_everywhere_and_fixes_it(desktop):
    coach = CoachFactory(email="coach@example.com", name="Casey Coach")
    athlete = AthleteFactory(email="mia@example.com", name="Mia Miles")
    link(coach, athlete)
    easier = ExerciseFactory(name="Goblet squat", load_class="light_lower")
    squat = ExerciseFactory(name="Back squat", load_class="heavy_lower", easier=easier)
    block = make_block(
        coach, [squat], name="Heavy block", weeks=1, sessions=2, days=[1, 4], dose=HEAVY
    )
    monday = next_monday()
    friday = monday + datetime.timedelta(days=4)
    Run.objects.create(
        athlete=athlete.athlete_profile, date=friday, run_type="long", distance_m=30000
    )

    sign_in(desktop, "coach@example.com", f"/blocks/{block.pk}/assign/")
    desktop.get_by_label("Mia Miles").check()
    desktop.get_by_label("Start date").fill(monday.isoformat())
    desktop.get_by_role("button", name="Preview").click()
    preview = desktop.get_by_role("article", name="Mia Miles")
    expect(preview).to_contain_text("1 critical")
    expect(preview).to_contain_text("is the day before your long run (30 km)")
    desktop.get_by_role("button", name="Assign to 1 athlete").click()
    expect(desktop.get_by_role("heading", name="Mia Miles · calendar")).to_be_visible()

    desktop.get_by_role("link", name="Conflicts", exact=True).click()
    first = desktop.locator(".flag").first
    expect(first).to_contain_text("Critical")
    expect(first).to_contain_text("HEAVY_BEFORE_LONG_RUN")
    first.get_by_role("link", name="Mia Miles").click()

    expect(desktop.get_by_role("heading", name="Mia Miles", exact=True)).to_be_visible()
    critical = desktop.locator(".flag", has_text="HEAVY_BEFORE_LONG_RUN")
    expect(critical).to_contain_text("Fix: Move")
    critical.get_by_role("button", name=re.compile("^Apply fix")).click()

    expect(desktop.get_by_text(re.compile(r"^\s*Done: Move"))).to_be_visible()
    expect(desktop.locator(".flag", has_text="HEAVY_BEFORE_LONG_RUN")).to_have_count(0)
    assert not Flag.objects.filter(code="HEAVY_BEFORE_LONG_RUN").exists()


def test_the_inbox_acknowledges_with_enter_and_applies_a_fix(desktop):
    """Each flag in the inbox is one form: Enter in the note acknowledges that flag, and
    Apply fix posts the same form to the fix."""
    coach = CoachFactory(email="coach@example.com", name="Casey Coach")
    athlete = AthleteFactory(email="mia@example.com", name="Mia Miles")
    link(coach, athlete)
    easier = ExerciseFactory(name="Goblet squat", load_class="light_lower")
    squat = ExerciseFactory(name="Back squat", load_class="heavy_lower", easier=easier)
    block = make_block(
        coach, [squat], name="Heavy block", weeks=1, sessions=2, days=[1, 2], dose=HEAVY
    )
    monday = next_monday()
    Run.objects.create(
        athlete=athlete.athlete_profile,
        date=monday + datetime.timedelta(days=2),
        run_type="long",
        distance_m=30000,
    )
    schedule_services.assignment_create(
        block=block,
        athletes=[athlete.athlete_profile],
        start=monday,
        weekdays=[1, 2],
        assigned_by=coach,
    )
    close = Flag.objects.get(code="STRENGTH_DAYS_TOO_CLOSE")
    assert Flag.objects.filter(code="HEAVY_BEFORE_LONG_RUN").exists()

    sign_in(desktop, "coach@example.com", "/flags/")
    row = desktop.locator(f"#flag-{close.pk}")
    row.get_by_placeholder("Note (optional)").fill("Travel week")
    row.get_by_placeholder("Note (optional)").press("Enter")
    expect(desktop.get_by_text(re.compile("Acknowledged STRENGTH_DAYS_TOO_CLOSE"))).to_be_visible()
    close.refresh_from_db()
    assert close.note == "Travel week"
    assert Flag.objects.get(code="HEAVY_BEFORE_LONG_RUN").acknowledged_at is None

    heavy = desktop.locator(".flag", has_text="HEAVY_BEFORE_LONG_RUN")
    heavy.get_by_role("button", name=re.compile("^Apply fix")).click()
    expect(desktop.get_by_text(re.compile(r"^\s*Done: Move"))).to_be_visible()
    expect(desktop).to_have_url(re.compile(r"/flags/$"))
    assert not Flag.objects.filter(code="HEAVY_BEFORE_LONG_RUN").exists()
