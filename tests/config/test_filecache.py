"""The file cache the processes of one machine share without Redis (versions, sessions):
culled now and then, not on every write, and still bounded."""

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
