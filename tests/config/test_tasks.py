"""The real task queues, end to end: an email enqueued by a request, then sent by a worker.

Every other test runs tasks at once (the immediate backend, tests/conftest.py); these set
TASKS back to the database backend (the default) or to the RQ backend (with REDIS_URL).
The RQ tests need a Redis: REDIS_URL, or one on 127.0.0.1:6379 (database 5). They are
skipped without one, except in CI, which starts Redis and must run them."""

import re
import signal
import smtplib
import uuid
from datetime import timedelta

import django_rq
import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.tasks import TaskResult, TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rq.registry import ScheduledJobRegistry

from athletes.models import Invitation
from athletes.services import invitation_create
from athletes.tasks import invitation_email_send
from config.tasks import DEFAULT_BACKOFF, Backoff
from tests.factories import UserFactory
from tests.live_redis import TEST_REDIS_URL, require_redis

WORKER_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


class DownMailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def mail_down(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.DownMailBackend", "OPTIONS": {}}}


@pytest.fixture
def keep_signal_handlers():
    """Workers install their own Ctrl-C handlers; the test run keeps pytest's."""
    saved = {sig: signal.getsignal(sig) for sig in WORKER_SIGNALS}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


# --- the retry schedule -----------------------------------------------------------------


def test_the_backoff_grows_and_ends():
    backoff = Backoff(attempts=3, first_delay=timedelta(seconds=10), factor=3)

    assert [backoff.delay(n) for n in (1, 2)] == [timedelta(seconds=10), timedelta(seconds=30)]
    assert [DEFAULT_BACKOFF.delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [
        1,
        4,
        16,
        64,
    ]


# --- the database backend: `manage.py db_worker` ----------------------------------------


@pytest.fixture
def database_tasks(settings, keep_signal_handlers):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def run_worker():
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval=0", verbosity=0)

    return run_worker


@pytest.mark.django_db(transaction=True)
def test_database_queue_the_worker_sends_the_invitation(client, database_tasks):
    coach = UserFactory(email="cara@example.com", is_coach=True)
    client.force_login(coach)

    response = client.post("/coach/invitations/", {"email": "ivy@example.com"})

    assert response.status_code == 302
    assert not mail.outbox
    queued = DBTaskResult.objects.get()
    assert queued.status == TaskResultStatus.READY

    database_tasks()

    assert len(mail.outbox) == 1
    assert re.search(r"http://testserver/invite/[\w-]+/", mail.outbox[0].body)
    result = invitation_email_send.get_result(str(queued.id))
    assert isinstance(result, TaskResult)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "sent"
    assert Invitation.objects.get().emailed_at is not None


@pytest.mark.django_db(transaction=True)
def test_database_queue_a_failed_email_waits_then_tries_again_until_reported(
    client, database_tasks, mail_down
):
    coach = UserFactory(email="cara@example.com", is_coach=True)
    client.force_login(coach)
    client.post("/coach/invitations/", {"email": "ivy@example.com"})

    for attempt in range(1, DEFAULT_BACKOFF.attempts):
        database_tasks()
        retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        assert retry.args_kwargs["kwargs"]["attempt"] == attempt + 1
        wait = retry.run_after - timezone.now()
        assert DEFAULT_BACKOFF.delay(attempt) - timedelta(seconds=5) < wait
        assert wait <= DEFAULT_BACKOFF.delay(attempt)
        assert Invitation.objects.get().email_failed_at is None
        # The wait, skipped: the worker (in batch mode) takes only what is due.
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    database_tasks()

    results = DBTaskResult.objects.order_by("enqueued_at")
    assert [r.status for r in results] == [TaskResultStatus.SUCCESSFUL] * (
        DEFAULT_BACKOFF.attempts - 1
    ) + [TaskResultStatus.FAILED]
    assert results.last().exception_class_path == "smtplib.SMTPServerDisconnected"
    assert Invitation.objects.get().email_failed_at is not None
    assert not mail.outbox


# --- the RQ backend: `manage.py rqworker` ---------------------------------------------


@pytest.fixture
def rq_tasks(settings, keep_signal_handlers):
    """A queue of its own on the test Redis, so that nothing else's jobs run here."""
    require_redis("the RQ backend tests")
    name = f"runstrong-test-{uuid.uuid4().hex[:12]}"
    # django-tasks-rq reads results through the "default" queue's connection.
    settings.RQ_QUEUES = {"default": {"URL": TEST_REDIS_URL}, name: {"URL": TEST_REDIS_URL}}
    settings.TASKS = {
        "default": {"BACKEND": "config.rq_backend.RQBackend", "QUEUES": ["default", name]}
    }

    def run_worker():
        worker = django_rq.get_worker(
            name, job_class="django_tasks_rq.Job", worker_class="rq.SimpleWorker"
        )
        # A burst worker needs no command channel. Its pub/sub thread sometimes takes a
        # minute to stop (redis-py's listener waits out its timeout), and a minute is long
        # enough for a retry scheduled a minute ahead to fall due.
        worker.subscribe = worker.unsubscribe = lambda: None
        worker.work(burst=True)

    yield name, run_worker
    queue = django_rq.get_queue(name)
    queue.delete(delete_jobs=True)
    connection = queue.connection
    for key in connection.scan_iter(f"rq:*:{name}"):  # its registries: finished, scheduled…
        for job_id in connection.zrange(key, 0, -1):
            connection.delete(f"rq:job:{job_id.decode()}", f"rq:results:{job_id.decode()}")
        connection.delete(key)


def test_rq_queue_a_burst_worker_sends_the_invitation(
    coach, rq_tasks, django_capture_on_commit_callbacks
):
    queue_name, run_worker = rq_tasks
    with django_capture_on_commit_callbacks(execute=False):
        sent = invitation_create(coach=coach, email="ivy@example.com", site_url="http://x/")

    result = invitation_email_send.using(queue_name=queue_name).enqueue(
        invitation_id=sent.invitation.pk, site_url="http://x/"
    )

    assert isinstance(result, TaskResult)
    assert result.status == TaskResultStatus.READY
    assert not mail.outbox
    run_worker()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "sent"
    assert mail.outbox[0].body.count(sent.link) == 1
    assert isinstance(invitation_email_send.get_result(result.id), TaskResult)
    with pytest.raises(TaskResultDoesNotExist):
        invitation_email_send.get_result("no-such-result")


def test_rq_queue_a_failed_email_is_scheduled_to_try_again(
    coach, rq_tasks, mail_down, django_capture_on_commit_callbacks
):
    queue_name, run_worker = rq_tasks
    with django_capture_on_commit_callbacks(execute=False):
        sent = invitation_create(coach=coach, email="ivy@example.com", site_url="http://x/")
    first = invitation_email_send.using(queue_name=queue_name).enqueue(
        invitation_id=sent.invitation.pk, site_url="http://x/"
    )

    run_worker()

    first.refresh()
    assert first.return_value == "retrying"
    registry = ScheduledJobRegistry(queue=django_rq.get_queue(queue_name))
    [retry_id] = registry.get_job_ids()
    retry = invitation_email_send.get_result(retry_id)
    assert retry.status == TaskResultStatus.READY
    assert retry.kwargs["attempt"] == 2
    assert retry.task.queue_name == queue_name
    wait = retry.task.run_after - timezone.now()
    assert timedelta(seconds=50) < wait <= DEFAULT_BACKOFF.delay(1)
