"""Dispatch: find what is due, create its delivery rows, and queue one send per row."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from partnerships.models import Forum, ForumMembership
from reminders import scheduling
from reminders.models import (
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    DigestFrequency,
    DigestPreference,
)

logger = logging.getLogger(__name__)

INSERT_BATCH = 1000
# Tasks queued per broker round trip: enough to pipeline, few enough that the worker
# starts on the first ones at once.
PUBLISH_BATCH = 100


def _seconds(name: str, default: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, name, default)))


@dataclass(frozen=True)
class DispatchResult:
    created: int
    queued: int
    marked_unknown: int


def reminders_dispatch(*, now: datetime.datetime | None = None) -> DispatchResult:
    """Find what is due at ``now``, create its delivery rows, and queue one send per row.

    Safe to run at any time, as often as you like, and concurrently: rows are created under
    unique constraints, each pending row is claimed for queueing under a row lock
    (``skip_locked`` on PostgreSQL), and sends are queued only after commit. Rows pending
    but queued more than ``REMINDERS_REQUEUE_AFTER`` seconds ago are queued again; rows
    sending for more than ``REMINDERS_SENDING_TIMEOUT`` seconds are marked unknown.
    """
    now = now or timezone.now()
    with transaction.atomic():
        marked_unknown = _mark_stuck_as_unknown(now)
        created = _create_due_reminders(now) + _create_due_digests(now)
        ids = _take_for_queueing(now)
        transaction.on_commit(lambda: deliveries_publish(ids))
    if created or ids or marked_unknown:
        logger.info(
            "Reminders dispatch: %s new, %s queued, %s marked unknown",
            created,
            len(ids),
            marked_unknown,
        )
    return DispatchResult(created=created, queued=len(ids), marked_unknown=marked_unknown)


def _mark_stuck_as_unknown(now: datetime.datetime) -> int:
    cutoff = now - _seconds("REMINDERS_SENDING_TIMEOUT", 600)
    # Lock in primary-key order, skipping rows another dispatcher holds: two dispatchers
    # never wait on each other in opposite orders (a deadlock).
    ids = list(
        Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=cutoff)
        .order_by("pk")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    return Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.UNKNOWN,
        detail="Sending stopped part-way (the sender was interrupted). The email may or may "
        "not have arrived, so it was not sent again automatically.",
    )


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


def _take_for_queueing(now: datetime.datetime) -> list[int]:
    requeue_before = now - _seconds("REMINDERS_REQUEUE_AFTER", 900)
    limit = int(getattr(settings, "REMINDERS_DISPATCH_LIMIT", 50_000))
    ids = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lte=requeue_before))
        .order_by("pk")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:limit]
    )
    for start in range(0, len(ids), INSERT_BATCH):
        Delivery.objects.filter(pk__in=ids[start : start + INSERT_BATCH]).update(queued_at=now)
    return ids


def deliveries_publish(ids: list[int]) -> None:
    """Queue one send task per id over one broker connection, in batches of
    ``PUBLISH_BATCH`` (on Redis, one pipelined round trip per batch rather than one per
    task; other brokers publish each at once). If the broker is down, stop at the first
    failure and mark the rest, from the failed batch on, as never queued, so the next run
    retries them at once (a task of that batch that did reach the broker finds its row
    claimed or still pending: never a second email); the web request or beat tick that
    called us is not failed."""
    if not ids:
        return
    from hls_forum.celery import app
    from reminders.tasks import send_delivery

    published = 0
    try:
        with app.producer_or_acquire() as producer:
            for start in range(0, len(ids), PUBLISH_BATCH):
                batch = ids[start : start + PUBLISH_BATCH]
                with producer.batch(max_size=len(batch)):
                    for pk in batch:
                        send_delivery.apply_async(
                            kwargs={"delivery_id": pk}, producer=producer, retry=False
                        )
                published += len(batch)
    except Exception:
        logger.exception(
            "Could not queue %s reminder deliveries; the next dispatcher run will",
            len(ids) - published,
        )
        unqueued = ids[published:]
        for start in range(0, len(unqueued), INSERT_BATCH):
            Delivery.objects.filter(
                pk__in=unqueued[start : start + INSERT_BATCH], status=DeliveryStatus.PENDING
            ).update(queued_at=None)
