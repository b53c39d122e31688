"""Personas and session set-up. The test environment itself is in tests/testenv.py."""

import pytest
from django.core.management import call_command

from tests.factories import AthleteFactory, CoachFactory, CuratorFactory, link


@pytest.fixture(scope="session", autouse=True)
def collected_static():
    """Pages render with the production static storage (hashed names from a manifest)."""
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture
def coach(db):
    return CoachFactory(name="Casey Coach", email="casey@example.com")


@pytest.fixture
def other_coach(db):
    return CoachFactory(name="Olga Other", email="olga@example.com")


@pytest.fixture
def athlete(coach):
    user = AthleteFactory(name="Ana Athlete", email="ana@example.com")
    link(coach, user)
    return user


@pytest.fixture
def other_athlete(other_coach):
    user = AthleteFactory(name="Oscar Other", email="oscar@example.com")
    link(other_coach, user)
    return user


@pytest.fixture
def curator(db):
    return CuratorFactory(name="Cleo Curator", email="cleo@example.com")


@pytest.fixture
def coach_client(client, coach):
    client.force_login(coach)
    return client


@pytest.fixture
def athlete_client(client, athlete):
    client.force_login(athlete)
    return client
