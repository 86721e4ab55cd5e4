"""Shared type helpers."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from partnerships.models import User


class HtmxRequest(HttpRequest):
    """Any request once django-htmx's middleware has run: ``request.htmx`` is truthy for
    a request htmx made (a boosted link counts too)."""

    htmx: HtmxDetails


class AuthenticatedRequest(HtmxRequest):
    """A request behind ``@login_required``: ``user`` is a real ``User``."""

    user: User
