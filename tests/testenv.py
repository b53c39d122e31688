"""The test run's environment, loaded as a pytest plugin (``-p tests.testenv`` in
pyproject.toml) so that it is in place before pytest-django reads the settings. The
settings refuse to start with debug off and no secret key, as production should."""

import os
import tempfile

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdef"
)
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The live server's request threads must not keep connections open past a request, or
# PostgreSQL refuses to drop the test database at the end.
os.environ.setdefault("DJANGO_CONN_MAX_AGE", "0")
os.environ.setdefault("DJANGO_STATIC_ROOT", tempfile.mkdtemp(prefix="runstrong-static-"))
# Playwright's sync API runs an event loop in the thread that also touches the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Uploads (exercise demonstrations) go to a directory of the run's own, never the project's.
os.environ.setdefault("DJANGO_MEDIA_ROOT", tempfile.mkdtemp(prefix="runstrong-media-"))
# The cached pages' shared versions (files without Redis): the run's own directory.
os.environ.setdefault("DJANGO_CACHE_DIR", tempfile.mkdtemp(prefix="runstrong-cache-"))
