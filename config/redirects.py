"""Where to send someone back to after a form: the ``next`` the form carried, when it
points into this site, else a default. A ``next`` to another host is ignored, so a link
crafted elsewhere cannot turn a RunStrong form into a redirect to a lookalike site."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default
