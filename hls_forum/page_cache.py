"""Whole pages rendered once for everyone who would see exactly the same page (issue 8).

A national deployment serves the same learning log, search or forum page to many people
who may all see exactly the same rows. Rendering such a page costs 10-30 ms of CPU in
Django's templates; serving it from the shared cache costs well under one. A page is cached
under a key made of **everything that decides what it shows**:

- the template, the full path with its query string, and whether htmx asked for a part;
- whether the reader is signed in and is staff (the header's links differ);
- the reader's *scope*: what the view says decides which rows this reader may see (for the
  learning log, their organisations, whether they cover the place as a commissioner and
  whether they are in its partnership). Two readers with equal scopes may see the same rows;
- the current **generation** of every kind of data the page shows (``generation_key``). A
  write that changes any of it starts a new generation (``data_changed``: at once, so no
  page is cached meanwhile for the old one, and again after commit, so a page rendered
  from the database as it was before the commit is never found again). Generations are
  random, not counters, so one forgotten by the cache cannot meet an old page again.

What differs per response, the CSRF token and the Content-Security-Policy nonce, is
rendered as secret marks (derived from ``SECRET_KEY``, so nobody can write one into an
entry to have someone's token shown elsewhere) and filled in for each response. A page with
messages waiting, or a request when the cache is unavailable, is rendered as usual.
Pages live ``PAGE_CACHE_SECONDS`` (setting, 300) at most, as a safety net for changes made
outside the ORM (0 turns the page cache off: every page is rendered, as the benchmark's
``--render-every-time`` measures), and
every page's key also holds the generation ``EVERY_PAGE``, renewed after every ``migrate``
(so a deployment never serves a page rendered by the templates it replaced).
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property

# Longer than any page lives, so a page is never kept past its generation's memory.
_GENERATION_SECONDS = 24 * 60 * 60

EVERY_PAGE = "pages"

Built = tuple[dict[str, Any], int]


def generation_key(name: str) -> str:
    return f"generation:{name}"


def data_changed(*names: str) -> None:
    """Start new generations for ``names``: every cached page that showed that data is
    gone for good. Call from inside the writing transaction (or outside one)."""
    keys = [generation_key(name) for name in names]

    def renew() -> None:
        with contextlib.suppress(Exception):  # no cache: nothing is served from it either
            cache.set_many({key: secrets.token_hex(8) for key in keys}, _GENERATION_SECONDS)

    renew()
    transaction.on_commit(renew)


def every_page_changed(**kwargs: Any) -> None:
    """A ``post_migrate`` receiver: new code may render every page differently."""
    data_changed(EVERY_PAGE)


def current_generations(names: Iterable[str]) -> list[str]:
    """The generations of ``names``, starting any that the cache does not hold."""
    keys = sorted({generation_key(name) for name in names})
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, secrets.token_hex(8), _GENERATION_SECONDS)
            found[key] = cache.get(key)
    return [f"{key}={found[key]}" for key in keys]


class _Marks:
    @cached_property
    def csrf(self) -> str:
        return "csrf-" + salted_hmac("page-cache-csrf-mark", "mark").hexdigest()[:32]

    @cached_property
    def nonce(self) -> str:
        return "nonce-" + salted_hmac("page-cache-nonce-mark", "mark").hexdigest()[:32]


MARKS = _Marks()


def _has_messages(request: HttpRequest) -> bool:
    # Counting reads what is stored without marking it shown.
    return len(get_messages(request)) > 0


def _page_key(request: HttpRequest, template_name: str, scope: str, generations: list[str]) -> str:
    user: Any = request.user
    parts = [
        template_name,
        request.get_full_path(),
        f"htmx={bool(getattr(request, 'htmx', False))}",
        f"user={user.is_authenticated}-{bool(getattr(user, 'is_staff', False))}",
        f"scope={scope}",
        *generations,
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def render_shared(
    request: HttpRequest,
    template_name: str,
    *,
    scope: str,
    generations: Iterable[str],
    build: Callable[[], Built],
    seconds: int | None = None,
) -> HttpResponse:
    """``template_name`` rendered with the context ``build()`` returns, or the same page as
    already rendered for this path, ``scope`` and data generations.

    ``build`` runs only when the page is rendered; it returns ``(context, status)``. Read
    nothing the page shows before calling this (the generations are read first)."""
    lifetime = min(seconds or settings.PAGE_CACHE_SECONDS, settings.PAGE_CACHE_SECONDS)
    if lifetime <= 0 or _has_messages(request):
        context, status = build()
        return render(request, template_name, context, status=status)
    try:
        names = [EVERY_PAGE, *generations]
        key = _page_key(request, template_name, scope, current_generations(names))
        cached = cache.get(key)
    except Exception:  # the cache is down: render from the database, as without it
        context, status = build()
        return render(request, template_name, context, status=status)
    html: str
    if cached is None:
        context, status = build()
        marked = {**context, "csrf_token": MARKS.csrf, "CSP_NONCE": MARKS.nonce}
        html = str(render_to_string(template_name, marked, request))
        with contextlib.suppress(Exception):
            cache.set(key, (status, html), lifetime)
    else:
        status, html = cached
    html = html.replace(MARKS.csrf, get_token(request))
    if MARKS.nonce in html:
        html = html.replace(MARKS.nonce, str(getattr(request, "csp_nonce", "")))
    return HttpResponse(html, status=status)
