"""The file cache the processes of one machine share without Redis (versions, sessions):
culled now and then, not on every write, and still bounded."""

import multiprocessing
import random
from pathlib import Path

from config.filecache import FileCache


def entries(directory: Path) -> int:
    return len(list(directory.glob("*.djcache")))


def test_writes_stay_readable_and_the_directory_stays_bounded(tmp_path):
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 30}})

    for number in range(3000):
        cache.set(f"key-{number}", number)

    # Culled a third at a time about every 100 writes: around 300 files, not 3,000.
    assert entries(tmp_path) < 1000
    assert cache.get("key-2999") == 2999


def test_a_small_cache_is_never_culled(tmp_path):
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 1000}})

    for number in range(500):
        cache.set(f"key-{number}", number)

    assert entries(tmp_path) == 500
    assert cache.get_many(["key-0", "key-499"]) == {"key-0": 0, "key-499": 499}


def test_an_entry_is_written_over_in_place(tmp_path):
    """No temporary file renamed over the entry (which ext4 makes write back at once)."""
    cache = FileCache(str(tmp_path), {})
    cache.set("token", "a" * 40)
    (path,) = tmp_path.glob("*.djcache")
    inode = path.stat().st_ino

    cache.set("token", "b" * 40)
    cache.set("token", "short")  # a shorter entry leaves nothing of the longer one

    assert cache.get("token") == "short"
    assert path.stat().st_ino == inode
    assert list(tmp_path.iterdir()) == [path]


def test_a_file_not_yet_written_is_a_miss_and_stays(tmp_path):
    cache = FileCache(str(tmp_path), {})
    cache.set("token", "first")
    (path,) = tmp_path.glob("*.djcache")
    path.write_bytes(b"")  # as a writer leaves it between making it and writing

    assert cache.get("token", "missing") == "missing"
    assert not cache.has_key("token")
    assert path.exists()  # the writer's entry is not deleted under it
    assert cache.add("token", "second")
    assert cache.get("token") == "second"


def _entry(number: int) -> tuple[int, bytes]:
    """Entry ``number``: bytes that do not compress, over several pages, in lengths that
    change from one entry to the next."""
    return number, random.Random(number).randbytes(4096 * (1 + number % 8) + number % 97)


def _write_over(directory: str, rounds: int) -> None:
    cache = FileCache(directory, {})
    for number in range(rounds):
        cache.set("token", _entry(number))


def test_readers_never_see_a_write_half_done(tmp_path):
    """Two processes write the entry over and over, while this one reads it: every read
    is a whole entry, never a mix of two, a cut one or an error."""
    cache = FileCache(str(tmp_path), {})
    cache.set("token", _entry(0))
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_write_over, args=(str(tmp_path), 1500)) for _ in range(2)]
    for writer in writers:
        writer.start()
    reads = 0
    while any(writer.is_alive() for writer in writers) or reads < 100:
        number, payload = cache.get("token")
        assert (number, payload) == _entry(number)
        reads += 1
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
