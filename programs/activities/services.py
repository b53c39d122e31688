"""Importing activity files into an athlete's run calendar.

Each file is read (``parsing.read_activity``; a zip is opened by ``archive.iter_archive``),
then either recognised as one already imported, matched to the run it was, or added as a
new done run:

- **Duplicates**: the same bytes (sha256), or another file that starts at the same
  instant (the same run exported by Garmin and by Strava), change nothing.
- **Matching**: the activity's day is its start in the athlete's time zone (a run at
  14:45 UTC in Auckland is on the next day there). A planned run that day is that run
  done: it keeps its planned type and distance, and gains the actual distance, time,
  start, climb and heart rate. With several planned runs that day, the nearest in
  distance. A run already marked done by hand that day is linked to the file and keeps
  what was entered by hand: a hand edit is never overwritten.
- **New runs**: otherwise, a done run whose type is "long" when its distance is long for
  the athlete by the engine's rule (``is_long_by_distance``: 1.5 × the median of their
  runs of the 28 days before, at least 10 km; 25 km without that history), else "easy".

Every file is its own transaction, so a failure half-way through a zip leaves the files
before it imported and nothing half-written; a dry run rolls everything back at the end.
The conflict flags are recomputed once, after the last file.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import itertools
import logging
import multiprocessing
import os
import zoneinfo
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

from athletes.models import AthleteProfile
from programs.activities.archive import ArchiveError, is_archive, iter_archive
from programs.activities.parsing import Activity as ReadActivity
from programs.activities.parsing import ActivityResult, Failed, Skipped, read_activity
from programs.activities.reading import Problem
from programs.conflicts.model import is_long_by_distance
from programs.conflicts.services import recent_distances
from programs.models import Run, RunSource, RunStatus, RunType
from programs.models.activities import Activity
from programs.schedule.runs import runs_changed

logger = logging.getLogger(__name__)

# Runs an activity can be: not rest days or cross-training.
_RUNNING_TYPES = [t for t in RunType.values if t not in {RunType.REST, RunType.CROSS_TRAINING}]


class Outcome:
    CREATED = "created"
    MATCHED = "matched"
    DUPLICATE = "duplicate"
    SKIPPED = "skipped"
    ERROR = "error"


@dataclass
class ActivityReport:
    """What an import did, file by file. ``to_json`` is the command's documented report."""

    created: int = 0
    matched: int = 0
    duplicates: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    # Per file, for the page: {"file", "outcome", "detail"}.
    files: list[dict[str, str]] = field(default_factory=list)
    dry_run: bool = False

    def add(self, name: str, outcome: str, detail: str = "") -> None:
        if outcome == Outcome.CREATED:
            self.created += 1
        elif outcome == Outcome.MATCHED:
            self.matched += 1
        elif outcome == Outcome.DUPLICATE:
            self.duplicates += 1
        elif outcome == Outcome.SKIPPED:
            self.skipped.append({"file": name, "reason": detail})
        else:
            self.errors.append({"file": name, "reason": detail})
        self.files.append({"file": name, "outcome": outcome, "detail": detail})

    def to_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "matched": self.matched,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "errors": self.errors,
        }

    def to_stored(self) -> dict[str, Any]:
        return {**self.to_json(), "files": self.files, "dry_run": self.dry_run}

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> ActivityReport:
        report = cls(dry_run=bool(data.get("dry_run")))
        for row in data.get("files", []):
            report.add(row["file"], row["outcome"], row.get("detail", ""))
        return report

    @property
    def changed(self) -> bool:
        return bool(self.created or self.matched)

    def summary(self) -> str:
        text = (
            f"{self.created} new, {self.matched} matched to planned runs, "
            f"{self.duplicates} already imported, {len(self.skipped)} skipped, "
            f"{len(self.errors)} error{'' if len(self.errors) == 1 else 's'}"
        )
        return f"{text} (dry run: nothing was written)" if self.dry_run else text


type Upload = tuple[str, bytes]


def expand_uploads(uploads: Iterable[Upload]) -> Iterator[tuple[str, bytes | Skipped | Failed]]:
    """Each uploaded file, with every zip opened into its entries (named ``zip/entry``). A
    zip that can't be opened is one failed item; the other uploads still come."""
    for name, data in uploads:
        if not is_archive(data):
            yield name, data
            continue
        try:
            entries = iter_archive(data)
            for entry, item in entries:
                yield f"{name}/{entry}", item
        except ArchiveError as error:
            yield name, Failed(error.code, error.reason)


def activities_import(
    *,
    athlete: AthleteProfile,
    uploads: Iterable[Upload],
    assume_run: bool = False,
    dry_run: bool = False,
    report: ActivityReport | None = None,
    start: int = 0,
    progress: Callable[[int, ActivityReport], None] | None = None,
) -> ActivityReport:
    """Import ``uploads`` ((filename, bytes), zips included) for ``athlete``.

    ``start`` skips that many files already handled (a retried task resumes where it
    stopped, into the ``report`` it had); ``progress(done, report)`` is called after each
    file, outside its transaction."""
    report = report or ActivityReport(dry_run=dry_run)
    importer = _Importer(athlete, assume_run=assume_run)
    known = set(Activity.objects.for_athlete(athlete).values_list("sha256", flat=True))
    items = itertools.islice(expand_uploads(uploads), start, None)
    with transaction.atomic() if dry_run else contextlib.nullcontext():
        done = start
        for name, read in _read_in_order(items, assume_run=assume_run, known=known):
            done += 1
            outcome, detail = importer.one(name, read)
            report.add(name, outcome, detail)
            if progress is not None:
                progress(done, report)
        if dry_run:
            transaction.set_rollback(True)
    if report.changed and not dry_run:
        runs_changed(athlete)
    return report


# Reading a file is CPU work in the parser (about 0.1 s for an hour recorded every second):
# from POOL_FROM_FILES files on, an import reads them in a pool of processes, one per core,
# up to READ_AHEAD files ahead of the one being stored, and stores them in upload order.
POOL_FROM_FILES = 4
READ_AHEAD = 16
# A pool process starts clean rather than as a copy of this one (with its database
# connections and threads): the parser needs nothing of Django.
_POOL_CONTEXT = multiprocessing.get_context("forkserver")


def _read_in_order(
    items: Iterable[tuple[str, bytes | Skipped | Failed]],
    *,
    assume_run: bool,
    known: set[str],
) -> Iterator[tuple[str, ActivityResult | None]]:
    """Each item read, in order; None for bytes already imported (the same sha256), which
    are not read again: importing an export a second time costs almost nothing."""
    pending: deque[tuple[str, ActivityResult | Future | None]] = deque()
    pool: ProcessPoolExecutor | None = None
    to_read = 0
    try:
        for name, item in items:
            result: ActivityResult | Future | None
            if not isinstance(item, bytes):
                result = item
            elif hashlib.sha256(item).hexdigest() in known:
                result = None
            else:
                to_read += 1
                if pool is None and to_read >= POOL_FROM_FILES:
                    workers = min(os.process_cpu_count() or 1, 4)
                    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_POOL_CONTEXT)
                if pool is None:
                    result = read_activity(name, item, assume_run=assume_run)
                else:
                    result = pool.submit(read_activity, name, item, assume_run=assume_run)
            pending.append((name, result))
            while pending and (len(pending) > READ_AHEAD or not isinstance(pending[0][1], Future)):
                yield _resolved(*pending.popleft())
        while pending:
            yield _resolved(*pending.popleft())
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _resolved(
    name: str, result: ActivityResult | Future | None
) -> tuple[str, ActivityResult | None]:
    if not isinstance(result, Future):
        return name, result
    try:
        return name, result.result()
    except Exception:  # a pool process that died (read_activity itself never raises)
        logger.exception("Reading activity file %r failed in the pool.", name)
        return name, Failed(
            Problem.DAMAGED, "The file couldn't be read. Export it again from your watch or app."
        )


class _Importer:
    def __init__(self, athlete: AthleteProfile, *, assume_run: bool) -> None:
        self.athlete = athlete
        self.assume_run = assume_run
        self.zone = zoneinfo.ZoneInfo(athlete.user.time_zone)

    def one(self, name: str, read: ActivityResult | None) -> tuple[str, str]:
        if read is None:
            return Outcome.DUPLICATE, "Already imported."
        if isinstance(read, Skipped):
            return Outcome.SKIPPED, read.reason
        if isinstance(read, Failed):
            return Outcome.ERROR, read.reason
        if read.started_at is None:
            return Outcome.ERROR, (
                "The file's clock was never set (its times are not real dates), so there is "
                "no day to put this run on. Export it again from the watch or app, or add "
                "the run by hand."
            )
        try:
            with transaction.atomic():
                return self._store(name, read)
        except IntegrityError:
            # The same file imported by another upload at the same moment: it won.
            return Outcome.DUPLICATE, "Already imported."
        except ValidationError as error:
            return Outcome.ERROR, " ".join(error.messages)

    def _store(self, name: str, read: ReadActivity) -> tuple[str, str]:
        athlete = self.athlete
        known = Activity.objects.filter(athlete=athlete).filter(
            Q(sha256=read.sha256) | Q(started_at=read.started_at)
        )
        if known.exists():
            return Outcome.DUPLICATE, "Already imported."
        local = read.started_at.astimezone(self.zone)
        day = local.date()
        activity = Activity(
            athlete=athlete,
            sha256=read.sha256,
            filename=name[-255:],
            file_format=read.source_format,
            sport=read.sport,
            started_at=read.started_at,
            distance_m=_whole(read.distance_m),
            moving_s=_whole(read.moving_s),
            elapsed_s=_whole(read.elapsed_s),
            elevation_gain_m=_whole(read.elevation_gain_m),
            avg_hr=_whole(read.avg_hr),
            max_hr=read.max_hr,
            avg_cadence=_whole(read.avg_cadence),
        )
        run = self._planned_run(day, activity.distance_m)
        if run is not None:
            outcome, detail = Outcome.MATCHED, f"The {run.get_run_type_display().lower()} "
            detail += f"planned on {day:%a %d %b %Y}, done."
            self._mark_done(run, activity, local)
        else:
            run = self._done_by_hand(day)
            if run is not None:
                outcome = Outcome.MATCHED
                detail = (
                    f"The run on {day:%a %d %b %Y} was already marked done by hand; "
                    "what was entered is kept."
                )
            else:
                run = self._new_run(day, activity, local)
                outcome = Outcome.CREATED
                detail = f"A new {run.get_run_type_display().lower()} on {day:%a %d %b %Y}."
        activity.run = run
        # Its two unique constraints were just checked by the query above (and a race
        # with another import ends in IntegrityError, caught by the caller).
        activity.full_clean(validate_constraints=False)
        activity.save()
        return outcome, detail

    def _candidates(self, day: datetime.date):
        """The athlete's runs that day that an activity may become, not yet linked to one;
        locked, so that two imports at once can't both take the same run."""
        linked = Activity.objects.filter(run=OuterRef("pk"))
        return (
            Run.objects.for_athlete(self.athlete)
            .filter(~Exists(linked), date=day, run_type__in=_RUNNING_TYPES)
            .select_for_update()
        )

    def _planned_run(self, day: datetime.date, distance_m: int | None) -> Run | None:
        planned = list(self._candidates(day).filter(status=RunStatus.PLANNED))
        if not planned:
            return None

        def gap(run: Run) -> tuple[float, datetime.time, int]:
            far = float("inf")
            if distance_m is None or run.distance_m is None:
                return (far, run.start_time or datetime.time.max, run.pk)
            return (abs(run.distance_m - distance_m), run.start_time or datetime.time.max, run.pk)

        return min(planned, key=gap)

    def _done_by_hand(self, day: datetime.date) -> Run | None:
        return self._candidates(day).filter(status=RunStatus.DONE).order_by("pk").first()

    def _mark_done(self, run: Run, activity: Activity, local: datetime.datetime) -> None:
        run.status = RunStatus.DONE
        run.actual_distance_m = activity.distance_m
        run.actual_duration_s = _duration(activity)
        run.started_at = activity.started_at
        run.elevation_gain_m = activity.elevation_gain_m
        run.avg_hr = activity.avg_hr
        if run.start_time is None:
            # Not a planned time a calendar import wrote (that would read as a hand edit
            # to the next import of the plan): only a time the plan left empty.
            run.start_time = local.time().replace(second=0, microsecond=0)
        run.full_clean()
        run.save()

    def _new_run(self, day: datetime.date, activity: Activity, local: datetime.datetime) -> Run:
        recent = recent_distances(self.athlete, before=day)
        long = is_long_by_distance(activity.distance_m, recent)
        run = Run(
            athlete=self.athlete,
            date=day,
            start_time=local.time().replace(second=0, microsecond=0),
            run_type=RunType.LONG if long else RunType.EASY,
            status=RunStatus.DONE,
            source=RunSource.ACTIVITY,
            actual_distance_m=activity.distance_m,
            actual_duration_s=_duration(activity),
            started_at=activity.started_at,
            elevation_gain_m=activity.elevation_gain_m,
            avg_hr=activity.avg_hr,
        )
        run.full_clean()
        run.save()
        return run


def _whole(value: float | None) -> int | None:
    return None if value is None else max(0, round(value))


def _duration(activity: Activity) -> int | None:
    """Moving time, as a runner's app shows it; the elapsed time when that's all there is."""
    return activity.moving_s or activity.elapsed_s
