"""config/rediscache: Django's Redis cache, with keys kept for good set in one MSET. Needs
a Redis (tests/live_redis.py)."""

import uuid

import pytest
import redis
from django.core.cache.backends import redis as django_redis

from config import rediscache
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


@pytest.mark.parametrize(
    "value",
    [0, 7, -12, 2**70, True, 1.5, "", "a1b2c3", b"\x80raw", (1, "x"), {"k": [None]}],
)
def test_every_value_reads_back_as_it_was_written(cache, value):
    cache.set("value", value, None)
    cache.set_many({"many": value}, None)

    assert cache.get("value") == value
    assert type(cache.get("value")) is type(value)
    assert cache.get_many(["many"]) == {"many": value}


def test_integers_are_stored_bare_and_incremented_in_redis(cache):
    cache.set("count", 41, None)
    client = redis.Redis.from_url(TEST_REDIS_URL)

    assert client.get(cache.make_key("count")) == b"41"
    assert cache.incr("count") == 42
    assert cache.get("count") == 42


def test_a_pickle_is_read_without_first_being_tried_as_an_integer(cache, monkeypatch):
    """Django's serializer tries ``int()`` on every value and catches the error for each
    pickle; ours looks at the first byte."""
    cache.set("token", "a1b2c3", None)

    def refused(data):
        raise AssertionError(f"int({data!r})")

    for module in (django_redis, rediscache):
        monkeypatch.setattr(module, "int", refused, raising=False)

    assert cache.get("token") == "a1b2c3"


def test_keys_memcached_would_refuse_are_used_without_a_warning(cache):
    """Redis takes any key; Django's check (memcached's rules) warns, which the test run
    turns into an error."""
    long_key, spaced = "k" * 300, "a key with spaces"

    cache.set_many({long_key: 1, spaced: 2}, None)

    assert cache.get_many([long_key, spaced]) == {long_key: 1, spaced: 2}
