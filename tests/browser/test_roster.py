"""Issue #8 end to end on the demo data: the roster says who needs attention and why; the
coach opens the athlete, acknowledges a flag, comes back; then assigns a block to a group."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from programs.models import Assignment, Flag


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
