"""The athlete's private calendar feed: the .ics a calendar app subscribes to, and the page
where the athlete gets, and replaces, its address."""

import datetime

import pytest
import time_machine
from icalendar import Calendar

from athletes.models import AthleteProfile
from programs.models import (
    Assignment,
    OneRepMax,
    Run,
    RunStatus,
    RunType,
    ScheduledPrescription,
    ScheduledSession,
    SessionStatus,
)
from programs.schedule import runs
from programs.schedule.feed import athlete_feed_rotate, feed_token_new
from tests.factories import AthleteFactory, ExerciseFactory

# Wednesday 25 November 2026, mid-morning in London.
NOW = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 11, 25)
TOMORROW = TODAY + datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def squat(db):
    return ExerciseFactory(name="Back squat")


def feed_url(user) -> str:
    profile = AthleteProfile.objects.get(user=user)
    return f"/feed/{athlete_feed_rotate(athlete=profile)}.ics"


def add_run(user, **fields) -> Run:
    fields = {"date": TODAY, "run_type": RunType.EASY, "distance_m": 8000, **fields}
    return runs.run_create(athlete=user.athlete_profile, **fields)


def add_session(user, exercise, *, date=TOMORROW, title="Lower body A", **fields):
    assignment = Assignment.objects.create(
        athlete=user.athlete_profile, block_name="Base strength", start_date=date, weekdays="14"
    )
    session = ScheduledSession.objects.create(
        athlete=user.athlete_profile,
        assignment=assignment,
        date=date,
        planned_date=date,
        week_number=3,
        phase="strength",
        order=1,
        title=title,
        **fields,
    )
    ScheduledPrescription.objects.create(
        session=session, exercise=exercise, order=1, sets=3, reps_min=5, load_type="pct_1rm",
        load_value=80,
    )  # fmt: skip
    return session


def fetch(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def main(response) -> bytes:
    """The page's own content, without the per-request CSRF token in the layout."""
    return response.content.split(b"<main", 1)[1].split(b"</main>", 1)[0]


def by_summary(calendar: Calendar) -> dict:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


# The feed


def test_the_feed_is_a_calendar_of_the_athletes_runs_and_sessions(client, athlete, squat):
    add_run(athlete, run_type=RunType.LONG, distance_m=32_000)
    add_session(athlete, squat)
    OneRepMax.objects.create(athlete=athlete.athlete_profile, exercise=squat, kg=100)

    response = client.get(feed_url(athlete))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="runstrong.ics"'
    assert response["Cache-Control"] == "private, max-age=900"
    assert response["X-Robots-Tag"] == "noindex"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert "RunStrong" in calendar["PRODID"]
    assert (calendar["CALSCALE"], calendar["METHOD"]) == ("GREGORIAN", "PUBLISH")
    assert calendar["X-WR-CALNAME"] == "RunStrong · Ana Athlete"
    assert calendar["X-WR-TIMEZONE"] == "Europe/London"
    events = by_summary(calendar)
    assert set(events) == {"Long run · 32 km", "Strength · Lower body A"}
    run, session = events["Long run · 32 km"], events["Strength · Lower body A"]
    assert run.start == TODAY
    assert run.end == TOMORROW, "all day: DTEND is the next day"
    assert session.start == TOMORROW
    assert "Back squat: 3×5 @ 80% 1RM · 80 kg" in session["DESCRIPTION"]
    assert "Base strength, week 3 (Strength)" in session["DESCRIPTION"]
    assert b"DTSTART;VALUE=DATE:20261125\r\n" in response.content


def test_a_run_with_a_start_time_is_timed_in_the_athletes_time_zone(client, athlete):
    athlete.time_zone = "America/New_York"
    athlete.save()
    add_run(athlete, start_time=datetime.time(7, 30), duration_s=45 * 60, title="Easy 45")
    add_run(athlete, date=TOMORROW, start_time=datetime.time(18, 0), title="Track")

    url = feed_url(athlete)
    response = client.get(url)
    calendar = Calendar.from_ical(response.content)

    events = by_summary(calendar)
    easy, track = events["Easy 45 · 8 km"], events["Track · 8 km"]
    assert easy["DTSTART"].params["TZID"] == "America/New_York"
    assert easy.start == datetime.datetime(2026, 11, 25, 7, 30, tzinfo=easy.start.tzinfo)
    assert easy.end - easy.start == datetime.timedelta(minutes=45)
    assert track.end - track.start == datetime.timedelta(hours=1), "no duration: one hour"
    assert b"DTSTART;TZID=America/New_York:20261125T073000\r\n" in response.content
    assert [tz.tz_name for tz in calendar.timezones] == ["America/New_York"]
    assert calendar["X-WR-TIMEZONE"] == "America/New_York"


def test_an_all_day_feed_needs_no_time_zone_component(client, athlete):
    add_run(athlete)

    assert fetch(client, feed_url(athlete)).timezones == []


def test_distances_and_weights_are_in_the_athletes_units(client, athlete, squat):
    athlete.distance_unit, athlete.weight_unit = "mi", "lb"
    athlete.save()
    add_run(athlete, run_type=RunType.LONG, distance_m=32_187)
    add_session(athlete, squat, title="")
    OneRepMax.objects.create(athlete=athlete.athlete_profile, exercise=squat, kg=100)

    events = by_summary(fetch(client, feed_url(athlete)))

    assert set(events) == {"Long run · 20 mi", "Strength · Base strength"}
    assert "Back squat: 3×5 @ 80% 1RM · 175 lb" in events["Strength · Base strength"]["DESCRIPTION"]


def test_without_a_one_rep_max_the_load_stays_a_percentage(client, athlete, squat):
    add_session(athlete, squat)

    event = by_summary(fetch(client, feed_url(athlete)))["Strength · Lower body A"]

    assert "Back squat: 3×5 @ 80% 1RM" in event["DESCRIPTION"]
    assert " kg" not in event["DESCRIPTION"]


def test_every_event_has_a_stamp_and_a_stable_unique_uid(client, athlete, squat):
    for day in range(5):
        add_run(athlete, date=TODAY + datetime.timedelta(days=day))
        add_session(athlete, squat, date=TODAY + datetime.timedelta(days=day))
    url = feed_url(athlete)

    first = fetch(client, url).walk("VEVENT")
    second = fetch(client, url).walk("VEVENT")
    after_rotation = fetch(client, feed_url(athlete)).walk("VEVENT")

    uids = [str(e["UID"]) for e in first]
    assert len(uids) == len(set(uids)) == 10
    assert all(uid.endswith("@testserver") for uid in uids), "the install's domain"
    assert [str(e["UID"]) for e in second] == uids
    assert [str(e["UID"]) for e in after_rotation] == uids
    for event in first:
        assert event.DTSTAMP.tzinfo is not None
        assert event.DTSTAMP.utcoffset() == datetime.timedelta(0)
        assert event.last_modified == event.DTSTAMP


def test_an_edit_moves_the_stamp_and_keeps_the_uid(client, athlete):
    run = add_run(athlete)
    url = feed_url(athlete)
    before = fetch(client, url).walk("VEVENT")[0]

    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
        runs.run_update(run=run, data={"distance_m": 10_000})
        after = fetch(client, url).walk("VEVENT")[0]

    assert after["UID"] == before["UID"]
    assert datetime.timedelta(hours=2) == after.DTSTAMP - before.DTSTAMP
    assert str(after["SUMMARY"]) == "Easy · 10 km"


def test_lines_are_folded_at_75_octets_with_crlf(client, athlete):
    add_run(athlete, notes="Côte de la Croix-Rousse ×6, récupération en descente. " * 10)

    content = client.get(feed_url(athlete)).content

    assert content.endswith(b"\r\n")
    lines = content.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines), "no bare LF"
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines), "the notes were folded"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]).endswith("récupération en descente. ")


def test_no_fold_splits_a_character_or_an_escape(client, athlete):
    # Every offset of a multi-byte character and of an escape against the fold.
    notes = {k: "x" * k + "é;\\,€ “quoted” 🏃 a\\nb" * 3 for k in range(80)}
    for k, text in notes.items():
        add_run(athlete, title=f"Run {k}", notes=text)

    content = client.get(feed_url(athlete)).content

    for line in content.split(b"\r\n"):
        assert len(line) <= 75
        line.decode()  # whole characters on every physical line
        assert not (line.endswith(b"\\") and (len(line) - len(line.rstrip(b"\\"))) % 2)
    for event in Calendar.from_ical(content).walk("VEVENT"):
        k = int(str(event["SUMMARY"]).split()[1])
        assert str(event["DESCRIPTION"]).endswith("\n\n" + notes[k])


def test_commas_semicolons_and_newlines_survive_the_round_trip(client, athlete):
    title = "Hills, Richmond Park; 6×2 min \\ jog back"
    add_run(athlete, title=title, notes="Warm up 15 min;\ncool down, easy")

    response = client.get(feed_url(athlete))

    assert b"Hills\\, Richmond Park\\; 6" in response.content
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == f"{title} · 8 km"
    assert str(event["DESCRIPTION"]).endswith("Warm up 15 min;\ncool down, easy")


def test_skipped_runs_and_sessions_are_cancelled_events(client, athlete, squat):
    add_run(athlete, status=RunStatus.SKIPPED)
    add_session(athlete, squat, status=SessionStatus.SKIPPED, skip_reason="Sore calf")
    add_run(athlete, date=TOMORROW, status=RunStatus.DONE)

    events = by_summary(fetch(client, feed_url(athlete)))

    assert events["Skipped · Easy · 8 km"]["STATUS"] == "CANCELLED"
    session = events["Skipped · Strength · Lower body A"]
    assert session["STATUS"] == "CANCELLED"
    assert "Skipped: Sore calf" in session["DESCRIPTION"]
    assert "STATUS" not in events["Easy · 8 km"]


def test_the_feed_runs_from_8_weeks_back_to_52_weeks_ahead(client, athlete):
    days = {"too old": -57, "oldest": -56, "newest": 364, "too far": 365}
    for title, offset in days.items():
        add_run(athlete, date=TODAY + datetime.timedelta(days=offset), title=title)

    events = by_summary(fetch(client, feed_url(athlete)))

    assert set(events) == {"oldest · 8 km", "newest · 8 km"}


def test_the_window_follows_the_athletes_local_today(client, athlete):
    athlete.time_zone = "Pacific/Auckland"
    athlete.save()
    # 25 Nov 12:00 UTC is already 26 Nov in Auckland: 8 weeks back is 1 Oct there.
    add_run(athlete, date=datetime.date(2026, 9, 30), title="Out")
    add_run(athlete, date=datetime.date(2026, 10, 1), title="In")

    with time_machine.travel(datetime.datetime(2026, 11, 25, 12, 0, tzinfo=datetime.UTC)):
        events = by_summary(fetch(client, feed_url(athlete)))

    assert set(events) == {"In · 8 km"}


def test_the_feed_holds_only_its_owners_plan(client, athlete, other_athlete, squat):
    add_run(athlete, title="Mine")
    add_run(other_athlete, title="Theirs")
    add_session(other_athlete, squat, title="Their squats")
    feed_url(other_athlete)

    events = by_summary(fetch(client, feed_url(athlete)))

    assert set(events) == {"Mine · 8 km"}


def test_the_feed_is_read_in_a_fixed_number_of_queries(
    client, athlete, squat, django_assert_max_num_queries
):
    OneRepMax.objects.create(athlete=athlete.athlete_profile, exercise=squat, kg=100)
    add_run(athlete)
    add_session(athlete, squat)
    url = feed_url(athlete)
    with django_assert_max_num_queries(5):
        assert len(fetch(client, url).walk("VEVENT")) == 2

    other = ExerciseFactory(name="Romanian deadlift")
    for day in range(1, 40):
        add_run(athlete, date=TODAY + datetime.timedelta(days=day), start_time=datetime.time(7))
        session = add_session(athlete, squat, date=TODAY + datetime.timedelta(days=day))
        ScheduledPrescription.objects.create(
            session=session, exercise=other, order=2, sets=3, reps_min=8, load_type="kg",
            load_value=40,
        )  # fmt: skip
    with django_assert_max_num_queries(5):
        assert len(fetch(client, url).walk("VEVENT")) == 80


# Who may read it


def test_a_wrong_token_is_a_bare_404(client, athlete):
    add_run(athlete, title="Secret long run")
    feed_url(athlete)

    response = client.get(f"/feed/{feed_token_new()}.ics")

    assert response.status_code == 404
    assert main(response) == main(client.get("/no-such-page/")), "the site's plain 404"
    assert b"Secret long run" not in response.content


def test_an_empty_token_finds_nothing(client, athlete):
    assert AthleteProfile.objects.get(user=athlete).feed_token == "", "no feed yet"

    assert client.get("/feed/.ics").status_code == 404
    assert client.get("/feed/%20.ics").status_code == 404


def test_the_old_address_stops_working_after_a_new_one_is_made(client, athlete):
    old = feed_url(athlete)
    new = feed_url(athlete)

    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_a_deactivated_account_has_no_feed(client, athlete):
    url = feed_url(athlete)
    athlete.is_active = False
    athlete.save()

    assert client.get(url).status_code == 404


def test_the_feed_needs_no_sign_in_and_is_get_only(client, athlete):
    url = feed_url(athlete)

    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405


def test_new_tokens_are_long_random_and_url_safe():
    tokens = {feed_token_new() for _ in range(100)}

    assert len(tokens) == 100
    assert all(len(t) >= 43 and t.replace("-", "").replace("_", "").isalnum() for t in tokens)


def test_rotating_stores_and_returns_the_new_token(athlete):
    profile = athlete.athlete_profile

    token = athlete_feed_rotate(athlete=profile)

    assert token
    assert AthleteProfile.objects.get(pk=profile.pk).feed_token == token


# The settings page


def test_the_settings_page_offers_to_create_the_address(athlete_client):
    response = athlete_client.get("/calendar/feed/")

    assert response.status_code == 200
    assert b"Create my calendar address" in response.content
    assert b"webcal://" not in response.content


def test_the_settings_page_shows_the_address_to_copy_and_subscribe(athlete_client, athlete):
    token = athlete_feed_rotate(athlete=athlete.athlete_profile)

    response = athlete_client.get("/calendar/feed/")

    html = response.content.decode()
    assert f'value="http://testserver/feed/{token}.ics"' in html
    assert f'href="webcal://testserver/feed/{token}.ics"' in html
    assert "readonly" in html
    assert "Make a new address" in html


def test_the_settings_page_uses_https_behind_tls(athlete_client, athlete):
    token = athlete_feed_rotate(athlete=athlete.athlete_profile)

    response = athlete_client.get("/calendar/feed/", secure=True)

    assert f'value="https://testserver/feed/{token}.ics"' in response.content.decode()


def test_the_settings_page_needs_sign_in(client):
    response = client.get("/calendar/feed/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_settings_page_is_for_athletes(coach_client):
    assert coach_client.get("/calendar/feed/").status_code == 403
    assert coach_client.post("/calendar/feed/new/").status_code == 403


def test_the_settings_page_is_get_only(athlete_client):
    assert athlete_client.post("/calendar/feed/").status_code == 405


# Making a new address


def test_the_first_post_creates_the_address(athlete_client, athlete):
    response = athlete_client.post("/calendar/feed/new/", follow=True)

    assert response.redirect_chain == [("/calendar/feed/", 302)]
    token = AthleteProfile.objects.get(user=athlete).feed_token
    assert token
    assert b"Your calendar address is ready" in response.content
    assert athlete_client.get(f"/feed/{token}.ics").status_code == 200


def test_a_new_address_replaces_the_old_one(athlete_client, athlete):
    old = athlete_feed_rotate(athlete=athlete.athlete_profile)

    response = athlete_client.post("/calendar/feed/new/", follow=True)

    new = AthleteProfile.objects.get(user=athlete).feed_token
    assert new != old
    assert b"the old one no longer works" in response.content
    assert athlete_client.get(f"/feed/{old}.ics").status_code == 404


def test_making_a_new_address_is_post_only(athlete_client, athlete):
    response = athlete_client.get("/calendar/feed/new/")

    assert response.status_code == 405
    assert AthleteProfile.objects.get(user=athlete).feed_token == ""


def test_another_athletes_address_is_untouched(athlete_client, other_athlete):
    theirs = athlete_feed_rotate(athlete=other_athlete.athlete_profile)

    athlete_client.post("/calendar/feed/new/")

    assert AthleteProfile.objects.get(user=other_athlete).feed_token == theirs


def test_a_person_who_is_coach_and_athlete_gets_their_own_feed(client, db):
    user = AthleteFactory(is_coach=True, name="Both Roles")
    client.force_login(user)
    client.post("/calendar/feed/new/")

    calendar = fetch(client, f"/feed/{AthleteProfile.objects.get(user=user).feed_token}.ics")

    assert calendar["X-WR-CALNAME"] == "RunStrong · Both Roles"
