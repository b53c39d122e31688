"""Importing a plan and downloading the schedule in the browser (the files themselves are
tested in test_runfiles.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.models import Run

PLAN = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    b"BEGIN:VEVENT\r\nUID:w1-long\r\nDTSTART;VALUE=DATE:20261206\r\n"
    b"SUMMARY:Long run 18 mi\r\nEND:VEVENT\r\n"
    b"BEGIN:VEVENT\r\nUID:w1-bike\r\nDTSTART;VALUE=DATE:20261207\r\n"
    b"SUMMARY:Bike 40 km\r\nEND:VEVENT\r\n"
    b"END:VCALENDAR\r\n"
)


def upload(client, path, data=PLAN, name="plan.ics", **extra):
    return client.post(path, {"file": SimpleUploadedFile(name, data), **extra})


def test_an_athlete_imports_a_plan_and_sees_the_report(athlete_client, athlete):
    response = upload(athlete_client, "/runs/import/")

    run = Run.objects.get(athlete=athlete.athlete_profile)
    assert (run.run_type, run.distance_m, str(run.date)) == ("long", 28968, "2026-12-06")
    html = response.content.decode()
    assert "1 created" in html
    assert "Bike 40 km" in html  # skipped, and said so


def test_check_only_changes_nothing(athlete_client, athlete):
    response = upload(athlete_client, "/runs/import/", dry_run="on")

    assert b"Nothing changed (check only)" in response.content
    assert not Run.objects.exists()


def test_an_unreadable_file_says_why_and_changes_nothing(athlete_client):
    response = upload(athlete_client, "/runs/import/", data=b"\xff\xfe\x00", name="plan.ics")

    assert response.status_code == 200
    assert b"The file is UTF-16 text; save it with UTF-8 encoding." in response.content
    assert not Run.objects.exists()


def test_a_coach_imports_for_their_athlete_only(coach_client, athlete, other_athlete):
    mine = upload(coach_client, f"/runs/athlete/{athlete.athlete_profile.pk}/import/")
    theirs = upload(coach_client, f"/runs/athlete/{other_athlete.athlete_profile.pk}/import/")

    assert mine.status_code == 200
    assert theirs.status_code == 404
    assert Run.objects.filter(athlete=athlete.athlete_profile).count() == 1
    assert not Run.objects.filter(athlete=other_athlete.athlete_profile).exists()


def test_download_then_import_round_trips(athlete_client, athlete):
    upload(athlete_client, "/runs/import/")
    csv = athlete_client.get("/runs/export.csv")

    response = upload(athlete_client, "/runs/import/", data=csv.content, name="runs.csv")

    assert csv["Content-Type"] == "text/csv"
    assert b"0 created, 0 updated, 1 unchanged" in response.content
    assert Run.objects.count() == 1


def test_a_coach_cannot_download_another_coachs_athlete(coach_client, other_athlete):
    response = coach_client.get(f"/runs/athlete/{other_athlete.athlete_profile.pk}/export.csv")

    assert response.status_code == 404


def test_roles_and_methods(athlete_client, client, coach_client, athlete):
    assert coach_client.get("/runs/import/").status_code == 403
    assert athlete_client.put("/runs/import/").status_code == 405
    athlete_client.logout()
    assert client.get("/runs/import/")["Location"].startswith("/login/")


def test_a_plan_over_the_limit_is_refused(athlete_client):
    response = upload(athlete_client, "/runs/import/", data=b"x" * (2 * 1024 * 1024 + 1))

    assert b"The file is larger than 2 MB." in response.content
    assert not Run.objects.exists()


# --- input no column can hold, and cells a spreadsheet would run ---------------

NUL_FILES = [
    ("plan.csv", b"date,type,distance,unit,duration,notes\n2026-12-06,easy,5,km,,a\x00b\n"),
    (
        "plan.ics",
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:n1\r\n"
        b"DTSTART;VALUE=DATE:20261206\r\nSUMMARY:Easy run 5 km\x00\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n",
    ),
    (
        "plan.ics",
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:n1\r\n"
        b"DTSTART;VALUE=DATE:20261206\r\nSUMMARY:Easy run 5 km\r\n"
        b"DESCRIPTION:keep \x00 it easy\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    ),
]


@pytest.mark.parametrize(("name", "data"), NUL_FILES)
def test_a_nul_character_is_refused_with_its_line_and_nothing_is_written(
    athlete_client, name, data
):
    """PostgreSQL text holds no NUL: stored, it was a DataError (a 500) on PostgreSQL."""
    response = upload(athlete_client, "/runs/import/", data=data, name=name)

    assert response.status_code == 200
    assert b"The file contains a NUL character (line " in response.content
    assert not Run.objects.exists()


def test_notes_a_spreadsheet_would_run_are_exported_as_text_and_read_back(athlete_client, athlete):
    formula = '=HYPERLINK("http://evil.example.com","Click")'
    Run.objects.create(
        athlete=athlete.athlete_profile,
        date="2026-12-06",
        run_type="easy",
        distance_m=5000,
        notes=formula,
        source="import",
    )
    csv = athlete_client.get("/runs/export.csv").content.decode()

    assert f"'{formula}".replace('"', '""') in csv
    assert ",5.000,km," in csv  # numbers stay numbers
    Run.objects.all().delete()
    upload(athlete_client, "/runs/import/", data=csv.encode(), name="runs.csv")
    assert Run.objects.get().notes == formula
