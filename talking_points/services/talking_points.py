"""A forum's own talking points: adding, retiring and restoring them."""

from __future__ import annotations

from django.db import transaction
from django.db.models import (
    Max,
)

from partnerships.models import (
    Forum,
    User,
)

from ..models import (
    TalkingPoint,
    TalkingPointRetirement,
)
from .sessions import SessionError


def talking_point_add(*, forum: Forum, text: str, by: User) -> TalkingPoint:
    """Add a forum's own talking point, after the report's and the forum's earlier ones."""
    text = text.strip()
    if not text:
        raise SessionError("Write the talking point.")
    with transaction.atomic():
        last = TalkingPoint.objects.filter(forum=forum).aggregate(m=Max("sort_order"))["m"]
        return TalkingPoint.objects.create(
            forum=forum, text=text, created_by=by, sort_order=(last or 1000) + 1
        )


def talking_point_retire(*, forum: Forum, talking_point: TalkingPoint, by: User) -> None:
    """Retire a talking point for this forum only. Retiring twice is harmless."""
    if talking_point.forum_id not in (None, forum.pk):
        raise SessionError("That talking point belongs to another forum.")
    TalkingPointRetirement.objects.get_or_create(
        forum=forum, talking_point=talking_point, defaults={"retired_by": by}
    )


def talking_point_restore(*, forum: Forum, talking_point: TalkingPoint) -> None:
    TalkingPointRetirement.objects.filter(forum=forum, talking_point=talking_point).delete()
