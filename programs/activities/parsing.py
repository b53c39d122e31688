"""Reading one activity file (FIT, GPX or TCX) into an ``Activity``, or saying plainly why
not. Pure Python, no Django, no database: ``read_activity`` never raises.

The format is sniffed from the content, not the name: a FIT header (".FIT" at byte 8), an
XML document whose root is ``<gpx>`` or ``<TrainingCenterDatabase>``, or gzip (Strava's
``.fit.gz``), decompressed once, under the same size limit, and sniffed again. The name only
sharpens the message when the content is none of these.

Parsers (each module's docstring says more):
- FIT: fitdecode, maintained, streaming, tolerant of unknown and developer messages; its
  CRC is checked once over the bytes, before decoding (``fit``).
- GPX: gpxpy, the standard, for its track length, moving time and climb (``gpx``).
- TCX: the standard library's ElementTree through defusedxml; the two TCX readers on PyPI
  are thin wrappers, and neither refuses entities (``tcx``).
- XML safety: every GPX and TCX document goes through defusedxml, which refuses entity
  declarations (billion laughs, external entities): a TCX is parsed by it, a GPX opened by
  it up to the root element, before which any declaration must come.

Decisions:
- Limits: ``MAX_FILE_BYTES`` (25 MB) per file, before and after decompression. A 24-hour
  run recorded every second is about 19 MB of GPX with heart rate and cadence (220 bytes
  a point) and 2–5 MB of FIT; a bigger file is not one run.
- Damaged FIT: a complete file that fails its checksum is refused; a file cut short is
  salvaged up to its last complete message, with a note (``fit``).
- Junk timestamps (a clock never set: 1901, 1970, all one instant, running backwards):
  the activity is imported without a start time (``started_at`` None) and without the
  durations that came from that clock, with a note: its distance and climb are still
  true, and the athlete can date it. Durations a file states apart from its clock (FIT
  timer totals, TCX lap times) are kept.
- Sport: running, trail running, treadmill and virtual runs are runs; any other sport is
  skipped ("Swimming, not a run."). A file that names no sport (most GPX, TCX "Other", FIT
  "generic") is imported as a run only when the uploader says so (``assume_run``); the
  file's own sport always wins over that.
- Distance: the file's own summary where it has one (FIT session or laps, TCX laps),
  otherwise the track's geodesic length (``reading``).
- ``sha256`` is of the activity's bytes as read, after any gzip, so the same run uploaded
  as ``.fit`` and inside a Strava zip as ``.fit.gz`` is recognised as the same file.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import logging
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException

from programs.activities.fit import looks_like_fit, read_fit
from programs.activities.gpx import read_gpx
from programs.activities.reading import (
    SKIP_PROBLEMS,
    Problem,
    Reading,
    Unreadable,
    not_xml,
    sport_words,
)
from programs.activities.tcx import read_tcx

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 25 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
_XML_ROOTS = {"gpx": "gpx", "TrainingCenterDatabase": "tcx"}


@dataclass(frozen=True)
class Activity:
    """A run read from a file. Units are SI; a figure the file doesn't give is None."""

    sport: str
    started_at: datetime | None
    distance_m: float | None
    moving_s: float | None
    elapsed_s: float | None
    elevation_gain_m: float | None
    avg_hr: float | None
    max_hr: int | None
    avg_cadence: float | None  # steps per minute
    source_format: str  # "fit", "gpx" or "tcx"
    sha256: str
    points: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """Nothing is wrong with the file, but it is not a run to import."""

    code: Problem
    reason: str


@dataclass(frozen=True)
class Failed:
    """The file can't be read; ``reason`` tells the athlete why, in a sentence."""

    code: Problem
    reason: str


type ActivityResult = Activity | Skipped | Failed


def refusal(code: Problem, reason: str) -> Skipped | Failed:
    return Skipped(code, reason) if code in SKIP_PROBLEMS else Failed(code, reason)


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def gunzip(data: bytes, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """Decompress gzip data, reading at most ``limit`` bytes of it: a gzip header's
    declared size can lie. Raise ``Unreadable``."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            content = stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise Unreadable(Problem.DAMAGED, "The compressed file is damaged or cut short.") from error
    if len(content) > limit:
        raise Unreadable(
            Problem.TOO_LARGE,
            f"The file unpacks to more than {megabytes(limit)}; "
            f"the limit is {megabytes(limit)} per file.",
        )
    return content


def sniff(data: bytes) -> str | None:
    """ "fit", "xml", "gzip", "zip" or None, from the first bytes."""
    if looks_like_fit(data):
        return "fit"
    if data.startswith(GZIP_MAGIC):
        return "gzip"
    if data.startswith(ZIP_MAGIC):
        return "zip"
    if data[:1024].removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
        return "xml"
    return None


def xml_root(data: bytes) -> str:
    """The root element's name, read through defusedxml only as far as the root: entity
    declarations (the DTD) must come before it, so a document that passes has none."""
    try:
        for _event, element in SafeElementTree.iterparse(io.BytesIO(data), events=("start",)):
            return element.tag.rsplit("}", 1)[-1]
    except DefusedXmlException as error:
        raise _unsafe_xml() from error
    except ParseError as error:
        raise not_xml(error) from error
    raise Unreadable(Problem.NOT_XML, "The file is empty XML.")


def _unsafe_xml() -> Unreadable:
    return Unreadable(
        Problem.UNSAFE_XML,
        "The file declares XML entities, which are refused for safety; "
        "GPX and TCX files from watches and apps never need them.",
    )


def _parse(filename: str, data: bytes) -> tuple[str, Reading]:
    kind = sniff(data)
    if kind == "fit":
        return "fit", read_fit(data)
    if kind == "xml":
        root = xml_root(data)
        fmt = _XML_ROOTS.get(root)
        if fmt == "gpx":
            return "gpx", read_gpx(data)
        if fmt == "tcx":
            try:
                document = SafeElementTree.fromstring(data)
            except DefusedXmlException as error:
                raise _unsafe_xml() from error
            except ParseError as error:
                raise not_xml(error) from error
            return "tcx", read_tcx(document)
        raise Unreadable(
            Problem.UNKNOWN_FORMAT,
            f"An XML file, but neither GPX nor TCX (its root is <{root}>).",
        )
    if kind == "zip":
        raise Unreadable(
            Problem.UNKNOWN_FORMAT, "A zip archive: upload it as an archive of activities."
        )
    suffix = PurePosixPath(filename.lower().removesuffix(".gz")).suffix
    named = f" It is named {suffix}, but its content isn't." if suffix in _NAMED else ""
    raise Unreadable(Problem.UNKNOWN_FORMAT, f"This isn't a FIT, GPX or TCX file.{named}")


_NAMED = {".fit", ".gpx", ".tcx"}


def _judge(reading: Reading, *, assume_run: bool) -> Reading | Skipped | Failed:
    if reading.sport is None:
        if not assume_run:
            return Skipped(
                Problem.NO_SPORT,
                "The file doesn't say which sport it records; "
                "upload it again saying these are runs to import it as a run.",
            )
        reading.sport = "running"
        reading.notes.append("The file names no sport: imported as a run, as you said.")
    if reading.sport != "running":
        words = sport_words(reading.sport)
        return Skipped(Problem.NOT_A_RUN, f"{words[0].upper()}{words[1:]}, not a run.")
    if reading.distance_m is None and reading.moving_s is None and reading.elapsed_s is None:
        return Failed(Problem.NO_DATA, "The file records neither a distance nor a time.")
    return reading


def read_activity(filename: str, data: bytes, *, assume_run: bool = False) -> ActivityResult:
    """Read one uploaded file. ``assume_run`` is the uploader saying "these are runs", for
    files that name no sport."""
    if not data:
        return Failed(Problem.EMPTY, "The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        return Failed(
            Problem.TOO_LARGE,
            f"The file is {megabytes(len(data))}; "
            f"the limit is {megabytes(MAX_FILE_BYTES)} per file.",
        )
    try:
        if sniff(data) == "gzip":
            data = gunzip(data)
            if not data:
                return Failed(Problem.EMPTY, "The compressed file is empty.")
            if sniff(data) == "gzip":
                return Failed(Problem.UNKNOWN_FORMAT, "The file is compressed twice.")
        source_format, reading = _parse(filename, data)
    except Unreadable as problem:
        return refusal(problem.code, problem.reason)
    # The contract is that a file never raises: a parser's unexpected failure on odd
    # bytes is this file's problem, reported as such, and logged to be fixed.
    except Exception:
        logger.exception("Unexpected failure reading activity file %r", filename)
        return Failed(
            Problem.DAMAGED,
            "The file couldn't be read. Export it again from your watch or app.",
        )

    judged = _judge(reading, assume_run=assume_run)
    if not isinstance(judged, Reading):
        return judged
    return Activity(
        sport=judged.sport or "running",
        started_at=judged.started_at,
        distance_m=_float(judged.distance_m),
        moving_s=_float(judged.moving_s),
        elapsed_s=_float(judged.elapsed_s),
        elevation_gain_m=_float(judged.elevation_gain_m),
        avg_hr=_float(judged.avg_hr),
        max_hr=judged.max_hr,
        avg_cadence=_float(judged.avg_cadence),
        source_format=source_format,
        sha256=hashlib.sha256(data).hexdigest(),
        points=judged.points,
        notes=tuple(judged.notes),
    )


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)
