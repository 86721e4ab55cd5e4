"""What office hours and visits hold about a person, for the privacy registries: their
bookings (as partner or commissioner) and the visits they invited someone to. On erasure,
their bookings go (the other person's calendar keeps its copy); visits they arranged stay
with the organisation, no longer linked to them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from privacy import registry

from .models import Booking, Visit


def export_bookings(user: Any) -> list[dict[str, Any]]:
    rows = (
        Booking.objects.filter(Q(partner=user) | Q(slot__commissioner__user=user))
        .select_related("slot__commissioner__user", "partner")
        .order_by("slot__starts_at", "pk")
    )
    return [
        {
            "starts_at": b.slot.starts_at,
            "minutes": b.slot.length_minutes,
            "commissioner": str(b.slot.commissioner.user),
            "partner": str(b.partner),
            "topic": b.topic,
            "cancelled_at": b.cancelled_at,
        }
        for b in rows
    ]


def export_visits(user: Any) -> list[dict[str, Any]]:
    rows = Visit.objects.filter(invited_by=user).select_related("organisation", "guest__user")
    return [
        {
            "organisation": v.organisation.name,
            "guest": str(v.guest.user),
            "proposed_dates": v.proposed_dates,
            "note": v.note,
            "status": v.get_status_display(),
            "visit_date": v.visit_date,
            "created_at": v.created_at,
        }
        for v in rows.order_by("created_at", "pk")
    ]


def erase_bookings(user: Any) -> int:
    deleted, _ = Booking.objects.filter(partner=user).delete()
    return int(deleted)


def erase_visit_inviter(user: Any) -> int:
    return Visit.objects.filter(invited_by=user).update(invited_by=None)


def register() -> None:
    registry.register_export_section(
        "office_hours_bookings",
        export_bookings,
        description="Office hours you booked, or that partners booked with you.",
    )
    registry.register_export_section(
        "visits_invited", export_visits, description="Visits you invited someone to."
    )
    registry.register_erasure_step(
        erase_bookings, description="Office hours you booked are deleted."
    )
    registry.register_erasure_step(
        erase_visit_inviter,
        description="Visits you arranged stay with your organisation, no longer linked to you.",
    )
