"""Sign-in input no account could match (the throttle itself is tested in test_login.py)."""

from django.test import Client


def test_an_email_longer_than_any_account_is_refused_on_the_form(coach):
    """It went on to the throttle's key column: a DataError (500) on PostgreSQL."""
    response = Client().post(
        "/login/", {"username": "x" * 10_000 + "@example.com", "password": "nope"}
    )

    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()
