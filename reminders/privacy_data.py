"""What reminders hold about a person, plugged into the privacy registries
(``privacy.registry``): the emails we sent them, and how long we keep that record.

Erasure needs no step of its own: deliveries and digest choices go with the account
(their foreign keys cascade).
"""

from __future__ import annotations

import datetime
from typing import Any

from privacy import registry

from .models import Delivery, DeliveryStatus, DigestPreference

Row = dict[str, Any]
# Rows still on their way are never removed by retention, whatever their age.
IN_FLIGHT = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


def export_deliveries(user: Any) -> list[Row]:
    """Every automatic email we sent (or meant to send) to the person: reminders, digests,
    summaries, responses, actions, join requests and account emails. Never their content."""
    deliveries = Delivery.objects.filter(recipient=user).select_related("forum")
    return [
        {
            "kind": d.get_kind_display(),
            "forum": d.forum.name if d.forum else "",
            "for": d.occasion_at,
            "status": d.get_status_display(),
            "attempts": d.attempts,
            "sent_at": d.sent_at,
        }
        for d in deliveries.order_by("occasion_at", "pk").iterator()
    ]


def export_digest_preference(user: Any) -> list[Row]:
    return [
        {"digest": p.get_frequency_display(), "day": p.get_weekday_display()}
        for p in DigestPreference.objects.filter(user=user)
    ]


def purge_old_deliveries(*, cutoff: datetime.datetime, now: datetime.datetime) -> int:
    """The record of emails sent (or skipped, or failed) longer ago than the period.
    Idempotent: a second run finds nothing older."""
    old = Delivery.objects.filter(created_at__lt=cutoff).exclude(status__in=IN_FLIGHT)
    deleted, _ = old.delete()
    return int(deleted)


def register() -> None:
    r = registry
    r.register_export_section(
        "reminder_emails",
        export_deliveries,
        description="The emails we sent you: reminders, digests, summaries and the like.",
    )
    r.register_export_section(
        "digest_choice", export_digest_preference, description="Your weekly digest choice."
    )
    r.register_retention_rule(
        "delivery_logs",
        purge_old_deliveries,
        description="The record of every automatic email sent, to each person or address.",
    )
