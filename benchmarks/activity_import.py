"""Activity import benchmark: a Garmin bulk export of 500 runs, one a day, each recorded
every second for 30 to 90 minutes, imported through ``activities_import`` for a new athlete
with a run planned on every fifth of those days; then the same export again, when every
file is a duplicate. Target: the first import in under 60 s.

make bench-activity-import   # or: .venv/bin/python -m benchmarks.activity_import

Reading the files alone (unzipping, then ``read_activity``) is timed first, so the import's
figure splits into reading and the database. ``--profile`` then imports the export once
more, for a second athlete, under cProfile and prints its top functions.
"""

import cProfile
import datetime
import io
import pstats
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from unittest import mock

from benchmarks.harness import bench_database, report

RUNS = 500
FIRST_DAY = datetime.date(2024, 9, 2)
PLANNED_EVERY = 5  # 100 planned runs to match
PLANNED = [("easy", 8000), ("tempo", 10000), ("intervals", 9000), ("long", 18000)]
LIMIT_S = 60.0
PROFILE_LINES = 25


def minutes(number: int) -> int:
    """30 to 90 minutes, spread over the runs (37 and 61 share no factor: every length
    comes once in 61 days, in no weekly pattern)."""
    return 30 + (number * 37) % 61


def garmin_export(email: str) -> tuple[bytes, int, int]:
    """Garmin's shape: the FIT files zipped inside the export zip, beside the JSON summaries
    (not read). Returns the export, the FIT files' total size and their records."""
    from tests.programs.activities.fitwriter import run_fit

    inner = io.BytesIO()
    fit_bytes = records = 0
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as uploaded:
        for number in range(RUNS):
            day = FIRST_DAY + datetime.timedelta(days=number)
            start = datetime.datetime.combine(day, datetime.time(5, 45), tzinfo=datetime.UTC)
            fit = run_fit(start=start, seconds=minutes(number) * 60)
            fit_bytes += len(fit)
            records += minutes(number) * 60 + 1
            uploaded.writestr(f"{email}_{20_000_000_000 + number}.fit", fit)
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as export:
        export.writestr("DI_CONNECT/DI-Connect-Fitness/mia_0_summarizedActivities.json", "[]")
        export.writestr(
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip",
            inner.getvalue(),
            compress_type=zipfile.ZIP_STORED,
        )
    return outer.getvalue(), fit_bytes, records


def unzip_only(data: bytes) -> int:
    from programs.activities import iter_archive

    return sum(isinstance(item, bytes) for _, item in iter_archive(data))


def unzip_and_read(data: bytes) -> int:
    from programs.activities import Activity, iter_archive, read_activity

    return sum(
        isinstance(read_activity(name, item), Activity)
        for name, item in iter_archive(data)
        if isinstance(item, bytes)
    )


def athlete_with_plan(email: str):
    """A new athlete (Ljubljana's clock, where the runs are) with a run planned on every
    PLANNED_EVERY-th day of the export."""
    from programs.models import Run
    from tests.factories import AthleteFactory

    profile = AthleteFactory(email=email, time_zone="Europe/Ljubljana").athlete_profile
    Run.objects.bulk_create(
        Run(
            athlete=profile,
            date=FIRST_DAY + datetime.timedelta(days=number),
            run_type=PLANNED[number // PLANNED_EVERY % len(PLANNED)][0],
            distance_m=PLANNED[number // PLANNED_EVERY % len(PLANNED)][1],
        )
        for number in range(0, RUNS, PLANNED_EVERY)
    )
    return profile


@dataclass(frozen=True)
class Clock:
    """Seconds on the wall, and of this process's CPU: on a shared machine the second is
    the steadier (on PostgreSQL it leaves out the server's share)."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:.1f} s ({self.cpu:.1f} cpu)"


def clocked[T](call: Callable[[], T]) -> tuple[Clock, T]:
    """How long the call took, and what it returned."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = call()
    return Clock(time.perf_counter() - wall, time.process_time() - cpu), value


def counts(result) -> str:
    return (
        f"{result.created} / {result.matched} / {result.duplicates} / "
        f"{len(result.skipped)} / {len(result.errors)}"
    )


def main() -> None:
    from programs.activities import services
    from programs.models import Activity, Run

    profile_it = "--profile" in sys.argv[1:]
    print("Activity import benchmark")  # noqa: T201
    with bench_database():
        built, (export, fit_bytes, records) = clocked(lambda: garmin_export("mia@example.com"))
        report(
            f"built: {RUNS} runs, {records:,} records at 1 s",
            f"{built.wall:.0f} s",
            limit=f"{fit_bytes / 2**20:.0f} MB of FIT, {len(export) / 2**20:.1f} MB zipped",
        )

        unzip, _ = clocked(lambda: unzip_only(export))
        report("unzip alone (both levels)", str(unzip))
        read, runs = clocked(lambda: unzip_and_read(export))
        assert runs == RUNS, runs
        report(
            "read alone (unzip + read_activity)",
            str(read),
            limit=f"{read.wall / RUNS * 1000:.0f} ms a file",
        )

        athlete = athlete_with_plan("mia@example.com")
        uploads = [("garmin-export.zip", export)]
        flags: list[Clock] = []
        real_runs_changed = services.runs_changed

        def runs_changed(athlete) -> None:
            flags.append(clocked(lambda: real_runs_changed(athlete))[0])

        with mock.patch.object(services, "runs_changed", runs_changed):
            took, first = clocked(
                lambda: services.activities_import(athlete=athlete, uploads=uploads)
            )
        matched = RUNS // PLANNED_EVERY
        assert (first.created, first.matched) == (RUNS - matched, matched), counts(first)
        assert Activity.objects.filter(athlete=athlete).count() == RUNS
        assert Run.objects.filter(athlete=athlete).count() == RUNS
        verdict = "ok" if took.wall < LIMIT_S else "over"
        report(f"import {RUNS} runs", str(took), limit=f"< {LIMIT_S:.0f} s: {verdict}")
        report("  a file", f"{took.wall / RUNS * 1000:.0f} ms")
        report("  created / matched / duplicates / skipped / errors", counts(first))
        report("  reading (timed alone, above)", f"{read.wall:.1f} s")
        flags_wall = sum(clock.wall for clock in flags)
        report("  conflict flags, recomputed once at the end", f"{flags_wall:.1f} s")
        report(
            "  the rest: the database, file by file", f"{took.wall - read.wall - flags_wall:.1f} s"
        )

        again_took, again = clocked(
            lambda: services.activities_import(athlete=athlete, uploads=uploads)
        )
        assert again.duplicates == RUNS, counts(again)
        assert not again.changed, counts(again)
        report("import again (every file a duplicate)", str(again_took))
        report("  a file", f"{again_took.wall / RUNS * 1000:.0f} ms")
        report("  created / matched / duplicates / skipped / errors", counts(again))

        if profile_it:
            other = athlete_with_plan("mia.again@example.com")
            profiler = cProfile.Profile()
            profiler.runcall(services.activities_import, athlete=other, uploads=uploads)
            for order in ("tottime", "cumulative"):
                print(f"\n  cProfile of a first import, by {order}:")  # noqa: T201
                pstats.Stats(profiler, stream=sys.stdout).sort_stats(order).print_stats(
                    PROFILE_LINES
                )


if __name__ == "__main__":
    main()
