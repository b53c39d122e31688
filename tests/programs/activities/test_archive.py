"""Zips of activity files: Strava's and Garmin's export shapes, and crafted ones."""

import gzip
import io
import struct
import zipfile
from pathlib import Path

import pytest

from programs.activities import (
    MAX_ARCHIVE_FILES,
    MAX_FILE_BYTES,
    Activity,
    ArchiveError,
    Failed,
    Problem,
    Skipped,
    is_archive,
    iter_archive,
    read_activity,
)
from programs.activities import archive as archive_module
from tests.programs.activities import documents
from tests.programs.activities.fitwriter import run_fit

REALDATA = Path("/work/shared/realdata/activities")
FIT = run_fit(seconds=120)


def make_zip(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in entries.items():
            if name.endswith("/"):
                archive.writestr(zipfile.ZipInfo(name), b"")
            else:
                archive.writestr(name, content)
    return buffer.getvalue()


def items(data: bytes) -> dict[str, object]:
    return dict(iter_archive(data))


def patch_entry(data: bytes, name: str, *, file_size: int | None = None, flags: int = 0) -> bytes:
    """Rewrite an entry's declared uncompressed size (and set flag bits) in both its local
    header and the central directory, as a crafted zip would."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    local = info.header_offset
    central = next(offset for offset, found in _central_entries(data) if found == name.encode())
    for offset, size_at, flags_at in ((local, 22, 6), (central, 24, 8)):
        if file_size is not None:
            patched[offset + size_at : offset + size_at + 4] = struct.pack("<I", file_size)
        current = struct.unpack("<H", patched[offset + flags_at : offset + flags_at + 2])[0]
        patched[offset + flags_at : offset + flags_at + 2] = struct.pack("<H", current | flags)
    return bytes(patched)


def _central_entries(data: bytes):
    """(offset, name) of each central directory entry, walked from the end record."""
    end = data.rfind(b"PK\x05\x06")
    count, _, offset = struct.unpack("<HII", data[end + 10 : end + 20])
    for _ in range(count):
        name_length, extra_length, comment_length = struct.unpack(
            "<HHH", data[offset + 28 : offset + 34]
        )
        yield offset, data[offset + 46 : offset + 46 + name_length]
        offset += 46 + name_length + extra_length + comment_length


def test_a_zip_of_the_real_files_reads_every_activity():
    files = {path.name: path.read_bytes() for path in sorted(REALDATA.iterdir())}

    found = items(make_zip(files))

    activity_names = [name for name in files if not name.endswith(".csv")]
    assert all(found[name] == files[name] for name in activity_names)
    assert found["fitparse_garmin-fenix-5-run-records.csv"] == Skipped(
        Problem.NOT_AN_ACTIVITY, "Not an activity file (a .csv file)."
    )
    results = {name: read_activity(name, found[name], assume_run=True) for name in activity_names}
    assert sum(isinstance(r, Activity) for r in results.values()) == 9
    assert isinstance(results["fitdecode_garmin-fr935-cr.fit"], Skipped)


def test_a_strava_export():
    gpx = documents.gpx(sport="running")
    data = make_zip(
        {
            "activities/": b"",
            "activities/101.fit.gz": gzip.compress(FIT),
            "activities/102.gpx": gpx,
            "activities/103.tcx.gz": gzip.compress(documents.tcx()),
            "activities.csv": b"Activity ID,Activity Date\n101,2026-03-01\n",
            "media/photo.jpg": b"\xff\xd8\xff",
            "profile.json": b"{}",
            ".DS_Store": b"\0\0\0\1Bud1",
            "__MACOSX/activities/._102.gpx": b"\0\5\x16\7",
            "README": b"export",
        }
    )

    found = items(data)

    assert found["activities/101.fit.gz"] == FIT
    assert found["activities/102.gpx"] == gpx
    assert found["activities/103.tcx.gz"] == documents.tcx()
    assert found["activities/"] == Skipped(Problem.NOT_AN_ACTIVITY, "A folder.")
    assert found["activities.csv"] == Skipped(
        Problem.NOT_AN_ACTIVITY, "Not an activity file (a .csv file)."
    )
    assert found["media/photo.jpg"].reason == "Not an activity file (a .jpg file)."
    assert found["README"].reason == "Not an activity file (a file without an extension)."
    assert found[".DS_Store"].reason == "A hidden system file, not an activity."
    assert found["__MACOSX/activities/._102.gpx"].reason == "macOS metadata, not an activity."
    assert len(found) == 10


def test_a_garmin_export_with_zips_inside():
    inner = make_zip({"1001.fit": FIT, "1002.fit": run_fit(seconds=60)})
    deeper = make_zip({"deep.zip": make_zip({"x.fit": FIT})})
    data = make_zip(
        {
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": inner,
            "DI_CONNECT/nested.zip": deeper,
            "DI_CONNECT/broken.zip": b"PK\x03\x04 not really",
        }
    )

    found = items(data)

    prefix = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip/"
    assert found[prefix + "1001.fit"] == FIT
    assert isinstance(read_activity("1002.fit", found[prefix + "1002.fit"]), Activity)
    assert found["DI_CONNECT/nested.zip/deep.zip"] == Skipped(
        Problem.NOT_AN_ACTIVITY, "A zip inside a zip inside a zip: unzip it first."
    )
    assert found["DI_CONNECT/broken.zip"] == Failed(
        Problem.BAD_ARCHIVE, "The zip file is damaged or isn't a zip file."
    )


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/cron.d/x.fit",
        "/home/abs.fit",
        "C:\\Users\\x.gpx",
        "ok/../../x.tcx",
        "a\\..\\b.fit",
    ],
)
def test_paths_leaving_the_zip_are_refused_and_the_rest_still_read(name):
    found = items(make_zip({name: FIT, "good.fit": FIT}))

    assert found[name] == Failed(
        Problem.UNSAFE_PATH,
        "The file's path leaves the zip's folder (.. or an absolute path); it was not read.",
    )
    assert found["good.fit"] == FIT


def test_too_many_files_refuse_the_whole_zip():
    data = make_zip({f"{n}.gpx": b"" for n in range(MAX_ARCHIVE_FILES + 1)})

    with pytest.raises(ArchiveError) as refused:
        iter_archive(data)

    assert refused.value.code == Problem.ARCHIVE_LIMIT
    assert refused.value.reason == (
        "The zip holds 2,001 files; the limit is 2,000. Split it into smaller zips."
    )


def test_a_directory_that_understates_its_count_is_still_counted():
    data = bytearray(make_zip({f"{n}.gpx": b"" for n in range(MAX_ARCHIVE_FILES + 1)}))
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = struct.pack("<HH", 5, 5)

    with pytest.raises(ArchiveError, match="holds 2,001 files"):
        iter_archive(bytes(data))


def test_a_file_declared_over_the_limit_is_refused_unread():
    big = b"\0" * (30 * 1024 * 1024)

    found = items(make_zip({"huge.gpx": big, "good.fit": FIT}))

    assert MAX_FILE_BYTES == 25 * 1024 * 1024
    assert found["huge.gpx"] == Failed(
        Problem.TOO_LARGE, "The file unpacks to 30.0 MB; the limit is 25.0 MB per file."
    )
    assert found["good.fit"] == FIT


def test_a_bomb_declaring_a_small_size_is_not_unpacked_past_it():
    """The entry inflates to 30 MB but says 1 KB: reading stops at the declared size and
    the checksum catches the lie."""
    data = make_zip({"bomb.gpx": b"\0" * (30 * 1024 * 1024), "good.fit": FIT})
    data = patch_entry(data, "bomb.gpx", file_size=1024)

    found = items(data)

    assert found["bomb.gpx"] == Failed(
        Problem.DAMAGED, "The file is damaged inside the zip and couldn't be unpacked."
    )
    assert found["good.fit"] == FIT


def test_declared_sizes_over_the_total_refuse_the_whole_zip():
    data = make_zip({"a.fit": FIT, "b.fit": FIT, "c.fit": FIT})
    for name in ("a.fit", "b.fit", "c.fit"):
        data = patch_entry(data, name, file_size=200 * 1024 * 1024)

    with pytest.raises(ArchiveError) as refused:
        iter_archive(data)

    assert refused.value.code == Problem.ARCHIVE_LIMIT
    assert "come to 600.0 MB; the limit is 500.0 MB" in refused.value.reason


def test_gzip_inside_is_unpacked_under_the_same_caps():
    bomb = gzip.compress(b"\0" * (MAX_FILE_BYTES + 1))
    data = make_zip(
        {
            "a/bomb.gpx.gz": bomb,
            "a/broken.fit.gz": gzip.compress(FIT)[:-50],
            "a/twice.fit.gz.gz": gzip.compress(gzip.compress(FIT)),
            "a/run.fit.gz": gzip.compress(FIT),
        }
    )

    found = items(data)

    assert len(bomb) < 100_000
    assert found["a/bomb.gpx.gz"] == Failed(
        Problem.TOO_LARGE,
        "The file unpacks to more than 25.0 MB; the limit is 25.0 MB per file.",
    )
    assert found["a/broken.fit.gz"] == Failed(
        Problem.DAMAGED, "The compressed file is damaged or cut short."
    )
    assert found["a/twice.fit.gz.gz"] == Skipped(
        Problem.NOT_AN_ACTIVITY, "Not an activity file (a .gz file)."
    )
    assert found["a/run.fit.gz"] == FIT


def test_the_total_counts_unpacked_bytes(monkeypatch):
    monkeypatch.setattr(archive_module, "MAX_ARCHIVE_BYTES", int(len(FIT) * 1.5))
    data = make_zip({f"{n}.fit.gz": gzip.compress(FIT) for n in range(3)})

    found = list(iter_archive(data))

    assert found[0] == ("0.fit.gz", FIT)
    assert [item.code for _, item in found[1:]] == [Problem.ARCHIVE_LIMIT] * 2


def test_a_damaged_entry_does_not_stop_the_others():
    data = bytearray(make_zip({"bad.fit": FIT, "good.fit": FIT}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        start = archive.getinfo("bad.fit").header_offset + 30 + len("bad.fit")
    data[start + 10 : start + 40] = b"\xff" * 30

    found = items(bytes(data))

    assert found["bad.fit"] == Failed(
        Problem.DAMAGED, "The file is damaged inside the zip and couldn't be unpacked."
    )
    assert found["good.fit"] == FIT


def test_an_encrypted_entry_is_refused():
    data = patch_entry(make_zip({"secret.fit": FIT, "good.fit": FIT}), "secret.fit", flags=0x1)

    found = items(data)

    assert found["secret.fit"] == Failed(
        Problem.BAD_ARCHIVE, "The file is encrypted in the zip; zip it again without a password."
    )
    assert found["good.fit"] == FIT


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04" + b"\0" * 100,
        make_zip({"a.fit": FIT, "b.fit": FIT})[:500],
        b"PK\x05\x06" + b"\0" * 10,
    ],
)
def test_a_corrupt_zip_is_refused_whole(data):
    assert is_archive(data)
    with pytest.raises(ArchiveError) as refused:
        iter_archive(data)

    assert refused.value.code == Problem.BAD_ARCHIVE
    assert refused.value.reason == "The zip file is damaged or isn't a zip file."


def test_stored_and_deflated_entries_read_alike():
    stored = items(make_zip({"run.fit": FIT}, compression=zipfile.ZIP_STORED))
    deflated = items(make_zip({"run.fit": FIT}))

    assert stored == deflated == {"run.fit": FIT}
    assert not is_archive(FIT)
