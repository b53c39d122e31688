"""Reading a zip of activity files: Strava's bulk export (``activities/123.fit.gz``, ``.gpx``,
``.tcx.gz`` beside ``activities.csv`` and media) or Garmin's (FIT files inside zips inside
the export zip), or a runner's own zip of files.

``iter_archive(data)`` checks the archive as a whole first and raises ``ArchiveError`` if
it can't be read or is over the limits; then it yields ``(name, bytes | Skipped | Failed)``
for every entry, so that one bad entry never stops the others:

- bytes: an activity file's content, decompressed if it was ``.gz``, for ``read_activity``;
- Skipped: folders, macOS metadata (``__MACOSX/``, ``._x``, ``.DS_Store``), and files not
  named ``.fit``, ``.gpx``, ``.tcx`` (or those ``.gz``) or ``.zip``: the export's CSVs,
  photos and JSON are not read at all;
- Failed: an unsafe path (``../x``, ``/x``, ``C:\\x``: nothing is written to disk, but
  such a name is a crafted archive, not an export), an encrypted or damaged entry, or one
  over a limit.

Limits: at most ``MAX_ARCHIVE_FILES`` (2,000) entries, counting those of zips inside it,
``MAX_FILE_BYTES`` (25 MB) per activity file, and ``MAX_ARCHIVE_BYTES`` (500 MB) of
activity files in all, after decompression. Sizes declared in the zip are checked before
reading, and every read is capped too, since a zip bomb's declared sizes lie; the same caps
apply to a ``.gz`` inside. The count is checked from the archive's end record before
``zipfile`` builds its directory, so a crafted directory of millions of entries costs
nothing. A zip inside the zip (Garmin's export) is opened, one level deep.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from programs.activities.parsing import (
    MAX_FILE_BYTES,
    Failed,
    Skipped,
    gunzip,
    megabytes,
)
from programs.activities.reading import Problem, Unreadable

MAX_ARCHIVE_FILES = 2000
MAX_ARCHIVE_BYTES = 500 * 1024 * 1024
# An honest entry in a zip's central directory is 46 bytes plus its name (and a few
# dozen bytes of extra fields): 1 KB each is generous.
_DIRECTORY_BYTES_PER_FILE = 1024
_ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")
_END_RECORD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END_RECORD = b"PK\x06\x06"
_DRIVE = re.compile(r"^[A-Za-z]:")

type ArchiveItem = tuple[str, bytes | Skipped | Failed]


class ArchiveError(Exception):
    """The archive as a whole can't be read; ``reason`` says why, for the athlete."""

    def __init__(self, code: Problem, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def is_archive(data: bytes) -> bool:
    return data.startswith((b"PK\x03\x04", _END_RECORD))


@dataclass
class _Budget:
    files: int
    bytes: int
    spent: bool = False


def iter_archive(data: bytes) -> Iterator[ArchiveItem]:
    """Check the archive (raising ``ArchiveError``), then yield its entries one by one."""
    budget = _Budget(files=MAX_ARCHIVE_FILES, bytes=MAX_ARCHIVE_BYTES)
    try:
        archive = _open(data, budget)
    except Unreadable as problem:
        raise ArchiveError(problem.code, problem.reason) from problem
    declared = sum(
        info.file_size for info in archive.infolist() if _kind(info.filename) == "activity"
    )
    if declared > MAX_ARCHIVE_BYTES:
        raise ArchiveError(
            Problem.ARCHIVE_LIMIT,
            f"The zip's activity files come to {megabytes(declared)}; the limit is "
            f"{megabytes(MAX_ARCHIVE_BYTES)}. Split it into smaller zips.",
        )
    return _entries(archive, budget, prefix="", depth=0)


def _open(data: bytes, budget: _Budget) -> zipfile.ZipFile:
    count, directory = _directory(data)
    if count > budget.files or directory > budget.files * _DIRECTORY_BYTES_PER_FILE:
        raise _too_many(count)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise Unreadable(
            Problem.BAD_ARCHIVE, "The zip file is damaged or isn't a zip file."
        ) from error
    count = len(archive.infolist())
    if count > budget.files:
        raise _too_many(count)
    budget.files -= count
    return archive


def _too_many(count: int) -> Unreadable:
    return Unreadable(
        Problem.ARCHIVE_LIMIT,
        f"The zip holds {count:,} files; the limit is {MAX_ARCHIVE_FILES:,}. "
        "Split it into smaller zips.",
    )


def _directory(data: bytes) -> tuple[int, int]:
    """The entry count and central directory size the end record declares ((0, 0) when
    there is none: zipfile then says the archive is damaged)."""
    start = data.rfind(_END_RECORD, max(0, len(data) - 22 - 0xFFFF))
    if start < 0 or len(data) - start < 22:
        return 0, 0
    count = int.from_bytes(data[start + 10 : start + 12], "little")
    size = int.from_bytes(data[start + 12 : start + 16], "little")
    locator = start - 20
    if (count == 0xFFFF or size == 0xFFFFFFFF) and data[locator : locator + 4] == _ZIP64_LOCATOR:
        record = int.from_bytes(data[locator + 8 : locator + 16], "little")
        if data[record : record + 4] == _ZIP64_END_RECORD:
            count = int.from_bytes(data[record + 32 : record + 40], "little")
            size = int.from_bytes(data[record + 40 : record + 48], "little")
    return count, size


def _kind(name: str) -> str | None:
    lowered = name.lower()
    if lowered.endswith(_ACTIVITY_SUFFIXES):
        return "activity"
    if lowered.endswith(tuple(suffix + ".gz" for suffix in _ACTIVITY_SUFFIXES)):
        return "gzip"
    if lowered.endswith(".zip"):
        return "zip"
    return None


def _unsafe(name: str) -> bool:
    path = name.replace("\\", "/")
    return path.startswith("/") or bool(_DRIVE.match(path)) or ".." in path.split("/")


def _skip_reason(name: str) -> str | None:
    parts = name.replace("\\", "/").split("/")
    if "__MACOSX" in parts:
        return "macOS metadata, not an activity."
    if parts[-1].startswith("."):
        return "A hidden system file, not an activity."
    if _kind(name) is None:
        suffix = PurePosixPath(parts[-1]).suffix.lower()
        named = f"a {suffix} file" if suffix else "a file without an extension"
        return f"Not an activity file ({named})."
    return None


def _entries(
    archive: zipfile.ZipFile, budget: _Budget, *, prefix: str, depth: int
) -> Iterator[ArchiveItem]:
    with archive:
        for info in archive.infolist():
            name = prefix + info.filename
            if info.is_dir():
                yield name, Skipped(Problem.NOT_AN_ACTIVITY, "A folder.")
            elif _unsafe(info.filename):
                yield (
                    name,
                    Failed(
                        Problem.UNSAFE_PATH,
                        "The file's path leaves the zip's folder (.. or an absolute path); "
                        "it was not read.",
                    ),
                )
            elif reason := _skip_reason(info.filename):
                yield name, Skipped(Problem.NOT_AN_ACTIVITY, reason)
            elif _kind(info.filename) == "zip":
                yield from _inner_zip(archive, info, budget, name=name, depth=depth)
            else:
                yield name, _activity(archive, info, budget)


def _activity(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> bytes | Failed:
    try:
        content = _read(archive, info, limit=MAX_FILE_BYTES, budget=budget)
        if _kind(info.filename) == "gzip":
            content = gunzip(content, limit=MAX_FILE_BYTES)
        _spend(budget, len(content))
    except Unreadable as problem:
        return Failed(problem.code, problem.reason)
    return content


def _inner_zip(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget, *, name: str, depth: int
) -> Iterator[ArchiveItem]:
    if depth >= 1:
        yield (
            name,
            Skipped(Problem.NOT_AN_ACTIVITY, "A zip inside a zip inside a zip: unzip it first."),
        )
        return
    try:
        content = _read(archive, info, limit=MAX_ARCHIVE_BYTES, budget=budget)
        inner = _open(content, budget)
    except Unreadable as problem:
        yield name, Failed(problem.code, problem.reason)
        return
    yield from _entries(inner, budget, prefix=name + "/", depth=depth + 1)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int, budget: _Budget) -> bytes:
    if budget.spent:
        raise _over_budget()
    if info.flag_bits & 0x1:
        raise Unreadable(
            Problem.BAD_ARCHIVE,
            "The file is encrypted in the zip; zip it again without a password.",
        )
    if info.file_size > limit:
        raise _too_large(limit, size=info.file_size)
    try:
        with archive.open(info) as stream:
            # zipfile stops at the declared size and then checks the CRC, so a bomb that
            # understates its size fails there; the cap keeps the guarantee here too.
            content = stream.read(limit + 1)
    # zipfile reports a bad CRC or stored size as BadZipFile, an unsupported method as
    # NotImplementedError, a damaged deflate stream as zlib.error or EOFError.
    except (zipfile.BadZipFile, NotImplementedError, zlib.error, EOFError, OSError) as error:
        raise Unreadable(
            Problem.DAMAGED, "The file is damaged inside the zip and couldn't be unpacked."
        ) from error
    if len(content) > limit:
        raise _too_large(limit)
    return content


def _spend(budget: _Budget, size: int) -> None:
    if size > budget.bytes:
        budget.spent = True
        raise _over_budget()
    budget.bytes -= size


def _over_budget() -> Unreadable:
    return Unreadable(
        Problem.ARCHIVE_LIMIT,
        f"Not read: the zip's files unpack to more than {megabytes(MAX_ARCHIVE_BYTES)} "
        "in all. Split it into smaller zips.",
    )


def _too_large(limit: int, *, size: int | None = None) -> Unreadable:
    """``size`` is the zip's declared size; without it, reading passed the limit."""
    unpacked = megabytes(size) if size else f"more than {megabytes(limit)}"
    return Unreadable(
        Problem.TOO_LARGE,
        f"The file unpacks to {unpacked}; the limit is {megabytes(limit)} per file.",
    )


def entry_count(data: bytes) -> int:
    """How many entries the archive declares (folders included, zips inside it counted as
    one), capped at the limit: a first estimate of an import's length, read from the end
    record without opening the archive."""
    count, _ = _directory(data)
    return max(1, min(count, MAX_ARCHIVE_FILES))
