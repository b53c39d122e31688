"""Activity files: reading the runs that athletes upload (FIT, GPX, TCX, one at a time or
zipped) into plain ``Activity`` values. Pure Python, no Django, no database; the decisions
(limits, damaged and cut-short files, junk clocks, sports) are in ``parsing``'s docstring.

    for name, item in iter_archive(data):
        result = read_activity(name, item, assume_run=True) if isinstance(item, bytes) else item
"""

from programs.activities.archive import (
    MAX_ARCHIVE_BYTES,
    MAX_ARCHIVE_FILES,
    ArchiveError,
    is_archive,
    iter_archive,
)
from programs.activities.parsing import (
    MAX_FILE_BYTES,
    Activity,
    ActivityResult,
    Failed,
    Skipped,
    read_activity,
)
from programs.activities.reading import Problem

__all__ = [
    "MAX_ARCHIVE_BYTES",
    "MAX_ARCHIVE_FILES",
    "MAX_FILE_BYTES",
    "Activity",
    "ActivityResult",
    "ArchiveError",
    "Failed",
    "Problem",
    "Skipped",
    "is_archive",
    "iter_archive",
    "read_activity",
]
