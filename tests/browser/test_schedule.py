"""Issue #5 end to end: a coach imports an athlete's .ics plan and assigns a block after a
preview; the athlete sees both on their phone calendar and subscribes to the feed."""

import datetime
import re

from icalendar import Calendar
from playwright.sync_api import expect

from programs.models import ScheduledSession
from tests.browser.test_runs import sign_in
from tests.factories import AthleteFactory, CoachFactory, ExerciseFactory, link, make_block


def next_monday() -> datetime.date:
    today = datetime.date.today()
    return today + datetime.timedelta(days=7 - today.weekday())


def plan_ics(monday: datetime.date) -> str:
    tempo, long_run = monday + datetime.timedelta(days=1), monday + datetime.timedelta(days=6)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Plan//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:tempo-1@plan\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART;VALUE=DATE:{tempo:%Y%m%d}\r\nSUMMARY:Tempo 8 km @ HM pace\r\nEND:VEVENT\r\n"
        f"BEGIN:VEVENT\r\nUID:long-1@plan\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART;VALUE=DATE:{long_run:%Y%m%d}\r\nSUMMARY:Long run 30 km\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )


def coach_imports_the_plan(page, profile, plan) -> None:
    sign_in(page, "coach@example.com", f"/runs/athlete/{profile.pk}/import/")
    page.get_by_label("Training plan (.ics or .csv)").set_input_files(str(plan))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status")).to_contain_text("2 created")


def coach_assigns_after_a_preview(page, block, monday: datetime.date) -> None:
    page.goto(f"/blocks/{block.pk}/")
    page.get_by_role("link", name="Assign to athletes").click()
    page.get_by_label("Mia Miles").check()
    page.get_by_label("Start date").fill(monday.isoformat())
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("article", name="Mia Miles")
    expect(preview).to_contain_text("Long run 30 km")
    expect(preview.locator(".preview-new")).to_have_count(8)
    assert not ScheduledSession.objects.exists(), "a preview writes nothing"
    page.get_by_role("button", name="Assign to 1 athlete").click()
    expect(page.get_by_text("Assigned “Base block” to 1 athlete")).to_be_visible()
    expect(page.get_by_role("heading", name="Mia Miles · calendar")).to_be_visible()


def athlete_sees_the_week(page, monday: datetime.date) -> None:
    sign_in(page, "mia@example.com", "/athlete/")
    page.get_by_role("link", name="Your calendar").click()
    page.get_by_role("link", name="Next week").click()
    first_day = page.locator(".calendar-day", has_text=f"{monday:%A} {monday.day} ")
    expect(first_day).to_contain_text("Session A")
    expect(first_day).to_contain_text("Goblet squat 3×10")
    tuesday = page.locator(".calendar-day").nth(1)
    expect(tuesday).to_contain_text("Tempo")
    expect(tuesday).to_contain_text("Key")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def athlete_subscribes(page) -> str:
    page.get_by_role("link", name="Subscribe in your calendar app").click()
    page.get_by_role("button", name="Create my calendar address").click()
    address = page.get_by_label("Your private calendar address").input_value()
    assert re.search(r"/feed/[\w-]{40,}\.ics$", address)
    expect(page.get_by_role("link", name="Subscribe on this device")).to_have_attribute(
        "href", re.compile(r"^webcal://")
    )
    return address


def test_coach_imports_and_assigns_then_the_athlete_sees_and_subscribes(desktop, phone, tmp_path):
    coach = CoachFactory(email="coach@example.com", name="Casey Coach")
    athlete = AthleteFactory(email="mia@example.com", name="Mia Miles")
    link(coach, athlete)
    squat = ExerciseFactory(name="Goblet squat", load_class="heavy_lower")
    block = make_block(coach, [squat], name="Base block", weeks=4, sessions=2, days=[1, 4])
    monday = next_monday()
    plan = tmp_path / "plan.ics"
    plan.write_text(plan_ics(monday))

    coach_imports_the_plan(desktop, athlete.athlete_profile, plan)
    coach_assigns_after_a_preview(desktop, block, monday)
    assert ScheduledSession.objects.filter(athlete=athlete.athlete_profile).count() == 8
    athlete_sees_the_week(phone, monday)
    address = athlete_subscribes(phone)

    # The feed opens without signing in, from a browser that never signed in.
    stranger = desktop.context.browser.new_context()
    try:
        feed = stranger.request.get(address)
        assert feed.ok
        assert feed.headers["content-type"].startswith("text/calendar")
        events = Calendar.from_ical(feed.body()).walk("VEVENT")
        summaries = sorted(str(event["SUMMARY"]) for event in events)
        assert len(summaries) == 10
        assert summaries.count("Strength · Session A") == 4
        assert any(s.startswith("Long run 30 km") for s in summaries), summaries
    finally:
        stranger.close()


def test_coach_drags_a_session_to_another_day_in_the_month(desktop):
    from programs.schedule import services

    coach = CoachFactory(email="coach@example.com", name="Casey Coach")
    athlete = AthleteFactory(email="mia@example.com", name="Mia Miles")
    link(coach, athlete)
    block = make_block(coach, [ExerciseFactory(name="Goblet squat")], weeks=1, sessions=1)
    monday = next_monday()
    services.assignment_create(
        block=block,
        athletes=[athlete.athlete_profile],
        start=monday,
        weekdays=[1],
        assigned_by=coach,
    )
    profile = athlete.athlete_profile
    sign_in(desktop, "coach@example.com", "/coach/")
    desktop.goto(f"/calendar/athlete/{profile.pk}/?view=month&at={monday.isoformat()}")
    desktop.evaluate("window.sameDocument = true")
    wednesday = monday + datetime.timedelta(days=2)
    chip = desktop.locator(".cal-strength", has_text="Session A")
    # The whole month in view: Chromium starts no drag at the window's edge.
    desktop.set_viewport_size({"width": 1280, "height": 1200})
    chip.drag_to(desktop.locator(f'[data-drop-date="{wednesday.isoformat()}"]'))

    expect(desktop.get_by_text(f"Moved Session A ({wednesday:%a} {wednesday.day}")).to_be_visible()
    moved = desktop.locator(f'[data-drop-date="{wednesday.isoformat()}"] .cal-strength')
    expect(moved).to_have_text("Session A")
    assert ScheduledSession.objects.get().date == wednesday
    assert desktop.evaluate("window.sameDocument"), "htmx swapped the calendar in place"
