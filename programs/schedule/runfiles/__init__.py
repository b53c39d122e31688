"""Run files: importing a training plan (iCalendar or CSV) into an athlete's schedule and
exporting the schedule as CSV. The format is described in docs/run-format.md."""

from programs.schedule.runfiles.csvfile import export_runs_csv
from programs.schedule.runfiles.importing import MAX_FILE_BYTES, ImportReport, import_runs
from programs.schedule.runfiles.jsonfile import export_runs_json
from programs.schedule.runfiles.records import RunFileError

__all__ = [
    "MAX_FILE_BYTES",
    "ImportReport",
    "RunFileError",
    "export_runs_csv",
    "export_runs_json",
    "import_runs",
]
