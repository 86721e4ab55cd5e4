"""Writes for guests at a live session: the link, joining, saying something, and the
facilitator admitting or declining it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from partnerships.models import User
from talking_points.models import (
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    Contribution,
    Session,
    SessionStatus,
)
from talking_points.models.sessions import MAX_CONTRIBUTION_CHARS
from talking_points.services.sessions import bump_version
from talking_points.services.summaries import GUESTS

from .models import MAX_GUEST_NAME_CHARS, Guest, GuestLink, WaitingContribution, new_token

# What an anonymous guest is called in the attendance: a label, the same for every one.
ANONYMOUS_GUEST = "A guest"
NOT_LIVE = "This session is not live any more, so the guest link has stopped working."


class GuestError(Exception):
    """A refused guest action; the message is plain English for the person."""


def _live_session(session_id: int) -> Session:
    """The session row, locked so nothing lands after a close commits; refused unless live."""
    locked = Session.objects.select_for_update().filter(pk=session_id).first()
    if locked is None or locked.status != SessionStatus.LIVE:
        raise GuestError(NOT_LIVE)
    return locked


def guest_link_make(*, session: Session, by: User) -> GuestLink:
    """Make the session's guest link, or a new token for it (the old link stops working).

    Precondition: ``by`` is a facilitator of the session's forum.
    """
    with transaction.atomic():
        locked = _live_session(session.pk)
        link = GuestLink.objects.filter(session=locked).first()
        if link is None:
            return GuestLink.objects.create(session=locked, created_by=by)
        link.token = new_token()
        link.created_by = by
        link.created_at = timezone.now()
        link.save(update_fields=["token", "created_by", "created_at"])
        return link


def guest_join(*, link: GuestLink, name: str, anonymous: bool) -> Guest:
    """A guest joins the live session: they are counted in its attendance under "Guests".
    An anonymous guest stores no name at all (even one they typed before choosing)."""
    name = "" if anonymous else name.strip()
    if not anonymous and not name:
        raise GuestError("Write your first name, or choose to join without a name.")
    if len(name) > MAX_GUEST_NAME_CHARS:
        raise GuestError(f"Your first name can be at most {MAX_GUEST_NAME_CHARS} characters.")
    with transaction.atomic():
        locked = _live_session(link.session_id)
        attendance = Attendance.objects.create(
            session=locked,
            user=None,
            name=name or ANONYMOUS_GUEST,
            organisation_name=GUESTS,
            late=True,
            is_guest=True,
        )
        guest = Guest.objects.create(link=link, name=name, attendance=attendance)
        bump_version(locked.pk)
    return guest


def guest_contribution_add(
    *, guest: Guest, agenda_item_id: int | None, text: str
) -> WaitingContribution:
    """A guest says something on an agenda item; it waits for the facilitator.

    Refused (GuestError, nothing stored) unless the session is live, the item is part of it
    and has been reached, and the text is 1 to MAX_CONTRIBUTION_CHARS characters.
    """
    text = text.strip()
    if not text:
        raise GuestError("Write what you want to say before sending it.")
    if len(text) > MAX_CONTRIBUTION_CHARS:
        raise GuestError(
            f"What you say can be at most {MAX_CONTRIBUTION_CHARS:,} characters "
            f"(this has {len(text):,})."
        )
    with transaction.atomic():
        locked = _live_session(guest.link.session_id)
        item = (
            AgendaItem.objects.filter(pk=agenda_item_id, session_id=locked.pk).first()
            if agenda_item_id is not None
            else None
        )
        if item is None or item.status not in (AgendaItemStatus.CURRENT, AgendaItemStatus.DONE):
            raise GuestError("No talking point is open right now, so there is nothing to add to.")
        waiting = WaitingContribution.objects.create(
            session=locked,
            guest=guest,
            agenda_item=item,
            text=text,
            created_at=timezone.now().replace(second=0, microsecond=0),
        )
        bump_version(locked.pk)
    return waiting


def guest_contribution_admit(*, waiting: WaitingContribution) -> Contribution:
    """The facilitator lets everyone see a guest's contribution: it becomes a contribution
    of the session ("guest" in its byline and the voice balance) and stops waiting.

    Guarantee: admitted at most once (the waiting row is locked and deleted in the same
    transaction); a second press gets a GuestError.
    """
    with transaction.atomic():
        locked = _live_session(waiting.session_id)
        row = (
            WaitingContribution.objects.select_for_update()
            .select_related("guest")
            .filter(pk=waiting.pk)
            .first()
        )
        if row is None:
            raise GuestError("That contribution has already been admitted or declined.")
        name = row.guest.name
        contribution = Contribution.objects.create(
            session=locked,
            agenda_item_id=row.agenda_item_id,
            text=row.text,
            is_guest=True,
            is_anonymous=not name,
            author_name=name,
            organisation_name=GUESTS if name else "",
            created_at=row.created_at,
        )
        row.delete()
        bump_version(locked.pk)
    return contribution


def guest_contribution_decline(*, waiting: WaitingContribution) -> None:
    """The facilitator declines a guest's contribution: it is deleted, not kept."""
    with transaction.atomic():
        deleted, _ = WaitingContribution.objects.filter(pk=waiting.pk).delete()
        if not deleted:
            raise GuestError("That contribution has already been admitted or declined.")
        bump_version(waiting.session_id)
