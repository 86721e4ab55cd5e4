"""Panels that apps above talking_points add to the facilitator's live page.

An app registers a template from its ``AppConfig.ready()``; the live page includes each one
with the page's context, so talking_points never names an app that depends on it.
"""

from __future__ import annotations

_templates: list[str] = []


def register(template_name: str) -> None:
    """Add a panel to the live page (registering the same template again is harmless)."""
    if template_name not in _templates:
        _templates.append(template_name)


def templates() -> tuple[str, ...]:
    return tuple(_templates)
