"""The pieces that make Today an installable app that opens without signal: the web app
manifest and the service worker. Both are served from the site's root, because a service
worker only controls pages under the path it is served from."""

import hashlib

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

# What Today needs to open offline, besides the page itself (hashed names in production).
OFFLINE_ASSETS = (
    "bootstrap/css/bootstrap.min.css",
    "css/app.css",
    "django_htmx/htmx-2.min.js",
    "django_htmx/django-htmx.js",
    "bootstrap/js/bootstrap.bundle.min.js",
    "js/app.js",
    "js/today.js",
    "img/icon.svg",
    "img/icon-192.png",
)


@require_GET
@login_not_required
def service_worker(request: HttpRequest) -> HttpResponse:
    assets = [static(path) for path in OFFLINE_ASSETS]
    pages = [reverse("athlete_home")]
    # A new deploy (new hashed names) is a new cache; the old one is dropped on activate.
    version = hashlib.sha256("\n".join(assets + pages).encode()).hexdigest()[:12]
    script = render_to_string(
        "programs/sw.js", {"assets": assets, "pages": pages, "version": version}
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    # Browsers check for a new worker on each visit; never serve them a stale one.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@login_not_required
def manifest(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "name": "RunStrong",
            "short_name": "RunStrong",
            "description": "Strength training for runners: log today's session.",
            "start_url": reverse("athlete_home"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#212529",
            "theme_color": "#212529",
            "icons": [
                {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            ],
        },
        content_type="application/manifest+json",
    )
