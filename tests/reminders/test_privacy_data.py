"""Reminders in a person's data rights: the emails sent to them in their copy, and the
delivery log kept only for its retention period."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from privacy import registry
from privacy import services as privacy_services
from reminders.models import Delivery, DeliveryKind, DeliveryStatus
from tests.conftest import World

NOW = timezone.now()


def _delivery(world: World, user: Any, *, days_ago: int, status: str) -> Delivery:
    at = NOW - datetime.timedelta(days=days_ago)
    return Delivery.objects.create(
        kind=DeliveryKind.REMINDER,
        forum=world.forum,
        recipient=user,
        occasion_date=at.date(),
        occasion_at=at,
        status=status,
        created_at=at,
        sent_at=at if status == DeliveryStatus.SENT else None,
    )


def test_copy_lists_the_reminders_sent_to_the_person_only(world: World) -> None:
    _delivery(world, world.member_a, days_ago=3, status=DeliveryStatus.SENT)
    _delivery(world, world.member_b, days_ago=3, status=DeliveryStatus.SENT)
    section = {s.name: s for s in registry.export_sections()}["reminder_emails"]

    rows = list(section.fn(world.member_a))

    assert [(r["kind"], r["forum"], r["status"]) for r in rows] == [
        ("Meeting reminder", "Testford Forum", "Sent")
    ]


def test_delivery_log_past_its_period_is_deleted_and_a_second_run_changes_nothing(
    world: World, settings: Any
) -> None:
    settings.PRIVACY_RETENTION = {**settings.PRIVACY_RETENTION, "delivery_logs": 365}
    old_sent = _delivery(world, world.member_a, days_ago=400, status=DeliveryStatus.SENT)
    old_failed = _delivery(world, world.member_b, days_ago=400, status=DeliveryStatus.FAILED)
    old_pending = _delivery(world, world.lead_a, days_ago=400, status=DeliveryStatus.PENDING)
    recent = _delivery(world, world.facilitator, days_ago=10, status=DeliveryStatus.SENT)

    first = privacy_services.retention_apply(now=NOW)
    second = privacy_services.retention_apply(now=NOW)

    remaining = set(Delivery.objects.values_list("pk", flat=True))
    assert remaining == {old_pending.pk, recent.pk}
    assert {old_sent.pk, old_failed.pk}.isdisjoint(remaining)
    assert first["delivery_logs"] == 2
    assert second["delivery_logs"] == 0
