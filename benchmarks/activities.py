"""Activity file reading benchmark (issue #15): a two-hour run recorded every second.

.venv/bin/python -m benchmarks.activities

Plain Python, no Django: the files are written by the tests' FIT writer and GPX/TCX
builders, so nothing is downloaded and every figure can be reproduced.
"""

import gzip
import io
import statistics
import time
import zipfile
from collections.abc import Callable

import fitdecode

from programs.activities import Activity, iter_archive, read_activity
from programs.activities.fit import crc16
from tests.programs.activities import documents
from tests.programs.activities.fitwriter import run_fit

TWO_HOURS = 2 * 3600
LIMIT_MS = 500.0


def _times_ms(call: Callable[[], object], repeat: int) -> list[float]:
    call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)


def _line(label: str, times: list[float], *, limit: float | None = None) -> str:
    """Median and best: on a shared machine the best run is the code, the median the load."""
    median = statistics.median(times)
    verdict = f"  (< {limit:.0f} ms: {'ok' if median < limit else 'over'})" if limit else ""
    return f"  {label:<46} {median:6.0f} ms median {times[0]:6.0f} best{verdict}"


def _decode_only(data: bytes) -> None:
    for _frame in fitdecode.FitReader(data, processor=None, check_crc=fitdecode.CrcCheck.DISABLED):
        pass


def _fitdecode_crc(data: bytes) -> None:
    """fitdecode checking the CRC itself (nibble by nibble, on every read), minus decoding."""
    for _frame in fitdecode.FitReader(data, processor=None):
        pass


def _read_zip(data: bytes) -> int:
    runs = 0
    for name, item in iter_archive(data):
        if isinstance(item, bytes):
            runs += isinstance(read_activity(name, item, assume_run=True), Activity)
    return runs


def main() -> None:
    fit = run_fit(seconds=TWO_HOURS)
    records_only = run_fit(seconds=TWO_HOURS, session=False, laps=False)
    gpx = documents.gpx(sport="running", count=TWO_HOURS + 1, step_s=1, hr=150, cad=88)
    tcx = documents.tcx(laps=12, lap_s=600, lap_m=1800)
    activity = read_activity("run.fit", fit)
    assert isinstance(activity, Activity)

    lines = [
        "Activity file benchmark",
        f"  two-hour FIT: {len(fit) / 1024:.0f} KB, {activity.points} records at 1 s, "
        f"{activity.distance_m / 1000:.1f} km",
    ]
    cases: list[tuple[str, Callable[[], object], float | None]] = [
        ("read_activity, FIT with session", lambda: read_activity("r", fit), LIMIT_MS),
        ("  fitdecode decoding alone", lambda: _decode_only(fit), None),
        ("  our CRC check (one pass)", lambda: crc16(fit), None),
        ("  fitdecode decoding with its own CRC check", lambda: _fitdecode_crc(fit), None),
        (
            "read_activity, FIT with records only",
            lambda: read_activity("r", records_only, assume_run=True),
            LIMIT_MS,
        ),
        (
            f"read_activity, GPX ({len(gpx) // 1024} KB, 7,201 points)",
            lambda: read_activity("r", gpx),
            None,
        ),
        (
            f"read_activity, TCX ({len(tcx) // 1024} KB, 720 points)",
            lambda: read_activity("r", tcx),
            None,
        ),
    ]
    for label, call, limit in cases:
        lines.append(_line(label, _times_ms(call, 10), limit=limit))

    hour = run_fit(seconds=3600)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number in range(200):
            archive.writestr(f"activities/{number}.fit.gz", gzip.compress(hour))
        archive.writestr("activities.csv", "Activity ID\n" * 200)
    export = buffer.getvalue()
    start = time.perf_counter()
    runs = _read_zip(export)
    seconds = time.perf_counter() - start
    lines.append(
        f"  Strava-shaped zip, {runs} one-hour runs (.fit.gz, {len(export) / 1024 / 1024:.1f} MB)"
        f"   {seconds:6.1f} s, {seconds / runs * 1000:.0f} ms a file"
    )
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()
