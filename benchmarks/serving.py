"""What the benchmarks that serve the app for real share: a fresh database, a free port,
gunicorn started and waited for, and Lua string literals for wrk's scripts.

Importing this module sets nothing and loads no Django: each script chooses its settings
before it calls database_create(), the one function here that needs them.
"""

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

STARTUP_S = 30


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Lua string for these values


def database_create(tmp: Path, *, sqlite_name: str = "runstrong.sqlite3") -> tuple[str, str]:
    """A fresh, migrated test database: (the URL the server uses, the name to restore
    with ``destroy_test_db``). On SQLite a file ``sqlite_name`` in ``tmp``; on PostgreSQL
    ``test_<name>`` on DATABASE_URL's server."""
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(tmp / sqlite_name)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}", old_name
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}")), old_name


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthz_answers(port: int) -> bool:
    """GET /healthz on 127.0.0.1:port answers 200."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def gunicorn_start(
    port: int,
    *,
    env: dict[str, str],
    workers: int,
    log: Path | None,
    ready: Callable[[subprocess.Popen], bool] | None = None,
) -> subprocess.Popen:
    """gunicorn serving config.wsgi with ``workers`` sync workers on 127.0.0.1:port, its
    output appended to ``log`` (None: to ours), once ``ready(server)`` holds (None: once
    /healthz answers 200). SystemExit if it exits or is not ready within STARTUP_S."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--workers={workers}",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    with log.open("ab") if log else contextlib.nullcontext() as out:
        # The child holds its own copy of the log's descriptor; ours closes at once.
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            command, env=env, stdout=out, stderr=subprocess.STDOUT if out else None
        )
    is_ready = ready or (lambda _server: healthz_answers(port))
    see = f"; see {log}" if log else ""
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if is_ready(server):
            return server
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited while starting (status {server.returncode}){see}")
        time.sleep(0.1)
    server.terminate()
    server.wait(timeout=30)
    waited_for = "was not ready" if ready else "did not answer /healthz"
    raise SystemExit(f"gunicorn {waited_for} within {STARTUP_S} s{see}")
