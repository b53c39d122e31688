"""Issue #18 on a phone (390×844): one tap logs a set at the load it should have (last
time's, the 1RM's, the plan's), an exercise folds to its summary after its prescribed
sets with "Add a set" still there, and a screen reader hears each set and the rest's
start and end once."""

import datetime
import re
from decimal import Decimal

from playwright.sync_api import expect

from programs.blocks.data import block_write
from programs.models import Block, OneRepMax, ScheduledSession, SetLog
from programs.schedule import services
from tests.browser.test_runs import sign_in
from tests.factories import AthleteFactory, CoachFactory, ExerciseFactory, link

TODAY = datetime.date.today()
LAST_WEEK = TODAY - datetime.timedelta(days=7)


def athlete_with(doses: dict[str, dict], history: dict[str, list[dict]] | None = None):
    """An athlete with a session today holding ``doses`` (exercise name → dose), the same
    session a week ago, and ``history`` logged then (exercise name → sets)."""
    coach = CoachFactory()
    athlete = AthleteFactory(email="mia@example.com", name="Mia Miles")
    link(coach, athlete)
    exercises = {name: ExerciseFactory(name=name) for name in doses}
    week = {
        "phase": "foundation",
        "sessions": [
            {
                "day": None,
                "label": "A",
                "title": "Session A",
                "prescriptions": [
                    {"exercise": exercises[name].slug, **dose} for name, dose in doses.items()
                ],
            }
        ],
    }
    block = block_write(
        data={"name": "Base", "weeks": [{"number": n, **week} for n in (1, 2)]},
        exercises={e.slug: e.pk for e in exercises.values()},
        owner=coach,
    )
    services.assignment_create(
        block=Block.objects.with_structure().get(pk=block.pk),
        athletes=[athlete.athlete_profile],
        start=LAST_WEEK,
        weekdays=[TODAY.isoweekday()],
        assigned_by=coach,
    )
    before, today = ScheduledSession.objects.order_by("date")
    assert (before.date, today.date) == (LAST_WEEK, TODAY)
    for name, sets in (history or {}).items():
        rx = before.prescriptions.get(exercise=exercises[name])
        for number, values in enumerate(sets, start=1):
            SetLog.objects.create(
                athlete=athlete.athlete_profile,
                session=before,
                prescription=rx,
                exercise=exercises[name],
                set_number=number,
                performed_on=LAST_WEEK,
                logged_at=datetime.datetime.combine(
                    LAST_WEEK, datetime.time(9, number), tzinfo=datetime.UTC
                ),
                **values,
            )
    return athlete, exercises


def card(page, name):
    return page.locator("article.rx-log", has=page.get_by_role("heading", name=name))


def log_button(page, name):
    return card(page, name).get_by_role("button", name=re.compile(r"^Set \d+"))


def announced(page):
    return page.locator("#today-announce")


def loads(exercise) -> list[Decimal]:
    return list(
        SetLog.objects.filter(exercise=exercise, performed_on=TODAY)
        .order_by("set_number")
        .values_list("load_kg", flat=True)
    )


def test_one_tap_logs_last_times_load_and_the_card_folds_after_its_sets(phone):
    _, exercises = athlete_with(
        {
            "Goblet squat": {
                "sets": 3,
                "reps_min": 10,
                "load_type": "kg",
                "load_value": 40,
                "rest_s": 60,
            },
            "Calf raise": {"sets": 2, "reps_min": 15},
        },
        history={"Goblet squat": [{"reps": 10, "load_kg": Decimal("42.5")}]},
    )
    squat = exercises["Goblet squat"]
    sign_in(phone, "mia@example.com", "/athlete/")
    goblet = card(phone, "Goblet squat")
    expect(goblet).to_contain_text("Last time")
    expect(goblet.get_by_label("Load (kg)")).to_have_value("42.5")
    expect(phone.locator("#session-left")).to_have_text("2 of 2 exercises left")

    # One tap: the set as prescribed, at last time's load.
    log_button(phone, "Goblet squat").click()
    expect(goblet.locator(".sets li")).to_have_text([re.compile(r"^Set 1 ✓ 10 × 42.5 kg")])
    expect(phone.locator("#sync-status")).to_have_text("All sets saved")
    assert loads(squat) == [Decimal("42.5")]
    expect(announced(phone)).to_have_text("Set 1 of 3 logged. Rest 1 minute.")

    # The timer is not read out each second; Stop says the rest is over and leaves focus
    # on the next set to log.
    timer = phone.get_by_role("timer")
    expect(timer).to_be_visible()
    assert timer.get_attribute("aria-live") is None
    timer.get_by_role("button", name="Stop").click()
    expect(timer).to_be_hidden()
    expect(announced(phone)).to_have_text("Rest over.")
    expect(log_button(phone, "Goblet squat")).to_be_focused()
    expect(log_button(phone, "Goblet squat")).to_have_accessible_name("Set 2 of Goblet squat")

    log_button(phone, "Goblet squat").click()
    log_button(phone, "Goblet squat").click()
    # Folded: the summary, "Add a set", and what is left of the session.
    summary = goblet.locator(".rx-summary")
    expect(summary).to_have_text("✓ 3 × 10 @ 42.5 kg done")
    expect(log_button(phone, "Goblet squat")).to_be_hidden()
    add = goblet.get_by_text("Add a set")
    expect(add).to_be_visible()
    expect(add).to_be_focused()
    expect(goblet.locator(".sets li").first).to_be_hidden()
    expect(phone.locator("#session-left")).to_have_text("1 of 2 exercises left")
    expect(announced(phone)).to_have_text(
        "Set 3 of 3 logged. Goblet squat done. 1 of 2 exercises left. Rest 1 minute."
    )
    expect(phone.locator("#sync-status")).to_have_text("All sets saved")
    assert loads(squat) == [Decimal("42.5")] * 3

    # "Add a set" still logs a fourth.
    add.click()
    expect(log_button(phone, "Goblet squat")).to_have_accessible_name(re.compile("^Set 4"))
    log_button(phone, "Goblet squat").click()
    expect(summary).to_have_text("✓ 4 × 10 @ 42.5 kg done")
    expect(phone.locator("#sync-status")).to_have_text("All sets saved")
    assert loads(squat) == [Decimal("42.5")] * 4

    # The server renders the same after a reload.
    phone.reload()
    expect(summary).to_have_text("✓ 4 × 10 @ 42.5 kg done")
    expect(log_button(phone, "Goblet squat")).to_be_hidden()
    expect(phone.locator("#session-left")).to_have_text("1 of 2 exercises left")

    finish_the_bodyweight_exercise(phone, exercises["Calf raise"])
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def finish_the_bodyweight_exercise(phone, exercise) -> None:
    """No load to fill in: two taps and the session is done."""
    calf = card(phone, exercise.name)
    expect(calf.get_by_label("Load (kg)")).to_have_count(0)
    log_button(phone, exercise.name).click()
    log_button(phone, exercise.name).click()
    expect(calf.locator(".rx-summary")).to_have_text("✓ 2 × 15 done")
    expect(phone.locator("#session-left")).to_have_text("All done")
    expect(phone.locator("#sync-status")).to_have_text("All sets saved")
    assert loads(exercise) == [None, None]


def test_a_sixteen_set_session_takes_sixteen_taps(phone):
    """4 exercises × 4 sets, each load known without typing: the plan's, the 1RM's, the
    last at the prescribed RPE, last time's. Before issue #18: about 22 taps, 4 loads typed."""
    athlete, exercises = athlete_with(
        {
            "Split squat": {"sets": 4, "reps_min": 8, "load_type": "kg", "load_value": 20},
            "Deadlift": {"sets": 4, "reps_min": 5, "load_type": "pct_1rm", "load_value": 75},
            "Step-up": {"sets": 4, "reps_min": 8, "load_type": "rpe", "load_value": 8},
            "Hip thrust": {"sets": 4, "reps_min": 10, "load_type": "rpe", "load_value": 7},
        },
        history={
            "Step-up": [
                {"reps": 8, "load_kg": Decimal(16), "rpe": Decimal(8)},
                {"reps": 8, "load_kg": Decimal(18), "rpe": Decimal(9)},
            ],
            "Hip thrust": [{"reps": 10, "load_kg": Decimal(60)}],
        },
    )
    OneRepMax.objects.create(
        athlete=athlete.athlete_profile, exercise=exercises["Deadlift"], kg=Decimal(100)
    )
    sign_in(phone, "mia@example.com", "/athlete/")
    taps = 0
    for name in exercises:
        for _ in range(4):
            log_button(phone, name).click()
            taps += 1
        expect(card(phone, name).locator(".rx-summary")).to_be_visible()
    expect(phone.locator("#session-left")).to_have_text("All done")
    expect(phone.locator("#sync-status")).to_have_text("All sets saved")
    assert taps == 16
    expected = {"Split squat": 20, "Deadlift": 75, "Step-up": 16, "Hip thrust": 60}
    for name, kg in expected.items():
        assert loads(exercises[name]) == [Decimal(kg)] * 4, name
