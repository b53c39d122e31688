"""Django's Redis cache, with ``set_many`` of keys kept for good sent as one ``MSET``.

Django sends every ``set_many`` as a transaction (``MULTI``, ``MSET``, an ``EXPIRE`` per
key, ``EXEC``), so that the timeouts land with the values. Keys kept without a timeout
need no ``EXPIRE``, and an ``MSET`` is atomic alone. The version tokens
(config/pagecache.py) are set so on every write, the set-log POST's included: the
transaction's wrapping cost that POST's worker more than the ``MSET`` (issue #17)."""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def set_many(self, data, timeout):
        if timeout is not None:
            return super().set_many(data, timeout)
        values = {key: self._serializer.dumps(value) for key, value in data.items()}
        self.get_client(None, write=True).mset(values)
        return None


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
