"""Sections that apps above talking_points add to the place page. They register a function
at start-up (in ``AppConfig.ready``) that renders their section for a request and a place,
so this app shows what it cannot import, as the outbox sends what it cannot import."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

Panel = Callable[[HttpRequest, Any], str]

_panels: list[Panel] = []


def register(panel: Panel) -> None:
    """Add ``panel`` to the place page (registering it again changes nothing)."""
    if panel not in _panels:
        _panels.append(panel)


def panels() -> list[Panel]:
    return list(_panels)
