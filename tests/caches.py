"""Emptying every cache the app uses, as at a test's start: the pages, the versions (and
the users kept beside them) and the sessions."""

from django.core.cache import caches


def clear_caches() -> None:
    for alias in ("default", "versions", "sessions"):
        caches[alias].clear()
