"""Django's file cache for what the processes of one machine share without Redis (the
pages' version tokens, the sessions), culled now and then, and written in place.

Two changes to ``FileBasedCache``, both measured on the set-log POST, which moves two
version tokens on per set logged:

- Its ``set`` lists the whole directory to count its files before each write, which costs
  time in proportion to the athletes, blocks and sessions on the machine. Here one write
  in ``CULL_EVERY`` does it: the directory may pass ``MAX_ENTRIES`` by a few writes, which
  costs nothing.
- Its ``set`` writes a temporary file and renames it over the entry. On ext4 a rename over
  a file (like a truncation to nothing) starts the new file's writeback at once, so that
  a crash leaves no empty file: 0.3–0.7 ms a write here, where writing 60 bytes over the
  old ones costs 7 µs. A cache needs no such care. Here an entry is one file for good,
  written over in place under an exclusive ``flock``; readers hold a shared one, so none
  sees a write half done. A file just made and not yet written reads as a miss.
"""

import os
import pickle
import random
import zlib

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

CULL_EVERY = 100


class FileCache(FileBasedCache):
    def get(self, key, default=None, version=None):
        try:
            with open(self._key_to_file(key, version), "rb") as f:
                locks.lock(f, locks.LOCK_SH)
                if not self._is_expired(f):
                    # Our own entries, in a directory only this app writes to.
                    return pickle.loads(zlib.decompress(f.read()))  # noqa: S301
        except FileNotFoundError:
            pass
        return default

    def has_key(self, key, version=None) -> bool:
        try:
            with open(self._key_to_file(key, version), "rb") as f:
                locks.lock(f, locks.LOCK_SH)
                return not self._is_expired(f)
        except FileNotFoundError:
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        self._createdir()  # the directory may be removed at any time
        self._cull()
        content = pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol)
        content += zlib.compress(pickle.dumps(value, self.pickle_protocol))
        descriptor = os.open(self._key_to_file(key, version), os.O_RDWR | os.O_CREAT, 0o600)
        with open(descriptor, "r+b") as f:
            locks.lock(f, locks.LOCK_EX)
            f.write(content)
            f.truncate()  # shorter than the old entry: cut the old one's tail

    def _is_expired(self, f) -> bool:
        if os.fstat(f.fileno()).st_size == 0:
            return True  # made by a writer that has not written yet: a miss, not stale
        return super()._is_expired(f)

    def _cull(self) -> None:
        if random.randrange(CULL_EVERY) == 0:  # noqa: S311 (not for security)
            super()._cull()
