"""Caching what is expensive to build and rarely changes (issue #17), with explicit
invalidation: each cached thing is keyed by the *version* of what it shows, and every write
that changes that data moves the version on.

A version is a random token kept in the cache itself, one per subject (``"athlete", 7``;
``"block", 12``; ``"library", 0``). ``changed()`` replaces the token at once and again when the
write's transaction commits: a request that read a token before the commit stores what it
built under a key nobody asks for once the commit has moved it on.
An evicted token comes back as a new random one, never as an old value, so eviction only
costs a rebuild. Content keys live a day at most (``TIMEOUT``); tokens never expire.

The tokens are in the "versions" cache, which every process shares (Redis with
``REDIS_URL``, else files on the machine); the pages are in the default cache (Redis, or
each process's memory). A process's own copy of a page is used only under the shared
current version, so no process serves a page another has seen change.

``render_cached`` keeps a whole page: it is rendered with a placeholder for the CSRF token,
which is put back per request, so a cached page never carries anyone's token."""

import secrets
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

TIMEOUT = 24 * 60 * 60
CSRF_PLACEHOLDER = "__csrf-token-placeholder__"


def _version_key(kind: str, pk: Hashable) -> str:
    return f"v:{kind}:{pk}"


def _token() -> str:
    return secrets.token_hex(6)


def _tokens():
    """Where the versions are kept: the "versions" cache, shared by every process (see
    settings)."""
    return caches["versions"]


def versions(kind: str, pks: Iterable[Hashable]) -> dict[Hashable, str]:
    """Each subject's current version, in one round trip to the cache; a subject without
    one gets a new one."""
    return {pk: token for (_kind, pk), token in versions_many({kind: pks}).items()}


def versions_many(subjects: Mapping[str, Iterable[Hashable]]) -> dict[tuple[str, Hashable], str]:
    """``versions`` for several kinds at once, keyed by (kind, pk): one round trip."""
    keys = {_version_key(kind, pk): (kind, pk) for kind, pks in subjects.items() for pk in pks}
    found = _tokens().get_many(list(keys))
    missing = {key: _token() for key in keys if key not in found}
    if missing:
        # add, not set: two requests racing to create the first token keep one of them.
        for key, token in missing.items():
            added = _tokens().add(key, token, None)
            found[key] = token if added else (_tokens().get(key) or token)
    return {subject: found[key] for key, subject in keys.items()}


def version(kind: str, pk: Hashable) -> str:
    return versions(kind, [pk])[pk]


def changed(kind: str, pks: Iterable[Hashable]) -> None:
    """Move the subjects' versions on, now and again once the current transaction commits.
    Everything cached under their old versions is out of use from then.

    Now, so that this transaction's own later reads (and a test's, whose transaction never
    commits) miss the cache; again at the commit, because a request that read the version
    in between and the data before the commit may have filed old data under it. Outside
    a transaction the write is committed already, and once is enough."""
    changed_many({kind: pks})


def changed_many(subjects: Mapping[str, Iterable[Hashable]]) -> None:
    """``changed`` for several kinds at once, in one round trip each time."""
    keys = [_version_key(kind, pk) for kind, pks in subjects.items() for pk in set(pks)]
    if not keys:
        return

    def move_on() -> None:
        _tokens().set_many(dict.fromkeys(keys, _token()), None)

    move_on()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(move_on)


def versioned(kind: str, pk: Hashable, build: Callable[[], Any], timeout: int = TIMEOUT) -> Any:
    """``build()`` for one subject, kept beside its version in the shared cache and read
    with it in one round trip: a copy filed under an older version is built again. A
    ``None`` built is not kept."""
    version_key, entry_key = _version_key(kind, pk), f"e:{kind}:{pk}"
    found = _tokens().get_many([version_key, entry_key])
    token = found.get(version_key) or version(kind, pk)  # a new token matches no entry
    entry = found.get(entry_key)
    if entry is not None and entry[0] == token:
        return entry[1]
    value = build()
    if value is not None:
        _tokens().set(entry_key, (token, value), timeout)
    return value


def key(*parts: Any) -> str:
    return ":".join(str(part) for part in parts)


def get_or_build(cache_key: str, build: Callable[[], Any], timeout: int = TIMEOUT) -> Any:
    value = cache.get(cache_key)
    if value is None:
        value = build()
        cache.set(cache_key, value, timeout)
    return value


def _request_values(request: HttpRequest) -> str:
    """What the context processors named in ``PAGECACHE_VARY_CONTEXT`` give this request
    (the coach's unread count in the navbar): part of every page's key, since they change
    without any version."""
    values = []
    for path in getattr(settings, "PAGECACHE_VARY_CONTEXT", ()):
        for name, value in sorted(import_string(path)(request).items()):
            values.append(f"{name}={value() if callable(value) else value}")
    return ",".join(values)


def render_cached(
    request: HttpRequest,
    template: str,
    cache_key: str,
    context: Callable[[], Mapping[str, Any]],
    timeout: int = TIMEOUT,
) -> HttpResponse:
    """``template`` rendered with ``context()``, from the cache under ``cache_key`` when it
    is there. A request with messages waiting is rendered afresh (and not kept): they are
    shown once."""
    if len(get_messages(request)):
        return HttpResponse(render_to_string(template, context(), request=request))
    if varying := _request_values(request):
        cache_key = key(cache_key, varying)

    def build() -> str:
        return render_to_string(
            template, {**context(), "csrf_token": CSRF_PLACEHOLDER}, request=request
        )

    html = get_or_build(cache_key, build, timeout)
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
