"""How each format's figures are found when the file has no summary, cadence units, and the
speed of a long FIT file; files written by hand (fitwriter, documents)."""

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fitdecode
import gpxpy
import pytest
from gpxpy import geo

from programs.activities import Activity, read_activity
from tests.programs.activities import documents
from tests.programs.activities.fitwriter import SPORTS, FitWriter, run_fit, run_samples

ROOT = Path(__file__).resolve().parents[3]
START = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)


def records_of(data: bytes) -> list[dict]:
    return [
        {f.name: f.value for f in frame.fields}
        for frame in fitdecode.FitReader(data)
        if frame.frame_type == fitdecode.FIT_FRAME_DATA and frame.name == "record"
    ]


def test_a_fit_session_gives_steps_per_minute_from_strides():
    activity = read_activity("run.fit", run_fit())

    # The session says 86 strides a minute plus a fractional 0.5: 173 steps.
    assert activity.avg_cadence == 173.0


def test_a_fit_without_a_session_is_summarised_from_its_laps():
    activity = read_activity("run.fit", run_fit(seconds=600, session=False))

    assert isinstance(activity, Activity)
    assert activity.sport == "running"  # the lap names the sport
    assert (activity.distance_m, activity.moving_s, activity.elapsed_s) == (1800.0, 600.0, 600.0)
    assert (activity.elevation_gain_m, activity.max_hr, activity.avg_cadence) == (40.0, 149, 172.0)
    assert activity.started_at == START


def test_a_fit_with_only_records_is_summarised_from_them():
    data = run_fit(seconds=600, session=False, laps=False)
    records = records_of(data)
    cadences = [r["cadence"] + r["fractional_cadence"] for r in records]

    activity = read_activity("run.fit", data, assume_run=True)

    assert activity.started_at == records[0]["timestamp"] == START
    assert activity.distance_m == records[-1]["distance"] == 1800.0
    assert activity.elapsed_s == activity.moving_s == 600.0
    assert activity.elevation_gain_m == pytest.approx(
        geo.calculate_uphill_downhill([r["enhanced_altitude"] for r in records])[0]
    )
    assert activity.avg_hr == pytest.approx(sum(r["heart_rate"] for r in records) / len(records))
    assert activity.avg_cadence == pytest.approx(sum(cadences) / len(cadences) * 2)
    assert activity.points == len(records) == 601


def test_a_fit_without_distances_measures_its_positions():
    writer = FitWriter()
    writer.message("file_id", type=4, time_created=START)
    samples = list(run_samples(start=START, seconds=300, step_s=5))
    for sample in samples:
        writer.message(
            "record", timestamp=sample.at, position_lat=sample.lat, position_long=sample.lon
        )
    writer.message("sport", sport=SPORTS["running"], sub_sport=0)
    degrees = 180 / 2**31
    positions = [
        (r["position_lat"] * degrees, r["position_long"] * degrees)
        for r in records_of(writer.finish())
    ]

    activity = read_activity("run.fit", writer.finish())

    assert activity.sport == "running"  # from the sport message
    assert activity.distance_m == pytest.approx(
        geo.length_2d([geo.Location(lat, lon) for lat, lon in positions])
    )
    assert activity.distance_m == pytest.approx(900, rel=0.01)
    assert activity.moving_s == 300.0


def test_a_pause_is_not_moving_time():
    writer = FitWriter()
    writer.message("file_id", type=4, time_created=START)
    for second, distance in [(0, 0), (60, 180), (660, 185), (720, 365)]:
        writer.message("record", timestamp=START + timedelta(seconds=second), distance=distance)
    writer.message("lap", start_time=START, sport=SPORTS["running"])

    activity = read_activity("run.fit", writer.finish())

    assert (activity.moving_s, activity.elapsed_s, activity.distance_m) == (120.0, 720.0, 365.0)


def test_a_multisport_fit_gives_its_run():
    writer = FitWriter()
    writer.message("file_id", type=4, time_created=START)
    for sport, offset, distance in (("cycling", 0, 40_000.0), ("running", 3600, 10_000.0)):
        writer.message(
            "session",
            start_time=START + timedelta(seconds=offset),
            sport=SPORTS[sport],
            total_timer_time=3000.0,
            total_elapsed_time=3000.0,
            total_distance=distance,
        )

    activity = read_activity("tri.fit", writer.finish())

    assert (activity.distance_m, activity.started_at) == (10_000.0, START + timedelta(hours=1))
    assert activity.notes == ("A multisport file with 2 parts: only the run was read.",)


def test_chained_fit_files_are_read_together():
    activity = read_activity("run.fit", run_fit(seconds=60) + run_fit(seconds=60))

    assert isinstance(activity, Activity)
    assert activity.points == 122


def test_gpx_heart_rate_and_cadence_from_garmins_extension():
    data = documents.gpx(sport="running", hr=150, cad=88)
    gpx = gpxpy.parse(data.decode())

    activity = read_activity("run.gpx", data)

    assert (activity.avg_hr, activity.max_hr, activity.avg_cadence) == (150.0, 150, 176.0)
    assert activity.distance_m == pytest.approx(gpx.length_2d())
    assert activity.moving_s == gpx.get_moving_data().moving_time == 600.0
    assert activity.elapsed_s == 600.0


def test_tcx_run_cadence_from_the_activity_extension():
    activity = read_activity("run.tcx", documents.tcx(run_cadence=85))

    assert activity.avg_cadence == 170.0
    # Lap averages weighted by lap time; the highest lap maximum.
    assert (activity.avg_hr, activity.max_hr) == (145.0, 161)


def test_tcx_without_lap_summaries_uses_its_trackpoints():
    activity = read_activity("run.tcx", documents.tcx(laps=2, lap_s=300, lap_summary=False))

    assert activity.distance_m == pytest.approx(2000 - 1000 / 30)  # the last trackpoint
    assert activity.elapsed_s == 590.0
    assert activity.moving_s == 590.0
    assert (activity.avg_hr, activity.max_hr) == (150.0, 150)


def test_a_two_hour_fit_reads_in_under_three_quarters_of_a_second():
    # About 0.35-0.4 s of CPU on this 2-CPU machine when quiet, up to 0.52 s (the best of
    # three) under a CI run's load: the budget fails a doubling, not a busy neighbour.
    data = run_fit(seconds=2 * 3600)
    timings = []
    for _ in range(3):
        # CPU time: on a shared machine wall-clock time measures the neighbours.
        started = time.process_time()
        activity = read_activity("long.fit", data)
        timings.append(time.process_time() - started)

    assert activity.points == 7201
    assert activity.distance_m == 21_600.0
    assert min(timings) < 0.75


def test_reading_activities_loads_no_django():
    script = (
        "import sys\n"
        "import programs.activities\n"
        "from programs.activities import read_activity\n"
        "read_activity('x.gpx', b'<gpx/>')\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'django')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == ""
