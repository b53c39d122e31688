"""RunStrong settings: one module, driven by environment variables.

Development (``make run``) sets ``DJANGO_DEBUG=1``. Production leaves debug off and must
provide ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` and, usually, ``DATABASE_URL``.
The README lists every variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def load_env_file(path: Path) -> None:
    """Local development only: ``KEY=VALUE`` lines from a git-ignored ``.env`` (which
    ``make setup`` writes with DJANGO_DEBUG=1), never overriding the real environment.
    Production has no such file and sets its environment itself."""
    if not path.is_file():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            os.environ.setdefault(key.strip(), value.strip())


load_env_file(BASE_DIR / ".env")

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no), not {raw!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. Generate one with: "
            'python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "athletes",
    "library",
    "programs",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PrivateCacheMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "athletes.context_processors.roles",
                "programs.notifications.context_processors.coach_unread",
            ],
        },
    },
]
# Context that changes without any cached page's version: part of every cached page's key
# (config/pagecache.py).
PAGECACHE_VARY_CONTEXT = ["programs.notifications.context_processors.coach_unread"]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a health check that waits on no round trip while the kept
    # connection is idle and the server has said nothing, and the set-log POST's
    # statements prepared (config/postgresql/base.py). Behind a pooler in transaction
    # mode that cannot keep prepared statements, DJANGO_DB_PREPARED_STATEMENTS=0.
    DATABASES["default"]["ENGINE"] = "config.postgresql"
    DATABASES["default"].setdefault("OPTIONS", {})["prepared_statements"] = env_bool(
        "DJANGO_DB_PREPARED_STATEMENTS", default=True
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, with the processes' write transactions queued on a file lock
    # rather than on SQLite's busy handler, which wakes late (config/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "config.sqlite"
    # Connections are kept (DJANGO_CONN_MAX_AGE, as on PostgreSQL): a new one costs each
    # request the file's opening, the pragmas and the schema read again.
    # WAL: pages read while a set is written, and a commit is one append and one fsync
    # of the log rather than a journal made, synced and deleted. synchronous stays FULL:
    # a set the phone was told is stored survives a power cut.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks (e-mails now, imports later) and the cache. Without REDIS_URL both stay
# inside what the app already has: tasks queue in the database, for `manage.py db_worker`,
# and each process caches in its own memory. With REDIS_URL (redis://host:6379/0) tasks
# queue in Redis for `manage.py rqworker`, on as many machines as needed, and every process
# shares one cache there.
#
# "versions" holds the cached pages' version tokens (config/pagecache.py), which every
# process must see alike: a write handled by one process moves on what all of them serve.
# Without Redis they are small files in CACHE_DIR, shared by the processes of one machine
# (gunicorn's workers); the pages themselves stay in each process's memory, filed under
# those versions, so a process never serves a page older than the shared version.
#
# Sessions are read from the "sessions" cache and written through to the database, which
# stays the record (cached_db): no session query on a page. That cache too is one every
# process shares, so a session signed out in one process is gone for all of them.
CACHE_DIR = Path(os.environ.get("DJANGO_CACHE_DIR") or BASE_DIR / ".cache")
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "config.rq_backend.RQBackend", "QUEUES": ["default"]}}
    # Django's Redis cache, with one change (config/rediscache.py).
    CACHES = {
        "default": {
            "BACKEND": "config.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
        },
        "versions": {
            "BACKEND": "config.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "versions",
        },
        "sessions": {
            "BACKEND": "config.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sessions",
        },
    }
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    CACHES = {
        # Each process's own memory, least recently used out first. Django's default of
        # 300 entries is less than one squad: a roster of 500 athletes (a row each) built
        # most rows again on every change. 3,000 entries hold a few squads and their
        # athletes' pages: tens of MB per process at most. Beyond, Redis.
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_CACHE_MAX_ENTRIES", 3000)},
        },
        # Culling only costs rebuilds (a lost token is replaced by a new one) or a
        # session read from the database.
        "versions": {
            "BACKEND": "config.filecache.FileCache",
            "LOCATION": CACHE_DIR / "versions",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
        "sessions": {
            "BACKEND": "config.filecache.FileCache",
            "LOCATION": CACHE_DIR / "sessions",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }

AUTH_USER_MODEL = "athletes.User"
# UserBackend loads the athlete profile with the user (no query per page for the role
# menus). ModelBackend stays listed for sessions signed in before it, so that nobody (a
# phone in a gym with sets waiting to sync) is signed out by the deploy; it can go once
# those sessions have expired (SESSION_COOKIE_AGE after the deploy). Until then a wrong
# password is checked by both, twice the hashing of a failed sign-in.
AUTHENTICATION_BACKENDS = [
    "athletes.backends.UserBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# Failed sign-ins: after this many in the window, the account (by email) or the
# client address is refused until the window has passed.
LOGIN_THROTTLE_WINDOW_SECONDS = env_int("RUNSTRONG_LOGIN_THROTTLE_WINDOW", 15 * 60)
LOGIN_THROTTLE_PER_ACCOUNT = env_int("RUNSTRONG_LOGIN_THROTTLE_PER_ACCOUNT", 5)
LOGIN_THROTTLE_PER_ADDRESS = env_int("RUNSTRONG_LOGIN_THROTTLE_PER_ADDRESS", 20)

# How many reverse proxies in front of the app append to X-Forwarded-For (0: none).
RUNSTRONG_TRUSTED_PROXIES = env_int("RUNSTRONG_TRUSTED_PROXIES", 0)

INVITATION_VALID_DAYS = 14

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (exercise demonstrations). Served by runserver under DEBUG (config/urls.py); in
# production by the web server or a storage backend in front of MEDIA_URL.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_BACKEND_PATH = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else SMTP_BACKEND,
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": {
            "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
            "port": env_int("DJANGO_EMAIL_PORT", 25),
            "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
            "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", default=False),
        }
        if EMAIL_BACKEND_PATH == SMTP_BACKEND
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "RunStrong <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Content Security Policy, in every mode so development shows what production blocks:
# scripts only from our origin or with the request's nonce, no inline styles at all.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
    },
}
