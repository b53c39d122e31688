"""config/postgresql: the health check of a kept connection waits on no round trip while
the connection is sound, and still replaces one the server closed; the hand-written
statements of config/sqlrows are prepared once per connection, the ORM's never.

PostgreSQL only, outside a test transaction: the check looks at an idle connection.
"""

import select

import psycopg
import pytest
from django.db import connection

from config import sqlrows
from config.postgresql.base import PREPARE_THRESHOLD, DatabaseWrapper
from programs.models import SetLog

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


def prepared(wrapper=connection) -> list[tuple[str, int]]:
    """The statements prepared on the wrapper's connection, with how often each ran."""
    with wrapper.cursor() as cursor:
        cursor.execute(
            "SELECT statement, custom_plans + generic_plans FROM pg_prepared_statements"
            " ORDER BY statement"
        )
        return cursor.fetchall()


def test_hand_written_statements_are_prepared_once_and_the_orms_never():
    sql = "SELECT %s::int + 1"

    answers = [sqlrows.rows(sql, [1], [None]), sqlrows.rows(sql, [41], [None])]
    for _ in range(PREPARE_THRESHOLD + 1):  # psycopg's count, were the ORM to bind on the server
        assert not SetLog.objects.filter(reps=1).exists()

    assert answers == [[(2,)], [(42,)]]
    statements = prepared()
    assert ("SELECT $1::int + 1", 2) in statements
    assert not [s for s, _runs in statements if '"programs_setlog"."reps"' in s]


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    settings = connection.settings_dict
    off = DatabaseWrapper(
        {**settings, "OPTIONS": {**settings["OPTIONS"], "prepared_statements": False}}, "off"
    )
    try:
        for value in (1, 41):
            with off.prepared_cursor() as cursor:
                cursor.execute("SELECT %s::int + 1", [value])
                assert cursor.fetchone() == (value + 1,)

        assert prepared(off) == []
    finally:
        off.close()
