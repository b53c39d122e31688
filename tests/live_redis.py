"""The Redis the tests that need one use: REDIS_URL, or one on 127.0.0.1:6379 (database 5).
Without one they are skipped, except in CI, which starts Redis and must run them."""

import os

import pytest
import redis

TEST_REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/5"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_redis(what: str) -> str:
    """The test Redis's URL; the test skipped (failed in CI) when none answers. ``what``
    names the tests in the message."""
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if IN_CI:
            pytest.fail(f"CI must run {what}, but no Redis answers at {TEST_REDIS_URL}: {error}")
        pytest.skip(
            f"No Redis answers at {TEST_REDIS_URL} ({error}); set REDIS_URL or start "
            f"redis-server to run {what} (CI runs them)"
        )
    return TEST_REDIS_URL
