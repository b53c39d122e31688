"""Settings come from the environment; production refuses to start without a secret."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-long-random-production-key-0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a",
    "DJANGO_ALLOWED_HOSTS": "runstrong.example.com",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    code = "import sys; from django.core.management import execute_from_command_line; "
    code += f"execute_from_command_line(['manage.py', *{list(args)!r}])"
    return run(code, **env)


def test_missing_secret_key_with_debug_off_fails_with_a_clear_message():
    result = run("import django; django.setup()", DJANGO_DEBUG="false")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off" in result.stderr


def test_debug_on_runs_without_a_secret_key():
    result = run(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.ALLOWED_HOSTS)",
        DJANGO_DEBUG="1",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True ['localhost', '127.0.0.1', '[::1]']"


def test_a_misspelt_boolean_is_refused():
    result = run("import django; django.setup()", DJANGO_DEBUG="maybe")

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_database_url_switches_to_postgresql_with_persistent_checked_connections():
    result = run(
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'], d['CONN_MAX_AGE'], "
        "d['CONN_HEALTH_CHECKS'])",
        **{**PRODUCTION, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/runstrong"},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "config.postgresql",
        "runstrong",
        "127.0.0.1",
        "5432",
        "600",
        "True",
    ]


@pytest.mark.parametrize(("value", "prepared"), [(None, "True"), ("0", "False")])
def test_postgresql_prepares_statements_unless_a_pooler_needs_them_off(value, prepared):
    env = {**PRODUCTION, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/runstrong"}
    if value is not None:
        env["DJANGO_DB_PREPARED_STATEMENTS"] = value

    result = run(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['prepared_statements'])",
        **env,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == prepared


def test_default_database_is_sqlite_in_the_project():
    result = run(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'])",
        DJANGO_DEBUG="1",
    )

    assert result.returncode == 0, result.stderr
    engine, name = result.stdout.split()
    assert engine == "config.sqlite"
    assert name == str(ROOT / "db.sqlite3")


def test_sqlite_writes_ahead_to_a_log_and_syncs_every_commit(tmp_path):
    result = run(
        "import django; django.setup(); from django.db import connection; "
        "cursor = connection.cursor(); "
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0], "
        "cursor.execute('PRAGMA synchronous').fetchone()[0])",
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'wal.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "2"]  # 2: FULL


WRITER_LOCK = """
import fcntl, os, django
django.setup()
from django.db import connection, transaction

def lock_state():
    probe = os.open(connection.settings_dict["NAME"] + "-writer.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return "free"
    except BlockingIOError:
        return "held"
    finally:
        os.close(probe)

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE sets (reps integer)")
states = [lock_state()]
with transaction.atomic():
    connection.cursor().execute("INSERT INTO sets VALUES (5)")
    states.append(lock_state())
states.append(lock_state())
try:
    with transaction.atomic():
        connection.cursor().execute("INSERT INTO sets VALUES (6)")
        states.append(lock_state())
        raise RuntimeError
except RuntimeError:
    pass
states.append(lock_state())
connection.cursor().execute("INSERT INTO sets VALUES (7)")  # autocommit: no lock taken
states.append(lock_state())
rows = connection.cursor().execute("SELECT reps FROM sets ORDER BY reps").fetchall()
print(*states, *[r for (r,) in rows], connection.settings_dict["CONN_MAX_AGE"])
"""


def test_sqlite_write_transactions_queue_on_a_file_lock_held_until_they_end(tmp_path):
    """Another process's transaction (here a second descriptor, which flock treats alike)
    waits for the lock from the BEGIN until the commit or the rollback, and is woken by
    the kernel at once rather than by SQLite's polling. Connections are kept."""
    result = run(WRITER_LOCK, DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'w.sqlite3'}")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "free", "held", "free", "held", "free", "free", "5", "7", "600"
    ]  # fmt: skip


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


TASKS_AND_CACHE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.TASKS['default']['BACKEND'], s.CACHES['default']['BACKEND'], "
    "s.CACHES['default'].get('LOCATION', '-'), getattr(s, 'RQ_QUEUES', {}), "
    "'django_tasks_db' in s.INSTALLED_APPS, 'django_rq' in s.INSTALLED_APPS, "
    "s.SESSION_ENGINE.rsplit('.', 1)[1], s.CACHES[s.SESSION_CACHE_ALIAS]['BACKEND'])"
)


def test_without_redis_tasks_queue_in_the_database_and_pages_are_cached_in_memory():
    result = run(TASKS_AND_CACHE, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django_tasks_db.DatabaseBackend",
        "django.core.cache.backends.locmem.LocMemCache",
        "-",
        "{}",
        "True",
        "False",
        "cached_db",
        "config.filecache.FileCache",
    ]


def test_redis_url_switches_tasks_cache_and_sessions_to_redis():
    url = "redis://cache.internal:6379/2"

    result = run(TASKS_AND_CACHE, **PRODUCTION, REDIS_URL=url)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "config.rq_backend.RQBackend config.rediscache.RedisCache "
        f"{url} {{'default': {{'URL': '{url}'}}}} True True cached_db "
        "config.rediscache.RedisCache"
    )


def test_production_settings_with_redis_pass_check_deploy_without_warnings():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, REDIS_URL="redis://r:6379/0"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_secure_cookies_hsts_and_ssl_redirect():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000)"
    )
    on = run(code, **PRODUCTION)
    behind_proxy = run(code, **PRODUCTION, DJANGO_SECURE_SSL_REDIRECT="false")

    assert on.stdout.split() == ["True", "True", "True", "True"], on.stderr
    assert behind_proxy.stdout.split() == ["True", "True", "False", "True"], behind_proxy.stderr


@pytest.mark.parametrize(
    "value", ["a.example.com,b.example.com", " a.example.com , b.example.com "]
)
def test_allowed_hosts_and_trusted_origins_are_comma_separated(value):
    result = run(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS)",
        **{
            **PRODUCTION,
            "DJANGO_ALLOWED_HOSTS": value,
            "DJANGO_CSRF_TRUSTED_ORIGINS": "https://a.example.com",
        },
    )

    assert result.stdout.strip() == (
        "['a.example.com', 'b.example.com'] ['https://a.example.com']"
    ), result.stderr


def test_a_local_env_file_fills_in_but_never_overrides_the_environment(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("# local\nRUNSTRONG_SAMPLE_A=from-file\nRUNSTRONG_SAMPLE_B = from-file\n")
    code = (
        "import os; from pathlib import Path; from config.settings import load_env_file; "
        f"load_env_file(Path({str(env_file)!r})); "
        "print(os.environ['RUNSTRONG_SAMPLE_A'], os.environ['RUNSTRONG_SAMPLE_B'])"
    )

    result = run(code, DJANGO_DEBUG="1", RUNSTRONG_SAMPLE_B="from-environment")

    assert result.stdout.split() == ["from-file", "from-environment"], result.stderr


def test_the_memory_cache_holds_more_than_a_squad_and_can_be_sized():
    """Django's default of 300 entries is less than a 500-athlete roster's rows."""
    code = (
        "import django; django.setup(); from django.core.cache import cache; "
        "print(cache._max_entries)"
    )
    default = run(code, DJANGO_DEBUG="1")
    sized = run(code, DJANGO_DEBUG="1", DJANGO_CACHE_MAX_ENTRIES="500")

    assert default.returncode == 0, default.stderr
    assert (default.stdout.strip(), sized.stdout.strip()) == ("3000", "500")
