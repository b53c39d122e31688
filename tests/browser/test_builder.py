import re
from io import StringIO

from django.core.management import call_command
from playwright.sync_api import expect

from programs.models import Block, Prescription
from tests.factories import PASSWORD, CoachFactory


def sign_in(page, email):
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_coach_builds_from_the_seed_template_edits_progresses_copies_and_prints(desktop):
    call_command("load_library", stdout=StringIO())
    call_command("load_templates", stdout=StringIO())
    coach = CoachFactory(email="nora@example.com")
    sign_in(desktop, "nora@example.com")

    desktop.get_by_role("link", name="Blocks").click()
    template = desktop.get_by_role("listitem").filter(has_text="12-week runner strength")
    template.get_by_role("button", name="Use this template").click()
    expect(
        desktop.get_by_role("heading", name="12-week runner strength (3 phases)")
    ).to_be_visible()
    block = Block.objects.get(owner=coach)

    desktop.locator("#grid").get_by_role("link", name="Week 5").click()
    expect(desktop.get_by_role("heading", name="Week 5")).to_be_visible()
    row = desktop.locator("form.rx-row").filter(has_text="Goblet squat").first
    sets = row.get_by_label("Sets")
    sets.fill("4")
    sets.press("Enter")
    row = desktop.locator("form.rx-row.rx-saved").filter(has_text="Goblet squat").first
    expect(row).to_be_visible()
    expect(desktop.locator("#grid tr", has_text="Week 5")).to_contain_text("Goblet squat 4×")

    row.get_by_label("Load type").select_option("rpe")
    row.get_by_label("Load value").fill("11")
    row.get_by_label("Load value").press("Enter")
    error_row = desktop.locator("form.rx-row").filter(has_text="Goblet squat").first
    expect(error_row.get_by_role("alert")).to_contain_text("RPE is between 1 and 10")
    goblet_week5 = (
        Prescription.objects.filter(
            session__week__block=block, session__week__number=5, exercise__slug="goblet-squat"
        )
        .order_by("session__order", "order")
        .first()
    )
    assert goblet_week5.sets == 4
    assert goblet_week5.load_value != 11
    error_row.get_by_label("Load value").fill("8")
    error_row.get_by_label("Load value").press("Enter")
    expect(
        desktop.locator("form.rx-row.rx-saved").filter(has_text="Goblet squat").first
    ).to_be_visible()

    picker = desktop.locator(".session-card").first.get_by_role("searchbox")
    picker.fill("pogo")
    desktop.locator(".session-card").first.get_by_role(
        "button", name=re.compile("Pogo hops")
    ).click()
    expect(
        desktop.locator(".session-card").first.locator("form.rx-row", has_text="Pogo hops")
    ).to_be_visible()

    desktop.get_by_text("Progression and deloads").click()
    desktop.get_by_label("Rebuild from week").fill("6")
    desktop.get_by_label("Deload every N weeks").fill("4")
    desktop.get_by_role("button", name="Apply").click()
    expect(desktop.get_by_text("Rebuilt 7 week(s)")).to_be_visible()
    expect(desktop.locator("#grid tr", has_text="Week 8")).to_contain_text("Deload")
    assert list(block.weeks.filter(number__gte=5).values_list("number", "phase")) == [
        (5, "strength"),
        (6, "strength"),
        (7, "strength"),
        (8, "deload"),
        (9, "power"),
        (10, "power"),
        (11, "power"),
        (12, "deload"),
    ]

    desktop.locator("#grid").get_by_role("link", name="Week 5").click()
    desktop.get_by_text("Copy this week…").click()
    desktop.locator(".copy-week").get_by_label("7", exact=True).check()
    desktop.get_by_role("button", name="Copy week 5").click()
    expect(desktop.get_by_text("Week 5 copied to 1 week(s).")).to_be_visible()
    assert Prescription.objects.filter(
        session__week__block=block, session__week__number=7, exercise__slug="pogo-hops"
    ).exists()

    desktop.get_by_role("link", name="Print").click()
    expect(desktop.locator(".print-week")).to_have_count(12)
    desktop.emulate_media(media="print")
    expect(desktop.locator("nav.navbar")).to_be_hidden()
