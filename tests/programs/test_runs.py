"""The run schedule: athletes and their coaches add, edit, move, mark and delete runs."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from athletes.models import CoachingLink
from programs import units
from programs.models import Run, RunType
from programs.schedule import runs

# Wednesday 25 November 2026, mid-morning in London.
NOW = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 11, 25)
MONDAY = datetime.date(2026, 11, 23)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def add_run(user, **fields) -> Run:
    fields = {"date": TODAY, "run_type": RunType.EASY, "distance_m": 8000, **fields}
    return runs.run_create(athlete=user.athlete_profile, **fields)


def quick(run_type="long", distance="18", date="2026-11-25") -> dict:
    return {"quick": "1", "run_type": run_type, "distance": distance, "date": date}


def full(**fields) -> dict:
    return {
        "date": TODAY.isoformat(),
        "run_type": "easy",
        "distance": "10",
        "duration": "",
        "start_time": "",
        "title": "",
        "race_priority": "",
        "status": "planned",
        "notes": "",
        **fields,
    }


# Units


@pytest.mark.parametrize(
    ("distance", "unit", "metres"),
    [
        (Decimal(10), "mi", 16093),
        (Decimal("26.2"), "mi", 42165),
        (Decimal("21.0975"), "km", 21098),
        (Decimal("0.4"), "km", 400),
    ],
)
def test_distances_in_the_users_unit_are_stored_in_metres(distance, unit, metres):
    assert units.to_metres(distance, unit) == metres


@pytest.mark.parametrize(
    ("metres", "unit", "shown"),
    [
        (16093, "mi", "10 mi"),
        (21097, "km", "21.1 km"),
        (100_000, "km", "100 km"),
        (0, "km", "0 km"),
    ],
)
def test_distances_are_shown_rounded_in_the_users_unit(metres, unit, shown):
    assert units.format_distance(metres, unit) == shown


@pytest.mark.parametrize(
    ("seconds", "shown"), [(2700, "45 min"), (5400, "1:30"), (5415, "1:30:15"), (3600, "1:00")]
)
def test_durations_read_as_a_runner_writes_them(seconds, shown):
    assert units.format_duration(seconds) == shown


# The athlete's schedule


def test_the_schedule_lists_runs_from_this_week_on_grouped_by_day(athlete_client, athlete):
    add_run(athlete, date=MONDAY, run_type=RunType.TEMPO, distance_m=10_000)
    add_run(athlete, date=MONDAY - datetime.timedelta(days=1), title="Last Sunday's run")
    add_run(athlete, date=TODAY + datetime.timedelta(days=4), run_type=RunType.LONG)

    response = athlete_client.get("/runs/")

    assert response.status_code == 200
    days = [day.label for day in response.context["days"]]
    assert days == ["Mon 23 Nov", "Sun 29 Nov"]
    assert b"Last Sunday&#x27;s run" not in response.content
    assert b"10 km" in response.content
    assert response.content.count(b">Key</span>") == 2


def test_past_runs_are_a_link_away(athlete_client, athlete):
    add_run(athlete, date=MONDAY - datetime.timedelta(days=1), title="Last Sunday's run")

    response = athlete_client.get("/runs/?past=1")

    assert b"Last Sunday&#x27;s run" in response.content
    assert b'id="quick-add"' not in response.content


def test_distances_are_listed_in_the_athletes_unit(athlete_client, athlete):
    athlete.distance_unit = "mi"
    athlete.save()
    add_run(athlete, distance_m=16093)

    response = athlete_client.get("/runs/")

    assert b"10 mi" in response.content
    assert b"Distance (mi)" in response.content


def test_quick_add_defaults_to_today_in_the_athletes_time_zone(athlete_client, athlete):
    athlete.time_zone = "Pacific/Auckland"
    athlete.save()

    with time_machine.travel(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)):
        response = athlete_client.get("/runs/")

    assert b'value="2026-11-26"' in response.content
    assert b'inputmode="decimal"' in response.content


def test_quick_add_in_km(athlete_client, athlete):
    response = athlete_client.post("/runs/add/", quick(distance="18"))

    assert response.status_code == 302
    assert response["Location"] == "/runs/"
    run = Run.objects.get(athlete=athlete.athlete_profile)
    assert (run.run_type, run.distance_m, run.date, run.status) == (
        "long",
        18_000,
        TODAY,
        "planned",
    )


def test_quick_add_in_miles(athlete_client, athlete):
    athlete.distance_unit = "mi"
    athlete.save()

    athlete_client.post("/runs/add/", quick(distance="10"))

    assert Run.objects.get(athlete=athlete.athlete_profile).distance_m == 16093


def test_quick_add_accepts_a_decimal_comma(athlete_client, athlete):
    athlete_client.post("/runs/add/", quick(distance="12,5"))

    assert Run.objects.get().distance_m == 12_500


def test_quick_add_with_htmx_answers_the_updated_schedule(athlete_client, athlete):
    response = athlete_client.post("/runs/add/", quick(distance="18"), **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="schedule"')
    assert "<html" not in html
    assert "18 km" in html
    assert 'value="18"' not in html, "the quick add is empty again"


def test_a_rest_day_needs_no_distance(athlete_client, athlete):
    athlete_client.post("/runs/add/", quick(run_type="rest", distance=""))

    assert Run.objects.get().run_type == "rest"


def test_the_full_form_adds_a_race_with_its_priority(athlete_client, athlete):
    assert athlete_client.get("/runs/add/?date=2027-04-18").status_code == 200

    data = full(run_type="race", distance="42.195", race_priority="A", date="2027-04-18")
    data |= {"duration": "3:15", "start_time": "09:30", "title": "Paris Marathon"}
    response = athlete_client.post("/runs/add/", data)

    assert response.status_code == 302
    run = Run.objects.get()
    assert (run.distance_m, run.duration_s, run.race_priority) == (42_195, 11_700, "A")
    assert run.start_time == datetime.time(9, 30)


def test_the_athlete_edits_a_run(athlete_client, athlete):
    run = add_run(athlete)
    assert b'value="8"' in athlete_client.get(f"/runs/{run.pk}/edit/").content

    response = athlete_client.post(
        f"/runs/{run.pk}/edit/", full(run_type="tempo", distance="12", duration="45")
    )

    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.run_type, run.distance_m, run.duration_s) == ("tempo", 12_000, 2700)


def test_an_edit_keeps_the_stored_metres_of_a_distance_left_as_shown(athlete_client, athlete):
    run = add_run(athlete, distance_m=21_097)

    athlete_client.post(f"/runs/{run.pk}/edit/", full(distance="21.1", notes="Felt good"))

    run.refresh_from_db()
    assert (run.distance_m, run.notes) == (21_097, "Felt good")


def test_the_athlete_moves_a_run(athlete_client, athlete):
    run = add_run(athlete)

    response = athlete_client.post(f"/runs/{run.pk}/move/", {"date": "2026-11-27"})

    assert response.status_code == 302
    run.refresh_from_db()
    assert run.date == datetime.date(2026, 11, 27)


def test_a_move_with_htmx_answers_the_schedule(athlete_client, athlete):
    run = add_run(athlete)

    response = athlete_client.post(f"/runs/{run.pk}/move/", {"date": "2026-11-27"}, **HTMX)

    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="schedule"')
    assert [day.label for day in response.context["days"]] == ["Fri 27 Nov"]


def test_a_move_to_an_absurd_date_is_refused(athlete_client, athlete):
    run = add_run(athlete)

    response = athlete_client.post(f"/runs/{run.pk}/move/", {"date": "2031-01-01"}, **HTMX)

    assert response.status_code == 200
    assert b"Pick a date within two years of today." in response.content
    run.refresh_from_db()
    assert run.date == TODAY


def test_the_athlete_marks_a_run_done_in_one_tap(athlete_client, athlete):
    run = add_run(athlete)

    response = athlete_client.post(f"/runs/{run.pk}/status/", {"status": "done"}, **HTMX)

    assert response.status_code == 200
    assert b"Undo" in response.content
    run.refresh_from_db()
    assert run.status == "done"


def test_mark_skipped_then_undo(athlete_client, athlete):
    run = add_run(athlete)

    athlete_client.post(f"/runs/{run.pk}/status/", {"status": "skipped"})
    run.refresh_from_db()
    assert run.status == "skipped"
    response = athlete_client.post(f"/runs/{run.pk}/status/", {"status": "planned", "past": "1"})

    assert response["Location"] == "/runs/?past=1"
    run.refresh_from_db()
    assert run.status == "planned"


def test_the_athlete_deletes_a_run_after_confirming(athlete_client, athlete):
    run = add_run(athlete)

    confirm = athlete_client.get(f"/runs/{run.pk}/delete/")
    assert b"Delete this run?" in confirm.content
    assert Run.objects.filter(pk=run.pk).exists()
    response = athlete_client.post(f"/runs/{run.pk}/delete/")

    assert response.status_code == 302
    assert not Run.objects.filter(pk=run.pk).exists()


def test_a_delete_with_htmx_answers_the_schedule(athlete_client, athlete):
    run = add_run(athlete, title="Going away")

    response = athlete_client.post(f"/runs/{run.pk}/delete/", **HTMX)

    assert response.status_code == 200
    assert b"Going away" not in response.content
    assert b'id="schedule"' in response.content


# A race's priority in one click


def test_the_athlete_sets_a_races_priority_and_goes_back(athlete_client, athlete):
    race = add_run(athlete, run_type="race", distance_m=10_000)

    response = athlete_client.post(
        f"/runs/{race.pk}/priority/", {"race_priority": "A", "next": "/calendar/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/calendar/"
    race.refresh_from_db()
    assert race.race_priority == "A"


def test_a_priority_without_a_page_to_go_back_to_returns_to_the_schedule(coach_client, athlete):
    race = add_run(athlete, run_type="race")

    response = coach_client.post(
        f"/runs/{race.pk}/priority/", {"race_priority": "C", "next": "https://evil.example/"}
    )

    assert response["Location"] == f"/runs/athlete/{athlete.athlete_profile.pk}/"
    race.refresh_from_db()
    assert race.race_priority == "C"


@pytest.mark.parametrize(
    ("run_type", "priority", "message"),
    [
        ("easy", "A", "Only a race has a priority."),
        ("race", "D", "Pick A, B or C."),
        ("race", "", "Pick A, B or C."),
    ],
)
def test_a_priority_that_cannot_be_is_refused_with_a_message(
    athlete_client, athlete, run_type, priority, message
):
    run = add_run(athlete, run_type=run_type)

    response = athlete_client.post(
        f"/runs/{run.pk}/priority/", {"race_priority": priority}, follow=True
    )

    assert message in response.content.decode()
    run.refresh_from_db()
    assert run.race_priority == ""


# Validation


def test_race_priority_only_for_a_race(athlete_client, athlete):
    response = athlete_client.post("/runs/add/", full(run_type="easy", race_priority="A"))

    assert response.status_code == 200
    assert response.context["form"].errors["race_priority"] == ["Only a race has a priority."]
    assert not Run.objects.exists()


@pytest.mark.parametrize(
    ("unit", "distance", "message"),
    [
        ("km", "-5", "Enter a distance from 0 to 1000 km."),
        ("km", "1000.1", "Enter a distance from 0 to 1000 km."),
        ("mi", "700", "Enter a distance from 0 to 621.37 mi."),
        ("km", "ten", "Enter the distance as a number, like 10 or 10.5."),
        ("km", "", "Enter a distance or a duration."),
    ],
)
def test_distance_is_checked_in_the_users_unit(athlete_client, athlete, unit, distance, message):
    athlete.distance_unit = unit
    athlete.save()

    response = athlete_client.post("/runs/add/", quick(distance=distance), **HTMX)

    assert response.status_code == 200
    assert response.context["form"].errors["distance"] == [message]
    assert message.encode() in response.content
    assert not Run.objects.exists()


def test_an_invalid_quick_add_without_javascript_shows_the_schedule_page(athlete_client, athlete):
    response = athlete_client.post("/runs/add/", quick(distance="-5"))

    assert response.status_code == 200
    assert b"<html" in response.content
    assert b'id="quick-add"' in response.content


@pytest.mark.parametrize("date", ["2029-01-01", "2024-06-01", "1900-01-01"])
def test_a_date_far_from_today_is_refused(athlete_client, athlete, date):
    response = athlete_client.post("/runs/add/", quick(date=date))

    assert response.context["form"].errors["date"] == ["Pick a date within two years of today."]


@pytest.mark.parametrize(("typed", "seconds"), [("45", 2700), ("1:30", 5400), ("0:42:30", 2550)])
def test_duration_in_minutes_or_hours_and_minutes(athlete_client, athlete, typed, seconds):
    athlete_client.post("/runs/add/", full(distance="", duration=typed))

    assert Run.objects.get().duration_s == seconds


def test_a_duration_that_is_not_one_is_refused(athlete_client, athlete):
    response = athlete_client.post("/runs/add/", full(duration="an hour"))

    assert response.context["form"].errors["duration"] == [
        "Enter minutes (45) or hours and minutes (1:30)."
    ]


# The coach


def test_the_coach_sees_their_athletes_schedule(coach_client, athlete):
    add_run(athlete, title="Hill reps")

    response = coach_client.get(f"/runs/athlete/{athlete.athlete_profile.pk}/")

    assert response.status_code == 200
    assert b"Ana Athlete" in response.content
    assert b"Hill reps" in response.content


def test_the_coach_adds_edits_moves_marks_and_deletes(coach_client, coach, athlete):
    profile = athlete.athlete_profile
    schedule = f"/runs/athlete/{profile.pk}/"

    response = coach_client.post(f"{schedule}add/", quick(run_type="intervals", distance="9"))
    assert response["Location"] == schedule
    run = Run.objects.get(athlete=profile)
    assert (run.run_type, run.distance_m) == ("intervals", 9000)

    assert coach_client.get(f"/runs/{run.pk}/edit/").status_code == 200
    response = coach_client.post(f"/runs/{run.pk}/edit/", full(run_type="hills", distance="10"))
    assert response["Location"] == schedule
    coach_client.post(f"/runs/{run.pk}/move/", {"date": "2026-11-28"})
    coach_client.post(f"/runs/{run.pk}/status/", {"status": "skipped"})
    run.refresh_from_db()
    assert (run.run_type, run.date, run.status) == ("hills", datetime.date(2026, 11, 28), "skipped")

    response = coach_client.post(f"/runs/{run.pk}/delete/")
    assert response["Location"] == schedule
    assert not Run.objects.exists()


def test_the_coach_quick_add_with_htmx_answers_the_fragment(coach_client, athlete):
    path = f"/runs/athlete/{athlete.athlete_profile.pk}/add/"

    response = coach_client.post(path, quick(), **HTMX)

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"18 km" in response.content


# Who may do what

RUN_ACTIONS = [
    ("get", "/runs/{}/edit/", {}),
    ("post", "/runs/{}/edit/", full()),
    ("post", "/runs/{}/move/", {"date": "2026-11-26"}),
    ("post", "/runs/{}/status/", {"status": "done"}),
    ("post", "/runs/{}/priority/", {"race_priority": "A"}),
    ("get", "/runs/{}/delete/", {}),
    ("post", "/runs/{}/delete/", {}),
]


@pytest.mark.parametrize(("method", "path", "data"), RUN_ACTIONS)
def test_another_athletes_run_is_not_found(athlete_client, other_athlete, method, path, data):
    run = add_run(other_athlete)

    response = getattr(athlete_client, method)(path.format(run.pk), data)

    assert response.status_code == 404
    run.refresh_from_db()
    assert (run.date, run.status, run.distance_m) == (TODAY, "planned", 8000)


@pytest.mark.parametrize(("method", "path", "data"), RUN_ACTIONS)
def test_another_coachs_athletes_run_is_not_found(coach_client, other_athlete, method, path, data):
    run = add_run(other_athlete)

    assert getattr(coach_client, method)(path.format(run.pk), data).status_code == 404
    assert Run.objects.filter(pk=run.pk, status="planned").exists()


def test_a_former_coach_no_longer_reaches_the_runs(coach_client, athlete):
    run = add_run(athlete)
    CoachingLink.objects.filter(athlete=athlete.athlete_profile).update(ended_at=timezone.now())

    assert coach_client.get(f"/runs/{run.pk}/edit/").status_code == 404
    assert coach_client.get(f"/runs/athlete/{athlete.athlete_profile.pk}/").status_code == 404


def test_another_coachs_athlete_is_not_found(coach_client, other_athlete):
    profile = other_athlete.athlete_profile

    assert coach_client.get(f"/runs/athlete/{profile.pk}/").status_code == 404
    assert coach_client.post(f"/runs/athlete/{profile.pk}/add/", quick()).status_code == 404
    assert not Run.objects.exists()


def test_an_athlete_on_the_coach_schedule_is_forbidden(athlete_client, athlete):
    assert athlete_client.get(f"/runs/athlete/{athlete.athlete_profile.pk}/").status_code == 403


def test_a_coach_without_an_athlete_role_is_forbidden_on_athlete_pages(coach_client):
    assert coach_client.get("/runs/add/").status_code == 403
    # The list shows the way to their athletes' runs (test_coach_wayfinding.py).
    response = coach_client.get("/runs/")
    assert response.status_code == 200
    assert "This page is an athlete's own runs" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/runs/",
        "/runs/add/",
        "/runs/athlete/1/",
        "/runs/athlete/1/add/",
        "/runs/1/edit/",
        "/runs/1/delete/",
    ],
)
def test_anonymous_is_sent_to_sign_in(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/runs/"),
        ("get", "/runs/{}/move/"),
        ("get", "/runs/{}/status/"),
        ("get", "/runs/{}/priority/"),
        ("put", "/runs/{}/edit/"),
        ("put", "/runs/add/"),
    ],
)
def test_wrong_method(athlete_client, athlete, method, path):
    run = add_run(athlete)

    assert getattr(athlete_client, method)(path.format(run.pk)).status_code == 405


# Query counts


@pytest.mark.parametrize("count", [1, 60])
def test_the_athlete_schedule_queries_are_bounded(
    athlete_client, athlete, django_assert_max_num_queries, count
):
    for day in range(count):
        add_run(athlete, date=MONDAY + datetime.timedelta(days=day // 2))

    with django_assert_max_num_queries(6):
        response = athlete_client.get("/runs/")

    assert sum(len(day.rows) for day in response.context["days"]) == count


@pytest.mark.parametrize("count", [1, 60])
def test_the_coach_schedule_queries_are_bounded(
    coach_client, athlete, django_assert_max_num_queries, count
):
    for day in range(count):
        add_run(athlete, date=MONDAY + datetime.timedelta(days=day // 2))

    with django_assert_max_num_queries(6):
        response = coach_client.get(f"/runs/athlete/{athlete.athlete_profile.pk}/")

    assert sum(len(day.rows) for day in response.context["days"]) == count


def test_a_distance_too_big_to_convert_is_a_form_error(athlete_client):
    from programs.models import Run

    response = athlete_client.post("/runs/add/", {"run_type": "easy", "distance": "1e30"})
    assert response.status_code == 200
    assert "Enter a distance from 0 to" in response.content.decode()
    assert not Run.objects.exists()


def test_an_unknown_status_is_refused_with_a_message(athlete_client, athlete):
    from programs.models import Run

    run = Run.objects.create(athlete=athlete.athlete_profile, date="2030-01-01", run_type="easy")
    response = athlete_client.post(f"/runs/{run.pk}/status/", {"status": "bogus"}, follow=True)
    assert "Pick planned, done or skipped." in response.content.decode()
    run.refresh_from_db()
    assert run.status == "planned"
