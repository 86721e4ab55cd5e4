"""Panels a higher app adds to a lower app's page without the page knowing it: the app
registers a template for a named spot at start-up (``AppConfig.ready``), and the page
renders whatever is registered there with ``{% load panels %}{% panels "spot" %}``. So
templates still depend one way (tests/test_layers.py)."""

from __future__ import annotations

_panels: dict[str, list[str]] = {}


def register(spot: str, template_name: str) -> None:
    names = _panels.setdefault(spot, [])
    if template_name not in names:
        names.append(template_name)


def templates(spot: str) -> list[str]:
    return list(_panels.get(spot, []))
