"""Helpers for office hours and visits: a slot of the world's commissioner, and sending
what the outbox holds."""

from __future__ import annotations

import datetime
from typing import Any

from django.core import mail
from django.utils import timezone

from doors.models import Mode, OfficeHourSlot
from outbox import services as outbox
from outbox.models import Delivery
from partnerships.models import CommissionerProfile
from tests.conftest import World


def profile_of(world: World) -> CommissionerProfile:
    return CommissionerProfile.objects.get(user=world.commissioner)


def make_slot(world: World, *, days: float = 3, **fields: Any) -> OfficeHourSlot:
    values: dict[str, Any] = {
        "commissioner": profile_of(world),
        "starts_at": timezone.now() + datetime.timedelta(days=days),
        "length_minutes": 30,
        "mode": Mode.ONLINE,
        "online_link": "https://meet.example.org/sam",
        **fields,
    }
    return OfficeHourSlot.objects.create(**values)


def send_all() -> list[mail.EmailMessage]:
    """Send every pending outbox row now, and return the emails sent."""
    mail.outbox.clear()
    outbox.deliveries_send_now(Delivery.objects.order_by("pk").values_list("pk", flat=True))
    return list(mail.outbox)


def calendar_of(message: Any) -> str:
    [part] = [
        a
        for a in message.attachments
        if getattr(a, "get_content_type", lambda: "")() == "text/calendar"
    ]
    return str(part.get_payload(decode=True).decode())
