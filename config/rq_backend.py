"""django-tasks-rq, speaking Django's own ``django.tasks`` types.

django-tasks-rq 0.12 (the newest) is written against the ``django_tasks`` backport, not
Django 6's built-in framework. Tasks run, but what it hands back is the backport's: ``@task``
builds a ``django_tasks.Task`` (looked up in the backport's own registry of backends),
``enqueue`` and ``get_result`` return ``django_tasks.TaskResult``, and a missing result
raises ``django_tasks.exceptions.TaskResultDoesNotExist``, which ``except
django.tasks.exceptions.TaskResultDoesNotExist`` does not catch (the same for
``InvalidTask``). This subclass keeps its
queueing and swaps those types at the edges. Inside the worker, a task that takes a
context still gets the backport's ``TaskContext`` (same attributes), and the backport's
signals and ``django_tasks`` logger report on the jobs.

The worker must run django-tasks-rq's job class, and RQ's scheduler for ``run_after``:
``manage.py rqworker --job-class django_tasks_rq.Job --with-scheduler``.
"""

from django.tasks import Task, TaskResult, TaskResultStatus
from django.tasks.base import TaskError
from django.tasks.exceptions import InvalidTask, TaskResultDoesNotExist
from django_tasks.exceptions import InvalidTaskError as BackportInvalidTask
from django_tasks.exceptions import TaskResultDoesNotExist as BackportResultDoesNotExist
from django_tasks_rq import RQBackend as BackportRQBackend


def _django_result(result) -> TaskResult:
    converted = TaskResult(
        task=result.task,
        id=result.id,
        status=TaskResultStatus(result.status),
        enqueued_at=result.enqueued_at,
        started_at=result.started_at,
        finished_at=result.finished_at,
        last_attempted_at=result.last_attempted_at,
        args=result.args,
        kwargs=result.kwargs,
        backend=result.backend,
        errors=[
            TaskError(exception_class_path=e.exception_class_path, traceback=e.traceback)
            for e in result.errors
        ],
        worker_ids=list(result.worker_ids),
    )
    object.__setattr__(converted, "_return_value", result._return_value)
    return converted


class RQBackend(BackportRQBackend):
    task_class = Task

    def validate_task(self, task) -> None:
        try:
            super().validate_task(task)
        except BackportInvalidTask as error:
            raise InvalidTask(*error.args) from None

    def enqueue(self, task, args, kwargs) -> TaskResult:
        return _django_result(super().enqueue(task, args, kwargs))

    def get_result(self, result_id: str) -> TaskResult:
        try:
            return _django_result(super().get_result(result_id))
        except BackportResultDoesNotExist:
            raise TaskResultDoesNotExist(result_id) from None
