from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
@login_not_required
def hello(request: HttpRequest) -> HttpResponse:
    """The yardstick: a bare Django view behind the app's whole middleware stack."""
    return HttpResponse("Hello, world", content_type="text/plain")
