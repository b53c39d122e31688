"""A Garmin-style zip uploaded on a phone, read by the real database queue's worker while the
progress page polls itself: waiting, half-way, done with the per-file report, never
reloaded.

The worker runs in a thread of this process (``manage.py db_worker`` installs signal
handlers, which only the main thread may). On SQLite the test database lives in memory
and the live server's threads share one connection to it; the worker takes that same
connection, as they do, because a second connection to a shared-cache memory database
meets "table is locked" instead of waiting. Half-way through, the worker stops at a gate
until the page has shown it, so the test sees each state without sleeping."""

import datetime
import io
import re
import threading
import time
import zipfile

import pytest
from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import expect

from programs.activities import tasks as activity_tasks
from programs.models import Activity, ActivityImport, ImportStatus, Run, RunStatus
from tests.browser.test_runs import sign_in
from tests.factories import AthleteFactory
from tests.programs.activities.fitwriter import run_fit

FILES = 20
HALF = FILES // 2
FIRST_DAY = datetime.date(2026, 1, 5)
PLANNED_DAY = FIRST_DAY + datetime.timedelta(days=7)
GATE_TIMEOUT_S = 30


def export_zip() -> bytes:
    """One run a morning for FILES days, 30–49 minutes, as a watch's bulk export."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(FILES):
            day = FIRST_DAY + datetime.timedelta(days=number)
            start = datetime.datetime.combine(day, datetime.time(6, 30), tzinfo=datetime.UTC)
            fit = run_fit(start=start, seconds=(30 + number) * 60, step_s=5)
            archive.writestr(f"activities/{day:%Y%m%d}-run.fit", fit)
    return buffer.getvalue()


def filled(bar) -> float:
    """How much of the progress bar is drawn filled, as the athlete sees it: 0 to 1 (the
    width of Bootstrap's inner bar; a native <progress> says it itself)."""
    return bar.evaluate(
        """bar => {
            const fill = bar.querySelector(".progress-bar");
            if (!fill) return bar.position;
            return fill.getBoundingClientRect().width / bar.getBoundingClientRect().width;
        }"""
    )


class Gate:
    """Holds the import after HALF files (outside any transaction: the progress row is
    committed) until the test opens it."""

    def __init__(self) -> None:
        self.reached = threading.Event()
        self.opened = threading.Event()
        self.worker_done = threading.Event()

    def wait_reached(self) -> bool:
        """True once the import is held half-way; False as soon as the worker has stopped
        without getting there (a failed task is queued again for later, not run now)."""
        deadline = time.monotonic() + GATE_TIMEOUT_S
        while time.monotonic() < deadline and not self.worker_done.is_set():
            if self.reached.wait(0.1):
                return True
        return self.reached.is_set()

    def wrap(self, activities_import):
        def gated(*, progress, **kwargs):
            def progress_then_wait(done, report):
                progress(done, report)
                if done == HALF:
                    self.reached.set()
                    if not self.opened.wait(GATE_TIMEOUT_S):
                        raise TimeoutError("The test never opened the gate.")

            return activities_import(progress=progress_then_wait, **kwargs)

        return gated


@pytest.fixture
def database_queue(settings, live_server, monkeypatch):
    """The real database backend, and a started worker thread that runs what is queued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    gate = Gate()
    monkeypatch.setattr(
        activity_tasks, "activities_import", gate.wrap(activity_tasks.activities_import)
    )
    shared = live_server.thread.connections_override
    errors: list[BaseException] = []

    def work() -> None:
        for alias, connection in shared.items():
            connections[alias] = connection
        try:
            Worker(
                queue_names=["default"],
                excluded_queue_names=[],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="browser-test",
            ).run()
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            gate.worker_done.set()
            # Closes this thread's own PostgreSQL connection (the test database is dropped
            # at the end); closing the shared in-memory SQLite one is a no-op.
            connections.close_all()

    worker = threading.Thread(target=work, name="db-worker", daemon=True)
    yield gate, worker.start
    gate.opened.set()
    if worker.ident is not None:  # started
        worker.join(GATE_TIMEOUT_S)
    assert not worker.is_alive(), "the worker did not finish"
    assert errors == [], errors


def test_a_zip_of_runs_imports_in_the_background_while_the_page_follows(phone, database_queue):
    gate, start_worker = database_queue
    athlete = AthleteFactory(email="mia@example.com", name="Mia Miles", time_zone="UTC")
    profile = athlete.athlete_profile
    tempo = Run.objects.create(
        athlete=profile, date=PLANNED_DAY, run_type="tempo", distance_m=8000, title="Tempo 8k"
    )
    sign_in(phone, "mia@example.com", "/runs/activities/")
    expect(phone.get_by_role("heading", name="Import runs from a watch")).to_be_visible()

    phone.get_by_label("Activity files").set_input_files(
        {"name": "garmin-export.zip", "mimeType": "application/zip", "buffer": export_zip()}
    )
    phone.get_by_role("button", name="Import").click()

    expect(phone).to_have_url(re.compile(r"/runs/activities/imports/[0-9a-f-]{36}/$"))
    expect(phone.get_by_role("heading", name="Importing runs")).to_be_visible()
    phone.evaluate("window.sameDocument = true")
    bar = phone.get_by_role("progressbar", name="Files imported")
    expect(bar).to_have_attribute("aria-valuenow", "0")
    expect(phone.get_by_text("Waiting for the worker…")).to_be_visible()
    job = ActivityImport.objects.get()
    assert (job.status, job.total) == (ImportStatus.QUEUED, FILES)
    assert DBTaskResult.objects.get().status == "READY"

    start_worker()
    assert gate.wait_reached(), (
        "the worker never got half-way: "
        f"{list(DBTaskResult.objects.values_list('status', 'return_value'))}, "
        f"{list(ActivityImport.objects.values_list('status', 'processed'))}"
    )

    expect(bar).to_have_attribute("aria-valuenow", "50")
    expect(phone.get_by_text(f"{HALF} of about {FILES} files read…")).to_be_visible()
    assert filled(bar) == pytest.approx(0.5, abs=0.02)
    gate.opened.set()

    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=30_000)
    expect(bar).to_have_text("100%")
    assert filled(bar) == pytest.approx(1, abs=0.01)
    expect(phone.get_by_text(f"Done: {FILES} files read.")).to_be_visible()
    report = phone.get_by_role("status")
    expect(report).to_contain_text(f"{FILES - 1} new, 1 matched to planned runs")
    expect(report).to_contain_text("0 errors")
    phone.get_by_text(f"File by file ({FILES})").click()
    expect(report.locator("li.activity-created")).to_have_count(FILES - 1)
    expect(report.locator("li.activity-matched")).to_contain_text(
        f"activities/{PLANNED_DAY:%Y%m%d}-run.fit"
    )
    expect(phone.get_by_role("link", name="Upload more")).to_be_visible()
    assert phone.evaluate("window.sameDocument"), "the page followed the import without a reload"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    runs = Run.objects.filter(athlete=profile)
    assert runs.count() == FILES
    assert set(runs.values_list("status", flat=True)) == {RunStatus.DONE}
    assert sorted(runs.values_list("date", flat=True)) == [
        FIRST_DAY + datetime.timedelta(days=n) for n in range(FILES)
    ]
    tempo.refresh_from_db()
    assert (tempo.run_type, tempo.title, tempo.status) == ("tempo", "Tempo 8k", RunStatus.DONE)
    assert Activity.objects.filter(athlete=profile).count() == FILES
    job.refresh_from_db()
    assert (job.status, job.processed, job.uploads.count()) == (ImportStatus.DONE, FILES, 0)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
