"""The benchmark's yardstick: the lightest page the app can serve."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def ok(request: HttpRequest) -> HttpResponse:
    """Says "ok", through the app's whole middleware stack. Touching ``request.user`` makes
    the signed-in variant pay for its session and user, as every real page does."""
    return HttpResponse(
        "ok" if not request.user.is_authenticated else "ok, signed in", content_type="text/plain"
    )
