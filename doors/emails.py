"""The emails office hours and visits send through the outbox. Each builder gets a claimed
row and returns the email, or a sentence saying why it is no longer sent."""

from __future__ import annotations

import datetime
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from outbox import registry
from outbox.models import Delivery, DeliveryKind

from . import calendars
from .models import Booking, Visit, VisitStatus


def _calendar_part(ics: bytes, method: str) -> MIMEText:
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="office-hours.ics")
    return part


def _message(template: str, subject: str, context: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=subject[:200], body=render_to_string(f"doors/email/{template}.txt", context)
    )
    message.attach_alternative(
        render_to_string(f"doors/email/{template}.html", context), "text/html"
    )
    return message


def _booking(delivery: Delivery) -> Booking | None:
    return (
        Booking.objects.filter(pk=delivery.about_id or 0)
        .select_related("slot__commissioner__user", "partner")
        .first()
    )


def _booking_message(delivery: Delivery, what: str) -> EmailMultiAlternatives | str:
    booking = _booking(delivery)
    if booking is None:
        return "The booking no longer exists."
    cancelled = what == "cancelled"
    if booking.is_cancelled and not cancelled:
        return "The booking was cancelled."
    commissioner = booking.slot.commissioner.user
    other = booking.partner if delivery.recipient_id == commissioner.pk else commissioner
    context = {
        "booking": booking,
        "slot": booking.slot,
        "what": what,
        "recipient": delivery.recipient,
        "other": other,
        "link": settings.SITE_URL + reverse("doors:bookings"),
    }
    subjects = {
        "booked": "Office hours booked",
        "reminder": "Tomorrow: office hours",
        "cancelled": "Office hours cancelled",
    }
    message = _message("booking", f"{subjects[what]} with {other}", context)
    method = "CANCEL" if cancelled else "REQUEST"
    message.attach(_calendar_part(calendars.booking_calendar(booking, cancel=cancelled), method))
    return message


def booked_message(delivery: Delivery, now: datetime.datetime) -> EmailMultiAlternatives | str:
    return _booking_message(delivery, "booked")


def reminder_message(delivery: Delivery, now: datetime.datetime) -> EmailMultiAlternatives | str:
    booking = _booking(delivery)
    if booking is not None and booking.slot.starts_at <= now:
        return "The time has passed."
    return _booking_message(delivery, "reminder")


def cancelled_message(delivery: Delivery, now: datetime.datetime) -> EmailMultiAlternatives | str:
    return _booking_message(delivery, "cancelled")


def _visit(delivery: Delivery) -> Visit | None:
    return (
        Visit.objects.filter(pk=delivery.about_id or 0)
        .select_related("organisation", "place", "guest__user", "invited_by")
        .first()
    )


def visit_message(delivery: Delivery, now: datetime.datetime) -> EmailMultiAlternatives | str:
    visit = _visit(delivery)
    if visit is None:
        return "The invitation was withdrawn."
    if visit.status != VisitStatus.INVITED:
        return "The invitation was already answered."
    context = {
        "visit": visit,
        "answer": False,
        "link": settings.SITE_URL + visit.get_absolute_url(),
    }
    return _message("visit", f"{visit.organisation} invites you to visit", context)


def visit_answer_message(
    delivery: Delivery, now: datetime.datetime
) -> EmailMultiAlternatives | str:
    visit = _visit(delivery)
    if visit is None:
        return "The invitation was withdrawn."
    context = {"visit": visit, "answer": True, "link": settings.SITE_URL + visit.get_absolute_url()}
    verb = "will visit" if visit.status == VisitStatus.ACCEPTED else "cannot visit"
    return _message("visit", f"{visit.guest.user} {verb} {visit.organisation}", context)


def register() -> None:
    registry.register(DeliveryKind.OFFICE_HOURS_BOOKED, build=booked_message)
    registry.register(DeliveryKind.OFFICE_HOURS_REMINDER, build=reminder_message)
    registry.register(DeliveryKind.OFFICE_HOURS_CANCELLED, build=cancelled_message)
    registry.register(DeliveryKind.VISIT, build=visit_message)
    registry.register(DeliveryKind.VISIT_ANSWER, build=visit_answer_message)
