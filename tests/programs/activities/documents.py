"""Small GPX and TCX documents built by hand for the tests."""

from datetime import UTC, datetime, timedelta

START = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
GPX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
)
TCX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
    'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">'
)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def gpx(
    *,
    sport: str | None = None,
    count: int = 61,
    start: datetime | None = START,
    step_s: int = 10,
    hr: int | None = None,
    cad: int | None = None,
) -> bytes:
    """A track due north, 30 m a point, a point every ``step_s`` seconds (no times if
    ``start`` is None)."""
    points = []
    for index in range(count):
        when = f"<time>{iso(start + timedelta(seconds=index * step_s))}</time>" if start else ""
        extension = ""
        if hr or cad:
            inner = (f"<gpxtpx:hr>{hr}</gpxtpx:hr>" if hr else "") + (
                f"<gpxtpx:cad>{cad}</gpxtpx:cad>" if cad else ""
            )
            extension = (
                "<extensions><gpxtpx:TrackPointExtension>"
                f"{inner}</gpxtpx:TrackPointExtension></extensions>"
            )
        lat = 46.05 + index * 30 / 111_320  # 30 m a point, whatever the clock says
        elevation = f"<ele>{300 + index % 5}</ele>"
        points.append(f'<trkpt lat="{lat:.7f}" lon="14.5">{elevation}{when}{extension}</trkpt>')
    kind = f"<type>{sport}</type>" if sport else ""
    return f"{GPX_HEAD}<trk>{kind}<trkseg>{''.join(points)}</trkseg></trk></gpx>".encode()


def tcx(
    *,
    sport: str = "Running",
    laps: int = 2,
    lap_s: float = 300,
    lap_m: float = 1000,
    lap_summary: bool = True,
    run_cadence: int | None = None,
) -> bytes:
    """A run of ``laps`` laps, a trackpoint every 10 s, cumulative distance on each."""
    parts = [f'{TCX_HEAD}<Activities><Activity Sport="{sport}"><Id>{iso(START)}</Id>']
    per_point = lap_m / (lap_s / 10)
    for lap in range(laps):
        lap_start = START + timedelta(seconds=lap * lap_s)
        parts.append(f'<Lap StartTime="{iso(lap_start)}">')
        if lap_summary:
            parts.append(
                f"<TotalTimeSeconds>{lap_s}</TotalTimeSeconds>"
                f"<DistanceMeters>{lap_m}</DistanceMeters>"
                f"<AverageHeartRateBpm><Value>{140 + lap * 10}</Value></AverageHeartRateBpm>"
                f"<MaximumHeartRateBpm><Value>{160 + lap}</Value></MaximumHeartRateBpm>"
            )
            if run_cadence:
                parts.append(
                    f"<Extensions><ns3:LX><ns3:AvgRunCadence>{run_cadence}"
                    "</ns3:AvgRunCadence></ns3:LX></Extensions>"
                )
        parts.append("<Track>")
        for step in range(int(lap_s // 10)):
            distance = lap * lap_m + step * per_point
            parts.append(
                f"<Trackpoint><Time>{iso(lap_start + timedelta(seconds=step * 10))}</Time>"
                f"<DistanceMeters>{distance}</DistanceMeters>"
                f"<AltitudeMeters>{200 + step % 3}</AltitudeMeters>"
                f"<HeartRateBpm><Value>{150}</Value></HeartRateBpm></Trackpoint>"
            )
        parts.append("</Track></Lap>")
    parts.append("</Activity></Activities></TrainingCenterDatabase>")
    return "".join(parts).encode()


def billion_laughs(root: str) -> bytes:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    ]
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE {root} [{"".join(entities)}]>\n<{root}>&lol9;</{root}>'
    ).encode()


def external_entity(root: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE {root} [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        f"<{root}>&secret;</{root}>"
    ).encode()
