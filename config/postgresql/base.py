"""Django's PostgreSQL backend, with a health check that costs no round trip while the
connection is idle and sound.

With ``CONN_HEALTH_CHECKS`` Django checks a kept connection before its first use in each
request, by sending ``SELECT 1`` and waiting for the answer: one round trip on every
request, the set-log POST's included (issue #17). Here the connection's socket is looked
at first, without waiting: an idle connection the server has said nothing on since its
last answer is sound, and is used as it is. A server that closes the connection (a
restart, a failover's fencing, ``pg_terminate_backend``, an idle timeout) says so first
and closes the socket, which makes it readable; then, and only then, ``SELECT 1`` decides
as before, and a dead connection is replaced before the request uses it.

A link that dies silently (a host that vanished without closing anything) is not seen by
either check until its TCP timeout: ``SELECT 1`` would wait on it as long.
"""

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed or self.connection.broken:
            return False
        if self.connection.info.transaction_status == TransactionStatus.IDLE:
            socket = select.poll()
            socket.register(self.connection.fileno(), select.POLLIN)
            if not socket.poll(0):  # nothing to read: no word from the server
                return True
        return super().is_usable()
