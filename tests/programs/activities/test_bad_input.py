"""Files that give no activity, each with a clear reason, and never an exception."""

import gzip
import hashlib
import io
import zipfile
from datetime import UTC, datetime, timedelta

import fitdecode
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.activities import (
    MAX_FILE_BYTES,
    Activity,
    Failed,
    Problem,
    Skipped,
    read_activity,
)
from programs.activities import parsing as parsing_module
from tests.programs.activities import documents
from tests.programs.activities.fitwriter import FitWriter, crc16, fit_seconds, run_fit

START = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)


def failed(result) -> Problem:
    assert isinstance(result, Failed), result
    assert result.reason.endswith("."), result.reason
    return result.code


def test_an_empty_file():
    assert read_activity("run.fit", b"") == Failed(Problem.EMPTY, "The file is empty.")


def test_a_file_over_the_limit_is_refused_unread():
    result = read_activity("run.gpx", b"<" + b" " * MAX_FILE_BYTES)

    assert failed(result) == Problem.TOO_LARGE
    assert "the limit is 25.0 MB per file" in result.reason


@pytest.mark.parametrize(
    ("name", "data", "hint"),
    [
        ("run.fit", b"not a fit file at all", "It is named .fit, but its content isn't."),
        ("notes.txt", b"Easy 10k, felt good", ""),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", ""),
        ("run.fit.gz", gzip.compress(b"plain text"), "It is named .fit, but its content isn't."),
        ("short.fit", run_fit()[:11], "It is named .fit, but its content isn't."),
        ("2026.03.01.gpx", b"lat,lon", "It is named .gpx, but its content isn't."),
    ],
)
def test_an_unknown_format_is_sniffed_from_the_content(name, data, hint):
    result = read_activity(name, data)

    assert result == Failed(
        Problem.UNKNOWN_FORMAT, f"This isn't a FIT, GPX or TCX file.{' ' + hint if hint else ''}"
    )


def test_the_content_decides_the_format_not_the_name():
    fit = read_activity("run.gpx", run_fit())
    gpx = read_activity("run.fit", documents.gpx(sport="running"))
    tcx = read_activity("run", documents.tcx())

    assert (fit.source_format, gpx.source_format, tcx.source_format) == ("fit", "gpx", "tcx")


def test_xml_that_is_neither_gpx_nor_tcx():
    kml = b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>'

    assert read_activity("route.kml", kml) == Failed(
        Problem.UNKNOWN_FORMAT, "An XML file, but neither GPX nor TCX (its root is <kml>)."
    )


def test_a_zip_is_sent_to_the_archive_reader():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("run.fit", run_fit())

    assert failed(read_activity("export.zip", buffer.getvalue())) == Problem.UNKNOWN_FORMAT


# FIT damage


def test_a_complete_fit_with_a_bad_checksum_is_refused():
    data = bytearray(run_fit())
    data[len(data) // 2] ^= 0x01

    result = read_activity("run.fit", bytes(data))

    assert result == Failed(
        Problem.DAMAGED,
        "The FIT file is damaged: its checksum doesn't match its content. "
        "Export it again from your watch or app.",
    )


def test_a_fit_with_a_bad_header_checksum_is_refused():
    data = bytearray(run_fit())
    data[12] ^= 0xFF

    assert failed(read_activity("run.fit", bytes(data))) == Problem.DAMAGED


def test_a_fit_cut_before_its_summary_is_salvaged_from_its_records():
    data = run_fit(seconds=600)[:6000]
    records = []

    def read_records() -> None:
        for frame in fitdecode.FitReader(data):
            if frame.frame_type == fitdecode.FIT_FRAME_DATA and frame.name == "record":
                records.append({f.name: f.value for f in frame.fields})

    with pytest.raises(fitdecode.FitEOFError):
        read_records()

    activity = read_activity("run.fit", data, assume_run=True)

    assert isinstance(activity, Activity)
    assert activity.points == len(records) > 100
    assert activity.started_at == records[0]["timestamp"] == START
    assert activity.distance_m == records[-1]["distance"]
    elapsed = (records[-1]["timestamp"] - records[0]["timestamp"]).total_seconds()
    assert activity.elapsed_s == activity.moving_s == elapsed
    assert activity.max_hr == max(r["heart_rate"] for r in records)
    assert "cut short" in activity.notes[0]
    assert "summarised from what was read" in activity.notes[0]


def test_a_fit_cut_inside_its_first_message_holds_no_activity():
    result = read_activity("run.fit", run_fit()[:20])

    assert result == Failed(Problem.NO_DATA, "The FIT file holds no recorded activity.")


def test_a_fit_workout_file_is_not_an_activity():
    writer = FitWriter()
    writer.message("file_id", type=5, manufacturer=255, time_created=START)

    assert read_activity("workout.fit", writer.finish()) == Skipped(
        Problem.NOT_AN_ACTIVITY, "A FIT workout file, not a recorded activity."
    )


# Junk timestamps


def test_a_fit_whose_clock_was_never_set_keeps_its_durations_without_a_date():
    """Below 0x10000000 a FIT time counts seconds since the watch was switched on."""
    writer = FitWriter()
    writer.message("file_id", type=4, manufacturer=255, time_created=1000)
    for second in range(61):
        writer.message("record", timestamp=1000 + second, distance=second * 3.0)
    writer.message(
        "session",
        start_time=1000,
        sport=1,
        total_timer_time=60.0,
        total_elapsed_time=60.0,
        total_distance=180.0,
    )

    activity = read_activity("run.fit", writer.finish())

    assert isinstance(activity, Activity)
    assert activity.started_at is None
    assert (activity.moving_s, activity.elapsed_s, activity.distance_m) == (60.0, 60.0, 180.0)
    assert "imported without a date" in activity.notes[0]


@pytest.mark.parametrize(
    ("start", "step_s", "why"),
    [
        (datetime(1970, 1, 1, tzinfo=UTC), 10, "it says 1970-01-01"),
        (datetime(2200, 5, 1, tzinfo=UTC), 10, "it says 2200-05-01"),
        (START, 0, "every point has the same time"),
        (START, -10, "its times run backwards"),
    ],
)
def test_a_gpx_with_junk_times_is_imported_without_a_date_or_durations(start, step_s, why):
    activity = read_activity("run.gpx", documents.gpx(sport="running", start=start, step_s=step_s))

    assert isinstance(activity, Activity)
    assert (activity.started_at, activity.moving_s, activity.elapsed_s) == (None, None, None)
    assert activity.distance_m > 0
    assert activity.notes == (
        f"The file's clock was wrong ({why}): imported without a date or durations.",
    )


def test_a_gpx_without_times_is_imported_without_a_date():
    activity = read_activity("run.gpx", documents.gpx(sport="running", start=None))

    assert isinstance(activity, Activity)
    assert activity.started_at is None
    assert activity.notes == ("The file has no times: imported without a date or durations.",)


# XML


@pytest.mark.parametrize(
    "data",
    [
        b"<gpx><trk><trkseg>",
        b'<?xml version="1.0"?>\n<gpx version="1.1"><trk></gpx>',
        b"<TrainingCenterDatabase><Activities></TrainingCenterDatabase",
        b"<<<<>>>>",
    ],
)
def test_broken_xml_is_refused(data):
    result = read_activity("run.gpx", data)

    assert failed(result) == Problem.NOT_XML
    assert "isn't well-formed XML (line" in result.reason


@pytest.mark.parametrize("point", ['<trkpt lon="14.5"/>', '<trkpt lat="north" lon="14.5"/>'])
def test_xml_that_is_not_valid_gpx_is_refused(point):
    data = f"{documents.GPX_HEAD}<trk><trkseg>{point}</trkseg></trk></gpx>".encode()

    assert read_activity("run.gpx", data) == Failed(
        Problem.DAMAGED, "The file is XML but not valid GPX, so it can't be read."
    )


@pytest.mark.parametrize("root", ["gpx", "TrainingCenterDatabase"])
@pytest.mark.parametrize("document", [documents.billion_laughs, documents.external_entity])
def test_xml_entities_are_refused(root, document):
    result = read_activity("run.gpx", document(root))

    assert result == Failed(
        Problem.UNSAFE_XML,
        "The file declares XML entities, which are refused for safety; "
        "GPX and TCX files from watches and apps never need them.",
    )


def test_a_gpx_with_only_a_route_has_no_track():
    route = (
        documents.GPX_HEAD + '<rte><rtept lat="46.0" lon="14.5"/><rtept lat="46.1" lon="14.5"/>'
        "</rte></gpx>"
    ).encode()

    assert read_activity("plan.gpx", route) == Failed(
        Problem.NO_DATA, "The GPX file has no recorded track (it holds a planned route)."
    )


def test_a_gpx_in_latin_1_is_read_in_its_declared_encoding():
    data = documents.gpx(sport="running").replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')
    data = data.replace(b"<trk>", "<trk><name>Vrhnika–Škofja</name>".encode("latin-1", "replace"))

    assert isinstance(read_activity("run.gpx", data), Activity)


def test_a_tcx_course_is_not_an_activity():
    course = (documents.TCX_HEAD + "<Courses><Course/></Courses></TrainingCenterDatabase>").encode()

    assert read_activity("course.tcx", course) == Skipped(
        Problem.NOT_AN_ACTIVITY, "A TCX course or workout, not a recorded activity."
    )


# Sports


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("ride.fit", run_fit(sport="cycling"), "Cycling, not a run."),
        ("walk.fit", run_fit(sport="walking"), "Walking, not a run."),
        ("ride.gpx", documents.gpx(sport="cycling"), "Cycling, not a run."),
        ("ride.gpx", documents.gpx(sport="1"), "Activity type 1, not a run."),
        ("hike.gpx", documents.gpx(sport="Hiking"), "Hiking, not a run."),
        ("ride.tcx", documents.tcx(sport="Biking"), "Cycling, not a run."),
    ],
)
def test_other_sports_are_skipped_even_when_the_uploader_says_runs(name, data, reason):
    assert read_activity(name, data, assume_run=True) == Skipped(Problem.NOT_A_RUN, reason)


@pytest.mark.parametrize(
    "data",
    [
        run_fit(sport="running", sub_sport="trail"),
        run_fit(sport="generic", sub_sport="treadmill"),
        documents.gpx(sport="9"),  # Strava's older GPX export numbers a run 9
        documents.gpx(sport="trail_running"),
        documents.gpx(sport="Run"),
        documents.tcx(sport="Running"),
    ],
)
def test_runs_of_every_kind_need_no_word_from_the_uploader(data):
    activity = read_activity("run", data)

    assert isinstance(activity, Activity)
    assert activity.sport == "running"
    assert not any("as you said" in note for note in activity.notes)


@pytest.mark.parametrize(
    "data", [run_fit(sport="generic"), documents.gpx(), documents.tcx(sport="Other")]
)
def test_no_sport_in_the_file_is_a_run_only_when_the_uploader_says_so(data):
    assert read_activity("x", data) == Skipped(
        Problem.NO_SPORT,
        "The file doesn't say which sport it records; "
        "upload it again saying these are runs to import it as a run.",
    )

    activity = read_activity("x", data, assume_run=True)

    assert isinstance(activity, Activity)
    assert activity.sport == "running"
    assert "The file names no sport: imported as a run, as you said." in activity.notes


# gzip, one file


def test_a_gzipped_file_is_read_and_hashed_as_its_content():
    data = run_fit()

    activity = read_activity("run.fit.gz", gzip.compress(data))

    assert isinstance(activity, Activity)
    assert activity.sha256 == hashlib.sha256(data).hexdigest()
    assert activity == read_activity("run.fit", data)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (gzip.compress(b"\0" * (MAX_FILE_BYTES + 1)), Problem.TOO_LARGE),
        (gzip.compress(run_fit())[:-100], Problem.DAMAGED),
        (b"\x1f\x8b" + b"garbage" * 10, Problem.DAMAGED),
        (gzip.compress(gzip.compress(run_fit())), Problem.UNKNOWN_FORMAT),
        (gzip.compress(b""), Problem.EMPTY),
    ],
)
def test_bad_gzip(data, code):
    assert failed(read_activity("run.fit.gz", data)) == code


# Never an exception


def test_an_unexpected_parser_failure_is_this_files_problem(monkeypatch, caplog):
    def broken(data):
        raise RuntimeError("a bug")

    monkeypatch.setattr(parsing_module, "read_gpx", broken)

    result = read_activity("run.gpx", documents.gpx())

    assert result == Failed(
        Problem.DAMAGED, "The file couldn't be read. Export it again from your watch or app."
    )
    assert "run.gpx" in caplog.text


SMALL_FIT = run_fit(seconds=30)
SMALL_GPX = documents.gpx(count=5)
SMALL_TCX = documents.tcx(laps=1, lap_s=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    source=st.sampled_from([SMALL_FIT, SMALL_GPX, SMALL_TCX]),
    cut=st.integers(min_value=0, max_value=4000),
    flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(1, 255)), max_size=4),
    checksum=st.booleans(),
)
def test_damaged_bytes_never_raise(source, cut, flips, checksum):
    data = bytearray(source[: max(cut, 1)])
    for position, mask in flips:
        data[position % len(data)] ^= mask
    if checksum and data[:1] == b"\x0e" and len(data) > 16:
        # Re-sign the damaged FIT so that decoding, not the checksum, meets the damage.
        data[-2:] = crc16(bytes(data[:-2])).to_bytes(2, "little")

    result = read_activity("x", bytes(data), assume_run=True)

    assert isinstance(result, Activity | Skipped | Failed)


def test_fit_seconds_helper_matches_fitdecode():
    """The writer's clock and fitdecode's agree (the tests above rely on it)."""
    writer = FitWriter()
    moment = START + timedelta(seconds=5)
    writer.message("file_id", type=4, time_created=moment)
    (frame,) = [
        f for f in fitdecode.FitReader(writer.finish()) if f.frame_type == fitdecode.FIT_FRAME_DATA
    ]

    assert frame.get_value("time_created") == moment
    assert fit_seconds(moment) == frame.get_raw_value("time_created")
