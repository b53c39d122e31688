"""Browser tests: Playwright driving Debian's Chromium against the live server.

They are skipped, with the reason, where /usr/bin/chromium is missing
(``apt-get install chromium``; Playwright's own browser download is not used).
"""

import importlib
import os
import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from pytest_django.live_server_helper import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING = "Chromium not found at /usr/bin/chromium (apt-get install chromium)"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" not in str(item.fspath).replace("\\", "/"):
            continue
        item.add_marker(pytest.mark.browser)
        if not CHROMIUM.exists():
            if os.environ.get("RUNSTRONG_REQUIRE_BROWSER"):
                raise pytest.UsageError(f"CI requires the browser tests: {MISSING}.")
            item.add_marker(pytest.mark.skip(reason=MISSING))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def live_server(django_db_setup):
    """pytest-django's live server, minus its finder-based static handler: static files
    go through WhiteNoise and the collected manifest, as they do in production.

    It depends on the test database so that it stops before the database is dropped."""
    server = LiveServer("localhost", start=False)
    server.thread.static_handler = _one_request_at_a_time
    server.start()
    yield server
    server.stop()


_REQUEST_TURN = threading.Lock()


def _one_request_at_a_time(handler):
    """On SQLite every request thread of the live server shares the test database's one
    in-memory connection, which two threads must not use at once (two tabs syncing
    together failed with "bad parameter or other API misuse"): there, requests take
    turns. PostgreSQL gives each thread its own connection, as production does."""
    if connection.vendor != "sqlite":
        return handler

    def application(environ, start_response):
        with _REQUEST_TURN:
            return handler(environ, start_response)

    return application


class PageProblems(list):
    """Console errors and CSP violations a page reports; a test ends with none."""


def _reference_data() -> None:
    """Browser tests run in transactions that end with a flush of every table, which also
    empties what data migrations created; put the library's vocabularies back."""
    vocabularies = importlib.import_module("library.migrations.0002_vocabularies")
    vocabularies.add(apps, None)


def _open(browser, live_server, options):
    _reference_data()
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = PageProblems()
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.problems = problems
    return context, page


@pytest.fixture
def desktop(browser, live_server, transactional_db):
    context, page = _open(browser, live_server, DESKTOP)
    yield page
    context.close()
    assert page.problems == [], page.problems


@pytest.fixture
def phone(browser, live_server, transactional_db):
    context, page = _open(browser, live_server, PHONE)
    yield page
    context.close()
    assert page.problems == [], page.problems
