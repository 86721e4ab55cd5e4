"""Decisions and open actions from a place's forum sessions, as the reader may see them."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    F,
)

from partnerships.models import (
    Place,
)
from talking_points.models import Action, ActionStatus, Decision


def recent_decisions(place: Place, *, user: Any, limit: int = 5) -> list[Any]:
    """The newest decisions from the place's forum sessions that ``user`` may read (through
    ``Session.objects.visible_to``, the one session trust query). Two queries at most."""

    return list(
        Decision.objects.visible_to(user)
        .filter(session__forum__place=place)
        .select_related("session__forum")
        .order_by("-created_at", "-pk")[:limit]
    )


def open_actions(place: Place, *, user: Any, limit: int = 5) -> list[Any]:
    """Open actions from the place's forum sessions that ``user`` may read, soonest due
    first (undated last), through ``Session.objects.visible_to``."""

    return list(
        Action.objects.visible_to(user)
        .filter(session__forum__place=place, status=ActionStatus.OPEN)
        .select_related("session__forum")
        .order_by(F("due_on").asc(nulls_last=True), "pk")[:limit]
    )
