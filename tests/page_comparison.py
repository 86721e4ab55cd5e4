"""Rendering a page with every cache bypassed, and comparing it with the page as served.

"Caches off" means: the same request, from the same signed-in client, answered by a process
whose cache is Django's ``DummyCache`` (it never holds anything, so every fragment,
signed-in person and session is read from the database). Nothing the "off" render does is
stored in the real cache, so the next "on" request still meets whatever earlier requests
left there.

What differs in every response by design is taken out before comparing: the CSRF token
(masked afresh for each response), the Content-Security-Policy nonce and the live page's
countdown (seconds left at the moment of the response).
"""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.test import override_settings

DUMMY_CACHE = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


@contextlib.contextmanager
def caches_off() -> Iterator[None]:
    """Requests made inside this block compute everything from the database: every cache
    alias is a ``DummyCache``."""
    no_caches = {alias: DUMMY_CACHE for alias in settings.CACHES}
    with override_settings(CACHES=no_caches):
        yield


_PER_RESPONSE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r'"X-CSRFToken": "[^"]*"'), '"X-CSRFToken": ""'),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r'data-seconds-left="-?\d+"'), 'data-seconds-left=""'),
    (re.compile(r'(<span data-countdown-text class="timer-text">)[^<]*(</span>)'), r"\1\2"),
]


def comparable(response: Any) -> str:
    """The status, the redirect target and the body, less what differs per response."""
    lines = [f"status {response.status_code}"]
    if response.has_header("Location"):
        lines.append(f"location {response['Location']}")
    body = response.content.decode(errors="replace")
    for pattern, replacement in _PER_RESPONSE:
        body = pattern.sub(replacement, body)
    return "\n".join([*lines, body])


def difference(served: str, computed: str, *, context: int = 3, limit: int = 60) -> str:
    """A unified diff from the page computed with caches off to the page as served."""
    diff = list(
        difflib.unified_diff(
            computed.splitlines(),
            served.splitlines(),
            fromfile="computed with every cache off",
            tofile="served with caches on",
            lineterm="",
            n=context,
        )
    )
    if len(diff) > limit:
        diff = [*diff[:limit], f"... ({len(diff) - limit} more lines)"]
    return "\n".join(diff)
