"""Issue #18, item 5, on a phone (390x844): a runner without a coach signs up as their own
coach, starts a built-in block, and finds today's session on Today."""

import datetime
import re
import zoneinfo

from playwright.sync_api import expect

from athletes.models import CoachingLink, User
from programs.models import Assignment
from tests.factories import ExerciseFactory, make_builtin_template

DAY_LABELS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def test_a_runner_signs_up_starts_a_template_and_lands_on_today(phone):
    make_builtin_template(
        [ExerciseFactory(name="Split squat"), ExerciseFactory(name="Calf raise")],
        key="phone-start",
        name="Runner basics",
        weeks=1,
        sessions=1,
    )
    # The account's time zone is London's: "today" there, whatever the machine's.
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/London")).date()

    phone.goto("/signup/")
    phone.get_by_label("I'm a runner coaching myself").check()
    phone.get_by_label("Your name").fill("Rosa Runner")
    phone.get_by_label("Email").fill("rosa@example.com")
    phone.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill("rosa-runs-far-2026")
    phone.get_by_label("Password confirmation").fill("rosa-runs-far-2026")
    phone.get_by_role("button", name="Create account").click()

    expect(phone).to_have_url(re.compile(r"/coach/start/$"))
    expect(phone.get_by_role("heading", name="Get started")).to_be_visible()
    rosa = User.objects.get(email="rosa@example.com")
    expect(phone.get_by_role("link", name="Plan a season")).to_have_attribute(
        "href", f"/coach/athletes/{rosa.athlete_profile.pk}/season/"
    )
    card = phone.locator("article", has=phone.get_by_role("heading", name="Runner basics"))
    expect(card).to_contain_text("1 week · 1 session a week")
    # Today instead of next Monday, on today's weekday: open "change" and set them.
    card.locator("summary").click()
    card.get_by_label("Start date").fill(today.isoformat())
    for number, label in enumerate(DAY_LABELS, start=1):
        box = card.get_by_label(label, exact=True)
        box.set_checked(number == today.isoweekday())
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    card.get_by_role("button", name="Start this block").click()

    expect(phone).to_have_url(re.compile(r"/athlete/$"))
    expect(phone.get_by_role("heading", name="Hi Rosa")).to_be_visible()
    expect(phone.get_by_text("“Runner basics” starts")).to_be_visible()
    expect(phone.get_by_role("heading", name="Split squat")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # Both menus: the athlete's and the coach's.
    phone.get_by_role("button", name="Menu").click()
    for name in ("Today", "Calendar", "Runs", "Athletes", "Blocks"):
        expect(phone.get_by_role("link", name=name, exact=True)).to_be_visible()

    (assignment,) = Assignment.objects.all()
    assert assignment.athlete == rosa.athlete_profile
    assert assignment.block.owner == rosa
    assert CoachingLink.objects.active().get(athlete__user=rosa).coach == rosa
