"""Rows of hand-written queries, each column read as the ORM reads a model field.

For the few reads on a hot path where building the query with the ORM costs more than the
database takes to answer it (issue #17, set logging). The SQL carries only placeholders and
names quoted from model metadata; the values come back through the converters the ORM
itself applies (SQLite answers decimals as floats, dates and times as text, UUIDs as
hex).

``insert`` stores model objects as ``bulk_create(objs, ignore_conflicts=True)`` does,
with the statement written here: on the same hot path, Django's insert compiler cost more
than the insert.

``rows_together`` sends several such queries in one round trip on PostgreSQL: the set-log
POST's reads (issue #17), where each round trip to the database cost the two gunicorn
workers more than the statement itself."""

from collections.abc import Collection, Sequence
from weakref import WeakKeyDictionary

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Model
from django.db.models.constants import OnConflict
from django.db.models.expressions import Col


def placeholders(values: Collection) -> str:
    """One ``%s`` per value, for ``IN (...)``."""
    return ", ".join(["%s"] * len(values))


# The values one statement can bind on PostgreSQL's server (a 16-bit count).
SERVER_PARAMS_MAX = 65_535

type Query = tuple[str, Sequence, Sequence[Field | None]]


def rows(sql: str, params: Sequence, fields: Sequence[Field | None]) -> list[tuple]:
    """``sql`` run with ``params``; column i read as ``fields[i]`` is (None: as it comes)."""
    with _cursor() as cursor:
        cursor.execute(sql, params)
        return _converted(cursor.fetchall(), fields)


def rows_together(queries: Sequence[Query]) -> list[list[tuple]]:
    """Each query's rows, as ``rows`` gives them, the queries run in order.

    On PostgreSQL they go in one round trip (psycopg's pipeline mode), with the
    transaction's ``BEGIN`` when one is due: the server still runs them one after the
    other, each as if sent alone (in READ COMMITTED, each sees what was committed before
    it started, and a query after a ``FOR UPDATE`` runs once its locks are held). An error
    in one is raised as Django raises it, and the queries after it are not run. Elsewhere,
    one round trip each."""
    if not queries:
        return []
    if not pipelined():
        return [rows(*query) for query in queries]
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursors = []
        try:
            with connection.connection.pipeline():
                for sql, params, _fields in queries:
                    cursor = _cursor()
                    cursors.append(cursor)
                    cursor.execute(sql, params)
            return [
                _converted(cursor.fetchall(), fields)
                for cursor, (_sql, _params, fields) in zip(cursors, queries, strict=True)
            ]
        finally:
            for cursor in cursors:
                cursor.close()


def _prepares() -> bool:
    """Whether the backend prepares these statements (this project's PostgreSQL backend,
    config/postgresql): they run on every set logged, and parsing and planning them again
    cost the server more than running them. Its values are bound on the server."""
    return hasattr(connection, "prepared_cursor")


def _cursor():
    return connection.prepared_cursor() if _prepares() else connection.cursor()


def pipelined() -> bool:
    """Whether ``rows_together`` sends its queries in one round trip here."""
    return connection.vendor == "postgresql"


def _converted(fetched: list[tuple], fields: Sequence[Field | None]) -> list[tuple]:
    """The rows, each column that has converters here read through them and the rest
    left as the driver gave them. PostgreSQL's driver gives every field these queries
    read as the ORM would: there the rows are returned as they came."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    readers = _readers(wrapper, tuple(fields))
    if fetched and len(fetched[0]) != len(fields):
        raise ValueError(f"{len(fetched[0])} columns read as {len(fields)} fields")
    if not readers:
        return fetched
    converted = []
    for row in fetched:
        values = list(row)
        for i, column, converters in readers:
            for convert in converters:
                values[i] = convert(values[i], column, wrapper)
        converted.append(tuple(values))
    return converted


# Per connection (one per thread): each tuple of fields' columns that need converting,
# with their converters, bound to that connection's operations. Made once: asking the
# backend and the fields for them cost more than the rows they convert on the set-log
# POST (issue #17).
_made: WeakKeyDictionary = WeakKeyDictionary()


def _readers(wrapper, fields: tuple[Field | None, ...]) -> list[tuple[int, Col, list]]:
    made = _made.setdefault(wrapper, {})
    if fields not in made:
        readers = []
        for i, field in enumerate(fields):
            if field is None:
                continue
            column = field.get_col(field.model._meta.db_table)
            ops, own = wrapper.ops.get_db_converters(column), column.get_db_converters(wrapper)
            if ops or own:
                readers.append((i, column, [*ops, *own]))
        made[fields] = readers
    return made[fields]


def insert(objs: Sequence[Model]) -> None:
    """``objs`` (of one model) stored as ``bulk_create(objs, ignore_conflicts=True)``
    stores them: every concrete field's value as a save prepares it, in as few
    statements as the database's limit on parameters allows, a row whose key is taken
    left out (so no primary key is read back: give them theirs), no signals sent."""
    if not objs:
        return
    model = type(objs[0])
    opts = model._meta
    fields = [f for f in opts.concrete_fields if not f.generated]
    ops = connection.ops
    start = "{insert} {table} ({columns}) VALUES ".format(
        insert=ops.insert_statement(on_conflict=OnConflict.IGNORE),
        table=ops.quote_name(opts.db_table),
        columns=", ".join(ops.quote_name(f.column) for f in fields),
    )
    end = ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None)
    row = "({})".format(", ".join(["%s"] * len(fields)))
    size = ops.bulk_batch_size(fields, objs) or len(objs)
    if _prepares():
        size = min(size, SERVER_PARAMS_MAX // len(fields))
    with _cursor() as cursor:
        for first in range(0, len(objs), size):
            batch = objs[first : first + size]
            params = []
            for obj in batch:
                obj._prepare_related_fields_for_save(operation_name="insert")
                params += [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
            cursor.execute(f"{start}{', '.join([row] * len(batch))} {end}".rstrip(), params)
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
