import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from athletes.models import FailedLogin
from tests.factories import PASSWORD, CoachFactory


def sign_in(client, email, password=PASSWORD, address="203.0.113.7"):
    return client.post("/login/", {"username": email, "password": password}, REMOTE_ADDR=address)


def test_sign_in_with_email_in_any_case(client, coach):
    response = sign_in(client, coach.email.upper())

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/coach/").status_code == 200


def test_wrong_password_gets_a_clear_message(client, coach):
    response = sign_in(client, coach.email, "not-my-password")

    assert response.status_code == 200
    assert b"That email and password do not match" in response.content


def test_five_failures_lock_the_account_even_for_the_right_password(client, coach):
    for _ in range(5):
        assert sign_in(client, coach.email, "guess").status_code == 200

    response = sign_in(client, coach.email)

    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_when_the_window_has_passed(client, coach):
    for _ in range(5):
        sign_in(client, coach.email, "guess")

    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=1)):
        response = sign_in(client, coach.email)

    assert response.status_code == 302


def test_the_lock_is_per_account_not_for_everyone(client, coach, other_coach):
    for _ in range(5):
        sign_in(client, coach.email, "guess", address="198.51.100.1")

    response = sign_in(Client(), other_coach.email, address="198.51.100.2")

    assert response.status_code == 302


def test_one_address_spraying_many_accounts_is_locked(client, coach):
    for n in range(20):
        sign_in(client, f"nobody{n}@example.com", "guess", address="192.0.2.9")

    blocked = sign_in(Client(), coach.email, address="192.0.2.9")
    elsewhere = sign_in(Client(), coach.email, address="192.0.2.10")

    assert blocked.status_code == 429
    assert elsewhere.status_code == 302


def test_a_success_clears_the_account_count(client, coach):
    for _ in range(4):
        sign_in(client, coach.email, "guess")
    sign_in(client, coach.email)
    client.logout()

    for _ in range(4):
        sign_in(client, coach.email, "guess")

    assert sign_in(client, coach.email).status_code == 302


def test_old_failures_are_cleaned_up(client, coach):
    sign_in(client, coach.email, "guess")
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        sign_in(client, "someone@example.com", "guess")

        assert not FailedLogin.objects.filter(key=f"account:{coach.email}").exists()


def test_sign_out_is_a_post(client, coach):
    client.force_login(coach)

    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")

    assert response.status_code == 302
    assert client.get("/coach/").status_code == 302


def test_a_signed_out_session_opens_nothing_again(client, coach):
    """Also with sessions cached in Redis (PostgreSQL's run): signing out removes the
    session from the cache too, so a copied cookie is refused."""
    client.force_login(coach)
    assert client.get("/coach/").status_code == 200
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.post("/logout/")
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = cookie

    assert thief.get("/coach/").status_code == 302


def test_password_reset_by_email(client, coach):
    client.post("/password/reset/", {"email": coach.email.upper()})

    assert len(mail.outbox) == 1
    path = re.search(r"http://testserver(/password/reset/\S+/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(path, follow=True)
    set_password_url = form.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )

    assert done["Location"] == "/password/reset/complete/"
    assert sign_in(Client(), coach.email, "a-brand-new-passphrase").status_code == 302
    assert sign_in(Client(), coach.email, PASSWORD).status_code == 200


def test_password_reset_for_an_unknown_email_says_the_same_and_sends_nothing(client, db):
    response = client.post("/password/reset/", {"email": "nobody@example.com"})

    assert response["Location"] == "/password/reset/sent/"
    assert not mail.outbox


def test_password_change(client, coach):
    client.force_login(coach)

    response = client.post(
        "/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )

    assert response["Location"] == "/password/change/done/"
    coach.refresh_from_db()
    assert coach.check_password("another-long-passphrase")


def test_an_attempt_is_counted_before_its_password_is_checked(client, coach, monkeypatch):
    counted = []

    def counting_authenticate(request=None, **credentials):
        counted.append(FailedLogin.objects.filter(key=f"account:{coach.email}").count())
        return authenticate(request, **credentials)

    monkeypatch.setattr(auth_forms, "authenticate", counting_authenticate)
    sign_in(client, coach.email, "guess")
    sign_in(client, coach.email, "guess")
    sign_in(client, coach.email)

    assert counted == [1, 2, 3]
    assert not FailedLogin.objects.filter(key=f"account:{coach.email}").exists()
    # The success took back its count on the address, not the failures'.
    assert FailedLogin.objects.filter(key="address:203.0.113.7").count() == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: threads on SQLite's in-memory test database meet 'table is "
    "locked' at once instead of waiting their turn (CI runs this on PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_guesses_get_no_more_than_the_limit(monkeypatch):
    """Ten guesses at once: the throttle lets five reach the password check, not ten.

    The check is slowed so that, were checking and counting apart, every thread would
    pass the check before any failure was counted."""
    coach = CoachFactory(email="casey@example.com")
    checked = []

    def slow_authenticate(request=None, **credentials):
        checked.append(credentials["username"])
        time.sleep(0.2)
        return authenticate(request, **credentials)

    monkeypatch.setattr(auth_forms, "authenticate", slow_authenticate)
    start = threading.Barrier(10)

    def guess(n: int) -> int:
        try:
            start.wait()
            return sign_in(Client(), coach.email, f"guess-{n}", address=f"198.51.100.{n}")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = sorted(r.status_code for r in pool.map(guess, range(10)))

    assert len(checked) == 5
    assert statuses == [200] * 5 + [429] * 5
    assert FailedLogin.objects.filter(key=f"account:{coach.email}").count() == 5


def test_posts_with_an_empty_password_do_not_reset_the_account_count(client, coach):
    """An empty password skips the password check: it must not count as a success, or
    alternating guesses with empty posts would never reach the limit."""
    for _ in range(5):
        sign_in(client, coach.email, "guess")
        sign_in(client, coach.email, "")

    assert sign_in(client, coach.email).status_code == 429
