"""Authentication backends that find the signed-in person without a database query.

Every request from a signed-in person needs their ``User`` row. Django's backends fetch it
with one query per request; at national scale that query, and the ORM work around it, is
most of the cost of a small page, so a session should need no extra query. These
backends keep the row in the shared cache (Redis in production, where the sessions also
live) for ``USER_CACHE_SECONDS``.

Correctness: any save or delete of a user drops the cached copy at once and again after
the transaction commits (see ``forget_user``), so a password change, a deactivation or an
erasure takes effect on the next request. The only window is a request that read the row
just before a concurrent change committed and stored it just after: that stale copy lives
at most ``USER_CACHE_SECONDS``. Django still checks the session's password hash against
the (cached) row on every request, and ``user_can_authenticate`` (``is_active``) too.

If the cache is down, the database is asked, as before.
"""

from __future__ import annotations

import contextlib
from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

USER_CACHE_SECONDS = 60


def user_cache_key(user_id: Any) -> str:
    return f"auth-user:v1:{user_id}"


def forget_user(user_id: Any) -> None:
    """Drop the cached copy now and once the surrounding transaction commits."""
    key = user_cache_key(user_id)

    def drop() -> None:
        with contextlib.suppress(Exception):  # the cache being down leaves nothing to drop
            cache.delete(key)

    drop()
    transaction.on_commit(drop)


def user_saved_or_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``post_save`` / ``post_delete`` receiver for the user model."""
    forget_user(instance.pk)


class CachedUserMixin:
    def get_user(self, user_id: Any) -> Any:
        key = user_cache_key(user_id)
        user = None
        with contextlib.suppress(Exception):  # a cache outage must not sign anyone out
            user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)  # type: ignore[misc]
            if user is None:
                return None
            # Only the row's own fields are kept: no cached permissions or relations.
            for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
                user.__dict__.pop(attr, None)
            with contextlib.suppress(Exception):
                cache.set(key, user, USER_CACHE_SECONDS)
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class CachedModelBackend(CachedUserMixin, ModelBackend):
    """Django's ModelBackend (password sign-in), with the cached user lookup."""


class CachedAllauthBackend(CachedUserMixin, AllauthBackend):
    """allauth's backend (sign-in by email and code), with the cached user lookup."""
