"""``manage.py plan_season``: the plan as text or as JSON of the issue's shape, --apply, and
a clear error for each thing that can be wrong."""

import datetime
import json
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from programs.models import Assignment, Flag, ScheduledSession
from tests.factories import AthleteFactory, CoachFactory, link
from tests.programs.seasons.records import NOW, TODAY, add_runs, load_library, week_of

DAY = datetime.timedelta(days=1)
PHASES = {"foundation", "strength", "power", "maintenance", "deload", "taper", "recovery"}
SEVERITIES = {"info", "warning", "critical"}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def runner(athlete):
    load_library()
    profile = athlete.athlete_profile
    races = {week_of(TODAY, 4, 5): ("B", 10), week_of(TODAY, 9, 6): ("A", 21.1)}
    add_runs(profile, first=TODAY - 4 * 7 * DAY, weeks=14, races=races)
    return profile


def plan_season(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("plan_season", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def is_date(text) -> bool:
    return isinstance(text, str) and bool(re.fullmatch(r"\d{4}-\d\d-\d\d", text))


def test_json_is_the_issues_shape(runner, coach):
    out, _err = plan_season(
        "ana@example.com", "--coach", coach.email, "--start", TODAY.isoformat(), "--json"
    )

    data = json.loads(out)
    assert set(data) == {"weeks", "flags"}
    assert len(data["weeks"]) == 10
    for week in data["weeks"]:
        assert set(week) == {"start", "phase", "sessions"}
        assert is_date(week["start"])
        assert datetime.date.fromisoformat(week["start"]).weekday() == 0
        assert week["phase"] in PHASES
        for session in week["sessions"]:
            assert set(session) == {"date", "time", "name", "heavy", "plyometric", "exercises"}
            assert is_date(session["date"])
            assert session["time"] is None or re.fullmatch(r"\d\d:\d\d", session["time"])
            assert isinstance(session["name"], str)
            assert isinstance(session["heavy"], bool)
            assert isinstance(session["plyometric"], bool)
            for exercise in session["exercises"]:
                assert set(exercise) == {"slug", "sets", "reps", "load"}
                assert isinstance(exercise["sets"], int)
                assert isinstance(exercise["reps"], str)
                assert isinstance(exercise["load"], str)
    assert {w["phase"] for w in data["weeks"]} >= {"foundation", "taper"}
    for flag in data["flags"]:
        assert set(flag) == {"code", "title", "severity", "date", "message"}
        assert flag["severity"] in SEVERITIES
        assert is_date(flag["date"])
        assert flag["severity"] == "info"
    assert not ScheduledSession.objects.exists(), "planning alone writes nothing"


def test_sessions_days_and_end_are_taken(runner, coach):
    end = week_of(TODAY, 5, 6)
    out, _err = plan_season(
        "ana@example.com", "--coach", coach.email, "--start", TODAY.isoformat(),
        "--end", end.isoformat(), "--sessions", "3", "--days", "mon,wed,fri", "--json",
    )  # fmt: skip

    weeks = json.loads(out)["weeks"]
    assert weeks[-1]["start"] == week_of(TODAY, 5, 0).isoformat()
    assert max(len(w["sessions"]) for w in weeks) == 3
    first = {datetime.date.fromisoformat(s["date"]).weekday() for s in weeks[0]["sessions"]}
    assert first == {0, 2, 4}


def test_text_lists_the_weeks_and_the_difference(runner, coach):
    out, _err = plan_season("ana@example.com", "--coach", coach.email, "--start", "2027-01-04")

    assert "Season for ana@example.com from Mon 04 Jan 2027 to Sun 14 Mar 2027: 10 weeks" in out
    assert "2027-03-08  taper" in out
    assert "Against the current calendar:" in out


def test_apply_writes_the_plan_and_says_so_beside_the_json(runner, coach):
    out, err = plan_season(
        "ana@example.com", "--coach", coach.email, "--start", TODAY.isoformat(), "--json",
        "--apply",
    )  # fmt: skip

    data = json.loads(out)
    dates = [s["date"] for w in data["weeks"] for s in w["sessions"]]
    stored = ScheduledSession.objects.filter(athlete=runner).order_by("date")
    assert [d.isoformat() for d in stored.values_list("date", flat=True)] == dates
    assert Assignment.objects.get(athlete=runner).assigned_by == coach
    assert err.startswith(f"Applied: {len(dates)} sessions in “Ana Athlete: season 04 Jan 2027”")
    assert not Flag.objects.filter(athlete=runner, severity__in=["warning", "critical"]).exists()


def test_replace_future_replans_over_an_applied_season(runner, coach):
    args = ["ana@example.com", "--coach", coach.email, "--start", TODAY.isoformat(), "--apply"]
    plan_season(*args)
    first = set(ScheduledSession.objects.values_list("pk", flat=True))

    out, _err = plan_season(*args, "--replace-future")

    assert f"{len(first)} unchanged" in out
    assert f"{len(first)} replaced sessions deleted" in out
    assert not first & set(ScheduledSession.objects.values_list("pk", flat=True))
    assert ScheduledSession.objects.count() == len(first)


ANA = "ana@example.com"
NOT_A_DATE = "is not a date like 2026-12-07."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody@example.com"], "nobody@example.com is not an athlete."),
        ([ANA, "--coach", "nobody@example.com"], "nobody@example.com is not a coach."),
        ([ANA, "--coach", "olga@example.com"], f"olga@example.com does not coach {ANA}."),
        ([ANA, "--start", "2027-02-30"], f"--start: “2027-02-30” {NOT_A_DATE}"),
        ([ANA, "--end", "soon"], f"--end: “soon” {NOT_A_DATE}"),
        ([ANA, "--end", "2027-01-03"], "--end is before --start."),
        ([ANA, "--days", "mon,funday"], "--days: “funday” is not a weekday; write days like mon,thu."),  # noqa: E501
        ([ANA, "--start", "2027-03-15"], "--end: No A race on or after the start date: give an end date."),  # noqa: E501
    ],
)  # fmt: skip
def test_errors_are_clear(runner, coach, other_coach, args, message):
    defaults = {"--coach": coach.email, "--start": TODAY.isoformat()}
    for option, value in defaults.items():
        if option not in args:
            args = [*args, option, value]

    with pytest.raises(CommandError) as error:
        plan_season(*args)

    assert str(error.value) == message
    assert not ScheduledSession.objects.exists()


def test_an_athlete_without_a_race_needs_an_end(coach, db):
    load_library()
    link(coach, AthleteFactory(email="eve@example.com"))

    with pytest.raises(CommandError, match="--end: No A race"):
        plan_season("eve@example.com", "--coach", coach.email, "--start", TODAY.isoformat())
    out, _err = plan_season(
        "eve@example.com", "--coach", coach.email, "--start", TODAY.isoformat(),
        "--end", (TODAY + 27 * DAY).isoformat(), "--json",
    )  # fmt: skip
    assert len(json.loads(out)["weeks"]) == 4


def test_the_coach_must_be_a_coach(runner, coach):
    CoachFactory(email="notcoach@example.com", is_coach=False)

    with pytest.raises(CommandError, match="is not a coach"):
        plan_season("ana@example.com", "--coach", "notcoach@example.com", "--start", "2027-01-04")
