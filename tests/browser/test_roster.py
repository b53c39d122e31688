"""Issue #8 end to end on the demo data: the roster says who needs attention and why; the
coach opens the athlete, acknowledges a flag, comes back; then assigns a block to a group."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from athletes.models import AthleteGroup
from programs.models import Assignment, Flag
from tests.factories import PASSWORD, AthleteFactory, CoachFactory, link


def test_roster_to_athlete_acknowledge_and_back_then_assign_a_group(desktop):
    call_command("seed_demo", verbosity=0)
    desktop.context.set_default_timeout(15_000)
    desktop.goto("/login/")
    desktop.get_by_label("Email").fill("coach@example.com")
    desktop.get_by_label("Password").fill("runstrong-demo")
    desktop.get_by_role("button", name="Sign in").click()
    expect(desktop).to_have_url(re.compile(r"/coach/$"))

    chloe = desktop.locator("tr", has=desktop.get_by_role("link", name="Chloé Martin", exact=True))
    expect(chloe).to_contain_text("critical")
    expect(chloe).to_contain_text("Calf")
    critical_before = Flag.objects.filter(
        athlete__user__email="chloe@example.com", severity="critical", acknowledged_at=None
    ).count()
    assert critical_before >= 1

    chloe.get_by_role("link", name="Chloé Martin", exact=True).click()
    expect(desktop.get_by_role("heading", name="Chloé Martin", exact=True)).to_be_visible()
    flag = desktop.locator(".flag", has_text="HEAVY_BEFORE_LONG_RUN").first
    flag.get_by_placeholder("Note (optional)").fill("Race-pace rehearsal, planned")
    flag.get_by_role("button", name="Acknowledge").click()
    expect(desktop.get_by_text(re.compile("Acknowledged HEAVY_BEFORE_LONG_RUN"))).to_be_visible()
    assert Flag.objects.filter(note="Race-pace rehearsal, planned").count() == 1

    desktop.get_by_role("navigation", name="breadcrumb").get_by_role(
        "link", name="Athletes"
    ).click()
    expect(desktop).to_have_url(re.compile(r"/coach/$"))
    chloe = desktop.locator("tr", has=desktop.get_by_role("link", name="Chloé Martin", exact=True))
    remaining = critical_before - 1
    if remaining:
        expect(chloe).to_contain_text(f"{remaining} critical")
    else:
        expect(chloe).not_to_contain_text("critical")

    desktop.get_by_role("link", name=re.compile("Groups")).first.click()
    desktop.get_by_label("Group name").fill("Marathon squad")
    desktop.get_by_role("button", name="Make a group").click()
    desktop.get_by_label("Ana Ruiz").check()
    desktop.get_by_label("Ben Okafor").check()
    desktop.get_by_role("button", name="Save").click()
    expect(desktop.get_by_text("Saved “Marathon squad”.")).to_be_visible()

    desktop.goto("/blocks/")
    desktop.get_by_role("link", name="In-season maintenance").first.click()
    desktop.get_by_role("link", name="Assign to athletes").click()
    desktop.get_by_label("…or all of a group").select_option(label="Marathon squad")
    desktop.get_by_role("button", name="Preview").click()
    expect(desktop.get_by_role("article", name="Ana Ruiz")).to_be_visible()
    expect(desktop.get_by_role("article", name="Ben Okafor")).to_be_visible()
    expect(desktop.get_by_role("article", name="Chloé Martin")).to_have_count(0)
    # Both are on a block already: the coach says what the new one does to it (issue #18).
    desktop.get_by_label("Add alongside").check()
    desktop.get_by_role("button", name="Assign to 2 athletes").click()
    expect(
        desktop.get_by_text(re.compile("Assigned “In-season maintenance” to 2 athletes"))
    ).to_be_visible()
    assigned = set(
        Assignment.objects.filter(block_name="In-season maintenance").values_list(
            "athlete__user__email", flat=True
        )
    )
    assert assigned == {"ana@example.com", "ben@example.com"}


def test_the_roster_pages_by_keyboard_and_keeps_the_filters(desktop):
    coach = CoachFactory(email="pia@example.com")
    group = AthleteGroup.objects.create(coach=coach, name="Track")
    for number in range(60):
        user = AthleteFactory(name=f"Runner {number:02}")
        link(coach, user)
        if number % 3:
            group.athletes.add(user.athlete_profile)
    desktop.context.set_default_timeout(15_000)
    desktop.goto("/login/")
    desktop.get_by_label("Email").fill("pia@example.com")
    desktop.get_by_label("Password").fill(PASSWORD)
    desktop.get_by_role("button", name="Sign in").click()
    expect(desktop).to_have_url(re.compile(r"/coach/$"))
    expect(desktop.get_by_text("Athletes 1 to 25 of 60")).to_be_visible()

    desktop.get_by_label("Group").select_option(label="Track")
    desktop.get_by_label("Sort").select_option(label="Name")
    expect(desktop.get_by_text("40 shown of 60 athletes")).to_be_visible()
    expect(desktop).to_have_url(re.compile(r"group=\d+.*sort=name"))
    desktop.get_by_role("navigation", name="Roster pages").get_by_role(
        "link", name="Next page"
    ).focus()
    desktop.keyboard.press("Enter")

    expect(desktop.get_by_text("Athletes 26 to 40 of 40")).to_be_visible()
    expect(desktop).to_have_url(re.compile(r"group=\d+.*sort=name.*page=2"))
    rows = desktop.locator("#roster tbody tr")
    expect(rows).to_have_count(15)
    expect(rows.first).to_contain_text("Runner 38")
    expect(desktop.get_by_label("Group")).to_have_value(str(group.pk))
