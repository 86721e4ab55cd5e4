"""Slots: places in a lower app's page where a higher app adds a part of its own.

A page says where (``{% include "_slot.html" with name="place_picture" %}``); an app says
what, once, in its ``AppConfig.ready``: ``slots.register("place_picture", "app/_part.html")``.
Each registered template is rendered with the page's own context, in the order registered.
So the lower app never names, imports or includes the higher one, and the layers hold.
"""

from __future__ import annotations

_SLOTS: dict[str, list[str]] = {}


def register(name: str, template_name: str) -> None:
    templates = _SLOTS.setdefault(name, [])
    if template_name not in templates:
        templates.append(template_name)


def templates_for(name: str) -> list[str]:
    return list(_SLOTS.get(name, ()))
