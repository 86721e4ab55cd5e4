"""Files browsers and crawlers ask for at the site's root."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Crawlers may read every public page; signed-in pages send them to sign in anyway.
ROBOTS_TXT = "User-agent: *\nDisallow: /admin/\n"


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers that ask for /favicon.ico without reading the page's icon link get it too."""
    return HttpResponseRedirect(static("favicon.ico"))


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")
