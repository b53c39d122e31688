"""Every real file in shared/realdata/activities, read by ``read_activity`` and checked
against what the parser libraries themselves compute in the test.

The files come from the parser libraries' public test suites (see that folder's README and
licenses/): gpxpy_* from tkrajina/gpxpy (Apache-2.0), tcxparser_* from
vkurup/python-tcxparser (BSD-2-Clause), fitparse_* from dtcooper/python-fitparse (MIT),
fitdecode_* from polyvertex/fitdecode (MIT).
"""

import csv
import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import fitdecode
import gpxpy
import pytest
from gpxpy import geo

from programs.activities import Activity, Failed, Problem, Skipped, read_activity

REALDATA = Path("/work/shared/realdata/activities")
TCX = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"


def read(name: str, *, assume_run: bool = False):
    return read_activity(name, (REALDATA / name).read_bytes(), assume_run=assume_run)


def fit_messages(name: str) -> dict[str, list[dict]]:
    """fitdecode's own reading, default processor (it converts the dates); a file cut short
    ends in FitEOFError, after what could be read."""
    messages: dict[str, list[dict]] = {}
    try:
        with fitdecode.FitReader(str(REALDATA / name)) as reader:
            for frame in reader:
                if frame.frame_type == fitdecode.FIT_FRAME_DATA:
                    values = {f.name: f.value for f in frame.fields}
                    messages.setdefault(frame.name, []).append(values)
    except fitdecode.FitEOFError:
        pass
    return messages


@pytest.mark.parametrize(
    "name",
    [
        "fitparse_activity-small-fenix2-run.fit",
        "fitparse_garmin-fenix-5-run.fit",
        "fitparse_activity-unexpected-eof.fit",
    ],
)
def test_fit_runs_give_the_watchs_session_summary(name):
    messages = fit_messages(name)
    (session,) = messages["session"]
    cadence = session.get("avg_running_cadence")

    activity = read(name)

    assert isinstance(activity, Activity)
    assert session["sport"] == "running"
    assert activity.sport == "running"
    assert activity.source_format == "fit"
    assert activity.started_at == session["start_time"]
    assert activity.distance_m == session["total_distance"]
    assert activity.moving_s == session["total_timer_time"]
    assert activity.elapsed_s == session["total_elapsed_time"]
    assert activity.elevation_gain_m == session["total_ascent"]
    # A session without heart rate (the Fenix 2's) is completed from the records.
    heart_rates = [r["heart_rate"] for r in messages["record"] if r.get("heart_rate")]
    record_mean = sum(heart_rates) / len(heart_rates) if heart_rates else None
    assert activity.avg_hr == session.get("avg_heart_rate", record_mean)
    assert activity.max_hr == session.get("max_heart_rate", max(heart_rates, default=None))
    if cadence is None:
        assert activity.avg_cadence is None
    else:
        steps = (cadence + (session.get("avg_fractional_cadence") or 0)) * 2
        assert activity.avg_cadence == steps
    assert activity.points == len(messages["record"])
    assert activity.sha256 == hashlib.sha256((REALDATA / name).read_bytes()).hexdigest()


def test_fenix2_figures():
    activity = read("fitparse_activity-small-fenix2-run.fit")

    assert activity.started_at == datetime(2015, 8, 15, 14, 45, 8, tzinfo=UTC)
    assert (activity.distance_m, activity.moving_s) == (9008.22, 2832.0)
    assert (activity.avg_cadence, activity.max_hr, activity.points) == (162.0, 178, 2809)
    assert activity.notes == ()


def test_fenix5_agrees_with_fitparses_expected_records():
    """fitparse's test suite lists the records it expects from this file (times in PDT)."""
    with (REALDATA / "fitparse_garmin-fenix-5-run-records.csv").open() as handle:
        rows = list(csv.DictReader(handle))

    def utc(text: str) -> datetime:
        local = datetime.strptime(text.replace(" PDT", ""), "%a %b %d %H:%M:%S %Y")
        return (local + timedelta(hours=7)).replace(tzinfo=UTC)

    activity = read("fitparse_garmin-fenix-5-run.fit")

    assert activity.points == len(rows) == 21
    assert activity.started_at == utc(rows[0]["timestamp"])
    assert activity.distance_m == float(rows[-1]["distance"]) == 157.56
    assert activity.avg_cadence == (83 + 0.671875) * 2
    assert max(int(row["heart_rate"]) for row in rows) == activity.max_hr == 112


def test_the_truncated_fit_is_salvaged_with_its_summary():
    data = (REALDATA / "fitparse_activity-unexpected-eof.fit").read_bytes()
    with pytest.raises(fitdecode.FitEOFError):
        list(fitdecode.FitReader(data))

    activity = read("fitparse_activity-unexpected-eof.fit")

    assert isinstance(activity, Activity)
    assert activity.started_at == datetime(2012, 4, 9, 21, 22, 26, tzinfo=UTC)
    assert (activity.distance_m, activity.moving_s, activity.points) == (5.73, 13.749, 14)
    assert len(activity.notes) == 1
    assert "cut short" in activity.notes[0]
    assert "summary was complete" in activity.notes[0]


def test_the_fr935_swim_is_skipped_as_not_a_run():
    (session,) = fit_messages("fitdecode_garmin-fr935-cr.fit")["session"]
    assert session["sport"] == "swimming"

    result = read("fitdecode_garmin-fr935-cr.fit", assume_run=True)

    assert result == Skipped(Problem.NOT_A_RUN, "Swimming, not a run.")


def test_the_records_csv_is_not_an_activity():
    result = read("fitparse_garmin-fenix-5-run-records.csv")

    assert isinstance(result, Failed)
    assert result.code == Problem.UNKNOWN_FORMAT


def gpxpy_figures(name: str) -> dict:
    gpx = gpxpy.parse((REALDATA / name).read_text(encoding="utf-8"))
    points = list(gpx.walk(only_points=True))
    times = [p.time for p in points if p.time]
    return {
        "distance": sum(track.length_2d() for track in gpx.tracks),
        "gain": gpx.get_uphill_downhill().uphill,
        "moving": gpx.get_moving_data().moving_time,
        "start": min(times) if times else None,
        "elapsed": (max(times) - min(times)).total_seconds() if times else None,
        "points": len(points),
    }


@pytest.mark.parametrize(
    ("name", "start", "distance_km"),
    [
        ("gpxpy_cerknicko-jezero.gpx", datetime(2010, 8, 5, 14, 23, 59, tzinfo=UTC), 4.58),
        ("gpxpy_korita-zbevnica.gpx", datetime(2010, 10, 3, 9, 36, 30, tzinfo=UTC), 14.91),
        ("gpxpy_track-with-empty-segment.gpx", datetime(2013, 7, 6, 17, 26, 26, tzinfo=UTC), 0.09),
    ],
)
def test_gpx_tracks_match_gpxpys_own_figures(name, start, distance_km):
    expected = gpxpy_figures(name)

    activity = read(name, assume_run=True)

    assert isinstance(activity, Activity)
    assert activity.sport == "running"
    assert activity.source_format == "gpx"
    assert activity.started_at == expected["start"] == start
    assert activity.distance_m == pytest.approx(expected["distance"])
    assert round(activity.distance_m / 1000, 2) == distance_km
    assert activity.moving_s == expected["moving"]
    assert activity.elapsed_s == expected["elapsed"]
    assert activity.elevation_gain_m == pytest.approx(expected["gain"])
    assert activity.points == expected["points"]
    assert (activity.avg_hr, activity.max_hr, activity.avg_cadence) == (None, None, None)


@pytest.mark.parametrize(
    "name",
    [
        "gpxpy_cerknicko-jezero.gpx",
        "gpxpy_korita-zbevnica.gpx",
        "gpxpy_track-with-empty-segment.gpx",
        "gpxpy_Mojstrovka.gpx",
    ],
)
def test_gpx_files_name_no_sport_so_the_uploader_decides(name):
    assert read(name) == Skipped(
        Problem.NO_SPORT,
        "The file doesn't say which sport it records; "
        "upload it again saying these are runs to import it as a run.",
    )


def test_korita_notes_its_points_without_times():
    activity = read("gpxpy_korita-zbevnica.gpx", assume_run=True)

    assert "358 of 871 points have no time" in activity.notes[0]


def test_mojstrovka_with_a_clock_from_1901_is_imported_without_a_date():
    gpx = gpxpy.parse((REALDATA / "gpxpy_Mojstrovka.gpx").read_text(encoding="utf-8"))
    assert {p.time.year for p in gpx.walk(only_points=True)} == {1901}

    activity = read("gpxpy_Mojstrovka.gpx", assume_run=True)

    assert isinstance(activity, Activity)
    assert (activity.started_at, activity.moving_s, activity.elapsed_s) == (None, None, None)
    assert activity.distance_m == pytest.approx(gpx.length_2d())
    assert activity.elevation_gain_m == pytest.approx(gpx.get_uphill_downhill().uphill)
    assert activity.points == 184
    assert "1901-12-13" in activity.notes[0]
    assert "without a date" in activity.notes[0]


def tcx_figures(name: str) -> dict:
    root = ElementTree.parse(REALDATA / name).getroot()  # noqa: S314 (a known file)
    activity = root.find(f"{TCX}Activities/{TCX}Activity")
    laps = activity.findall(f"{TCX}Lap")
    seconds = [float(lap.findtext(f"{TCX}TotalTimeSeconds")) for lap in laps]
    heart_rates = [lap.findtext(f"{TCX}AverageHeartRateBpm/{TCX}Value") for lap in laps]
    maxima = [lap.findtext(f"{TCX}MaximumHeartRateBpm/{TCX}Value") for lap in laps]
    altitudes = [float(a.text) for a in activity.iter(f"{TCX}AltitudeMeters")]
    return {
        "sport": activity.get("Sport"),
        "start": datetime.fromisoformat(laps[0].get("StartTime")),
        "distance": sum(float(lap.findtext(f"{TCX}DistanceMeters")) for lap in laps),
        "moving": sum(seconds),
        "avg_hr": (
            sum(float(hr) * s for hr, s in zip(heart_rates, seconds, strict=True)) / sum(seconds)
            if all(heart_rates)
            else None
        ),
        "max_hr": max(int(m) for m in maxima) if all(maxima) else None,
        "gain": geo.calculate_uphill_downhill(altitudes)[0],
        "points": len(activity.findall(f".//{TCX}Trackpoint")),
    }


@pytest.mark.parametrize("name", ["tcxparser_test.tcx", "tcxparser_no_hr.tcx"])
def test_tcx_laps_are_the_summary(name):
    expected = tcx_figures(name)

    activity = read(name)

    assert isinstance(activity, Activity)
    assert expected["sport"] == "Running"
    assert activity.sport == "running"
    assert activity.source_format == "tcx"
    assert activity.started_at == expected["start"]
    assert activity.distance_m == pytest.approx(expected["distance"])
    assert activity.moving_s == pytest.approx(expected["moving"])
    assert activity.elapsed_s >= activity.moving_s
    assert activity.elevation_gain_m == pytest.approx(expected["gain"])
    assert activity.avg_hr == pytest.approx(expected["avg_hr"])
    assert activity.max_hr == expected["max_hr"]
    assert activity.points == expected["points"] == 384


def test_tcx_figures():
    activity = read("tcxparser_test.tcx")

    assert activity.started_at == datetime(2012, 12, 26, 21, 29, 53, tzinfo=UTC)
    assert round(activity.distance_m) == 4689
    assert round(activity.moving_s) == 1993
    assert activity.max_hr == 189
