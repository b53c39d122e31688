import datetime
import json
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client

from programs.conflicts import titles
from programs.models import Flag, PainNote, Run, ScheduledPrescription, ScheduledSession, SetLog
from programs.schedule import services
from tests.factories import ExerciseFactory, make_block

MONDAY = datetime.date(2026, 12, 7)
SYNC = "/today/sets/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 7, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def squat(db):
    easier = ExerciseFactory(name="Goblet squat", load_class="light_lower")
    return ExerciseFactory(
        name="Back squat", load_class="heavy_lower", easier=easier, cues="Brace\nKnees out"
    )


def assign(coach, athlete, exercises, **options):
    block = make_block(coach, exercises, **options)
    services.assignment_create(
        block=block,
        athletes=[athlete.athlete_profile],
        start=MONDAY,
        weekdays=[1, 4],
        assigned_by=coach,
    )
    return ScheduledSession.objects.filter(athlete__user=athlete).order_by("date").first()


@pytest.fixture
def session(coach, athlete, squat):
    return assign(
        coach,
        athlete,
        [squat],
        weeks=2,
        sessions=2,
        dose={"sets": 3, "reps_min": 5, "load_type": "kg", "load_value": 80, "rest_s": 90},
    )


def a_set(scheduled, **changes) -> dict:
    rx = scheduled.prescriptions.first()
    return {
        "id": str(uuid.uuid4()),
        "session": scheduled.pk,
        "prescription": rx.pk,
        "set": 1,
        "reps": 5,
        "load": "80",
        "rpe": "8",
        "performed_on": "2026-12-07",
        "logged_at": "2026-12-07T09:00:00Z",
        **changes,
    }


def sync(client, *sets):
    response = client.post(SYNC, json.dumps({"sets": list(sets)}), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["results"]


class TestTodayPage:
    def test_shows_todays_session_resolved_for_the_athlete(self, athlete_client, session):
        html = athlete_client.get("/athlete/").content.decode()
        assert "Today's strength" in html
        assert "Back squat" in html
        assert "3×5</span> @ 80 kg" in html
        assert "rest 90 s" in html
        assert "Knees out" in html
        assert 'data-rest="90"' in html
        assert "Goblet squat" in html  # the swap offers the easier variant

    def test_loads_in_pounds_with_5_lb_steps(self, athlete, athlete_client, session):
        athlete.weight_unit = "lb"
        athlete.save()
        html = athlete_client.get("/athlete/").content.decode()
        assert "@ 175 lb" in html  # 80 kg is 176.4 lb: the nearest 5 lb
        assert 'data-delta="5"' in html

    def test_what_was_done_last_time(self, athlete_client, athlete, session):
        sync(athlete_client, a_set(session), a_set(session, set=2, reps=4))
        later = ScheduledSession.objects.filter(athlete__user=athlete).order_by("date")[1]
        with time_machine.travel(datetime.datetime(2026, 12, 10, 9, tzinfo=datetime.UTC)):
            html = athlete_client.get("/athlete/").content.decode()
        assert later.title in html
        assert "Last time Mon 7 Dec: 5 × 80 kg @ RPE 8, 4 × 80 kg @ RPE 8" in html

    def test_the_next_session_when_none_today(self, athlete_client, session):
        with time_machine.travel(datetime.datetime(2026, 12, 8, 9, tzinfo=datetime.UTC)):
            html = athlete_client.get("/athlete/").content.decode()
        assert "Next: Thursday 10 Dec" in html

    def test_queries_do_not_grow_with_exercises(
        self, coach, athlete, athlete_client, django_assert_max_num_queries
    ):
        assign(coach, athlete, [ExerciseFactory() for _ in range(3)], name="Small", weeks=1)
        with django_assert_max_num_queries(20) as few:
            athlete_client.get("/athlete/")
        ScheduledSession.objects.all().delete()
        assign(coach, athlete, [ExerciseFactory() for _ in range(12)], name="Big", weeks=1)
        with django_assert_max_num_queries(len(few)):
            html = athlete_client.get("/athlete/").content.decode()
        assert html.count('class="card mb-3 rx-log') == 12

    def test_the_next_set_follows_the_highest_and_starts_at_the_last_load(
        self, athlete, athlete_client, session
    ):
        sync(athlete_client, a_set(session), a_set(session, set=3, load="72.5"))
        html = athlete_client.get("/athlete/").content.decode()
        assert '<input type="hidden" name="set" value="4">' in html
        assert '<span class="set-label">Set 4</span>' in html
        rx = session.prescriptions.first()
        assert f'id="load-{rx.pk}" name="load" inputmode="decimal" value="72.5"' in html
        # What the phone reads to number and load the sets it adds to a page kept offline.
        assert (
            'data-set="3" data-reps="5" data-duration="" data-load="72.5">'
            'Set 3 <span aria-hidden="true">✓</span> 5 × 72.5 kg @ RPE 8</li>'
        ) in html
        assert f'<div id="today" data-user="{athlete.pk}"' in html

    def test_the_last_load_carries_forward_in_pounds(self, athlete, athlete_client, session):
        athlete.weight_unit = "lb"
        athlete.save()
        sync(athlete_client, a_set(session, load="185"))
        html = athlete_client.get("/athlete/").content.decode()
        assert 'inputmode="decimal" value="185"' in html
        assert 'data-set="1" data-reps="5" data-duration="" data-load="185">' in html

    def test_coaches_are_refused_and_anonymous_signs_in(self, coach_client):
        assert coach_client.get("/athlete/").status_code == 403
        assert Client().get("/athlete/").status_code == 302


def flag(athlete, code: str, severity: str, day: int) -> Flag:
    return Flag.objects.create(
        athlete=athlete.athlete_profile,
        code=code,
        severity=severity,
        date=MONDAY + datetime.timedelta(days=day),
        message=f"The message of {code}",
        suggestion={"kind": "advice", "text": f"The fix of {code}"},
        fingerprint=uuid.uuid4().hex,
    )


class TestTodayFlags:
    """The worst two open flags, by their plain titles, below the workout; the calendar has
    the rest."""

    @pytest.fixture
    def flags(self, athlete, session):
        Flag.objects.all().delete()
        return [
            flag(athlete, "STRENGTH_DAYS_TOO_CLOSE", "warning", 1),
            flag(athlete, "HEAVY_BEFORE_LONG_RUN", "critical", 3),
            flag(athlete, "RUN_DISTANCE_SPIKE", "warning", 2),
            flag(athlete, "NO_DELOAD", "info", 0),
        ]

    def test_the_worst_two_below_the_workout_with_a_link_to_the_rest(self, athlete_client, flags):
        html = athlete_client.get("/athlete/").content.decode()
        shown = sorted(
            (html.index(title), title) for title in titles.TITLES.values() if title in html
        )
        # Critical first, then the sooner warning; the third waits on the calendar, and
        # information stays off Today.
        assert [title for _, title in shown] == [
            "Heavy legs the day before your long run",
            "Strength days too close together",
        ]
        last_exercise = html.rindex('class="card mb-3 rx-log')
        assert html.index('id="today-flags"') > html.index("</article>", last_exercise)
        assert '<a class="more-flags" href="/calendar/?view=week&amp;at=2026-12-09">1 more' in html

    def test_the_athlete_reads_titles_never_codes_messages_or_fixes(self, athlete_client, flags):
        html = athlete_client.get("/athlete/").content.decode()
        for shown in flags:
            assert shown.code not in html
            assert shown.message not in html
            assert shown.fix_text not in html
        assert 'href="/calendar/?view=week&amp;at=2026-12-10"' in html  # the critical one's week

    def test_the_rest_over_two_weeks_link_to_the_month(self, athlete, athlete_client, flags):
        flag(athlete, "LOAD_SPIKE", "warning", 7)
        html = athlete_client.get("/athlete/").content.decode()
        assert '<a class="more-flags" href="/calendar/?view=month&amp;at=2026-12-09">2 more' in html

    def test_two_flags_need_no_link(self, athlete_client, flags):
        flags[2].delete()
        html = athlete_client.get("/athlete/").content.decode()
        assert "Strength days too close together" in html
        assert "more-flags" not in html

    def test_no_flags_no_section(self, athlete_client, session):
        Flag.objects.all().delete()
        assert 'id="today-flags"' not in athlete_client.get("/athlete/").content.decode()

    def test_queries_do_not_grow_with_flags(
        self, athlete, athlete_client, flags, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(20) as few:
            athlete_client.get("/athlete/")
        for day in range(10):
            flag(athlete, "LOAD_SPIKE", "warning", day)
        with django_assert_max_num_queries(len(few)):
            athlete_client.get("/athlete/")


class TestSync:
    def test_stores_each_set_once_whatever_the_retries(self, athlete_client, session):
        first, second = a_set(session), a_set(session, set=2)
        assert [r["status"] for r in sync(athlete_client, first, second)] == ["stored"] * 2
        assert [r["status"] for r in sync(athlete_client, first, second, first)] == [
            "duplicate"
        ] * 3
        assert SetLog.objects.count() == 2
        log = SetLog.objects.get(pk=first["id"])
        assert (log.reps, log.load_kg, log.rpe) == (5, Decimal("80.00"), Decimal("8.0"))

    def test_a_set_number_already_taken_is_stored_as_the_next_free_one(
        self, athlete_client, session
    ):
        # Sets 1 and 2 stored; a page kept from before them, and a second tab, each
        # offer "set 1" and "set 2" again.
        sync(athlete_client, a_set(session), a_set(session, set=2))
        stale, other_tab = a_set(session), a_set(session, set=2)
        results = sync(athlete_client, stale, other_tab, a_set(session, set=9))
        assert results == [
            {"id": stale["id"], "status": "stored", "set": 3},
            {"id": other_tab["id"], "status": "stored", "set": 4},
            {"id": results[2]["id"], "status": "stored"},  # 9 was free
        ]
        numbers = SetLog.objects.order_by("set_number").values_list("set_number", flat=True)
        assert list(numbers) == [1, 2, 3, 4, 9]

    def test_a_retry_learns_the_number_its_set_was_stored_under(self, athlete_client, session):
        sync(athlete_client, a_set(session))
        moved = a_set(session)
        assert sync(athlete_client, moved, moved) == [
            {"id": moved["id"], "status": "stored", "set": 2},
            {"id": moved["id"], "status": "duplicate", "set": 2},
        ]
        # The answer was lost: the phone sends it again as it was.
        assert sync(athlete_client, moved) == [{"id": moved["id"], "status": "duplicate", "set": 2}]
        assert SetLog.objects.count() == 2

    def test_no_set_past_the_fiftieth(self, athlete_client, session):
        sync(athlete_client, *[a_set(session, set=n) for n in range(1, 51)])
        (result,) = sync(athlete_client, a_set(session, set=7))
        assert (result["status"], result["field"]) == ("invalid", "set")
        assert result["message"] == "This exercise already has 50 sets."
        assert SetLog.objects.count() == 50

    def test_a_set_repeated_in_one_batch_is_stored_once(self, athlete_client, session):
        one = a_set(session)
        assert [r["status"] for r in sync(athlete_client, one, one)] == ["stored", "duplicate"]
        assert SetLog.objects.count() == 1

    def test_a_session_with_sets_is_done_on_the_day_they_were_done(self, athlete_client, session):
        later = session.assignment.sessions.order_by("date")[1]  # Thursday, done on Monday
        sync(athlete_client, a_set(later, prescription=later.prescriptions.first().pk))
        later.refresh_from_db()
        assert (later.status, later.date) == ("done", MONDAY)

    def test_loads_in_pounds_are_stored_in_kg(self, athlete, athlete_client, session):
        athlete.weight_unit = "lb"
        athlete.save()
        sync(athlete_client, a_set(session, load="175"))
        assert SetLog.objects.get().load_kg == Decimal("79.38")

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"reps": 101}, "reps", "Reps must be between 0 and 100."),
            ({"reps": "ten"}, "reps", "Reps must be a number."),
            ({"reps": "", "duration": ""}, "reps", "Enter the reps"),
            ({"load": "501"}, "load", "Load must be at most 500 kg."),
            ({"load": "-5"}, "load", "Load must be between"),
            ({"rpe": "11"}, "rpe", "RPE must be between 1 and 10."),
            ({"performed_on": "2027-06-01"}, "performed_on", "a day still to come"),
            ({"performed_on": "yesterday"}, "performed_on", "not a date"),
            ({"session": 999999}, "session", "not in your plan"),
            ({"set": 0}, "set", "Set number must be between 1 and 50."),
            ({"id": "not-a-uuid"}, "id", "no id"),
        ],
    )
    def test_each_bad_value_gets_its_message_and_nothing_is_stored(
        self, athlete_client, session, changes, field, message
    ):
        (result,) = sync(athlete_client, a_set(session, **changes))
        assert result["status"] == "invalid"
        assert result["field"] == field
        assert message in result["message"]
        assert not SetLog.objects.exists()

    def test_one_bad_set_does_not_stop_the_others(self, athlete_client, session):
        results = sync(athlete_client, a_set(session), a_set(session, reps=500), a_set(session))
        assert [r["status"] for r in results] == ["stored", "invalid", "stored"]

    def test_another_athletes_session_is_refused(self, client, other_athlete, session):
        client.force_login(other_athlete)
        (result,) = sync(client, a_set(session))
        assert (result["status"], result["field"]) == ("invalid", "session")
        assert not SetLog.objects.exists()

    def test_fifty_queued_sets_in_one_request(
        self, athlete_client, session, django_assert_max_num_queries
    ):
        sets = [a_set(session, set=n % 50 + 1) for n in range(50)]
        with django_assert_max_num_queries(30):
            results = sync(athlete_client, *sets)
        assert {r["status"] for r in results} == {"stored"}
        assert SetLog.objects.count() == 50

    def test_a_set_after_the_first_costs_four_queries(
        self, athlete_client, session, django_assert_max_num_queries
    ):
        sync(athlete_client, a_set(session))
        second = a_set(session, set=2)
        # The prescriptions with their sessions (locked), the exercise's history for
        # records, the sets stored under those ids or prescriptions, the insert; on
        # PostgreSQL, the sets' transaction (a savepoint in a test). The session, the
        # user and the athlete's coaches come from the cache.
        with django_assert_max_num_queries(6 if connection.vendor == "postgresql" else 4):
            (result,) = sync(athlete_client, second)
        assert result["status"] == "stored"

    @pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL: round trips in one pipeline"
    )
    def test_a_set_after_the_first_costs_four_round_trips(
        self, athlete_client, session, monkeypatch
    ):
        """Each answer PostgreSQL is waited for: the reads go in one pipeline."""
        import psycopg
        from psycopg.waiting import Wait

        sync(athlete_client, a_set(session))
        second = a_set(session, set=2)
        answers_awaited = []
        wait = psycopg.Connection.wait

        def counted(conn, gen, *args, **kwargs):
            def watched():
                awaited = False
                sent = None
                while True:
                    try:
                        asked = gen.send(sent)
                    except StopIteration as done:
                        return done.value
                    if asked == Wait.R and not awaited:
                        awaited = True
                        answers_awaited.append(gen)
                    sent = yield asked

            return wait(conn, watched(), *args, **kwargs)

        monkeypatch.setattr(psycopg.Connection, "wait", counted)
        (result,) = sync(athlete_client, second)
        # The savepoint (BEGIN outside a test), the reads (the targets locked, the
        # history, the sets stored) at once, the insert, the savepoint's release (COMMIT).
        assert result["status"] == "stored"
        assert len(answers_awaited) == 4

    def test_a_new_record_is_announced(self, athlete_client, session):
        (first,) = sync(athlete_client, a_set(session))
        (heavier,) = sync(athlete_client, a_set(session, set=2, load="85"))
        (lighter,) = sync(athlete_client, a_set(session, set=3, load="70"))
        assert "new_record" not in first
        assert heavier["new_record"] is True
        assert "new_record" not in lighter

    def test_a_fractional_load_ties_itself(self, athlete_client, session):
        # SQLite keeps 82.35 kg as the nearest float, a hair under it: read back, it still
        # ties 82.35, summed up before the batch's day and row by row on it.
        day_before = {"performed_on": "2026-12-06", "logged_at": "2026-12-06T09:00:00Z"}
        (earlier,) = sync(athlete_client, a_set(session, load="82.35", **day_before))
        (next_day,) = sync(athlete_client, a_set(session, set=2, load="82.35"))
        (same_day,) = sync(athlete_client, a_set(session, set=3, load="82.35"))
        (heavier,) = sync(athlete_client, a_set(session, set=4, load="82.4"))
        assert [r["status"] for r in (earlier, next_day, same_day, heavier)] == ["stored"] * 4
        assert "new_record" not in next_day
        assert "new_record" not in same_day
        assert heavier["new_record"] is True

    def test_malformed_bodies_are_refused(self, athlete_client):
        for body in ["nope", "{}", '{"sets": 3}', '{"sets": [1]}']:
            response = athlete_client.post(SYNC, body, content_type="application/json")
            assert response.status_code == 400

    def test_too_many_at_once(self, athlete_client, session):
        body = json.dumps({"sets": [a_set(session) for _ in range(101)]})
        response = athlete_client.post(SYNC, body, content_type="application/json")
        assert response.status_code == 400
        assert "at most 100" in response.json()["error"]

    def test_roles_and_methods(self, coach, athlete):
        coach_client, athlete_client = Client(), Client()
        coach_client.force_login(coach)
        athlete_client.force_login(athlete)
        assert coach_client.post(SYNC, "{}", content_type="application/json").status_code == 403
        assert athlete_client.get(SYNC).status_code == 405
        assert Client().post(SYNC, "{}", content_type="application/json").status_code == 302


class TestPlainForms:
    def test_a_set_form_submitted_twice_is_stored_once(self, athlete_client, session):
        data = a_set(session)
        for _ in range(2):
            response = athlete_client.post("/today/sets/one/", data)
            assert response.status_code == 302
        assert SetLog.objects.count() == 1

    def test_an_invalid_set_says_why(self, athlete_client, session):
        response = athlete_client.post("/today/sets/one/", a_set(session, rpe="12"), follow=True)
        assert "Set not saved: RPE must be between 1 and 10." in response.content.decode()

    def test_finish_with_a_pain_note(self, athlete_client, session):
        url = f"/today/sessions/{session.pk}/finish/"
        data = {"rpe": "7", "notes": "Felt strong", "pain_area": "knee", "pain_score": "3"}
        athlete_client.post(url, data)
        session.refresh_from_db()
        assert (session.status, session.rpe, session.notes) == ("done", 7, "Felt strong")
        pain = PainNote.objects.get()
        assert (pain.area, pain.score, pain.session_id) == ("knee", 3, session.pk)

    def test_pain_needs_a_score(self, athlete_client, session):
        url = f"/today/sessions/{session.pk}/finish/"
        response = athlete_client.post(url, {"pain_area": "knee"}, follow=True)
        assert "Say how bad it is, 0 to 10." in response.content.decode()
        assert not PainNote.objects.exists()

    def test_skip_and_swap_an_exercise(self, athlete_client, session, squat):
        rx = session.prescriptions.first()
        athlete_client.post(f"/today/exercises/{rx.pk}/swap/", {"exercise": squat.easier_id})
        rx.refresh_from_db()
        assert (rx.exercise_id, rx.swapped_from_id) == (squat.easier_id, squat.pk)
        athlete_client.post(f"/today/exercises/{rx.pk}/skip/", {"reason": "Knee"})
        rx.refresh_from_db()
        assert rx.skip_reason == "Knee"

    def test_swap_only_to_a_variant(self, athlete_client, session):
        rx = session.prescriptions.first()
        other = ExerciseFactory(name="Bench press", load_class="upper")
        response = athlete_client.post(
            f"/today/exercises/{rx.pk}/swap/", {"exercise": other.pk}, follow=True
        )
        assert "Pick one of the variants of this exercise." in response.content.decode()
        rx.refresh_from_db()
        assert rx.swapped_from_id is None

    def test_mark_the_run_done_with_what_was_run(self, athlete, athlete_client):
        run = Run.objects.create(
            athlete=athlete.athlete_profile, date=MONDAY, run_type="easy", distance_m=8000
        )
        athlete_client.post(f"/today/runs/{run.pk}/done/", {"distance": "8.4", "duration": "45"})
        run.refresh_from_db()
        assert (run.status, run.actual_distance_m, run.actual_duration_s) == ("done", 8400, 2700)

    @pytest.mark.parametrize(
        "path",
        [
            "/today/sessions/{session}/finish/",
            "/today/exercises/{rx}/skip/",
            "/today/exercises/{rx}/swap/",
        ],
    )
    def test_strangers_get_404(self, client, other_athlete, session, path):
        client.force_login(other_athlete)
        rx = ScheduledPrescription.objects.filter(session=session).first()
        url = path.format(session=session.pk, rx=rx.pk)
        assert client.post(url, {"reason": "x", "exercise": rx.exercise_id}).status_code == 404

    def test_another_athletes_run_is_404(self, client, other_athlete, athlete):
        run = Run.objects.create(athlete=athlete.athlete_profile, date=MONDAY, run_type="easy")
        client.force_login(other_athlete)
        assert client.post(f"/today/runs/{run.pk}/done/").status_code == 404


class TestApp:
    def test_manifest_makes_today_installable(self, client):
        data = client.get("/manifest.webmanifest").json()
        assert data["start_url"] == "/athlete/"
        assert data["display"] == "standalone"
        assert {"192x192", "512x512"} <= {icon["sizes"] for icon in data["icons"]}

    def test_the_service_worker_lists_todays_files(self, client):
        response = client.get("/sw.js")
        assert response["Content-Type"].startswith("text/javascript")
        assert response["Cache-Control"] == "no-cache"
        body = response.content.decode()
        assert '"/athlete/"' in body
        assert "/static/js/today." in body  # the hashed name in production storage


def test_a_set_synced_late_is_judged_against_the_sets_done_before_it(athlete_client, session):
    # Monday 100 kg and Wednesday 110 kg are stored; Tuesday's 105 kg arrives late from
    # the phone's queue. It beat Monday, so it was a record when it was done.
    sync(athlete_client, a_set(session, load="100", performed_on="2026-12-07"))
    sync(athlete_client, a_set(session, set=2, load="110", performed_on="2026-12-07"))
    SetLog.objects.filter(load_kg=Decimal(110)).update(performed_on=datetime.date(2026, 12, 9))
    (late,) = sync(
        athlete_client,
        a_set(session, set=3, load="105", performed_on="2026-12-08", logged_at="2026-12-08T09:00Z"),
    )
    assert late["new_record"] is True


def test_the_sessions_planned_time_shows_beside_its_day(athlete_client, session):
    ScheduledSession.objects.filter(athlete=session.athlete).update(
        start_time=datetime.time(18, 30)
    )

    html = athlete_client.get("/athlete/").content.decode()
    assert "Today's strength at 18:30" in html

    services.scheduled_session_skip(session=session, reason="Travelling")
    html = athlete_client.get("/athlete/").content.decode()
    assert "Next: Thursday 10 Dec 18:30" in html


def test_a_superset_letter_is_explained(athlete_client, session):
    html = athlete_client.get("/athlete/").content.decode()
    assert 'id="superset-legend"' not in html

    ScheduledPrescription.objects.filter(session=session).update(superset="A")
    session.athlete.user.save()  # no signal for update(): a save moves the page on
    html = athlete_client.get("/athlete/").content.decode()
    assert "are a superset: do them back to back" in html
    assert 'title="Superset A: done back to back with the other A exercises"' in html


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite only: PostgreSQL reads the batch with its rows locked, in the write's "
    "transaction, so another connection's deletion waits for the commit",
)
@pytest.mark.django_db(transaction=True)
def test_a_session_taken_out_of_the_plan_while_its_set_is_checked_is_answered_not_500(
    athlete_client, session, monkeypatch
):
    """SQLite checks a batch before its write transaction: a session deleted in between
    (the coach unassigned the block) fails the insert; the batch is checked again, and
    the set refused with the plan's message."""
    from programs.logbook import services as logging_services

    checked = logging_services.new_records

    def coach_deletes_the_session(*args):
        ScheduledSession.objects.filter(pk=session.pk).delete()
        monkeypatch.setattr(logging_services, "new_records", checked)
        return checked(*args)

    monkeypatch.setattr(logging_services, "new_records", coach_deletes_the_session)
    sent = a_set(session)

    results = sync(athlete_client, sent)

    assert results == [
        {
            "id": sent["id"],
            "status": "invalid",
            "message": "This session is not in your plan.",
            "field": "session",
        }
    ]
    assert not SetLog.objects.exists()
