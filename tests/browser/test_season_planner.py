"""Issue #16 end to end: on a laptop a coach plans an athlete's season up to an A race,
sees its phases on the calendar, moves one session to another day of its week (the engine
checks the edited plan again), and applies it; on a phone the athlete finds the season's
first session on Today, on its date."""

import datetime
import re

from playwright.sync_api import expect

from programs.models import Run, ScheduledSession, SeasonDraft
from programs.seasons.edits import move_targets, plan_from_data
from programs.units import local_today
from tests.browser.test_runs import sign_in
from tests.factories import AthleteFactory, CoachFactory, link
from tests.programs.seasons.records import load_library

LAPTOP = {"width": 1366, "height": 900}
WEEKS = 10


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def runner_with_an_a_race():
    """Mia: an easy run the day after today's weekday and a long run five days after it,
    every week, up to an A half marathon in ten weeks (on a long run's day). With today
    and three days on as the preferred strength days, the season's first session is
    today, whatever day of the week the test runs (checked below, before the athlete
    looks)."""
    coach = CoachFactory(email="coach@example.com", name="Casey Coach")
    athlete = AthleteFactory(email="mia@example.com", name="Mia Miles")
    link(coach, athlete)
    load_library()
    profile = athlete.athlete_profile
    today = local_today(athlete)
    race = today + days(7 * WEEKS + 5)
    runs = []
    for week in range(WEEKS + 1):
        first = today + days(7 * week)
        runs.append(Run(athlete=profile, date=first + days(1), run_type="easy", distance_m=8000))
        if first + days(5) != race:
            runs.append(
                Run(athlete=profile, date=first + days(5), run_type="long", distance_m=16_000)
            )
    runs.append(
        Run(
            athlete=profile,
            date=race,
            run_type="race",
            race_priority="A",
            distance_m=21_100,
            title="City half",
        )
    )
    Run.objects.bulk_create(runs)
    return profile, today, race


def monday(day: datetime.date) -> datetime.date:
    return day - days(day.weekday())


def coach_plans_the_season(page, profile, today: datetime.date, race: datetime.date) -> None:
    page.set_viewport_size(LAPTOP)
    sign_in(page, "coach@example.com", f"/coach/athletes/{profile.pk}/")
    page.get_by_role("link", name="Plan a season").click()
    expect(page.get_by_role("heading", name="Plan a season for Mia Miles")).to_be_visible()
    expect(page.get_by_label("Start date")).to_have_value(today.isoformat())
    expect(page.get_by_text(f"the last A race, {race:%a} {race.day} {race:%b %Y}")).to_be_visible()
    preferred = page.get_by_role("group", name="Preferred strength days")
    for day in (today, today + days(3)):
        preferred.get_by_text(f"{day:%a}", exact=True).click()
    page.get_by_role("button", name="Plan the season").click()

    expect(page).to_have_url(re.compile(r"/season/draft/$"))
    phases = page.get_by_role("list", name="Phases")
    for phase in ("Foundation", "Strength", "Taper"):
        expect(phases).to_contain_text(phase)
    expect(page.locator(f"#week-{monday(race):%Y-%m-%d}")).to_contain_text("A race")
    expect(page.locator(f"#week-{monday(race):%Y-%m-%d}")).to_contain_text("Taper")
    easy = today + days(1)
    expect(page.locator(f"#week-{monday(easy):%Y-%m-%d}")).to_contain_text("Easy 8 km")
    expect(page.locator(".season-session .badge", has_text="Heavy").first).to_be_visible()
    expect(page.get_by_text("No warning or critical flag")).to_be_visible()
    assert not ScheduledSession.objects.exists(), "a draft writes nothing to the calendar"


def coach_moves_a_session(page):
    """The second week's first session to the first free day of its week, by keyboard."""
    plan = plan_from_data(SeasonDraft.objects.get().plan)
    session = plan.weeks[1].sessions[0]
    target = move_targets(plan, session)[0]
    chip = page.locator(f'[data-session="{session.id}"]')
    chip.locator("summary").focus()
    page.keyboard.press("Enter")
    chip.get_by_label("Move to").select_option(target.isoformat())
    chip.get_by_role("button", name="Move", exact=True).focus()
    page.keyboard.press("Enter")

    expect(page.locator("#season-status")).to_contain_text(
        f"Moved “{session.name}” from {session.date:%a} {session.date.day} {session.date:%b} "
        f"to {target:%a} {target.day} {target:%b}."
    )
    expect(page.locator(f'[data-session="plan-{target:%Y%m%d}"]')).to_contain_text(session.name)
    expect(page.locator(f'[data-session="{session.id}"]')).to_have_count(0)
    # The edited week keeps the focus, so the keyboard carries on where it was.
    expect(page.locator(f"#week-{monday(target):%Y-%m-%d} > th")).to_be_focused()
    assert SeasonDraft.objects.get().edits == 1
    return plan, session, target


def test_a_coach_plans_edits_and_applies_a_season_and_the_athlete_sees_it_today(desktop, phone):
    profile, today, race = runner_with_an_a_race()
    coach_plans_the_season(desktop, profile, today, race)
    plan, moved, target = coach_moves_a_session(desktop)
    first = plan.sessions[0]
    assert first.date == today, "the calendar above makes the first session today"

    desktop.get_by_role("link", name="Review the changes and apply").click()
    expect(desktop.get_by_role("heading", name="What applying changes")).to_be_in_viewport()
    desktop.get_by_role("button", name="Apply the season").click()
    expect(desktop.get_by_text(re.compile("Applied the season to Mia Miles"))).to_be_visible()
    expect(desktop.get_by_role("heading", name="Mia Miles · calendar")).to_be_visible()
    sessions = ScheduledSession.objects.filter(athlete=profile)
    assert sessions.count() == len(plan.sessions)
    assert sessions.filter(date=target, title=moved.name).exists()
    assert not sessions.filter(date=moved.date).exists()
    assert not SeasonDraft.objects.exists()

    sign_in(phone, "mia@example.com", "/athlete/")
    title = phone.locator("#session-title")
    expect(title).to_contain_text("Today's strength")
    expect(title).to_contain_text(first.name)
    expect(phone.locator("#session")).to_contain_text(first.exercises[0].name)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
