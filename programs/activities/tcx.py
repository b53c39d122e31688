"""TCX files (Garmin Training Center; Garmin Connect, Polar and Strava still export it),
read with the standard library's ElementTree through defusedxml.

Why no TCX library: the two on PyPI are thin, though not abandoned (both last released in
March 2025). python-tcxparser 2.4 wraps ``lxml.objectify`` (two more dependencies, lxml and
dateutil, and a parser that resolves entities unless told not to), takes a path or file,
and answers with properties computed its own way: distance from the last trackpoint, heart
rate an unweighted mean of trackpoints, an exception when there is none. tcxreader 0.4.11
takes only a path, parses with plain ElementTree, and raises on a time outside its four
``strptime`` patterns. TCX is a small schema: reading it here is about a hundred lines,
from bytes, through defusedxml (entities refused), with the same rules as FIT and GPX.

Figures: the laps are the summary: ``TotalTimeSeconds`` (timer time, so moving time) and
``DistanceMeters`` summed, heart rate the laps' averages weighted by their time and the
highest maximum; start is the first lap's ``StartTime``. What the laps lack comes from the
trackpoints: distance from their ``DistanceMeters`` or positions, elevation gain always
from their ``AltitudeMeters`` (TCX has no ascent field), heart rate from their values.
Cadence is ActivityExtension's ``AvgRunCadence`` / ``RunCadence`` (strides, doubled to
steps); the schema's own ``Cadence`` element is a bike's and is not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from xml.etree.ElementTree import Element

from programs.activities.reading import (
    Problem,
    Reading,
    Unreadable,
    as_utc,
    cumulative,
    elevation_gain,
    junk_times_note,
    mean,
    moving_seconds,
    plausible,
    sport_from_label,
    weighted_mean,
)


def _name(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element if _name(child) == name)


def _child(element: Element, *path: str) -> Element | None:
    for name in path:
        element = next(_children(element, name), None)
        if element is None:
            return None
    return element


def _number(element: Element, *path: str) -> float | None:
    found = _child(element, *path)
    try:
        return float(found.text) if found is not None and found.text else None
    except ValueError:
        return None


def _time(text: str | None) -> datetime | None:
    try:
        return as_utc(datetime.fromisoformat(text.strip())) if text else None
    except ValueError:
        return None


def _extension(element: Element, name: str) -> float | None:
    extensions = _child(element, "Extensions")
    for found in extensions.iter() if extensions is not None else ():
        if _name(found) == name and found.text:
            try:
                return float(found.text)
            except ValueError:
                return None
    return None


def read_tcx(root: Element) -> Reading:
    activities = _child(root, "Activities")
    found = list(_children(activities, "Activity")) if activities is not None else []
    if not found:
        raise Unreadable(
            Problem.NOT_AN_ACTIVITY, "A TCX course or workout, not a recorded activity."
        )
    activity = found[0]
    laps = list(_children(activity, "Lap"))
    trackpoints = [
        point
        for lap in laps
        for track in _children(lap, "Track")
        for point in _children(track, "Trackpoint")
    ]
    if not laps and not trackpoints:
        raise Unreadable(Problem.NO_DATA, "The TCX file holds no laps or trackpoints.")

    reading = Reading(points=len(trackpoints), sport=sport_from_label(activity.get("Sport")))
    if len(found) > 1:
        reading.notes.append(f"The file holds {len(found)} activities: the first was read.")
    _read_laps(reading, laps)
    track = _collect(trackpoints)
    _read_trackpoints(reading, track)
    _read_times(reading, activity, laps, track)
    return reading


def _read_laps(reading: Reading, laps: list[Element]) -> None:
    seconds = [_number(lap, "TotalTimeSeconds") for lap in laps]
    distances = [_number(lap, "DistanceMeters") for lap in laps]
    if any(value is not None for value in seconds):
        reading.moving_s = sum(value or 0 for value in seconds)
    if any(value is not None for value in distances):
        reading.distance_m = sum(value or 0 for value in distances)
    heart_rates = [
        (hr, time or 0)
        for lap, time in zip(laps, seconds, strict=True)
        if (hr := _number(lap, "AverageHeartRateBpm", "Value")) is not None
    ]
    reading.avg_hr = weighted_mean(heart_rates)
    maxima = [hr for lap in laps if (hr := _number(lap, "MaximumHeartRateBpm", "Value"))]
    reading.max_hr = round(max(maxima)) if maxima else None
    cadences = [
        (cadence, time or 0)
        for lap, time in zip(laps, seconds, strict=True)
        if (cadence := _extension(lap, "AvgRunCadence"))
    ]
    cadence = weighted_mean(cadences)
    reading.avg_cadence = cadence * 2 if cadence else None


@dataclass
class _Track:
    times: list[datetime] = field(default_factory=list)
    timed_distances: list[tuple[float, float]] = field(default_factory=list)
    positions: list[tuple[float, float]] = field(default_factory=list)
    altitudes: list[float] = field(default_factory=list)
    heart_rates: list[float] = field(default_factory=list)
    cadences: list[float] = field(default_factory=list)


def _collect(trackpoints: list[Element]) -> _Track:
    track = _Track()
    for point in trackpoints:
        moment = _time(getattr(_child(point, "Time"), "text", None))
        distance = _number(point, "DistanceMeters")
        if moment is not None:
            track.times.append(moment)
            if distance is not None:
                track.timed_distances.append((moment.timestamp(), distance))
        lat = _number(point, "Position", "LatitudeDegrees")
        lon = _number(point, "Position", "LongitudeDegrees")
        if lat is not None and lon is not None:
            track.positions.append((lat, lon))
        altitude = _number(point, "AltitudeMeters")
        if altitude is not None:
            track.altitudes.append(altitude)
        heart_rate = _number(point, "HeartRateBpm", "Value")
        if heart_rate:
            track.heart_rates.append(heart_rate)
        cadence = _extension(point, "RunCadence")
        if cadence:
            track.cadences.append(cadence)
    return track


def _read_trackpoints(reading: Reading, track: _Track) -> None:
    reading.elevation_gain_m = elevation_gain(track.altitudes)
    if reading.distance_m is None and track.timed_distances:
        reading.distance_m = max(d for _, d in track.timed_distances)
    if reading.distance_m is None and len(track.positions) > 1:
        reading.distance_m = cumulative(track.positions)[-1]
    if reading.avg_hr is None:
        reading.avg_hr = mean(track.heart_rates)
    if reading.max_hr is None and track.heart_rates:
        reading.max_hr = round(max(track.heart_rates))
    if reading.avg_cadence is None and track.cadences:
        reading.avg_cadence = sum(track.cadences) / len(track.cadences) * 2


def _read_times(reading: Reading, activity: Element, laps: list[Element], track: _Track) -> None:
    lap_starts = [moment for lap in laps if (moment := _time(lap.get("StartTime")))]
    identity = _time(getattr(_child(activity, "Id"), "text", None))
    candidates = [*lap_starts[:1], *([identity] if identity else []), *track.times[:1]]
    if not candidates:
        reading.notes.append("The file has no times: imported without a date.")
        return
    start = candidates[0]
    ends = track.times[-1:]
    last_lap_start = _time(laps[-1].get("StartTime")) if laps else None
    if last_lap_start is not None:
        lap_seconds = _number(laps[-1], "TotalTimeSeconds") or 0
        ends.append(last_lap_start + timedelta(seconds=lap_seconds))
    end = max(ends, default=start)
    if not (plausible(start) and plausible(end)) or end < start:
        reading.notes.append(junk_times_note(start, end, durations_kept=True))
        return
    reading.started_at = start
    # Lap times are rounded: elapsed time can come out a fraction under the moving time.
    reading.elapsed_s = max((end - start).total_seconds(), reading.moving_s or 0)
    if reading.moving_s is None and len(track.timed_distances) > 1:
        reading.moving_s = moving_seconds(
            [t for t, _ in track.timed_distances], [d for _, d in track.timed_distances]
        )
