"""What this app adds to lower apps' pages (``hls_forum/slots.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hls_forum import slots

# The record each of the report's talking points keeps, by its number.
RECORD_OF_POINT = {
    "1": ("records:assets", "what we value about this place"),
    "5": ("records:control_map", "the control map"),
    "6": ("records:vcs_trend", "the VCS at the table"),
    "9": ("records:signals", "how we will know things are changing"),
    "15": ("records:agreement", "our agreement"),
    "16": ("records:fears", "our fears and how we meet them"),
}


def session_keeps(context: Mapping[str, Any]) -> Mapping[str, Any]:
    """The live page's agenda points that keep a record, the current one marked. Reads only
    what the page already holds: no query."""
    session = context.get("session")
    keeps = []
    for entry in context.get("agenda") or []:
        point = entry.item.talking_point
        if point.forum_id is None and point.number in RECORD_OF_POINT:
            keeps.append(
                {
                    "number": point.number,
                    "title": RECORD_OF_POINT[point.number][1],
                    "now": session is not None and entry.item.pk == session.current_item_id,
                }
            )
    return {"record_keeps": keeps}


def register() -> None:
    slots.register("place_picture", "records/_picture_card.html")
    slots.register("live_session", "records/_live_offer.html", session_keeps)
