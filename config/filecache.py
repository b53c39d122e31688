"""Django's file cache for what the processes of one machine share without Redis (the
pages' version tokens, the sessions), culled now and then rather than on every write.

``FileBasedCache.set`` lists the whole directory to count its files before each write, so
every set logged (which moves two tokens on, twice) cost time in proportion to the number
of athletes, blocks and sessions on the machine. Here one write in ``CULL_EVERY`` does it:
the directory may pass ``MAX_ENTRIES`` by a few writes, which costs nothing."""

import random

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 100


class FileCache(FileBasedCache):
    def _cull(self) -> None:
        if random.randrange(CULL_EVERY) == 0:  # noqa: S311 (not for security)
            super()._cull()
