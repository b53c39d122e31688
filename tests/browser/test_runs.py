import re

from playwright.sync_api import expect

from programs.models import Run
from tests.factories import PASSWORD, AthleteFactory


def sign_in(page, email: str, next_path: str) -> None:
    page.goto(f"/login/?next={next_path}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def test_quick_add_a_long_run_in_two_taps_and_mark_it_done_on_a_phone(phone):
    AthleteFactory(email="mia@example.com", name="Mia Miles", distance_unit="mi")
    sign_in(phone, "mia@example.com", "/runs/")
    expect(phone.get_by_role("heading", name="Your runs")).to_be_visible()
    phone.evaluate("window.sameDocument = true")

    phone.locator("#quick-add label", has_text=re.compile(r"^Long$")).click()
    phone.get_by_label("Distance (mi)").fill("18")
    phone.get_by_role("button", name="Add run").click()

    listed = phone.locator("#runs li", has_text="18 mi")
    expect(listed).to_be_visible()
    expect(listed.get_by_text("Long run", exact=True)).to_be_visible()
    expect(listed.get_by_text("Key", exact=True)).to_be_visible()
    expect(phone.get_by_label("Distance (mi)")).to_have_value("")
    run = Run.objects.get()
    assert (run.run_type, run.distance_m) == ("long", 28_968)

    listed.get_by_role("button", name=re.compile(r"^Done")).click()

    expect(listed.get_by_text("Done", exact=True)).to_be_visible()
    expect(listed.get_by_role("button", name=re.compile(r"^Undo"))).to_be_visible()
    run.refresh_from_db()
    assert run.status == "done"
    assert phone.evaluate("window.sameDocument"), "htmx swapped the schedule in place"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_delete_asks_first_on_a_phone(phone):
    AthleteFactory(email="mia@example.com", name="Mia Miles")
    sign_in(phone, "mia@example.com", "/runs/")
    phone.get_by_label("Distance (km)").fill("8")
    phone.get_by_role("button", name="Add run").click()
    listed = phone.locator("#runs li", has_text="8 km")
    expect(listed).to_be_visible()

    listed.get_by_text("Edit, move or delete").click()
    phone.once("dialog", lambda dialog: dialog.accept())
    listed.get_by_role("link", name="Delete").click()

    expect(phone.get_by_text("Nothing planned from this week on")).to_be_visible()
    assert not Run.objects.exists()
