"""Rate limits for guest links, counted in the cache (as sign-in limits are): a fixed
window per link and action. A cache that does not answer lets the request through."""

from __future__ import annotations

from django.core.cache import cache

# (how many, in how many seconds) per guest link.
JOINS = (30, 600)
CONTRIBUTIONS = (20, 60)


def allow(*, token: str, action: str, limit: tuple[int, int]) -> bool:
    """Count one ``action`` on the link ``token``; False once the window's limit is passed."""
    most, seconds = limit
    key = f"guests:limit:{action}:{token}"
    try:
        cache.add(key, 0, timeout=seconds)
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr: a fresh window
        cache.set(key, 1, timeout=seconds)
        count = 1
    return int(count or 0) <= most
