import json
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from programs.models import Run
from programs.schedule.runfiles import MAX_FILE_BYTES, RunFileError, export_runs_csv, import_runs
from programs.schedule.runfiles.importing import ADDED_BY_HAND, EDITED

REALDATA = Path("/work/shared/realdata/ics")


def calendar(*events: str, newline: str = "\r\n") -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *events, "END:VCALENDAR"]
    return (newline.join("\n".join(lines).split("\n")) + newline).encode()


def event(summary: str, start: str = "DTSTART;VALUE=DATE:20260301", **props: str) -> str:
    extra = [f"{name.upper()}:{value}" for name, value in props.items()]
    return "\n".join(["BEGIN:VEVENT", *extra, start, f"SUMMARY:{summary}", "END:VEVENT"])


def plan(count: int, *, extra_miles: int = 0) -> bytes:
    first = date(2026, 1, 5)
    return calendar(
        *(
            event(
                f"Easy {day % 7 + 3 + extra_miles} mi",
                f"DTSTART;VALUE=DATE:{first + timedelta(days=day):%Y%m%d}",
                uid=f"plan-{day}",
            )
            for day in range(count)
        )
    )


def run_ics(athlete, data: bytes, **kwargs):
    return import_runs(athlete=athlete.athlete_profile, data=data, filename="plan.ics", **kwargs)


def run_csv(athlete, text: str, **kwargs):
    return import_runs(
        athlete=athlete.athlete_profile, data=text.encode(), filename="runs.csv", **kwargs
    )


def runs(athlete):
    return list(Run.objects.filter(athlete__user=athlete))


# iCalendar: dates and times


def test_all_day_event_is_a_run_on_that_date(athlete):
    report = run_ics(athlete, calendar(event("Long run 18 mi", uid="a1")))

    (run,) = runs(athlete)
    assert report.created == 1
    assert (run.date, run.start_time, run.run_type, run.distance_m) == (
        date(2026, 3, 1),
        None,
        "long",
        28968,
    )
    assert (run.title, run.source, run.external_id) == ("Long run 18 mi", "import", "uid:a1")


def test_utc_time_is_moved_to_the_athletes_time_zone(athlete):
    run_ics(athlete, calendar(event("Tempo 5 km", "DTSTART:20260701T063000Z", uid="u")))

    (run,) = runs(athlete)
    assert (run.date, run.start_time) == (date(2026, 7, 1), clock(7, 30))  # BST


def test_tzid_time_lands_on_the_athletes_local_date(athlete):
    run_ics(
        athlete,
        calendar(event("Easy 5 mi", "DTSTART;TZID=America/New_York:20260301T230000", uid="t")),
    )

    (run,) = runs(athlete)
    assert (run.date, run.start_time) == (date(2026, 3, 2), clock(4, 0))


def test_floating_time_is_kept_as_written(athlete):
    run_ics(athlete, calendar(event("Easy 5 mi", "DTSTART:20260301T230000", uid="f")))

    (run,) = runs(athlete)
    assert (run.date, run.start_time) == (date(2026, 3, 1), clock(23, 0))


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_folded_lines_escapes_and_line_ends(athlete, newline):
    folded = "\n".join(
        [
            "BEGIN:VEVENT",
            "UID:fold@example.com",
            "DTSTART;VALUE=DATE:20260301",
            "SUMMARY:Easy 6 mi a.m.\\, 4 mi p.m. 🏃 with a very long summary that",
            "  is folded",
            "DESCRIPTION:Keep it easy\\; chat pace\\nHydrate",
            "END:VEVENT",
        ]
    )
    report = run_ics(athlete, calendar(folded, newline=newline))

    (run,) = runs(athlete)
    assert report.created == 1
    assert run.title == "Easy 6 mi a.m., 4 mi p.m. 🏃 with a very long summary that is folded"
    assert run.distance_m == 16093
    assert run.notes == "Keep it easy; chat pace\nHydrate"


def test_events_out_of_order(athlete):
    data = calendar(
        event("Long run 10 mi", "DTSTART;VALUE=DATE:20260308", uid="b"),
        event("Easy 5 km", "DTSTART;VALUE=DATE:20260301", uid="a"),
    )
    run_ics(athlete, data)

    assert [(run.date.day, run.run_type) for run in runs(athlete)] == [(1, "easy"), (8, "long")]


# iCalendar: what is skipped


def test_weekly_summary_and_other_sports_are_skipped_and_counted(athlete):
    data = calendar(
        event("Week 1: 30 mi", "DTSTART;VALUE=DATE:20260301\nDTEND;VALUE=DATE:20260308"),
        event("Bike 40 km", uid="b"),
        event("Swim 2000m", uid="s"),
        event("OFF", uid="o"),
    )
    report = run_ics(athlete, data)

    assert report.created == 1
    assert [(line, reason) for line, _summary, reason in report.skipped] == [
        (4, "spans 7 days"),
        (9, "not a run (bike)"),
        (14, "not a run (swim)"),
    ]
    assert [run.run_type for run in runs(athlete)] == ["rest"]


# iCalendar: identity and re-import


def test_reimporting_the_same_file_changes_nothing(athlete):
    data = plan(10)
    run_ics(athlete, data)
    report = run_ics(athlete, data)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 10)
    assert len(runs(athlete)) == 10


def test_an_updated_file_updates_runs_by_uid(athlete):
    run_ics(athlete, calendar(event("Easy 5 mi", uid="x1"), event("Rest", uid="x2")))
    report = run_ics(
        athlete,
        calendar(
            event("Tempo 8 km", "DTSTART;VALUE=DATE:20260302", uid="x1"), event("Rest", uid="x2")
        ),
    )

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    run = Run.objects.get(external_id="uid:x1")
    assert (run.date, run.run_type, run.distance_m) == (date(2026, 3, 2), "tempo", 8000)


def test_without_uid_a_run_is_known_by_date_and_summary(athlete):
    data = calendar(event("Easy 5 mi"), event("Easy  5 MI"))
    first = run_ics(athlete, data)
    second = run_ics(athlete, data)

    assert (first.created, first.skipped[0][2]) == (
        1,
        "the same event as line 4 (UID or date and summary)",
    )
    assert (second.created, second.unchanged) == (0, 1)
    assert runs(athlete)[0].external_id == "date:2026-03-01:easy 5 mi"


def test_a_run_edited_by_hand_is_kept_and_reported(athlete):
    run_ics(athlete, calendar(event("Easy 5 mi", uid="e")))
    Run.objects.filter(external_id="uid:e").update(distance_m=9000)

    report = run_ics(athlete, calendar(event("Easy 6 mi", uid="e")))

    assert report.updated == 0
    assert report.skipped == [(4, "Easy 5 mi", EDITED)]
    assert runs(athlete)[0].distance_m == 9000


def test_a_hand_edit_that_matches_the_file_is_unchanged(athlete):
    run_ics(athlete, calendar(event("Easy 5 mi", uid="e")))
    Run.objects.filter(external_id="uid:e").update(distance_m=9656)

    report = run_ics(athlete, calendar(event("Easy 6 mi", uid="e")))

    assert (report.unchanged, report.skipped) == (0, [(4, "Easy 5 mi", EDITED)])


# iCalendar: unreadable


def test_a_malformed_date_is_an_error_row_and_the_rest_imports(athlete):
    data = calendar(
        event("Easy 5 mi", uid="ok"),
        event("Tempo 5 km", "DTSTART;20220302", uid="bad"),
        event("Long 10 mi", "DTSTART:20260230", uid="bad2"),
    )
    report = run_ics(athlete, data)

    assert report.created == 1
    assert [line for line, _message in report.errors] == [9, 14]
    assert "DTSTART" in report.errors[0][1]


def test_a_file_with_no_usable_date_changes_nothing(athlete):
    data = calendar(event("Easy 5 mi", "DTSTART;20220302"), event("Rest", "DTSTART;20220303"))

    with pytest.raises(RunFileError, match="None of the 2 events has a usable start date"):
        run_ics(athlete, data)
    assert runs(athlete) == []


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"x" * (MAX_FILE_BYTES + 1), "plan.ics", "the limit is 2 MB"),
        ("SUMMARY:Café".encode("latin-1"), "plan.ics", "not UTF-8"),
        (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "plan.ics", "no events"),
        (b"date,type\n", "plan.txt", "not an .ics or .csv file"),
        (b"Easy 5 mi on Monday", "plan.ics", "not an iCalendar file"),
        (b"when,what\n2026-03-01,easy\n", "runs.csv", "must be the header"),
    ],
)
def test_an_unreadable_file_changes_nothing_and_says_why(athlete, data, filename, message):
    with pytest.raises(RunFileError, match=message):
        import_runs(athlete=athlete.athlete_profile, data=data, filename=filename)
    assert runs(athlete) == []


# Writes


def test_dry_run_writes_nothing(athlete):
    report = run_ics(athlete, plan(5), dry_run=True)

    assert (report.created, report.dry_run) == (5, True)
    assert "dry run" in report.summary()
    assert runs(athlete) == []


@pytest.mark.parametrize("count", [10, 140])
def test_import_takes_a_fixed_number_of_queries(athlete, django_assert_max_num_queries, count):
    # The import itself, then the conflict flags rechecked against the new runs.
    bound = 5 + 12
    with django_assert_max_num_queries(bound):
        created = run_ics(athlete, plan(count))
    with django_assert_max_num_queries(bound):
        updated = run_ics(athlete, plan(count, extra_miles=1))
    Run.objects.filter(athlete__user=athlete).update(distance_m=1)
    with django_assert_max_num_queries(bound):
        kept = run_ics(athlete, plan(count))

    assert (created.created, updated.updated, len(kept.skipped)) == (count, count, count)


def test_a_20_week_plan_imports_in_under_a_second(athlete):
    data = plan(140)
    started = time.perf_counter()
    report = run_ics(athlete, data)
    elapsed = time.perf_counter() - started

    assert report.created == 140
    assert elapsed < 1.0


# CSV


CSV = """date,type,distance,unit,duration,notes
2026-03-01,Long run,18,mi,2:45:00,"Steady, then faster"
2026-03-02,rest,,,,
2026-03-03,easy,8.5,km,45:00,
2026-03-03,easy,800,m,300,second run
"""


def test_csv_import(athlete):
    report = run_csv(athlete, CSV)

    assert report.created == 4
    assert [(r.date.day, r.run_type, r.distance_m, r.duration_s) for r in runs(athlete)] == [
        (1, "long", 28968, 9900),
        (2, "rest", None, None),
        (3, "easy", 8500, 2700),
        (3, "easy", 800, 300),
    ]


def test_csv_export_then_import_round_trips(athlete):
    run_ics(athlete, calendar(event("Half marathon (A)", uid="h"), event("Easy 6.5 mile", uid="e")))
    profile = athlete.athlete_profile
    Run.objects.create(athlete=profile, date=date(2026, 3, 5), run_type="hills", distance_m=7777)
    run_csv(athlete, CSV)
    count = len(runs(athlete))

    exported = export_runs_csv(athlete=profile)
    report = run_csv(athlete, exported)

    assert (report.created, report.updated, report.skipped, report.errors) == (0, 0, [], [])
    assert report.unchanged == count
    assert "2026-03-01,race,21.098,km" in exported
    assert len(runs(athlete)) == count


def test_csv_update_keeps_a_hand_added_run(athlete):
    Run.objects.create(athlete=athlete.athlete_profile, date=date(2026, 3, 2), run_type="rest")
    report = run_csv(athlete, "date,type,distance,unit\n2026-03-02,rest,5,km\n")

    assert report.skipped == [(2, "Rest 2026-03-02", ADDED_BY_HAND)]


def test_csv_row_errors_have_line_numbers(athlete):
    text = (
        "date,type,distance,unit,duration,notes\n"
        "2026-02-30,easy,,,,\n"
        "2026-03-01,jogging,5,km,,\n"
        '2026-03-02,easy,5,,,"two\nlines"\n'
        "2026-03-03,easy,5,km,1h,\n"
        "2026-03-04,easy,5,km,,\n"
    )
    report = run_csv(athlete, text)

    assert report.created == 1
    assert report.errors == [
        (2, "date: '2026-02-30' is not a date (YYYY-MM-DD)"),
        (
            3,
            "type: 'jogging' is not one of easy, recovery, long, tempo, intervals, hills, "
            "fartlek, race, cross_training, rest",
        ),
        (4, "unit: '' is not km, mi or m"),
        (6, "duration: '1h' is not seconds, H:MM:SS or MM:SS"),
    ]


# Commands


def write(tmp_path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_import_command_prints_the_report(athlete, tmp_path, capsys):
    path = write(
        tmp_path, "plan.ics", calendar(event("Easy 5 mi", uid="a"), event("Bike", uid="b"))
    )
    call_command("import_runs", "ANA@example.com", str(path))

    out = capsys.readouterr().out
    assert "1 created, 0 updated, 0 unchanged, 1 skipped, 0 errors" in out
    assert "skipped line 9: 'Bike': not a run (bike)" in out


def test_import_command_json(athlete, tmp_path, capsys):
    path = write(tmp_path, "plan.ics", calendar(event("Easy 5 mi", uid="a")))
    call_command("import_runs", athlete.email, str(path), "--json", "--dry-run")

    report = json.loads(capsys.readouterr().out)
    assert set(report) >= {"created", "updated", "unchanged", "skipped", "errors"}
    assert (report["created"], report["dry_run"]) == (1, True)
    assert runs(athlete) == []


def test_import_command_refuses_a_non_athlete(coach, tmp_path):
    path = write(tmp_path, "plan.ics", calendar(event("Easy 5 mi")))
    with pytest.raises(CommandError, match="is not an athlete"):
        call_command("import_runs", coach.email, str(path))


def test_import_command_fails_on_an_unreadable_file(athlete, tmp_path):
    path = write(tmp_path, "plan.ics", calendar(event("Easy", "DTSTART;20220302")))
    with pytest.raises(CommandError, match="usable start date"):
        call_command("import_runs", athlete.email, str(path))


def test_export_command_round_trips_through_import_command(athlete, tmp_path, capsys):
    run_csv(athlete, CSV)
    out = tmp_path / "runs.csv"
    call_command("export_runs", athlete.email, "-o", str(out))
    call_command("import_runs", athlete.email, str(out), "--json")

    report = json.loads(capsys.readouterr().out)
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 4)


# Real files


@pytest.fixture
def real_file():
    if not REALDATA.is_dir():
        pytest.skip(f"{REALDATA} is not here")
    return lambda name: (REALDATA / name).read_bytes()


def test_real_bendecoste_plan(athlete, real_file):
    report = run_ics(athlete, real_file("bendecoste_running_plan.ics"))

    types = [run.run_type for run in runs(athlete)]
    assert report.created == 42
    assert types.count("rest") == 14
    assert types.count("cross_training") == 7
    assert {reason for _line, _summary, reason in report.skipped} == {"no run type recognised"}
    assert run_ics(athlete, real_file("bendecoste_running_plan.ics")).unchanged == 42


def test_real_season_plan_mixes_dates_and_skips_other_sports(athlete, real_file):
    report = run_ics(athlete, real_file("raxdne_Season2021.ics"))

    reasons = {reason for _line, _summary, reason in report.skipped}
    assert report.errors == []
    assert {"spans 7 days", "no run type recognised"} <= reasons
    assert report.created == len(runs(athlete)) > 0


@pytest.mark.parametrize("name", ["raxdne_SimplePlan.ics", "raxdne_TriathlonPlan.ics"])
def test_real_plans_with_malformed_dates_cannot_be_read(athlete, real_file, name):
    with pytest.raises(RunFileError, match="usable start date"):
        run_ics(athlete, real_file(name))
    assert runs(athlete) == []


@pytest.mark.parametrize(
    ("distance", "duration"), [("1e999999", ""), ("5", "²"), ("5", "9" * 5000)]
)
def test_absurd_csv_numbers_are_error_rows_not_crashes(athlete, distance, duration):
    from programs.schedule.runfiles import import_runs

    data = (
        "date,type,distance,unit,duration,notes\n"
        f"2026-12-01,easy,{distance},km,{duration},\n"
        "2026-12-02,easy,8,km,,\n"
    )
    report = import_runs(athlete=athlete.athlete_profile, data=data.encode(), filename="p.csv")
    assert [line for line, _message in report.errors] == [2]
    assert report.created == 1


def test_an_ics_event_with_an_absurd_number_is_an_error_row(athlete):
    from programs.schedule.runfiles import import_runs

    huge = "9" * 400
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        "BEGIN:VEVENT\r\nUID:a@x\r\nDTSTART;VALUE=DATE:20261201\r\n"
        f"SUMMARY:Easy {huge} km\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:b@x\r\nDTSTART;VALUE=DATE:20261202\r\n"
        "SUMMARY:Easy 8 km\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    report = import_runs(athlete=athlete.athlete_profile, data=data.encode(), filename="p.ics")
    assert report.created >= 1
