import re

from playwright.sync_api import expect

from athletes.models import CoachingLink, User


def test_coach_signs_up_invites_and_the_athlete_joins_on_a_phone(desktop, phone):
    desktop.goto("/signup/")
    desktop.get_by_label("Your name").fill("Nora Coach")
    desktop.get_by_label("Email").fill("nora@example.com")
    desktop.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill("a-long-coach-passphrase")
    desktop.get_by_label("Password confirmation").fill("a-long-coach-passphrase")
    desktop.get_by_role("button", name="Create account").click()
    expect(desktop).to_have_url(re.compile(r"/coach/$"))
    expect(desktop.get_by_role("heading", name="Your athletes")).to_be_visible()
    desktop.get_by_role("link", name="Invite athletes").first.click()

    desktop.get_by_label("Athlete's email").fill("ivy@example.com")
    desktop.get_by_role("button", name="Send invitation", exact=True).click()
    link_field = desktop.get_by_label("Invitation link")
    expect(link_field).to_have_value(re.compile(r"/invite/[\w-]+/$"))
    expect(desktop.locator("#pending")).to_contain_text("ivy@example.com")
    link = link_field.input_value()

    phone.goto(link)
    expect(phone.get_by_role("heading", name="Nora Coach invites you")).to_be_visible()
    phone.get_by_label("Your name").fill("Ivy Runner")
    phone.get_by_label("Choose a password").fill("ivy-runs-far-2026")
    phone.get_by_label("Password again").fill("ivy-runs-far-2026")
    phone.get_by_role("button", name="Join").click()
    expect(phone).to_have_url(re.compile(r"/athlete/$"))
    expect(phone.get_by_role("heading", name="Hi Ivy")).to_be_visible()
    expect(phone.get_by_text("Nora Coach", exact=False).first).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the athlete home fits a phone without sideways scrolling"

    phone.get_by_role("button", name="Menu").click()
    expect(phone.get_by_role("link", name="Today")).to_be_visible()

    ivy = User.objects.get(email="ivy@example.com")
    assert CoachingLink.objects.active().get(athlete__user=ivy).coach.email == "nora@example.com"
    desktop.goto("/coach/")
    expect(desktop.get_by_role("link", name="Ivy Runner")).to_be_visible()


def test_wrong_password_then_sign_in_on_a_phone(phone):
    User.objects.create_user(email="ben@example.com", name="Ben", password="ben-runs-long-2026")

    phone.goto("/login/")
    phone.get_by_label("Email").fill("ben@example.com")
    phone.get_by_label("Password").fill("wrong-password")
    phone.get_by_role("button", name="Sign in").click()
    expect(phone.get_by_text("That email and password do not match")).to_be_visible()

    phone.get_by_label("Password").fill("ben-runs-long-2026")
    phone.get_by_role("button", name="Sign in").click()
    expect(phone).to_have_url(re.compile(r"/account/$"))
