import re

from playwright.sync_api import expect

from tests.factories import PASSWORD, CoachFactory, ExerciseFactory


def sign_in(page, email):
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_live_search_filters_as_the_coach_types_without_reloading(desktop):
    CoachFactory(email="nora@example.com")
    ExerciseFactory(
        name="Romanian deadlift",
        aliases=["RDL"],
        load_class="heavy_lower",
        primary=["hamstrings"],
        cues="Hinge at the hips\nSoft knees",
    )
    ExerciseFactory(name="Clamshell", primary=["glute_medius"])
    ExerciseFactory(name="Plié squat", primary=["hip_adductors"])
    sign_in(desktop, "nora@example.com")

    desktop.get_by_role("link", name="Library").click()
    results = desktop.locator("#results")
    expect(results.get_by_role("link")).to_have_count(3)
    desktop.evaluate("window.notReloaded = true")

    desktop.get_by_role("searchbox").fill("rdl")
    expect(results.get_by_role("link")).to_have_count(1)
    expect(results.get_by_role("link", name="Romanian deadlift")).to_be_visible()
    expect(desktop).to_have_url(re.compile(r"/library/\?q=rdl"))

    desktop.get_by_role("searchbox").fill("PLIE")
    expect(results.get_by_role("link", name="Plié squat")).to_be_visible()
    expect(results.get_by_role("link")).to_have_count(1)

    desktop.get_by_role("searchbox").fill("")
    desktop.get_by_label("Muscle").select_option("glute_medius")
    expect(results.get_by_role("link")).to_have_count(1)
    expect(results.get_by_role("link", name="Clamshell")).to_be_visible()
    assert desktop.evaluate("window.notReloaded") is True

    desktop.get_by_label("Muscle").select_option("")
    desktop.get_by_role("searchbox").fill("romanian")
    results.get_by_role("link", name="Romanian deadlift").click()
    expect(desktop.get_by_role("heading", name="Romanian deadlift")).to_be_visible()
    expect(desktop.get_by_text("Hinge at the hips")).to_be_visible()
