"""Shared type helpers."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class AuthenticatedRequest(HttpRequest):
    """A request behind ``@login_required``: ``user`` is a real ``User``."""

    user: User
