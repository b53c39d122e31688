"""Personas and session set-up. The test environment itself is in tests/testenv.py."""

import pytest
from django.core.management import call_command
from django.tasks.signals import task_finished
from django.test import override_settings

from tests.caches import clear_caches
from tests.factories import AthleteFactory, CoachFactory, CuratorFactory, link
from tests.mail import DownMailBackend

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests run last. Playwright's session-long event loop makes Django give the
    main thread a separate connection, and a database test run after it would leave that
    connection open, so PostgreSQL could not drop the test database."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Production's PBKDF2 costs about a second a hash here; tests need none of that."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def immediate_tasks():
    """Background tasks run as they are enqueued, so a test sees their effect (the email in
    mail.outbox) at once. A test of the real queue sets TASKS back (tests/config/test_tasks.py)."""
    with override_settings(TASKS=IMMEDIATE_TASKS):
        yield


@pytest.fixture(scope="session", autouse=True)
def collected_static():
    """Pages render with the production static storage (hashed names from a manifest)."""
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the database's ids are used again from one
    test to the next, and a page cached under one test's athlete 7 must not be another's."""
    clear_caches()


@pytest.fixture
def mail_down(settings):
    """Every e-mail fails to send (``DownMailBackend.tries`` counts the attempts)."""
    DownMailBackend.tries = 0
    settings.MAILERS = {"default": {"BACKEND": "tests.mail.DownMailBackend", "OPTIONS": {}}}


@pytest.fixture
def finished():
    """Every task result that finished during the test."""
    seen = []

    def record(sender, task_result, **kwargs):
        seen.append(task_result)

    task_finished.connect(record)
    yield seen
    task_finished.disconnect(record)


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
