"""The calendar side of an office-hours booking: an iTIP REQUEST when it is made (and in
the reminder), a CANCEL when either side cancels. The UID is stable per booking, so a
calendar app updates or removes the event it already has rather than adding a copy; the
SEQUENCE is higher on a cancellation, as RFC 5546 asks."""

from __future__ import annotations

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Booking, Mode

PRODID = "-//HLS Forum//Office hours//EN"


def booking_uid(booking: Booking) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "hls-forum.localhost"
    return f"office-hours-{booking.pk}@{host}"


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def booking_calendar(booking: Booking, *, cancel: bool = False) -> bytes:
    """The booking as a one-event calendar: METHOD REQUEST, or CANCEL. The site's own
    sender is the ORGANIZER (it sends the messages); both people are attendees."""
    slot = booking.slot
    commissioner = slot.commissioner.user
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.ends_at)
    event.add("summary", f"Office hours: {commissioner} and {booking.partner}")
    sender_name, sender = parseaddr(settings.DEFAULT_FROM_EMAIL)
    event.add("organizer", _address(sender, sender_name or "HLS Forum"))
    for person in (commissioner, booking.partner):
        event.add("attendee", _address(person.email, str(person), role="REQ-PARTICIPANT"))
    event.add("location", slot.address if slot.mode == Mode.IN_PERSON else slot.online_link)
    description = [f"To talk about: {booking.topic}"]
    if slot.note:
        description.append(slot.note)
    event.add("description", "\n\n".join(description))
    event.add("sequence", 1 if cancel else 0)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    calendar.add_component(event)
    return bytes(calendar.to_ical())
