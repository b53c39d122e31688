"""A database outage answers 503 with Retry-After, JSON for the phone's endpoints, even when
the middleware (session, user) is what meets it first; other errors stay 500."""

import json
import uuid
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from programs.logbook import services as set_services


@pytest.fixture
def outage():
    """Every new query fails as it does when PostgreSQL is down."""
    with mock.patch.object(
        BaseDatabaseWrapper,
        "ensure_connection",
        side_effect=OperationalError("connection refused"),
    ):
        yield


@pytest.fixture
def phone(athlete_client):
    athlete_client.raise_request_exception = False
    return athlete_client


def sync(client, **headers):
    body = {"sets": [{"id": str(uuid.uuid4()), "session": 1, "set": 1, "reps": 5}]}
    return client.post("/today/sets/", json.dumps(body), content_type="application/json", **headers)


def test_set_sync_answers_json_503_with_retry_after(phone, outage):
    response = sync(phone)

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "The service is briefly unavailable; try again shortly."}
    assert response["Retry-After"] == "30"


def test_a_closed_connection_is_an_outage_too(phone):
    with mock.patch.object(
        BaseDatabaseWrapper, "ensure_connection", side_effect=InterfaceError("connection closed")
    ):
        response = sync(phone)

    assert response.status_code == 503


def test_a_page_answers_the_html_page_with_503(phone, outage):
    response = phone.get("/athlete/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    assert "try again shortly" in response.content.decode()


def test_a_client_asking_for_json_gets_json(phone, outage):
    response = phone.get("/athlete/", headers={"Accept": "application/json"})

    assert response.status_code == 503
    assert "error" in response.json()


def test_healthz_still_answers_its_own_503(client, db, outage):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


def test_any_other_error_stays_a_500(phone):
    with mock.patch.object(set_services, "set_logs_record", side_effect=RuntimeError("bug")):
        response = sync(phone)

    assert response.status_code == 500
    assert response.json() == {"error": "Something went wrong on our side."}
    assert "Retry-After" not in response


def test_any_other_error_on_a_page_stays_the_500_page(phone):
    with mock.patch(
        "programs.logbook.views.today.today_page_data", side_effect=RuntimeError("bug")
    ):
        response = phone.get("/athlete/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong on our side" in response.content.decode()
