"""Helpers shared by the place picture's views."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def posted(request: HttpRequest) -> Any:
    """Form data for a POST (even an empty one, so it is validated), None for a GET."""
    return request.POST if request.method == "POST" else None
