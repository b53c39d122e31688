"""Issue #18's coach pages in the browser: the roster on a phone is a card per athlete with
no sideways scroll; a coach who opens an athlete's calendar is shown the way."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from athletes.models import AthleteProfile, User

DEMO_PASSWORD = "runstrong-demo"


def _sign_in(page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_roster_on_a_phone_is_a_card_per_athlete(phone):
    call_command("seed_demo", verbosity=0)
    phone.context.set_default_timeout(15_000)
    _sign_in(phone, "coach@example.com")
    expect(phone).to_have_url(re.compile(r"/coach/$"))
    coach = User.objects.get(email="coach@example.com")
    names = list(AthleteProfile.objects.coached_by(coach).values_list("user__name", flat=True))
    assert len(names) >= 3

    cards = phone.locator("#roster tbody tr")
    expect(cards).to_have_count(len(names))
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 390
    for name in names:
        card = cards.filter(has=phone.get_by_role("link", name=name, exact=True))
        expect(card).to_be_visible()
        box = card.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390
        assert card.evaluate("row => getComputedStyle(row).display") == "block"
        # Each value is named in the card, as the hidden column header names it on a desk.
        label = card.locator('td[data-label="Open flags"]').evaluate(
            "cell => getComputedStyle(cell, '::before').content"
        )
        assert label == '"Open flags"'


def test_the_roster_on_a_desk_is_still_a_table(desktop):
    call_command("seed_demo", verbosity=0)
    desktop.set_viewport_size({"width": 1366, "height": 900})
    desktop.context.set_default_timeout(15_000)
    _sign_in(desktop, "coach@example.com")
    header = desktop.locator("#roster thead")
    expect(header).to_be_visible()
    first = desktop.locator("#roster tbody tr").first
    assert first.evaluate("row => getComputedStyle(row).display") == "table-row"


def test_a_coach_on_the_athletes_calendar_is_shown_the_way(desktop):
    call_command("seed_demo", verbosity=0)
    desktop.set_viewport_size({"width": 1366, "height": 900})
    desktop.context.set_default_timeout(15_000)
    _sign_in(desktop, "coach@example.com")
    desktop.goto("/calendar/")
    expect(desktop.get_by_text("This page is an athlete's own calendar.")).to_be_visible()
    desktop.get_by_role("list", name="Your athletes' calendar").get_by_role(
        "link", name="Ana Ruiz"
    ).click()
    expect(desktop).to_have_url(re.compile(r"/calendar/athlete/\d+/"))
