"""Issue #7 on a phone: log a session set by set, keep logging with no signal through a
reload, and find every set stored exactly once when the signal comes back."""

import datetime
import re

from playwright.sync_api import expect

from programs.models import SetLog
from programs.schedule import services
from tests.browser.test_runs import sign_in
from tests.factories import AthleteFactory, CoachFactory, ExerciseFactory, link, make_block

DOSE = {"sets": 3, "reps_min": 5, "load_type": "kg", "load_value": 60, "rest_s": 60}


def athlete_with_a_session_today():
    coach = CoachFactory(email="coach@example.com", name="Casey Coach")
    athlete = AthleteFactory(email="mia@example.com", name="Mia Miles")
    link(coach, athlete)
    exercises = [ExerciseFactory(name="Split squat"), ExerciseFactory(name="Romanian deadlift")]
    block = make_block(coach, exercises, name="Base", weeks=1, sessions=1, dose=DOSE)
    services.assignment_create(
        block=block,
        athletes=[athlete.athlete_profile],
        start=datetime.date.today(),
        weekdays=[datetime.date.today().isoweekday()],
        assigned_by=coach,
    )
    return athlete


def waiting(page):
    return page.locator(".sets .badge", has_text="waiting to sync")


def card(page, name):
    return page.locator("article.rx-log", has=page.get_by_role("heading", name=name))


def test_logging_survives_no_signal_and_a_reload(phone, desktop):
    athlete = athlete_with_a_session_today()
    sign_in(phone, "mia@example.com", "/athlete/")
    expect(phone.get_by_role("heading", name=re.compile("Today's strength"))).to_be_visible()
    # The page and its files are in the service worker's cache before the signal goes.
    phone.wait_for_function(
        """async () => {
            await navigator.serviceWorker.ready;
            const keys = await caches.keys();
            const cache = await caches.open(keys.find((k) => k.startsWith("runstrong-")));
            return Boolean(await cache.match("/athlete/"));
        }"""
    )

    squat = card(phone, "Split squat")
    squat.get_by_role("button", name=re.compile("Set 1")).click()
    expect(squat.locator(".sets li").first).to_have_text(re.compile(r"Set 1 ✓ 5 × 60 kg"))
    expect(phone.locator("#sync-status")).to_have_text("All sets saved")
    expect(phone.get_by_role("timer")).to_contain_text("Rest")
    assert SetLog.objects.count() == 1

    phone.context.set_offline(True)
    squat.get_by_role("button", name=re.compile("Set 2")).click()
    squat.get_by_label("Reps").fill("4")
    squat.get_by_role("button", name=re.compile("Set 3")).click()
    deadlift = card(phone, "Romanian deadlift")
    deadlift.get_by_role("button", name="One rep more").click()
    deadlift.get_by_role("button", name=re.compile("Set 1")).click()
    expect(waiting(phone)).to_have_count(3)
    expect(phone.locator("#sync-status")).to_have_text("3 sets waiting to sync (offline)")
    assert SetLog.objects.count() == 1

    phone.reload()
    expect(waiting(phone)).to_have_count(3)
    expect(deadlift.locator(".sets li")).to_have_text(re.compile(r"Set 1 ✓ 6 × 60 kg"))

    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    expect(phone.locator("#sync-status")).to_have_text("All sets saved")
    expect(waiting(phone)).to_have_count(0)
    logs = list(
        SetLog.objects.order_by("logged_at").values_list("exercise__name", "set_number", "reps")
    )
    assert logs == [
        ("Split squat", 1, 5),
        ("Split squat", 2, 5),
        ("Split squat", 3, 4),
        ("Romanian deadlift", 1, 6),
    ]
    assert SetLog.objects.filter(athlete=athlete.athlete_profile).count() == 4

    # The same set sent again (a retry whose answer was lost) stores nothing new.
    stored = SetLog.objects.first()
    answer = phone.evaluate(
        """async (set) => {
            const token = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
            const response = await fetch("/today/sets/", {method: "POST",
                headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                body: JSON.stringify({sets: [set]})});
            return (await response.json()).results[0].status;
        }""",
        {
            "id": str(stored.pk),
            "session": stored.session_id,
            "prescription": stored.prescription_id,
            "set": 1,
            "reps": 5,
            "load": "60",
            "performed_on": stored.performed_on.isoformat(),
        },
    )
    assert answer == "duplicate"
    assert SetLog.objects.count() == 4

    deadlift.get_by_label("Reps").fill("150")
    deadlift.get_by_role("button", name=re.compile("Set 2")).click()
    expect(deadlift.locator(".set-refused")).to_contain_text(
        "not saved: 150 × 60 kg: Reps must be between 0 and 100."
    )
    assert SetLog.objects.count() == 4
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # The coach sees the session as it was logged, against the plan.
    sign_in(desktop, "coach@example.com", "/coach/")
    desktop.goto(f"/logs/athlete/{athlete.athlete_profile.pk}/")
    logged = desktop.locator("main")
    expect(logged).to_contain_text("Split squat")
    expect(logged).to_contain_text("4 × 60 kg")  # the changed set
    expect(logged).to_contain_text("6 × 60 kg")  # the deadlift, one rep over

    # The requests made while offline failed, as they should; nothing else may have.
    phone.problems[:] = [p for p in phone.problems if "ERR_INTERNET_DISCONNECTED" not in p]
