"""Writes for office hours and visits: each inside a transaction, emails through the outbox
in the same transaction (so the rows exist exactly when the booking does)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from outbox import services as outbox
from outbox.models import DeliveryKind
from partnerships.models import CommissionerProfile, Organisation, Place

from .models import Booking, Mode, OfficeHourSlot, Visit, VisitStatus, may_book

REMINDER_LEAD = datetime.timedelta(hours=24)


class SlotNotBookable(Exception):
    """The slot is past, taken, or not the person's to book; the message says which."""


def slot_create(
    *,
    commissioner: CommissionerProfile,
    starts_at: datetime.datetime,
    length_minutes: int,
    mode: str,
    address: str = "",
    online_link: str = "",
    note: str = "",
) -> OfficeHourSlot:
    """Publish one slot. Precondition: the form checked it is in the future and says where
    (the database checks the second too)."""
    return OfficeHourSlot.objects.create(
        commissioner=commissioner,
        starts_at=starts_at,
        length_minutes=length_minutes,
        mode=mode,
        address=address if mode == Mode.IN_PERSON else "",
        online_link=online_link if mode == Mode.ONLINE else "",
        note=note,
    )


def booking_create(*, slot_id: int, partner: Any, topic: str) -> Booking:
    """Book a slot for ``partner``, and queue the invite to both people.

    Guarantee: at most one live booking per slot, even when two people book at once: the
    slot row is locked (``select_for_update``) so the second waits and then finds it taken,
    and the partial unique constraint ``one_live_booking_per_slot`` refuses a second row
    whatever path wrote it. Raises ``SlotNotBookable`` when the slot is past or taken or
    the person may not book it."""
    now = timezone.now()
    try:
        with transaction.atomic():
            slot = (
                OfficeHourSlot.objects.select_for_update(of=("self",))
                .select_related("commissioner")
                .filter(pk=slot_id)
                .first()
            )
            if slot is None or not may_book(partner, slot.commissioner):
                raise SlotNotBookable("You cannot book this time.")
            if slot.starts_at <= now:
                raise SlotNotBookable("This time has passed. Choose a later one.")
            if slot.bookings.live().exists():
                raise SlotNotBookable("Someone has just booked this time. Choose another.")
            booking = Booking.objects.create(
                slot=slot, partner=partner, topic=topic, created_at=now
            )
            outbox.deliveries_queue(
                kind=DeliveryKind.OFFICE_HOURS_BOOKED,
                recipient_ids=[partner.pk, slot.commissioner.user_id],
                about_id=booking.pk,
                now=now,
            )
    except IntegrityError as exc:
        raise SlotNotBookable("Someone has just booked this time. Choose another.") from exc
    return booking


def booking_cancel(*, booking: Booking, by: Any) -> bool:
    """Cancel a live booking; the other person is told, with a calendar cancellation.
    Returns False (and does nothing) if it was already cancelled. Precondition: ``by`` is
    one of the two people in it (the view fetched it through ``visible_to``)."""
    now = timezone.now()
    with transaction.atomic():
        changed = Booking.objects.filter(pk=booking.pk, cancelled_at__isnull=True).update(
            cancelled_at=now, cancelled_by=by
        )
        if not changed:
            return False
        other = (
            booking.slot.commissioner.user_id if booking.partner_id == by.pk else booking.partner_id
        )
        outbox.deliveries_queue(
            kind=DeliveryKind.OFFICE_HOURS_CANCELLED,
            recipient_ids=[other],
            about_id=booking.pk,
            now=now,
        )
    booking.cancelled_at, booking.cancelled_by = now, by
    return True


def reminders_queue(*, now: datetime.datetime | None = None) -> int:
    """Queue a reminder to both people for every live booking starting within the next
    day (booked at least a day ahead: otherwise the invite itself was the reminder).

    Guarantee: idempotent. The outbox's unique constraint (kind, booking, person) skips a
    reminder that exists, so running this every few minutes, or twice at once, sends each
    person one reminder per booking. Returns how many rows were made or still waiting."""
    now = now or timezone.now()
    bookings = (
        Booking.objects.live()
        .filter(slot__starts_at__gt=now, slot__starts_at__lte=now + REMINDER_LEAD)
        .select_related("slot__commissioner")
    )
    queued = 0
    for booking in bookings:
        if booking.created_at > booking.slot.starts_at - REMINDER_LEAD:
            continue
        with transaction.atomic():
            queued += len(
                outbox.deliveries_queue(
                    kind=DeliveryKind.OFFICE_HOURS_REMINDER,
                    recipient_ids=[booking.partner_id, booking.slot.commissioner.user_id],
                    about_id=booking.pk,
                    now=now,
                )
            )
    return queued


def visit_invite(
    *,
    organisation: Organisation,
    place: Place,
    guest: CommissionerProfile,
    by: Any,
    proposed_dates: str,
    note: str = "",
) -> Visit:
    """Invite a commissioner or funder to see the organisation's practice; they are told
    by email. Precondition: ``by`` is a member of ``organisation``, which works in
    ``place`` (the form's choices say so)."""
    with transaction.atomic():
        visit = Visit.objects.create(
            organisation=organisation,
            place=place,
            guest=guest,
            invited_by=by,
            proposed_dates=proposed_dates,
            note=note,
        )
        outbox.deliveries_queue(
            kind=DeliveryKind.VISIT, recipient_ids=[guest.user_id], about_id=visit.pk
        )
    return visit


def visit_answer(
    *, visit: Visit, accept: bool, visit_date: datetime.date | None, answer: str
) -> bool:
    """The guest accepts (with a date) or declines (with a line); the person who invited
    them is told. Returns False if the visit was already answered."""
    if accept and visit_date is None:
        raise ValueError("An accepted visit needs a date.")
    now = timezone.now()
    status = VisitStatus.ACCEPTED if accept else VisitStatus.DECLINED
    with transaction.atomic():
        changed = Visit.objects.filter(pk=visit.pk, status=VisitStatus.INVITED).update(
            status=status,
            visit_date=visit_date if accept else None,
            answer=answer,
            answered_at=now,
        )
        if not changed:
            return False
        if visit.invited_by_id:
            outbox.deliveries_queue(
                kind=DeliveryKind.VISIT_ANSWER,
                recipient_ids=[visit.invited_by_id],
                about_id=visit.pk,
                now=now,
            )
    visit.refresh_from_db()
    return True


def visit_record_learning(*, visit: Visit, learned: str, learning_entry: Any = None) -> Visit:
    """What was learned from an accepted visit, optionally linked to a learning entry.
    Precondition: the entry is visible to the person linking it (the form's choices)."""
    visit.learned = learned
    visit.learning_entry = learning_entry
    visit.save(update_fields=["learned", "learning_entry"])
    return visit
