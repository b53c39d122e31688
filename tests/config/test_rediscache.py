"""config/rediscache: Django's Redis cache, with keys kept for good set in one MSET. Needs
a Redis (tests/live_redis.py)."""

import uuid

import pytest
import redis

from config.rediscache import RedisCache
from tests.live_redis import TEST_REDIS_URL, require_redis


@pytest.fixture
def cache():
    """The backend under a prefix of its own, and the Redis behind it, watched."""
    require_redis("the Redis cache tests")
    prefix = f"runstrong-test-{uuid.uuid4().hex[:12]}"
    backend = RedisCache(TEST_REDIS_URL, {"KEY_PREFIX": prefix})
    yield backend
    client = redis.Redis.from_url(TEST_REDIS_URL)
    keys = client.keys(f"{prefix}:*")
    if keys:
        client.delete(*keys)


def commands(backend, run) -> list[str]:
    """The commands ``run()`` sends to Redis through ``backend``."""
    sent = []
    client = backend._cache.get_client(None, write=True)
    pool = client.connection_pool
    connection = pool.get_connection()
    original = connection.send_packed_command

    def watch(command, *args, **kwargs):
        packed = b"".join(bytes(c) for c in (command if isinstance(command, list) else [command]))
        sent.extend(names(packed))
        return original(command, *args, **kwargs)

    connection.send_packed_command = watch
    pool.release(connection)
    try:
        run()
    finally:
        del connection.send_packed_command
    return sent


def names(packed: bytes) -> list[str]:
    """The command names in a packed request: arrays of length-prefixed strings."""
    found, at = [], 0
    while at < len(packed):
        end = packed.index(b"\r\n", at)
        count, at = int(packed[at + 1 : end]), end + 2  # "*<count>"
        for i in range(count):
            end = packed.index(b"\r\n", at)
            length, at = int(packed[at + 1 : end]), end + 2  # "$<length>"
            if i == 0:
                found.append(packed[at : at + length].decode())
            at += length + 2
    return found


def test_keys_kept_for_good_are_set_in_one_mset_and_never_expire(cache):
    sent = commands(cache, lambda: cache.set_many({"a": "token-a", "b": ("t", 1)}, None))

    assert sent == ["MSET"]
    assert cache.get_many(["a", "b"]) == {"a": "token-a", "b": ("t", 1)}
    client = redis.Redis.from_url(TEST_REDIS_URL)
    assert client.ttl(cache.make_key("a")) == -1


def test_keys_with_a_timeout_are_set_with_it_as_django_sets_them(cache):
    sent = commands(cache, lambda: cache.set_many({"a": 1, "b": 2}, 60))

    assert sent == ["MULTI", "MSET", "EXPIRE", "EXPIRE", "EXEC"]
    assert cache.get_many(["a", "b"]) == {"a": 1, "b": 2}
    client = redis.Redis.from_url(TEST_REDIS_URL)
    assert 0 < client.ttl(cache.make_key("a")) <= 60
