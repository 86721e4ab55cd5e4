"""Dispatch: find what is due, create its delivery rows, and queue one send per row."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from outbox.services import (
    INSERT_BATCH,
    deliveries_publish,
    mark_stuck_as_unknown,
    take_for_queueing,
)
from partnerships.models import Forum, ForumMembership
from reminders import scheduling
from reminders.models import (
    Delivery,
    DeliveryKind,
    DigestFrequency,
    DigestPreference,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DispatchResult:
    created: int
    queued: int
    marked_unknown: int


def reminders_dispatch(*, now: datetime.datetime | None = None) -> DispatchResult:
    """Find what is due at ``now``, create its delivery rows, and queue one send per row.

    Safe to run at any time, as often as you like, and concurrently: rows are created under
    unique constraints, each pending row is claimed for queueing under a row lock
    (``skip_locked`` on PostgreSQL), and sends are queued only after commit. It sweeps the
    whole outbox, every kind of email: rows pending but queued more than
    ``REMINDERS_REQUEUE_AFTER`` seconds ago are queued again; rows sending for more than
    ``REMINDERS_SENDING_TIMEOUT`` seconds are marked unknown.
    """
    now = now or timezone.now()
    with transaction.atomic():
        marked_unknown = mark_stuck_as_unknown(now)
        created = _create_due_reminders(now) + _create_due_digests(now)
        ids = take_for_queueing(now)
        transaction.on_commit(lambda: deliveries_publish(ids))
    if created or ids or marked_unknown:
        logger.info(
            "Reminders dispatch: %s new, %s queued, %s marked unknown",
            created,
            len(ids),
            marked_unknown,
        )
    return DispatchResult(created=created, queued=len(ids), marked_unknown=marked_unknown)


def _create_due_reminders(now: datetime.datetime) -> int:
    rows: list[Delivery] = []
    forums = Forum.objects.select_related("place").only(
        "pk",
        "weekday",
        "start_time",
        "duration_minutes",
        "reminder_days_before",
        "reminder_hour",
        "place__time_zone",
    )
    for forum in forums:
        rhythm = scheduling.Rhythm.of(forum)
        meeting = scheduling.due_meeting(rhythm, now)
        if meeting is None:
            continue
        day = meeting.astimezone(rhythm.tz).date()
        already = Delivery.objects.filter(
            kind=DeliveryKind.REMINDER, forum=forum, occasion_date=day, recipient=OuterRef("user")
        )
        recipients = (
            ForumMembership.objects.filter(
                forum=forum, reminders_enabled=True, user__is_active=True
            )
            .exclude(Exists(already))
            .order_by("user_id")
            .values_list("user_id", flat=True)
        )
        rows.extend(
            Delivery(
                kind=DeliveryKind.REMINDER,
                forum_id=forum.pk,
                recipient_id=user_id,
                occasion_date=day,
                occasion_at=meeting,
                created_at=now,
            )
            for user_id in recipients
        )
    _insert_in_key_order(rows)
    return len(rows)


def _insert_in_key_order(rows: list[Delivery]) -> None:
    """Insert, skipping rows that exist. Two dispatchers inserting the same rows in
    different orders could deadlock on each other's uncommitted rows, so both insert in
    the order of the unique key."""
    rows.sort(key=lambda row: (row.kind, row.forum_id or 0, row.recipient_id, row.occasion_date))
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=INSERT_BATCH)


def _create_due_digests(now: datetime.datetime) -> int:
    local_weekday = now.astimezone(scheduling.site_tz()).weekday()
    due = scheduling.digest_due(local_weekday, now)
    if due is None:
        return 0
    day, due_at = due
    already = Delivery.objects.filter(
        kind=DeliveryKind.DIGEST, occasion_date=day, recipient=OuterRef("user")
    )
    recipients = (
        DigestPreference.objects.filter(
            frequency=DigestFrequency.WEEKLY, weekday=local_weekday, user__is_active=True
        )
        .exclude(Exists(already))
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    rows = [
        Delivery(
            kind=DeliveryKind.DIGEST,
            recipient_id=user_id,
            occasion_date=day,
            occasion_at=due_at,
            created_at=now,
        )
        for user_id in recipients
    ]
    _insert_in_key_order(rows)
    return len(rows)
