"""The live session page's poll: "nothing changed" answered before any database work.

Everyone at a live session polls every two seconds (issue 8: the unchanged poll must cost
no more than twice a bare view; at national scale, at least half the requests per second
of an anonymous bare view). So an unchanged poll is answered by
``UnchangedLivePollMiddleware``, placed just after ``SecurityMiddleware``, from one cache
round trip that reads both the person's session and the live session's *change token*.

- The **change token** is a random string kept in the shared cache for each live session.
  Every change to what the live page shows replaces it once the change has committed
  (``live_state_changed``: the services that bump ``Session.version``, and any change to
  the forum's memberships, which decide roles and who may look).
- The **ETag** is an HMAC (keyed by ``SECRET_KEY``) of the person's session key, the live
  session's id and the token. Only the full view hands one out, and only after checking that
  the person belongs to the forum. So a matching ``If-None-Match`` proves that this signed-in
  session was shown this very state, and a 304 tells it nothing it did not already know.

Ordering makes it safe: the view reads the token *before* it reads anything it renders, so
a change that commits during the render replaces the token and the next poll re-renders. If
the cache is unavailable the middleware steps aside and the view works as before, from the
database (the ETag then comes from ``Session.version`` and the person's role).

The middleware also steps aside whenever the full request path has work to do: the session's
lifetime clocks are due an update, multi-factor needs re-checking, the person signed out, or
the session is not in the cache (the full path loads it from the database). With
``SESSION_SAVE_EVERY_REQUEST`` or ``USERSESSIONS_TRACK_ACTIVITY`` on, every request has such
work, so the middleware never answers.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import DEFAULT_CACHE_ALIAS, cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from hls_forum.middleware import (
    MFA_POLICY_RECHECK_SECONDS,
    SESSION_MFA_POLICY,
    SESSION_SEEN_AT,
    SESSION_STARTED_AT,
)

# A quiet live session keeps its token this long; then each poller re-renders once.
TOKEN_SECONDS = 60 * 60
POLL_HEADERS = {"Cache-Control": "private, no-cache", "Vary": "Cookie, HX-Request"}


def _token_key(session_id: int) -> str:
    return f"live-poll-token:{session_id}"


def live_state_changed(session_id: int) -> None:
    """Call wherever the live page's content changes: every ETag handed out for the live
    session stops matching. The token is dropped at once (a poll meanwhile makes a new one,
    which the commit then replaces, so nothing read before the commit keeps its ETag) and
    replaced after commit."""
    key = _token_key(session_id)

    def replace() -> None:
        with contextlib.suppress(Exception):  # no cache: polls are answered from the database
            cache.set(key, secrets.token_hex(8), TOKEN_SECONDS)

    with contextlib.suppress(Exception):
        cache.delete(key)
    transaction.on_commit(replace)


def token_for(session_id: int) -> str | None:
    """The live session's current change token, made if there is none; ``None`` when the
    cache is unavailable. Read it before reading what the page shows."""
    key = _token_key(session_id)
    try:
        token = cache.get(key)
        if token is None:
            fresh = secrets.token_hex(8)
            token = fresh if cache.add(key, fresh, TOKEN_SECONDS) else cache.get(key)
    except Exception:
        return None
    return str(token) if token else None


def poll_etag(session_key: str | None, session_id: int, state: str) -> str:
    """The ETag for one signed-in session seeing one state of a live session. ``state`` is
    the change token, or (without a cache) the version and the person's role."""
    digest = salted_hmac("live-poll", f"{session_key}:{session_id}:{state}").hexdigest()
    return f'"{digest[:32]}"'


def etag_matches(header: str, etag: str) -> bool:
    return any(constant_time_compare(tag.strip(), etag) for tag in header.split(","))


class UnchangedLivePollMiddleware:
    """Answer an unchanged live poll with 304, or step aside for the full request path.

    Placed just after ``SecurityMiddleware`` (which still redirects to HTTPS and adds its
    headers to the 304) and before the session middleware: it reads the session cookie
    itself, so a 304 builds no session object and runs no other middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._prefix: str | None = None
        self._suffix = ""
        self._store: Any = import_module(settings.SESSION_ENGINE).SessionStore
        # The cache and cached_db engines keep a session's data under a known cache key:
        # when that is the token's cache, one MGET reads both.
        self._one_round_trip = (
            hasattr(self._store, "cache_key")
            and settings.SESSION_CACHE_ALIAS == DEFAULT_CACHE_ALIAS
        )
        # Bookkeeping on every request (saving the session, recording where it is used)
        # only the full path does.
        self._enabled = not (
            settings.SESSION_SAVE_EVERY_REQUEST
            or getattr(settings, "USERSESSIONS_TRACK_ACTIVITY", False)
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and self._enabled:
            header = request.META.get("HTTP_IF_NONE_MATCH")
            session_id = self._live_session_id(request.path) if header else None
            if session_id is not None:
                etag = self._unchanged_etag(request, session_id, str(header))
                if etag is not None:
                    return HttpResponse(status=304, headers={"ETag": etag, **POLL_HEADERS})
        return self.get_response(request)

    def _live_session_id(self, path: str) -> int | None:
        if self._prefix is None:
            example = reverse("talking_points:session_poll", kwargs={"pk": 987654321})
            self._prefix, self._suffix = example.split("987654321")
        if not (path.startswith(self._prefix) and path.endswith(self._suffix)):
            return None
        middle = path[len(self._prefix) : len(path) - len(self._suffix)]
        return int(middle) if middle.isdigit() and len(middle) < 19 else None

    def _unchanged_etag(self, request: HttpRequest, session_id: int, header: str) -> str | None:
        """The ETag to answer 304 with, or ``None`` when the full path must answer."""
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not session_key:
            return None
        try:
            session, token = self._read(session_key, session_id)
            if not session or not session.get(SESSION_KEY) or not token:
                return None
            now = time.time()
            started = float(session.get(SESSION_STARTED_AT, 0))
            seen = float(session.get(SESSION_SEEN_AT, 0))
            policy = session.get(SESSION_MFA_POLICY) or {}
            if (
                now - started > settings.SESSION_COOKIE_AGE
                or now - seen >= settings.SESSION_ACTIVITY_RESOLUTION
                or policy.get("ok") is not True
                or now - float(policy.get("at", 0)) >= MFA_POLICY_RECHECK_SECONDS
            ):
                return None  # the full path has session bookkeeping to do
        except Exception:
            return None  # no cache (or a session we cannot read): the full path answers
        etag = poll_etag(session_key, session_id, str(token))
        return etag if etag_matches(header, etag) else None

    def _read(self, session_key: str, session_id: int) -> tuple[Any, Any]:
        """The session's data (as the session engine would load it) and the live session's
        change token; ``None`` for either that is missing."""
        store = self._store(session_key)
        if store.session_key is None:  # not a well-formed session key
            return None, None
        token_key = _token_key(session_id)
        if self._one_round_trip:
            # Only what is in the cache: a session missing from it takes the full path,
            # which loads it from the database (and caches it again).
            found = cache.get_many([store.cache_key, token_key])
            return found.get(store.cache_key), found.get(token_key)
        return dict(store.items()), cache.get(token_key)


def forum_membership_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``post_save`` / ``post_delete`` receiver for forum memberships: roles, and who may
    look at all, are part of what a live page shows."""
    from .models import Session, SessionStatus

    live = Session.objects.filter(forum_id=instance.forum_id, status=SessionStatus.LIVE)
    for session_id in live.values_list("pk", flat=True):
        live_state_changed(session_id)
