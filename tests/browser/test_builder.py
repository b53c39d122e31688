import re
from io import StringIO

from django.core.management import call_command
from playwright.sync_api import expect

from programs.models import Block, Prescription
from tests.factories import PASSWORD, CoachFactory, ExerciseFactory, make_block


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
    row.get_by_label("Sets").fill("4")
    row.get_by_label("Sets").press("Enter")
    row = desktop.locator("form.rx-row.rx-saved").filter(has_text="Goblet squat").first
    expect(row).to_be_visible()
    expect(desktop.locator("#grid tr", has_text="Week 5")).to_contain_text("Goblet squat 4×")

    # A select saves as soon as it changes (issue #18): the row is swapped, so find it again.
    row.get_by_label("Load type").select_option("rpe")
    row = desktop.locator("form.rx-row").filter(has_text="Goblet squat").first
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


# Issue #18, item 7 and the builder's accessibility: no edit is lost, focus stays put,
# a keyboard does not save by accident, and htmx's swaps break no CSP rule.

WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


def builder_with_squats(page):
    """A coach's two-week block (one session: goblet squat and split squat, 4×8) open in
    the builder, with a library where "squat" finds several exercises."""
    coach = CoachFactory(email="nora@example.com")
    exercises = [ExerciseFactory(name="Goblet squat"), ExerciseFactory(name="Split squat")]
    ExerciseFactory(name="Squat jump")
    ExerciseFactory(name="Box squat")
    block = make_block(coach, exercises, weeks=2, sessions=1, dose={"sets": 4, "reps_min": 8})
    page.context.add_init_script(WATCH_CSP)
    sign_in(page, "nora@example.com")
    expect(page).not_to_have_url(re.compile("/login/"))
    page.goto(f"/blocks/{block.pk}/?week=1")
    expect(page.get_by_role("heading", name="Week 1")).to_be_visible()
    return block


def goblet(block) -> Prescription:
    return Prescription.objects.get(
        session__week__block=block, session__week__number=1, exercise__slug="goblet-squat"
    )


def row_of(page, name):
    return page.get_by_role("form", name=name, exact=True)


def focused_id(page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def assert_no_csp_violation(page):
    assert page.evaluate("window.cspViolations") == []


def test_an_edit_saves_when_the_coach_tabs_away_and_leaving_unsaved_warns(desktop):
    block = builder_with_squats(desktop)
    rx = goblet(block)
    row = row_of(desktop, "Goblet squat")

    row.get_by_label("Sets").fill("5")
    row.get_by_label("Sets").press("Tab")
    expect(row.get_by_role("status")).to_have_text("Saved")
    expect(row.get_by_label("Reps", exact=True)).to_be_focused()
    desktop.reload()
    expect(row_of(desktop, "Goblet squat").get_by_label("Sets")).to_have_value("5")
    rx.refresh_from_db()
    assert rx.sets == 5
    expect(desktop.locator("#grid-week-1")).to_contain_text("Goblet squat 5×")

    # Typed, not yet left: marked unsaved, and leaving asks first.
    row = row_of(desktop, "Goblet squat")
    row.get_by_label("Reps", exact=True).fill("9")
    expect(row.get_by_role("status")).to_have_text("Unsaved")
    expect(row).to_have_class(re.compile("rx-unsaved"))
    assert_no_csp_violation(desktop)
    with desktop.expect_event("dialog") as asked:
        desktop.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.accept()


def test_focus_stays_on_a_control_after_save_move_and_remove(desktop):
    block = builder_with_squats(desktop)
    rx = goblet(block)
    row = row_of(desktop, "Goblet squat")

    row.get_by_label("Sets").fill("6")
    row.get_by_role("button", name="Save Goblet squat").click()
    expect(row_of(desktop, "Goblet squat").get_by_role("status")).to_have_text("Saved")
    assert focused_id(desktop) == f"rx{rx.pk}-save"

    row_of(desktop, "Goblet squat").get_by_role("button", name="Move Goblet squat down").click()
    expect(desktop.locator(".rx-list form.rx-row").last).to_contain_text("Goblet squat")
    expect(desktop.locator(f"#rx{rx.pk}-down")).to_be_focused()

    row_of(desktop, "Goblet squat").get_by_role("button", name="Remove Goblet squat").click()
    expect(desktop.get_by_text("Goblet squat removed.")).to_be_visible()
    expect(desktop.get_by_role("button", name="Undo")).to_be_focused()
    assert focused_id(desktop) == f"rx{rx.pk}-undo"
    assert_no_csp_violation(desktop)


def test_an_arrow_key_in_the_phase_select_saves_only_on_leaving_it(desktop):
    block = builder_with_squats(desktop)
    phase = desktop.get_by_label("Phase of week 1")
    phase.focus()
    phase.press("ArrowDown")
    desktop.wait_for_timeout(500)
    assert block.weeks.get(number=1).phase == "foundation"

    phase.press("Tab")
    expect(desktop.locator("#grid-week-1 .phase-badge")).not_to_have_text("Foundation")
    assert block.weeks.get(number=1).phase != "foundation"
    expect(desktop.locator("body")).not_to_be_focused()
    assert focused_id(desktop) != ""
    assert_no_csp_violation(desktop)


def test_enter_in_the_picker_adds_nothing_and_a_chosen_result_is_added(desktop):
    block = builder_with_squats(desktop)
    session = block.weeks.get(number=1).sessions.get()
    grid_fetches: list[str] = []
    desktop.on(
        "request", lambda r: r.headers.get("hx-target") == "grid" and grid_fetches.append(r.url)
    )
    picker = desktop.get_by_role("searchbox")
    picker.fill("squat")
    results = desktop.locator(".picker-results button")
    expect(results).to_have_count(4)

    picker.press("Enter")
    desktop.wait_for_timeout(500)
    assert session.prescriptions.count() == 2
    expect(desktop.locator(".rx-list form.rx-row")).to_have_count(2)
    expect(picker).to_be_focused()

    picker.press("ArrowDown")
    expect(results.nth(0)).to_be_focused()
    desktop.keyboard.press("ArrowDown")
    expect(results.nth(1)).to_be_focused()
    chosen = results.nth(1).locator("span").first.inner_text().strip()
    desktop.keyboard.press("Enter")
    expect(desktop.locator(".rx-list form.rx-row")).to_have_count(3)
    assert session.prescriptions.order_by("order").last().exercise.name == chosen
    new_row = desktop.locator(".rx-list form.rx-row").last
    expect(new_row.get_by_label("Sets")).to_be_focused()
    # The answer brought week 1's row of the grid along: it shows the exercise, and the
    # grid was not fetched again.
    expect(desktop.locator("#grid-week-1")).to_contain_text(chosen)
    assert grid_fetches == []
    assert_no_csp_violation(desktop)
