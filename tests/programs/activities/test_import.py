"""Importing activity files into the run calendar: the command, the matching rules, the
browser upload (in the request and through the task queue) and the runs' JSON export."""

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from programs.activities import read_activity
from programs.activities import tasks as activity_tasks
from programs.models import Activity, ActivityImport, ImportStatus, Run, RunSource, RunStatus
from tests.factories import AthleteFactory, link
from tests.programs.activities.fitwriter import run_fit

REALDATA = Path("/work/shared/realdata/activities")
MORNING = datetime(2026, 3, 2, 6, 30, tzinfo=UTC)


def command(email: str, *paths, **options) -> dict:
    out = io.StringIO()
    call_command("import_activities", email, *map(str, paths), json=True, stdout=out, **options)
    return json.loads(out.getvalue())


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def planned(athlete_user, day: date, run_type: str, distance_m: int | None, **fields) -> Run:
    return Run.objects.create(
        athlete=athlete_user.athlete_profile,
        date=day,
        run_type=run_type,
        distance_m=distance_m,
        **fields,
    )


@pytest.fixture
def auckland(coach):
    user = AthleteFactory(name="Aroha", email="aroha@example.com", time_zone="Pacific/Auckland")
    link(coach, user)
    return user


class TestCommandOnRealFiles:
    def test_every_run_imports_once_and_again_changes_nothing(self, athlete):
        files = sorted(REALDATA.iterdir())

        first = command(athlete.email, *files, runs=True)

        # 11 files: 7 runs, the two TCX files are one run recorded twice (same start), a
        # swim, the fenix-5 reference CSV, and the GPX whose clock was never set.
        assert (first["created"], first["matched"], first["duplicates"]) == (7, 0, 1)
        assert first["skipped"] == [
            {"file": "fitdecode_garmin-fr935-cr.fit", "reason": "Swimming, not a run."}
        ]
        errors = {row["file"]: row["reason"] for row in first["errors"]}
        assert set(errors) == {"fitparse_garmin-fenix-5-run-records.csv", "gpxpy_Mojstrovka.gpx"}
        assert "clock was never set" in errors["gpxpy_Mojstrovka.gpx"]
        runs = Run.objects.filter(athlete=athlete.athlete_profile)
        assert runs.count() == 7
        assert set(runs.values_list("status", "source").distinct()) == {
            (RunStatus.DONE, RunSource.ACTIVITY)
        }

        again = command(athlete.email, *files, runs=True)

        assert (again["created"], again["matched"], again["duplicates"]) == (0, 0, 8)
        assert runs.count() == 7
        assert Activity.objects.count() == 7

    def test_the_fenix_5_run_matches_its_reference_records(self, athlete):
        command(athlete.email, REALDATA / "fitparse_garmin-fenix-5-run.fit")

        activity = Activity.objects.get()
        run = activity.run
        assert (run.date, run.status, run.run_type) == (activity.started_at.date(), "done", "easy")
        assert run.actual_distance_m == activity.distance_m
        assert run.started_at == activity.started_at
        assert run.avg_hr == activity.avg_hr is not None

    def test_gpx_without_a_sport_is_skipped_unless_they_are_runs(self, athlete):
        report = command(athlete.email, REALDATA / "gpxpy_cerknicko-jezero.gpx")

        assert report["created"] == 0
        assert "which sport" in report["skipped"][0]["reason"]
        assert not Run.objects.exists()

    def test_a_dry_run_writes_nothing(self, athlete):
        report = command(athlete.email, REALDATA / "fitparse_garmin-fenix-5-run.fit", dry_run=True)

        assert report["created"] == 1
        assert not Run.objects.exists()
        assert not Activity.objects.exists()

    def test_an_unknown_athlete_is_refused(self, db):
        with pytest.raises(Exception, match="is not an athlete"):
            command("nobody@example.com", REALDATA / "fitparse_garmin-fenix-5-run.fit")


class TestMatching:
    def test_the_day_is_the_athletes_local_day(self, auckland, tmp_path):
        # 14:45 UTC on 1 March is 03:45 on 2 March in Auckland (UTC+13).
        path = write(tmp_path, "a.fit", run_fit(start=datetime(2026, 3, 1, 14, 45, tzinfo=UTC)))

        command(auckland.email, path)

        run = Run.objects.get()
        assert run.date == date(2026, 3, 2)
        assert run.start_time.isoformat() == "03:45:00"

    def test_a_planned_run_that_day_is_that_run_done(self, athlete, tmp_path):
        tempo = planned(athlete, MORNING.date(), "tempo", 8000, title="Tempo 8k")
        path = write(tmp_path, "a.fit", run_fit(start=MORNING, seconds=3000))  # 9 km

        report = command(athlete.email, path)

        assert (report["created"], report["matched"]) == (0, 1)
        tempo.refresh_from_db()
        assert (tempo.run_type, tempo.distance_m, tempo.title) == ("tempo", 8000, "Tempo 8k")
        assert tempo.status == RunStatus.DONE
        assert tempo.actual_distance_m == 9000
        assert tempo.actual_duration_s == 3000
        assert tempo.started_at == MORNING
        assert Run.objects.count() == 1

    def test_of_two_planned_runs_the_nearest_in_distance(self, athlete, tmp_path):
        easy = planned(athlete, MORNING.date(), "easy", 5000)
        long = planned(athlete, MORNING.date(), "long", 20000)
        path = write(tmp_path, "a.fit", run_fit(start=MORNING, seconds=6000))  # 18 km

        command(athlete.email, path)

        long.refresh_from_db()
        easy.refresh_from_db()
        assert (long.status, easy.status) == (RunStatus.DONE, RunStatus.PLANNED)

    def test_a_run_done_by_hand_keeps_what_was_entered(self, athlete, tmp_path):
        done = planned(
            athlete,
            MORNING.date(),
            "easy",
            8000,
            status=RunStatus.DONE,
            actual_distance_m=10000,
            actual_duration_s=3300,
        )
        path = write(tmp_path, "a.fit", run_fit(start=MORNING, seconds=3000))

        report = command(athlete.email, path)

        assert report["matched"] == 1
        done.refresh_from_db()
        assert (done.actual_distance_m, done.actual_duration_s) == (10000, 3300)
        assert Activity.objects.get().run == done
        assert Run.objects.count() == 1

    @pytest.mark.parametrize(("seconds", "expected"), [(5000, "long"), (3000, "easy")])
    def test_a_new_run_is_long_by_the_engines_rule(self, athlete, tmp_path, seconds, expected):
        for days in (3, 6, 9):  # three 8 km runs in the 28 days before: long from 12 km
            planned(athlete, MORNING.date() - timedelta(days=days), "easy", 8000)
        path = write(tmp_path, "a.fit", run_fit(start=MORNING, seconds=seconds))  # 15 / 9 km

        command(athlete.email, path)

        assert Run.objects.get(date=MORNING.date()).run_type == expected

    def test_the_same_run_from_another_export_is_a_duplicate(self, athlete, tmp_path):
        fit = write(tmp_path, "a.fit", run_fit(start=MORNING, seconds=600))
        # Another recording of the same start (a different file: another length).
        other = write(tmp_path, "b.fit", run_fit(start=MORNING, seconds=900))

        report = command(athlete.email, fit, other)

        assert (report["created"], report["duplicates"]) == (1, 1)

    def test_an_import_rechecks_the_strength_plan(self, athlete, tmp_path, monkeypatch):
        checked = []
        monkeypatch.setattr("programs.activities.services.runs_changed", checked.append)
        path = write(tmp_path, "a.fit", run_fit(start=MORNING))

        command(athlete.email, path)
        command(athlete.email, path)

        assert checked == [athlete.athlete_profile]  # the second import changed nothing


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


class TestUpload:
    def test_a_single_file_is_imported_while_the_athlete_waits(self, client, athlete):
        client.force_login(athlete)
        data = run_fit(start=MORNING)

        response = client.post(
            reverse("activities:upload"), {"files": [_file("run.fit", data)]}, follow=True
        )

        assert response.status_code == 200
        assert "1 new" in response.content.decode()
        assert Run.objects.filter(athlete=athlete.athlete_profile).count() == 1
        assert not ActivityImport.objects.exists()

    def test_a_zip_goes_to_the_worker_and_the_page_reports_each_file(
        self, client, athlete, django_capture_on_commit_callbacks
    ):
        client.force_login(athlete)
        data = zipped(
            {
                "activities/1.fit": run_fit(start=MORNING),
                "activities/2.fit": run_fit(start=MORNING + timedelta(days=1)),
                "activities.csv": b"id,name\n1,Run\n",
                "../../escape.fit": run_fit(start=MORNING + timedelta(days=2)),
            }
        )

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("activities:upload"), {"files": [_file("export.zip", data)]}
            )

        job = ActivityImport.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("activities:import", args=[job.pk])
        # The tests' task backend runs the task at once.
        assert job.status == ImportStatus.DONE
        assert (job.processed, job.total) == (4, 4)
        assert job.report["created"] == 2
        assert not job.uploads.exists()
        page = client.get(response["Location"]).content.decode()
        assert "100%" in page
        assert "export.zip/../../escape.fit" in page
        assert 'hx-trigger="every 1s"' not in page  # finished: no more polling

    def test_the_progress_part_polls_while_the_import_runs(self, client, athlete):
        job = ActivityImport.objects.create(
            athlete=athlete.athlete_profile, status=ImportStatus.RUNNING, total=10, processed=4
        )
        client.force_login(athlete)

        response = client.get(reverse("activities:import", args=[job.pk]), HTTP_HX_REQUEST="true")

        body = response.content.decode()
        assert 'hx-trigger="every 1s"' in body
        assert "40%" in body
        assert "<html" not in body

    def test_a_coach_uploads_for_an_athlete(self, client, coach, athlete):
        client.force_login(coach)
        url = reverse("activities:athlete_upload", args=[athlete.athlete_profile.pk])

        client.post(url, {"files": [_file("run.fit", run_fit(start=MORNING))]})

        assert Run.objects.filter(athlete=athlete.athlete_profile).count() == 1

    def test_another_coachs_athlete_and_import_are_not_found(self, client, other_coach, athlete):
        job = ActivityImport.objects.create(athlete=athlete.athlete_profile)
        client.force_login(other_coach)

        upload = reverse("activities:athlete_upload", args=[athlete.athlete_profile.pk])
        assert client.get(upload).status_code == 404
        assert client.get(reverse("activities:import", args=[job.pk])).status_code == 404

    def test_no_file_is_a_form_error(self, client, athlete):
        client.force_login(athlete)

        response = client.post(reverse("activities:upload"), {})

        assert response.status_code == 200
        assert "Choose at least one file." in response.content.decode()


class TestTask:
    def test_a_failed_import_is_tried_again_and_resumes(
        self, client, athlete, monkeypatch, django_capture_on_commit_callbacks
    ):
        real = activity_tasks.activities_import
        calls = []

        def flaky(**kwargs):
            calls.append(kwargs["start"])
            if len(calls) == 1:
                # Fail after the first file was imported and recorded.
                original_progress = kwargs["progress"]

                def progress(done, report):
                    original_progress(done, report)
                    raise OSError("database went away")

                kwargs["progress"] = progress
            return real(**kwargs)

        monkeypatch.setattr(activity_tasks, "activities_import", flaky)
        client.force_login(athlete)
        data = zipped(
            {"1.fit": run_fit(start=MORNING), "2.fit": run_fit(start=MORNING + timedelta(days=1))}
        )

        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("activities:upload"), {"files": [_file("export.zip", data)]})

        job = ActivityImport.objects.get()
        assert calls == [0, 1]
        assert job.status == ImportStatus.DONE
        assert job.report["created"] == 2
        assert Run.objects.count() == 2

    def test_an_import_that_keeps_failing_is_reported(
        self, client, athlete, monkeypatch, django_capture_on_commit_callbacks
    ):
        def broken(**kwargs):
            raise OSError("database went away")

        monkeypatch.setattr(activity_tasks, "activities_import", broken)
        client.force_login(athlete)
        data = zipped({"1.fit": run_fit(start=MORNING)})

        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("activities:upload"), {"files": [_file("export.zip", data)]})

        job = ActivityImport.objects.get()
        assert job.status == ImportStatus.FAILED
        page = client.get(reverse("activities:import", args=[job.pk])).content.decode()
        assert "tried again without success" in page


class TestExport:
    def test_runs_as_json_with_planned_beside_done(self, auckland, tmp_path):
        planned(auckland, date(2026, 3, 2), "tempo", 8000)
        command(
            auckland.email,
            write(
                tmp_path,
                "a.fit",
                run_fit(start=datetime(2026, 3, 1, 14, 45, tzinfo=UTC), seconds=3000),
            ),
        )
        out = io.StringIO()

        call_command("export_runs", auckland.email, format="json", stdout=out)

        (row,) = json.loads(out.getvalue())
        assert row == {
            "date": "2026-03-02",
            "type": "tempo",
            "status": "done",
            "planned_distance_m": 8000,
            "actual_distance_m": 9000,
            "actual_duration_s": 3000,
            "started_at": "2026-03-02T03:45:00+13:00",
            "elevation_gain_m": row["elevation_gain_m"],
            "avg_hr": row["avg_hr"],
            "source": "manual",
        }
        assert row["avg_hr"] > 100
        assert row["elevation_gain_m"] >= 0


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


RUN_FILES = [
    "fitparse_activity-small-fenix2-run.fit",
    "fitparse_garmin-fenix-5-run.fit",
    "fitparse_activity-unexpected-eof.fit",
    "gpxpy_cerknicko-jezero.gpx",
    "gpxpy_korita-zbevnica.gpx",
    "gpxpy_track-with-empty-segment.gpx",
    "tcxparser_test.tcx",
    "tcxparser_no_hr.tcx",
]


@pytest.mark.parametrize("name", RUN_FILES)
def test_each_real_run_uploads_through_the_browser(client, athlete, name):
    """What the page stores is what the reader read (which test_real_files checks against
    the parser libraries themselves): distance, moving time, start, climb."""
    data = (REALDATA / name).read_bytes()
    read = read_activity(name, data, assume_run=True)
    client.force_login(athlete)

    response = client.post(
        reverse("activities:upload"), {"files": [_file(name, data)], "assume_run": "on"}
    )

    assert response.status_code == 200
    assert "1 new" in response.content.decode()
    run = Run.objects.get(athlete=athlete.athlete_profile)
    assert run.actual_distance_m == round(read.distance_m)
    assert run.actual_duration_s == round(read.moving_s or read.elapsed_s)
    assert run.started_at == read.started_at
    assert run.elevation_gain_m == (
        None if read.elevation_gain_m is None else round(read.elevation_gain_m)
    )


def test_the_swim_and_the_clockless_gpx_are_refused_in_the_browser(
    client, athlete, django_capture_on_commit_callbacks
):
    client.force_login(athlete)
    files = [
        _file(name, (REALDATA / name).read_bytes())
        for name in ("fitdecode_garmin-fr935-cr.fit", "gpxpy_Mojstrovka.gpx")
    ]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("activities:upload"), {"files": files, "assume_run": "on"})

    page = client.get(response["Location"]).content.decode()
    assert "Swimming, not a run." in page
    assert "clock was never set" in page
    assert not Run.objects.exists()
