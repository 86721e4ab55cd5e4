"""Named places in a lower app's page where higher apps add their part.

A page in talking_points cannot include a template of an app above it (dependencies run
one way), yet the live session page must show, say, the record its talking point keeps. So
the lower page names a slot (``{% slot "live_session" session=session %}``), and each app
above registers, in its ``AppConfig.ready``, a template for that slot and, if it needs
data, a function that reads it (through the app's own ``visible_to``) from the page's
context. The lower app knows the slot's name, never who fills it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# Reads what a part shows from the page's context (with the slot's own arguments): the
# request, the user and the objects the page names.
Reader = Callable[[Mapping[str, Any]], Mapping[str, Any]]


@dataclass(frozen=True)
class Part:
    template_name: str
    reader: Reader | None = None


_slots: dict[str, list[Part]] = {}


def register(slot: str, template_name: str, reader: Reader | None = None) -> None:
    """Add ``template_name`` to every page that names ``slot``, in the order apps start.
    Registering the same template twice keeps the first (``ready`` may run twice in tests)."""
    parts = _slots.setdefault(slot, [])
    if all(part.template_name != template_name for part in parts):
        parts.append(Part(template_name, reader))


def parts(slot: str) -> list[Part]:
    return list(_slots.get(slot, []))
