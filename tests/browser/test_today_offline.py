"""Issue #12 on a phone: the Today page the service worker serves without signal may be
older than the sets logged since, and a phone may be shared; neither may double a set
number, lose a load, or hand one athlete's sets to the next."""

import datetime
import re
from decimal import Decimal

from playwright.sync_api import expect

from programs.models import SetLog
from programs.schedule import services
from tests.browser.test_runs import sign_in
from tests.factories import AthleteFactory, CoachFactory, ExerciseFactory, link, make_block

# No load to suggest (RPE-based, no 1RM): the athlete types it.
BY_FEEL = {"sets": 4, "reps_min": 5, "load_type": "rpe", "load_value": 8}
SIXTY = {"sets": 3, "reps_min": 5, "load_type": "kg", "load_value": 60}
# Requests made without signal, refused on purpose (403), or answered "try again" (503: the
# test server's in-memory SQLite refuses a second writer at once where PostgreSQL waits;
# the phone retries, as it would after a real outage).
SIGNAL_LOST = ("ERR_INTERNET_DISCONNECTED", "status of 403", "status of 503")
# Longer than the phone's 5 s retry, so a sync answered "try again" has its second go.
AFTER_A_RETRY = 15_000


def athlete_with_a_session_today(email="mia@example.com", name="Mia Miles", dose=BY_FEEL):
    coach = CoachFactory()
    athlete = AthleteFactory(email=email, name=name)
    link(coach, athlete)
    block = make_block(coach, [ExerciseFactory(name="Split squat")], weeks=1, sessions=1, dose=dose)
    services.assignment_create(
        block=block,
        athletes=[athlete.athlete_profile],
        start=datetime.date.today(),
        weekdays=[datetime.date.today().isoweekday()],
        assigned_by=coach,
    )
    return athlete


def squat(page):
    return page.locator("article.rx-log", has=page.get_by_role("heading", name="Split squat"))


def log_button(page):
    return squat(page).get_by_role("button", name=re.compile(r"^Set \d+"))


def status(page):
    return page.locator("#sync-status")


def waiting(page):
    return page.locator(".sets .badge", has_text="waiting to sync")


def cached_today(page) -> str | None:
    """The Today page the service worker would serve without signal, as text."""
    return page.evaluate(
        """async () => {
            const cached = await caches.match("/athlete/");
            return cached ? cached.text() : null;
        }"""
    )


def wait_for_offline_copy(page, containing: str = "") -> None:
    page.wait_for_function(
        """async (text) => {
            await navigator.serviceWorker.ready;
            const cached = await caches.match("/athlete/");
            return Boolean(cached) && (await cached.text()).includes(text);
        }""",
        arg=containing,
    )


def go_online(page) -> None:
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")


def sign_out(page) -> None:
    menu = page.get_by_role("button", name="Menu")
    if menu.get_attribute("aria-expanded") != "true":
        menu.click()
    page.get_by_role("button", name="Sign out").click()


def forgive_lost_signal(page) -> None:
    """Requests made without signal, or refused on purpose, fail as they should."""
    page.problems[:] = [p for p in page.problems if not any(s in p for s in SIGNAL_LOST)]


def test_a_page_opened_offline_shows_every_set_and_offers_the_next(phone):
    sign_in(phone, athlete_with_a_session_today().email, "/athlete/")
    wait_for_offline_copy(phone)
    squat(phone).get_by_label("Load (kg)").fill("40")
    log_button(phone).click()
    expect(status(phone)).to_have_text("All sets saved")
    expect(log_button(phone)).to_have_accessible_name(re.compile("Set 2"))
    log_button(phone).click()
    expect(squat(phone).locator(".sets li")).to_have_count(2)
    expect(status(phone)).to_have_text("All sets saved")
    assert SetLog.objects.count() == 2
    # The copy the service worker holds was rendered before either set.
    assert "Set 1 ✓" not in cached_today(phone)

    phone.context.set_offline(True)
    phone.reload()
    sets = squat(phone).locator(".sets li")
    expect(sets).to_have_text(
        [re.compile(r"^Set 1 ✓ 5 × 40 kg"), re.compile(r"^Set 2 ✓ 5 × 40 kg")]
    )
    expect(log_button(phone)).to_have_accessible_name(re.compile("Set 3"))
    expect(squat(phone).get_by_label("Load (kg)")).to_have_value("40")
    log_button(phone).click()
    expect(waiting(phone)).to_have_count(1)

    go_online(phone)
    expect(status(phone)).to_have_text("All sets saved")
    phone.reload()
    expect(sets).to_have_text(
        [re.compile(rf"^Set {n} ✓ 5 × 40 kg$") for n in (1, 2, 3)], use_inner_text=True
    )
    expect(log_button(phone)).to_have_accessible_name(re.compile("Set 4"))
    expect(squat(phone).get_by_label("Load (kg)")).to_have_value("40")
    stored = SetLog.objects.order_by("set_number").values_list("set_number", "load_kg")
    assert list(stored) == [(1, Decimal(40)), (2, Decimal(40)), (3, Decimal(40))]

    # The load with signal replaced the copy: offline again, the page is this one.
    wait_for_offline_copy(phone, containing="Set 3 ✓")
    phone.context.set_offline(True)
    phone.reload()
    expect(sets).to_have_count(3)
    expect(log_button(phone)).to_have_accessible_name(re.compile("Set 4"))
    phone.context.set_offline(False)
    forgive_lost_signal(phone)


def test_two_tabs_offline_never_log_the_same_set_number(phone):
    sign_in(phone, athlete_with_a_session_today(dose=SIXTY).email, "/athlete/")
    wait_for_offline_copy(phone)
    other = phone.context.new_page()
    other.goto("/athlete/")
    phone.context.set_offline(True)

    log_button(phone).click()
    expect(squat(other).locator(".sets li")).to_have_text([re.compile(r"^Set 1 ✓ 5 × 60 kg")])
    expect(log_button(other)).to_have_accessible_name(re.compile("Set 2"))
    log_button(other).click()
    expect(waiting(phone)).to_have_count(2)

    go_online(phone)
    # Both tabs sync at once when the signal comes back.
    expect(status(phone)).to_have_text("All sets saved", timeout=AFTER_A_RETRY)
    assert sorted(SetLog.objects.values_list("set_number", flat=True)) == [1, 2]
    forgive_lost_signal(phone)


def test_the_next_athlete_on_the_phone_never_sees_or_sends_the_last_ones_sets(phone):
    mia = athlete_with_a_session_today()
    AthleteFactory(email="ben@example.com", name="Ben Bolt")
    sent: list[str] = []
    phone.on(
        "request",
        lambda r: (
            r.method == "POST" and r.url.endswith("/today/sets/") and sent.append(r.post_data)
        ),
    )
    sign_in(phone, "mia@example.com", "/athlete/")
    wait_for_offline_copy(phone)
    # No signal for the sets; just enough to sign out.
    phone.route("**/today/sets/", lambda route: route.abort("internetdisconnected"))
    squat(phone).get_by_label("Load (kg)").fill("40")
    log_button(phone).click()
    expect(waiting(phone)).to_have_count(1)
    mias_set = squat(phone).locator(".sets li").get_attribute("data-set-id")

    # Sign-out tries to send it first, then asks; "Cancel" stays signed in.
    asked: list[str] = []
    phone.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    sign_out(phone)
    phone.wait_for_function("() => !document.querySelector('form[data-sign-out][data-busy]')")
    assert asked == [
        "1 set is not saved yet. Sign out anyway? It stays on this phone, for you only, "
        "until you sign in here again."
    ]
    expect(phone).to_have_url(re.compile("/athlete/$"))
    expect(waiting(phone)).to_have_count(1)

    phone.once("dialog", lambda dialog: dialog.accept())
    sign_out(phone)
    # Sign-out first tries to send the waiting set (refused here): slow under load.
    expect(phone).to_have_url(re.compile("/login/"), timeout=20_000)
    assert cached_today(phone) is None  # nothing of Mia's Today opens offline any more
    phone.unroute("**/today/sets/")
    sent_before_ben = len(sent)

    sign_in(phone, "ben@example.com", "/athlete/")
    expect(phone.get_by_role("heading", name="Hi Ben")).to_be_visible()
    expect(status(phone)).to_have_text("All sets saved")
    expect(waiting(phone)).to_have_count(0)
    # Ben's own copy is the one that opens without signal.
    wait_for_offline_copy(phone, containing="Hi Ben")
    phone.context.set_offline(True)
    phone.reload()
    expect(phone.get_by_role("heading", name="Hi Ben")).to_be_visible()
    expect(status(phone)).to_have_text("All sets saved")
    phone.context.set_offline(False)
    phone.reload()
    assert sent[sent_before_ben:] == []
    assert not SetLog.objects.exists()

    questions: list[str] = []  # nothing waits: no question (one asked would say why)
    phone.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    sign_out(phone)
    expect(phone).to_have_url(re.compile("/login/"), timeout=20_000)
    assert questions == []
    # Mia's set waited on the phone for her, and goes when she is back.
    sign_in(phone, "mia@example.com", "/athlete/")
    expect(status(phone)).to_have_text("All sets saved")
    log = SetLog.objects.get()
    assert (str(log.pk), log.athlete.user, log.set_number, log.load_kg) == (
        mias_set,
        mia,
        1,
        Decimal(40),
    )
    expect(squat(phone).locator(".sets li")).to_have_text([re.compile(r"^Set 1 ✓ 5 × 40 kg")])
    forgive_lost_signal(phone)


def test_a_request_refused_as_a_whole_needs_attention_and_is_not_sent_again(phone):
    sign_in(phone, athlete_with_a_session_today(dose=SIXTY).email, "/athlete/")
    posts: list[str] = []
    phone.on(
        "request",
        lambda r: r.method == "POST" and r.url.endswith("/today/sets/") and posts.append(r.url),
    )
    # The script has taken over the form (it writes the status): a tap before that posts
    # the plain form, with its own valid token, and nothing is refused.
    expect(phone.locator("#sync-status")).to_have_text("All sets saved")
    # A page whose CSRF token went stale: the server refuses the whole request (403).
    phone.evaluate(
        """document.body.setAttribute("hx-headers", JSON.stringify({"X-CSRFToken": "stale"}))"""
    )
    log_button(phone).click()
    refused = squat(phone).locator(".set-refused")
    expect(refused).to_contain_text("Set 1 not saved: 5 × 60 kg: The server refused it (HTTP 403).")
    expect(refused.get_by_role("button", name="Dismiss")).to_be_visible()
    expect(status(phone)).to_have_text("1 set needs attention")
    expect(log_button(phone)).to_have_accessible_name(re.compile("Set 1"))

    phone.evaluate("window.dispatchEvent(new Event('online'))")
    phone.wait_for_timeout(6000)  # past the retry delay for sets that wait
    phone.reload()
    expect(refused).to_contain_text("The server refused it (HTTP 403).")
    expect(status(phone)).to_have_text("1 set needs attention")
    assert len(posts) == 1
    assert not SetLog.objects.exists()

    # The reloaded page has a good token: trying again is the athlete's call.
    refused.get_by_role("button", name="Try again").click()
    expect(status(phone)).to_have_text("All sets saved")
    expect(squat(phone).locator(".sets li")).to_have_text([re.compile(r"^Set 1 ✓ 5 × 60 kg")])
    assert len(posts) == 2
    assert SetLog.objects.get().set_number == 1
    forgive_lost_signal(phone)
