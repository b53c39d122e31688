"""What every background task shares: trying again later.

Django's tasks framework runs a task once; a failed task stays failed. A task that meets a
passing failure (a mail server down, a remote API timing out) calls ``retry_later`` with
its context and the attempt it is on, and finishes; the next attempt is a new task result,
on the same backend and queue. The task takes the context (``@task(takes_context=True)``)
and ``attempt`` as a keyword argument, so each run knows how many came before it.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.tasks import TaskContext, TaskResult
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Backoff:
    """How often, and how far apart: the delay after attempt ``n`` is
    ``first_delay * factor ** (n - 1)``."""

    attempts: int = 5
    first_delay: timedelta = timedelta(minutes=1)
    factor: int = 4

    def delay(self, attempt: int) -> timedelta:
        return self.first_delay * self.factor ** (attempt - 1)


# 1, 4, 16 and 64 minutes apart: five tries over about an hour and a half.
DEFAULT_BACKOFF = Backoff()


def retry_later(
    context: TaskContext, *, attempt: int, backoff: Backoff = DEFAULT_BACKOFF, **kwargs
) -> TaskResult | None:
    """Enqueue the running task again with ``kwargs`` and ``attempt=attempt + 1``, after the
    backoff's delay; ``None`` when ``attempt`` was the last, for the caller to report the
    failure.

    A backend that cannot defer (the immediate backend of the tests) runs the next attempt
    at once, so a test sees every attempt without waiting."""
    if attempt >= backoff.attempts:
        return None
    task = context.task_result.task
    deferred = task.get_backend().supports_defer
    logger.warning(
        "Task %s failed (attempt %s of %s); trying again %s.",
        task.module_path,
        attempt,
        backoff.attempts,
        f"in {backoff.delay(attempt)}" if deferred else "now",
        exc_info=True,
    )
    if deferred:
        task = task.using(run_after=timezone.now() + backoff.delay(attempt))
    return task.enqueue(attempt=attempt + 1, **kwargs)
