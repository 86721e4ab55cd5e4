"""Type helpers for views that need the site's user model."""

from __future__ import annotations

from hls_forum.types import HtmxRequest

from .models import User


class AuthenticatedRequest(HtmxRequest):
    """A request behind ``@login_required``: ``user`` is a real ``User``."""

    user: User
