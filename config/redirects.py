"""Where to send someone back to after a form: the ``next`` the form carried, when it is a
path on this site, else a default. A ``next`` to another host is ignored, so a link
crafted elsewhere cannot turn a RunStrong form into a redirect to a lookalike site; and a
bare word (``abc``, ``-1``) is no path, so it is ignored too rather than looked up as a
URL name."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if is_local_path(request, target):
        return target
    return default


def is_local_path(request: HttpRequest, target: str) -> bool:
    """Whether ``target`` is an absolute path on this site (``/calendar/?at=…``); one with
    a line break or other control character could not go in a Location header."""
    return (
        target.startswith("/")
        and target.isprintable()
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    )
