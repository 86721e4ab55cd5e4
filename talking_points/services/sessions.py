"""Planning forum sessions: the session, its agenda and time boxes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import (
    F,
    Max,
)
from django.utils import formats, timezone

from partnerships.models import (
    Forum,
    User,
)

from ..models import (
    AgendaItem,
    AgendaItemStatus,
    Session,
    SessionStatus,
    TalkingPoint,
)
from ..models.sessions import MAX_TIME_BOX_MINUTES

# Every service that changes what the live page shows bumps ``Session.version`` in the
# same transaction, so the live page's poll can answer "304 Not Modified" from one row.


class SessionError(Exception):
    """The change cannot be made; the message says why in plain English."""


def next_version(session_id: int) -> Any:
    """``Session.version`` + 1 for an ``update()`` of the session row (the database moves
    it on any write too; see the migration that adds the triggers)."""
    return F("version") + 1


def bump_version(session_id: int) -> None:
    Session.objects.filter(pk=session_id).update(version=next_version(session_id))


def check_time_box(minutes: int) -> None:
    if not 1 <= minutes <= MAX_TIME_BOX_MINUTES:
        raise SessionError(f"A time box must be between 1 and {MAX_TIME_BOX_MINUTES} minutes.")


def _refuse_a_taken_slot(
    forum: Forum, starts_at: datetime.datetime, *, other_than: int | None = None
) -> None:
    """Refuse a second session of ``forum`` in the same minute as one it already has.

    Precondition: called inside ``transaction.atomic``. The forum's row is locked first, so
    two people planning the same slot at once are taken one after the other and the second
    is refused."""
    Forum.objects.select_for_update().filter(pk=forum.pk).first()
    minute = starts_at.replace(second=0, microsecond=0)
    taken = Session.objects.filter(
        forum_id=forum.pk,
        starts_at__gte=minute,
        starts_at__lt=minute + datetime.timedelta(minutes=1),
    )
    if other_than is not None:
        taken = taken.exclude(pk=other_than)
    if taken.exists():
        when = timezone.localtime(starts_at, forum.place.tz)
        raise SessionError(
            f"{forum.name} already has a session on "
            f"{formats.date_format(when, 'l j F Y')} at "
            f"{formats.time_format(when, 'g:i A')}. Choose another date or time."
        )


def session_plan(
    *,
    forum: Forum,
    by: User,
    starts_at: datetime.datetime,
    venue: str = "",
    online_link: str = "",
    talking_points: Iterable[TalkingPoint] = (),
    time_box_minutes: int = 20,
) -> Session:
    """Plan a session with an agenda, in the order given.

    Precondition: ``by`` facilitates ``forum``; the points are active for it.
    Guarantee: planning never gives a forum two sessions in the same minute; a second is
    a SessionError and nothing is stored.
    """
    points = list(talking_points)
    if points:
        check_time_box(time_box_minutes)
    with transaction.atomic():
        _refuse_a_taken_slot(forum, starts_at)
        session = Session.objects.create(
            forum=forum,
            starts_at=starts_at,
            venue=venue,
            online_link=online_link,
            created_by=by,
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(
                session=session, talking_point=point, position=i, time_box_minutes=time_box_minutes
            )
            for i, point in enumerate(points, start=1)
        )
    return session


def _require_editable(session: Session) -> None:
    if session.status == SessionStatus.CLOSED:
        raise SessionError("This session has closed; its agenda can no longer change.")


def agenda_item_add(
    *, session: Session, talking_point: TalkingPoint, time_box_minutes: int
) -> AgendaItem:
    """Add a talking point at the end of the agenda (planned or live sessions)."""
    check_time_box(time_box_minutes)
    if talking_point.forum_id not in (None, session.forum_id):
        raise SessionError("That talking point belongs to another forum.")
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        _require_editable(locked)
        last = locked.agenda_items.aggregate(m=Max("position"))["m"] or 0
        item = AgendaItem.objects.create(
            session=locked,
            talking_point=talking_point,
            position=last + 1,
            time_box_minutes=time_box_minutes,
        )
        bump_version(session.pk)
    return item


def agenda_item_set_time_box(*, item: AgendaItem, time_box_minutes: int) -> None:
    check_time_box(time_box_minutes)
    with transaction.atomic():
        updated = AgendaItem.objects.filter(
            pk=item.pk,
            status__in=[AgendaItemStatus.PENDING, AgendaItemStatus.CURRENT],
            session__status__in=[SessionStatus.PLANNED, SessionStatus.LIVE],
        ).update(time_box_minutes=time_box_minutes)
        if updated != 1:
            raise SessionError("That item has already been discussed.")
        bump_version(item.session_id)


def agenda_item_move(*, item: AgendaItem, up: bool) -> None:
    """Swap a not-yet-reached item with its neighbour among the not-yet-reached items."""
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=item.session_id)
        _require_editable(locked)
        pending = list(
            locked.agenda_items.filter(status=AgendaItemStatus.PENDING).order_by("position", "pk")
        )
        index = next((i for i, p in enumerate(pending) if p.pk == item.pk), None)
        if index is None:
            raise SessionError("Only items not yet reached can be moved.")
        other_index = index - 1 if up else index + 1
        if not 0 <= other_index < len(pending):
            return
        # Renumber all pending items so equal positions never make the order ambiguous.
        pending[index], pending[other_index] = pending[other_index], pending[index]
        base = (
            locked.agenda_items.exclude(status=AgendaItemStatus.PENDING).aggregate(
                m=Max("position")
            )["m"]
            or 0
        )
        for offset, pending_item in enumerate(pending, start=1):
            pending_item.position = base + offset
        AgendaItem.objects.bulk_update(pending, ["position"])
        bump_version(locked.pk)


def agenda_item_remove(*, item: AgendaItem) -> None:
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=item.session_id)
        _require_editable(locked)
        deleted, _ = AgendaItem.objects.filter(
            pk=item.pk, status=AgendaItemStatus.PENDING, contributions__isnull=True
        ).delete()
        if not deleted:
            raise SessionError("Only items not yet reached can be removed.")
        bump_version(locked.pk)


def session_update(
    *, session: Session, starts_at: datetime.datetime, venue: str, online_link: str
) -> None:
    """Change when and where a planned session meets. Moving it onto another session of
    its forum is a SessionError, as when planning."""
    with transaction.atomic():
        _refuse_a_taken_slot(session.forum, starts_at, other_than=session.pk)
        updated = Session.objects.filter(pk=session.pk, status=SessionStatus.PLANNED).update(
            starts_at=starts_at,
            venue=venue,
            online_link=online_link,
            version=next_version(session.pk),
        )
    if updated != 1:
        raise SessionError("Only a planned session can be changed.")


def session_delete(*, session: Session) -> None:
    """Delete a planned session (never a live or closed one: they are the forum's record)."""
    deleted, _ = Session.objects.filter(pk=session.pk, status=SessionStatus.PLANNED).delete()
    if not deleted:
        raise SessionError("Only a planned session can be deleted.")
