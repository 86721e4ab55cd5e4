"""Small helpers for views."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` address posted or in the query string if it is a path on this site,
    else ``default``: a link from elsewhere cannot send a person off-site, and the answer
    is always a path (``redirect()`` would read a bare word as the name of a view)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
