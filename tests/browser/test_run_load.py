"""Issue 15, item 4, on a phone: a done run's distance, time and pace beside its plan, and
the running weeks' chart, each within 390 px."""

from playwright.sync_api import expect

from programs.models import Run
from programs.units import local_today
from tests.browser.test_runs import sign_in
from tests.factories import AthleteFactory, make_runs_for_a_year


def test_a_done_run_and_the_running_weeks_fit_a_phone(phone):
    user = AthleteFactory(email="mia@example.com", name="Mia Miles")
    today = local_today(user)
    make_runs_for_a_year(user.athlete_profile, today=today)
    Run.objects.filter(date=today).delete()
    Run.objects.create(
        athlete=user.athlete_profile,
        date=today,
        run_type="race",
        title="Parkrun",
        distance_m=5000,
        duration_s=1200,
        status="done",
        actual_distance_m=5020,
        actual_duration_s=1187,
    )

    sign_in(phone, "mia@example.com", "/calendar/")

    race = phone.locator(".calendar-today .cal-run", has_text="Race")
    expect(race).to_contain_text("5 km 20 min")
    expect(race).to_contain_text("Done 5.02 km · 0:19:47 · 3:56 /km")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.goto("/progress/")
    chart = phone.get_by_role("img", name="Running per week, planned and done, the last 16 weeks")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] <= 390
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_text("The 16 weeks as a table").click()
    expect(phone.locator("#running-volume tbody tr")).to_have_count(16)
