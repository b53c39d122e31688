"""config/postgresql: the health check of a kept connection waits on no round trip while
the connection is sound, and still replaces one the server closed.

PostgreSQL only, outside a test transaction: the check looks at an idle connection.
"""

import select

import psycopg
import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend"),
    pytest.mark.django_db(transaction=True),
]


def checked() -> None:
    """What Django does before a kept connection's first use in a request."""
    connection.health_check_done = False
    connection.close_if_health_check_failed()


def test_a_sound_idle_connection_is_used_without_a_round_trip(monkeypatch):
    connection.ensure_connection()
    kept = connection.connection
    waits = []
    wait = psycopg.Connection.wait
    monkeypatch.setattr(
        psycopg.Connection, "wait", lambda conn, *a, **k: waits.append(1) or wait(conn, *a, **k)
    )

    checked()

    assert connection.connection is kept
    assert waits == []


def test_a_connection_the_server_closed_is_replaced_before_it_is_used():
    connection.ensure_connection()
    gone = connection.connection
    with psycopg.connect(
        host=connection.settings_dict["HOST"],
        port=connection.settings_dict["PORT"] or 5432,
        user=connection.settings_dict["USER"],
        dbname=connection.settings_dict["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [gone.info.backend_pid])
    said = select.poll()  # the server's last word reaches the socket
    said.register(gone.fileno(), select.POLLIN)
    assert said.poll(5000)

    checked()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert connection.connection is not gone
