"""Shared type helpers that name no app."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    """Any request once django-htmx's middleware has run: ``request.htmx`` is truthy for
    a request htmx made (a boosted link counts too)."""

    htmx: HtmxDetails
