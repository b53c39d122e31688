"""GPX files (Strava, Garmin Connect, phone apps, old handhelds), read by gpxpy.

Why gpxpy: it is the standard Python GPX library (GPX 1.0 and 1.1, extensions kept),
maintained, and gives the track figures an importer needs: ``length_2d``,
``get_moving_data`` and ``get_uphill_downhill``. The document is first opened with
defusedxml up to its root element (see ``parsing``): entity declarations can only come
before it, so gpxpy then parses a document known to have none.

Figures: a GPX file has no summary, so everything comes from the track points:
distance is ``length_2d`` (horizontal, like a watch; ``length_3d`` would add a few metres
per kilometre of steep climbing), moving time ``get_moving_data().moving_time`` (points
faster than 1 km/h), elevation gain ``get_uphill_downhill().uphill``, elapsed time from the
first timed point to the last. Heart rate and cadence come from Garmin's
TrackPointExtension (``hr``, ``cad``), which Strava writes too; ``cad`` counts strides, as
FIT does, so steps per minute are twice it.

Sport: the first track's ``<type>`` if it names one (Strava's "running" or "9", Garmin's
"running"); most GPX files name none, and then the uploader says whether they are runs.

Times, decided here: a track whose times are implausible (before 1990, a day ahead, all
the same instant, or running backwards) is imported without a date or durations, with a
note; its distance and climb are still true. Points without a time are left out of the
durations only.
"""

from __future__ import annotations

import re

import gpxpy
import gpxpy.gpx

from programs.activities.reading import (
    Problem,
    Reading,
    Unreadable,
    as_utc,
    junk_times_note,
    mean,
    not_xml,
    plausible,
    sport_from_label,
)

_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def xml_text(data: bytes) -> str:
    """The document as text, in the encoding its XML declaration names (UTF-8 if none)."""
    declared = _ENCODING.match(data[:200].removeprefix(b"\xef\xbb\xbf"))
    encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        return data.decode("utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding)
    except (LookupError, UnicodeDecodeError) as error:
        raise Unreadable(
            Problem.NOT_XML, f"The file isn't valid text in its declared encoding ({encoding})."
        ) from error


def read_gpx(data: bytes) -> Reading:
    try:
        gpx = gpxpy.parse(xml_text(data))
    except gpxpy.gpx.GPXXMLSyntaxException as error:
        raise not_xml(error.__cause__) from error
    except (gpxpy.gpx.GPXException, ValueError) as error:
        raise Unreadable(
            Problem.DAMAGED, "The file is XML but not valid GPX, so it can't be read."
        ) from error

    points = list(gpx.walk(only_points=True))
    if not points:
        only = "a planned route" if gpx.routes else "waypoints" if gpx.waypoints else "nothing"
        raise Unreadable(Problem.NO_DATA, f"The GPX file has no recorded track (it holds {only}).")

    reading = Reading(points=len(points))
    reading.sport = next(
        (sport for track in gpx.tracks if (sport := sport_from_label(track.type))), None
    )
    reading.distance_m = gpx.length_2d()
    if any(point.elevation is not None for point in points):
        reading.elevation_gain_m = gpx.get_uphill_downhill().uphill

    times = [as_utc(point.time) for point in points if point.time is not None]
    if not times:
        reading.notes.append("The file has no times: imported without a date or durations.")
    else:
        first, last = min(times), max(times)
        if plausible(first) and plausible(last) and times[-1] > times[0]:
            reading.started_at = first
            reading.elapsed_s = (last - first).total_seconds()
            reading.moving_s = gpx.get_moving_data().moving_time
            if len(times) < len(points):
                reading.notes.append(
                    f"{len(points) - len(times)} of {len(points)} points have no time: "
                    "the durations come from the rest."
                )
        else:
            reading.notes.append(junk_times_note(times[0], times[-1]))

    heart_rates, cadences = _extensions(points)
    reading.avg_hr = mean(heart_rates)
    reading.max_hr = round(max(heart_rates)) if heart_rates else None
    cadence = mean(cadences)
    reading.avg_cadence = cadence * 2 if cadence else None
    return reading


def _extensions(points: list[gpxpy.gpx.GPXTrackPoint]) -> tuple[list[float], list[float]]:
    heart_rates: list[float] = []
    cadences: list[float] = []
    for point in points:
        for extension in point.extensions:
            for element in extension.iter():
                tag = element.tag.rsplit("}", 1)[-1]
                value = _number(element.text) if tag in ("hr", "cad") else None
                if value and tag == "hr":
                    heart_rates.append(value)
                elif value:
                    cadences.append(value)
    return heart_rates, cadences


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None
