"""Make the current request available to the audit log for changes made deep inside it
(for example a role changed through Django admin), so "who" and "from where" are known."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import audit


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = audit.set_current_request(request)
        try:
            return self.get_response(request)
        finally:
            audit.reset_current_request(token)
