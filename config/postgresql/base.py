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

``prepared_cursor()`` gives a cursor whose statements the server parses and plans once
per connection, for the hand-written statements run on every set logged
(config/sqlrows.py). PostgreSQL spent a third of its time on the set-log POST parsing and
planning them again (issue #17). The ORM's cursors are Django's: values bound on the
client, nothing prepared. A pooler in transaction mode that cannot keep prepared
statements (PgBouncer before 1.21, or without ``max_prepared_statements``) needs them
off: the ``prepared_statements`` option, False (``DJANGO_DB_PREPARED_STATEMENTS=0``).
"""

import select

from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import register_tzloader
from psycopg.pq import Format, TransactionStatus

# psycopg's own default: how many runs of a statement before it is prepared, for a cursor
# that binds on the server and does not ask for it at once. Set only so that psycopg
# prepares at all (Django turns it off); the ORM's cursors bind on the client and never
# prepare.
PREPARE_THRESHOLD = 5


class PreparedCursor(base.ServerBindingCursor):
    """Values bound on the server, and each statement prepared at its first run on the
    connection (psycopg keeps the last 100, and sends only the values after)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        prepare = True if prepare is None else prepare
        return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if params.pop("prepared_statements", True) and params["prepare_threshold"] is None:
            params["prepare_threshold"] = PREPARE_THRESHOLD
        return params

    def prepared_cursor(self):
        """A cursor as ``cursor()`` gives (counted, logged, errors raised as Django's),
        whose statements are prepared: see the module's docstring."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            cursor = PreparedCursor(self.connection)
            # As Django's create_cursor(): times read in this connection's time zone.
            loader = self.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, Format.TEXT)
            if self.timezone != loader.timezone:
                register_tzloader(self.timezone, cursor)
            return self._prepare_cursor(cursor)

    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed or self.connection.broken:
            return False
        if self.connection.info.transaction_status == TransactionStatus.IDLE:
            socket = select.poll()
            socket.register(self.connection.fileno(), select.POLLIN)
            if not socket.poll(0):  # nothing to read: no word from the server
                return True
        return super().is_usable()
