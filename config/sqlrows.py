"""Rows of a hand-written query, each column read as the ORM reads a model field.

For the few reads on a hot path where building the query with the ORM costs more than the
database takes to answer it (issue #17, set logging). The SQL carries only placeholders and
names quoted from model metadata; the values come back through the converters the ORM
itself applies (SQLite answers decimals as floats, dates and times as text, UUIDs as
hex)."""

from collections.abc import Collection, Sequence

from django.db import connection
from django.db.models import Field


def placeholders(values: Collection) -> str:
    """One ``%s`` per value, for ``IN (...)``."""
    return ", ".join(["%s"] * len(values))


def rows(sql: str, params: Sequence, fields: Sequence[Field | None]) -> list[tuple]:
    """``sql`` run with ``params``; column i read as ``fields[i]`` is (None: as it comes)."""
    columns = [None if f is None else f.get_col(f.model._meta.db_table) for f in fields]
    converters = [
        []
        if column is None
        else [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)]
        for column in columns
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return [
        tuple(_read(*cell) for cell in zip(row, columns, converters, strict=True))
        for row in fetched
    ]


def _read(value, column, converters):
    for convert in converters:
        value = convert(value, column, connection)
    return value
