"""The page for a request that failed inside the app (``handler500``).

When the database cannot be reached (restarting, failing over, out of connections) the
person gets a clear "try again in a minute" page with status 503 and ``Retry-After``,
and, if they were sending a form, what they typed, so nothing is lost. Any other failure
gets the plain 500 page. Neither page shows a traceback, and neither touches the
database, the session or the signed-in person: rendering them must not fail the same way.
"""

from __future__ import annotations

import sys
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader

# Seconds a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30
# Form fields never echoed back: secrets, and the app's own bookkeeping.
_NOT_ECHOED = ("password", "csrfmiddlewaretoken", "token", "code", "secret", "otp")


def database_unavailable(error: BaseException | None) -> bool:
    """Is ``error`` (or what caused it) a failure to reach or keep the database?

    ``OperationalError`` covers refused and dropped connections, a server shutting down and
    "too many clients"; ``InterfaceError`` a connection already closed under us.
    """
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def _typed(request: HttpRequest) -> list[tuple[str, str]]:
    """What the person sent in a form, minus secrets, to show back to them."""
    if request.method != "POST":
        return []
    try:
        fields = [
            (name, value)
            for name, values in request.POST.lists()
            if not any(word in name.lower() for word in _NOT_ECHOED)
            for value in values
            if value.strip()
        ]
    except Exception:  # the body could not be read or parsed: nothing to show
        return []
    return fields


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """``handler500``: 503 with what the person typed when the database is away, else 500."""
    error = sys.exc_info()[1]
    if database_unavailable(error):
        html = loader.get_template("503.html").render({"typed": _typed(request)})
        response = HttpResponse(html, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = HttpResponseServerError(loader.get_template("500.html").render())
    # Never kept by a browser or proxy: it may echo what was typed, and it is not the page.
    response["Cache-Control"] = "no-store"
    return response
