"""config/sqlrows: hand-written reads, and several sent at once (one round trip on
PostgreSQL)."""

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from config import sqlrows
from programs.models import ScheduledSession, SetLog
from programs.schedule import services
from tests.factories import ExerciseFactory, make_block

pytestmark = pytest.mark.django_db

LOADS = (
    "SELECT load_kg, performed_on FROM programs_setlog WHERE athlete_id = %s ORDER BY load_kg",
    [SetLog._meta.get_field("load_kg"), SetLog._meta.get_field("performed_on")],
)


@pytest.fixture
def logged(coach, athlete):
    block = make_block(coach, [ExerciseFactory()], weeks=1, sessions=1)
    services.assignment_create(
        block=block,
        athletes=[athlete.athlete_profile],
        start=datetime.date(2026, 12, 7),
        weekdays=[1],
        assigned_by=coach,
    )
    session = ScheduledSession.objects.get(athlete__user=athlete)
    rx = session.prescriptions.first()
    for number, load in enumerate(["80.50", "90"], start=1):
        SetLog.objects.create(
            athlete=athlete.athlete_profile,
            session=session,
            prescription=rx,
            exercise_id=rx.exercise_id,
            set_number=number,
            reps=5,
            load_kg=Decimal(load),
            performed_on=datetime.date(2026, 12, 7),
            logged_at=datetime.datetime(2026, 12, 7, 9, tzinfo=datetime.UTC),
        )
    return athlete.athlete_profile


def test_queries_together_answer_as_each_alone_with_the_fields_types(logged):
    sql, fields = LOADS
    alone = [sqlrows.rows(sql, [logged.pk], fields), sqlrows.rows("SELECT 1", [], [None])]

    together = sqlrows.rows_together([(sql, [logged.pk], fields), ("SELECT 1", [], [None])])

    assert together == alone
    assert together[0] == [
        (Decimal("80.50"), datetime.date(2026, 12, 7)),
        (Decimal("90.00"), datetime.date(2026, 12, 7)),
    ]


def test_the_fields_converters_are_looked_up_once_per_connection(logged, monkeypatch):
    sql, fields = LOADS
    first = sqlrows.rows(sql, [logged.pk], fields)

    def asked(*args):
        raise AssertionError("converters looked up again")

    monkeypatch.setattr(connection.ops, "get_db_converters", asked)
    assert sqlrows.rows(sql, [logged.pk], fields) == first


def test_a_query_read_as_fewer_fields_than_its_columns_is_refused(logged):
    sql, fields = LOADS
    with pytest.raises(ValueError, match="2 columns read as 1 fields"):
        sqlrows.rows(sql, [logged.pk], fields[:1])


def test_an_error_in_one_is_djangos_and_the_transaction_goes_on_after_its_savepoint(logged):
    sql, fields = LOADS
    with transaction.atomic():
        with pytest.raises(DatabaseError), transaction.atomic():
            sqlrows.rows_together(
                [("SELECT no_such_column FROM programs_setlog", [], [None]), (sql, [1], fields)]
            )
        # The savepoint rolled back: the connection answers again, in the same transaction.
        assert len(sqlrows.rows_together([(sql, [logged.pk], fields)])[0]) == 2
    assert connection.is_usable()


def test_insert_stores_every_field_and_leaves_a_taken_key_alone(logged):
    first = SetLog.objects.get(load_kg=Decimal("90"))
    again = SetLog.objects.get(pk=first.pk)
    again.load_kg = Decimal("200")  # the same id sent again: not stored over the first
    new = SetLog(
        athlete=first.athlete,
        session=first.session,
        prescription=first.prescription,
        exercise=first.exercise,
        set_number=3,
        reps=None,
        duration_s=45,
        load_kg=Decimal("82.35"),
        rpe=Decimal("8.5"),
        performed_on=datetime.date(2026, 12, 8),
        logged_at=datetime.datetime(2026, 12, 8, 9, 30, tzinfo=datetime.UTC),
    )

    sqlrows.insert([again, new])

    assert SetLog.objects.get(pk=first.pk).load_kg == Decimal("90.00")
    stored = SetLog.objects.get(pk=new.pk)
    fields = [f.attname for f in SetLog._meta.concrete_fields]
    assert [getattr(stored, f) for f in fields] == [getattr(new, f) for f in fields]
    assert not new._state.adding
    assert SetLog.objects.count() == 3
