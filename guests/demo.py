"""Demo guests: at the Plymouth forum's past session, a guest who came through the link and
whose contribution the facilitator admitted, so its summary counts a voice under "Guests".
Idempotent."""

from __future__ import annotations

from partnerships.models import Forum
from talking_points.models import Attendance, Contribution, SessionStatus
from talking_points.services.summaries import GUESTS


def load() -> None:
    forum = Forum.objects.filter(slug="plymouth-alliance-forum").first()
    if forum is None:
        return
    past = (
        forum.sessions.filter(status=SessionStatus.CLOSED, contributions__isnull=False)
        .order_by("-starts_at")
        .first()
    )
    if past is None or past.attendances.filter(is_guest=True).exists():
        return
    item = past.agenda_items.order_by("position", "pk").first()
    if item is None:
        return
    Attendance.objects.create(
        session=past, name="Jo", organisation_name=GUESTS, late=True, is_guest=True
    )
    Contribution.objects.create(
        session=past,
        agenda_item=item,
        text="I use the lunch club. Nobody asked us before the bus times changed.",
        is_guest=True,
        author_name="Jo",
        organisation_name=GUESTS,
        created_at=item.ended_at or past.starts_at,
    )
