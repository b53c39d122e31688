"""Django's SQLite backend, with each write transaction queued on a file lock.

The app's transactions begin ``IMMEDIATE``: each takes SQLite's one write lock at its
start. When two processes (gunicorn's workers) want it at once, the one that finds it
taken is left to SQLite's busy handler, which polls in growing sleeps (1, 2, 5, 10, 15,
20 … ms) and so wakes late, often long after the lock was released: measured with two
workers logging sets, a transaction of 3 ms waited 12 ms on average to begin.

Here each transaction first takes an exclusive ``flock`` on a file beside the database
(``<name>-writer.lock``), which the kernel hands to the next waiter the moment it is
released, at the end of the transaction. SQLite's own lock and busy timeout still guard
every write; the file lock only orders the transactions that would queue on it anyway.
A write outside a transaction (autocommit) does not take it. An in-memory database (the
tests') has no file to lock and no other process to share it with.
"""

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._writer_lock: int | None = None  # the open lock file's descriptor, while held

    def _start_transaction_under_autocommit(self) -> None:
        self._writer_lock_take()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._writer_lock_release()
            raise

    def _set_autocommit(self, autocommit: bool) -> None:
        # Every transaction ends here, committed or rolled back (``atomic`` turns
        # autocommit back on at once), before its on_commit hooks run.
        super()._set_autocommit(autocommit)
        if autocommit:
            self._writer_lock_release()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._writer_lock_release()

    def _writer_lock_take(self) -> None:
        if self.is_in_memory_db() or self._writer_lock is not None:
            return
        descriptor = os.open(f"{self.settings_dict['NAME']}-writer.lock", os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        except BaseException:
            os.close(descriptor)
            raise
        self._writer_lock = descriptor

    def _writer_lock_release(self) -> None:
        descriptor, self._writer_lock = self._writer_lock, None
        if descriptor is not None:
            os.close(descriptor)  # closing the file drops its lock
