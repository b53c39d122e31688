"""Issue #18 item 6 in the browser, at 1366x900: the squad calendar shows two athletes'
weeks, and dragging a session to another day in an athlete's row moves it."""

import datetime

from playwright.sync_api import expect

from programs.models import ScheduledSession
from programs.schedule import services
from tests.browser.test_runs import sign_in
from tests.factories import AthleteFactory, CoachFactory, ExerciseFactory, link, make_block


def next_monday() -> datetime.date:
    today = datetime.date.today()
    return today + datetime.timedelta(days=7 - today.weekday())


def test_the_squad_calendar_shows_the_squad_and_a_drag_moves_a_session(desktop):
    desktop.set_viewport_size({"width": 1366, "height": 900})
    coach = CoachFactory(email="coach@example.com", name="Casey Coach")
    mia = AthleteFactory(email="mia@example.com", name="Mia Miles")
    ben = AthleteFactory(email="ben@example.com", name="Ben Runner")
    for athlete in (mia, ben):
        link(coach, athlete)
    block = make_block(coach, [ExerciseFactory(name="Goblet squat")], weeks=1, sessions=1)
    monday = next_monday()
    tuesday, thursday = monday + datetime.timedelta(days=1), monday + datetime.timedelta(days=3)
    services.assignment_create(
        block=block,
        athletes=[mia.athlete_profile, ben.athlete_profile],
        start=monday,
        weekdays=[2],
        assigned_by=coach,
    )

    sign_in(desktop, "coach@example.com", f"/calendar/squad/?at={monday.isoformat()}")
    desktop.evaluate("window.sameDocument = true")
    grid = desktop.get_by_role("table")
    expect(grid).to_be_visible()
    mia_row = desktop.locator(f"#squad-row-{mia.athlete_profile.pk}")
    ben_row = desktop.locator(f"#squad-row-{ben.athlete_profile.pk}")
    expect(mia_row.get_by_role("link", name="Mia Miles")).to_be_visible()
    expect(ben_row.get_by_role("link", name="Ben Runner")).to_be_visible()
    for row in (mia_row, ben_row):
        expect(row.locator(f'[data-drop-date="{tuesday.isoformat()}"]')).to_contain_text(
            "Session A"
        )
    assert desktop.evaluate("document.scrollingElement.scrollWidth") <= 1366

    chip = mia_row.locator(".cal-strength", has_text="Session A")
    chip.drag_to(mia_row.locator(f'[data-drop-date="{thursday.isoformat()}"]'))

    expect(mia_row.locator(f'[data-drop-date="{thursday.isoformat()}"]')).to_contain_text(
        "Session A"
    )
    expect(mia_row.locator(f'[data-drop-date="{tuesday.isoformat()}"]')).not_to_contain_text(
        "Session A"
    )
    expect(desktop.locator("#squad-status")).to_contain_text("Moved Session A")
    assert ScheduledSession.objects.get(athlete=mia.athlete_profile).date == thursday
    # Ben's session stays where it was, and so does the page.
    assert ScheduledSession.objects.get(athlete=ben.athlete_profile).date == tuesday
    expect(ben_row.locator(f'[data-drop-date="{tuesday.isoformat()}"]')).to_contain_text(
        "Session A"
    )
    assert desktop.evaluate("window.sameDocument"), "the row was redrawn in place"

    # A drop on another athlete's row is refused: nothing moves.
    chip = mia_row.locator(".cal-strength", has_text="Session A")
    chip.drag_to(ben_row.locator(f'[data-drop-date="{monday.isoformat()}"]'))
    desktop.wait_for_load_state("networkidle")
    assert ScheduledSession.objects.get(athlete=mia.athlete_profile).date == thursday
