"""The outbox's services: make rows, send one row at most once, sweep, resend.

Guarantees, in one place:
- one row per email and recipient, under unique constraints; making them again (a
  retried task, a second close) makes nothing new;
- at most one email per row: a send claims its row with a conditional update
  (pending → sending, committed before any SMTP traffic) and stops unless it won; a
  send that stopped after the message went out, before the server's reply, ends
  "unknown", as does a row a crash left in "sending"; neither is resent automatically;
- no row is lost: rows still pending (never queued, queue lost, worker killed before
  the claim) are queued again by ``deliveries_sweep``;
- tasks carry ids only, and are queued after the transaction commits.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import emails, registry, smtp
from .models import ABOUT_KINDS, SECRET_KINDS, Delivery, DeliveryStatus
from .registry import SendOutcome

logger = logging.getLogger(__name__)

INSERT_BATCH = 1000
# Tasks queued per broker round trip: enough to pipeline, few enough that the worker
# starts on the first ones at once.
PUBLISH_BATCH = 100


def _seconds(name: str, default: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, name, default)))


def retry_delay(attempts: int) -> int:
    """Exponential backoff: base, twice that, four times … capped at an hour."""
    base = int(getattr(settings, "REMINDERS_RETRY_BASE_SECONDS", 60))
    return int(min(base * 2 ** max(attempts - 1, 0), 3600))


# --- Making rows ----------------------------------------------------------------------


def deliveries_create(
    *,
    kind: str,
    recipient_ids: Iterable[int] = (),
    address: str = "",
    about_id: int | None = None,
    forum_id: int | None = None,
    subject: str = "",
    body_text: str = "",
    body_html: str = "",
    now: datetime.datetime | None = None,
) -> list[int]:
    """Make the rows for one email about one thing (``about_id``) to each of
    ``recipient_ids``, or to ``address`` when there is no account. Returns the ids of the
    rows still waiting to be sent, for the caller to send or queue.

    Guarantee: idempotent for kinds about one thing: the unique constraints skip a row that
    exists, so calling this twice makes each row once. Run it in the transaction that
    makes the thing, so the rows exist exactly when it does. The rows are marked queued
    now: the caller's own task sends them, and ``deliveries_sweep`` queues any still
    pending after ``REMINDERS_REQUEUE_AFTER`` (a lost task).
    """
    now = now or timezone.now()
    common: dict[str, Any] = {
        "kind": kind,
        "about_id": about_id,
        "forum_id": forum_id,
        "occasion_date": now.date(),
        "occasion_at": now,
        "created_at": now,
        "queued_at": now,
        "subject": subject[:300],
        "body_text": body_text,
        "body_html": body_html,
    }
    ids = sorted(set(recipient_ids))
    rows = [Delivery(recipient_id=pk, **common) for pk in ids]
    if address:
        rows.append(Delivery(address=address, **common))
    if about_id is None or kind not in ABOUT_KINDS:
        # Nothing to be unique on (an account email): each call is a new email.
        return [row.pk for row in Delivery.objects.bulk_create(rows)]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=INSERT_BATCH)
    mine = Q(recipient_id__in=ids) | (Q(recipient__isnull=True) if address else Q(pk__in=[]))
    return list(
        Delivery.objects.filter(mine, kind=kind, about_id=about_id, status=DeliveryStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def deliveries_queue(**rows: Any) -> list[int]:
    """``deliveries_create`` and, once the transaction commits, queue one send task per
    row. Run it in the transaction that makes what the email is about."""
    ids = deliveries_create(**rows)
    transaction.on_commit(lambda: deliveries_publish(ids))
    return ids


def deliveries_send_now(ids: Iterable[int]) -> int:
    """Send each row now, in this process, each at most once (see ``delivery_send``), so
    one recipient's failure never holds up the others. A row the server did not take
    is retried by the outbox's task after its backoff (or, if the broker is down, by the
    sweep). Returns how many were sent."""
    sent = 0
    for pk in ids:
        outcome = delivery_send(delivery_id=pk)
        sent += outcome.status == DeliveryStatus.SENT
        if outcome.retry_in is not None:
            _queue_retry(pk, outcome.retry_in)
    return sent


def _queue_retry(delivery_id: int, countdown: int) -> None:
    from .tasks import send_delivery

    try:
        send_delivery.apply_async(
            kwargs={"delivery_id": delivery_id}, countdown=countdown, retry=False
        )
    except Exception:  # the broker is down: the sweep queues the row later
        logger.exception("Could not queue a retry of delivery %s", delivery_id)


# --- Sending one row ----------------------------------------------------------------------

_FINISH = (
    f"UPDATE {Delivery._meta.db_table} SET status = %s, detail = %s, smtp_step = %s, "  # noqa: S608
    "sent_at = COALESCE(%s, sent_at) WHERE id = %s AND status = %s"
)


def finish(
    delivery_id: int,
    status: str,
    detail: str = "",
    *,
    sent_at: datetime.datetime | None = None,
    smtp_step: str = "",
) -> SendOutcome:
    """End a claimed send: sending → ``status``. A row no longer sending is left alone.
    (Plain SQL: it runs once per email, thousands of times a batch.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            _FINISH,
            [
                status,
                detail[:500],
                smtp_step[:200],
                connection.ops.adapt_datetimefield_value(sent_at),
                delivery_id,
                DeliveryStatus.SENDING,
            ],
        )
    return SendOutcome(status=status)


def transmit(
    *, delivery_id: int, attempts: int, message: EmailMessage, now: datetime.datetime
) -> SendOutcome:
    """Send the email of a claimed row (status sending, ``attempts`` counting this one)
    and end the row by what happened.

    - sent: the server replied 250 to the end of the message;
    - pending, with ``retry_in``: the server did not take it (a 4xx, or the connection
      failed before the end of the message), attempts remain;
    - failed: a 5xx (that recipient or sender is refused for good), or no attempts left;
    - unknown: the whole message went out and the reply never came. Never retried.
    """
    message = emails.finalise(message)
    try:
        smtp.send(message)
    except smtp.SendFailure as failure:
        return _after_failure(delivery_id, attempts, now, failure)
    except Exception as exc:  # a local backend (file, console): it wrote nothing
        local = smtp.SendFailure(
            outcome=smtp.RETRY, step="handing the message to the mail backend", detail=str(exc)
        )
        return _after_failure(delivery_id, attempts, now, local)
    return finish(delivery_id, DeliveryStatus.SENT, sent_at=timezone.now())


def _after_failure(
    delivery_id: int, attempts: int, now: datetime.datetime, failure: smtp.SendFailure
) -> SendOutcome:
    step = failure.step if failure.outcome != smtp.UNKNOWN else f"{failure}"
    if failure.outcome == smtp.UNKNOWN:
        logger.warning("Delivery %s: outcome unknown (%s)", delivery_id, failure)
        return finish(
            delivery_id,
            DeliveryStatus.UNKNOWN,
            "The whole message was sent but the server's reply never came, so it may have "
            "arrived. It was not sent again automatically.",
            smtp_step=step,
        )
    if failure.outcome == smtp.UNREACHABLE and not _waited_too_long(delivery_id, now):
        # The server is down: this row did nothing wrong, so the try is not counted, and
        # it comes round again soon, so the queue drains within seconds of the server's
        # return rather than at the end of a doubling back-off.
        delay = int(getattr(settings, "OUTBOX_UNREACHABLE_RETRY_SECONDS", 20))
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.PENDING,
            attempts=F("attempts") - 1,
            queued_at=now + datetime.timedelta(seconds=delay),
            detail=f"The mail server could not be reached; trying again: {failure}"[:500],
            smtp_step=step[:200],
        )
        return SendOutcome(status=DeliveryStatus.PENDING, retry_in=delay)
    max_attempts = int(getattr(settings, "REMINDERS_MAX_ATTEMPTS", 5))
    if failure.outcome in (smtp.RETRY, smtp.UNREACHABLE) and attempts < max_attempts:
        delay = retry_delay(attempts)
        # Release the claim, and mark it queued in the future so the sweep leaves the
        # retry to Celery unless that is lost too.
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.PENDING,
            queued_at=now + datetime.timedelta(seconds=delay),
            detail=f"Attempt {attempts} failed, will retry: {failure}"[:500],
            smtp_step=step[:200],
        )
        return SendOutcome(status=DeliveryStatus.PENDING, retry_in=delay)
    logger.warning("Delivery %s failed: %s", delivery_id, failure)
    return finish(delivery_id, DeliveryStatus.FAILED, str(failure), smtp_step=step)


def _waited_too_long(delivery_id: int, now: datetime.datetime) -> bool:
    """Whether a row has waited ``OUTBOX_UNREACHABLE_GIVE_UP_SECONDS`` for the server: from
    then on, an unreachable server counts as a failed attempt, so the row ends at last."""
    give_up = now - _seconds("OUTBOX_UNREACHABLE_GIVE_UP_SECONDS", 6 * 3600)
    return Delivery.objects.filter(pk=delivery_id, created_at__lt=give_up).exists()


def _stored_message(delivery: Delivery) -> EmailMessage:
    """The email a row carries itself (an account email). Without a plain-text part, the
    HTML is taken as the body, and ``emails.finalise`` derives the text from it."""
    if delivery.body_text or not delivery.body_html:
        message = EmailMultiAlternatives(subject=delivery.subject, body=delivery.body_text)
        if delivery.body_html:
            message.attach_alternative(delivery.body_html, "text/html")
        return message
    message = EmailMultiAlternatives(subject=delivery.subject, body=delivery.body_html)
    message.content_subtype = "html"
    return message


def delivery_address(delivery: Delivery) -> str:
    """Where the row goes: its own address if it has one (an invitation, or an account
    email to an address being confirmed), else the person's."""
    if delivery.address or delivery.recipient is None:
        return delivery.address
    return delivery.recipient.email


def delivery_send(*, delivery_id: int) -> SendOutcome:
    """Send the email of one row, at most once.

    Precondition: none; a missing row or one that is not pending is left alone.
    Guarantees: the row is claimed (pending → sending, committed) before any SMTP traffic,
    so a concurrent or repeated call returns "not-claimed" without sending. It ends sent,
    skipped (no longer wanted: the builder says why), failed, unknown, or back to pending
    with ``retry_in`` seconds (see ``transmit``). A crash between the claim and the end
    leaves it in sending, for the sweep to mark unknown.
    """
    kind = Delivery.objects.filter(pk=delivery_id).values_list("kind", flat=True).first()
    if kind is None:
        return SendOutcome(status="not-claimed")
    handling = registry.get(kind)
    if handling.send is not None:
        return handling.send(delivery_id)
    now = timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if claimed != 1:
        return SendOutcome(status="not-claimed")
    delivery = Delivery.objects.select_related("recipient", "forum").get(pk=delivery_id)
    if delivery.recipient is not None and not delivery.recipient.is_active:
        return finish(delivery_id, DeliveryStatus.SKIPPED, "The person's account is closed.")
    try:
        built = handling.build(delivery, now) if handling.build else _stored_message(delivery)
    except Exception:
        logger.exception("Could not build the email for delivery %s", delivery_id)
        return finish(delivery_id, DeliveryStatus.FAILED, "The email could not be put together.")
    if isinstance(built, str):
        return finish(delivery_id, DeliveryStatus.SKIPPED, built)
    built.to = [delivery_address(delivery)]
    built.cc, built.bcc = [], []
    outcome = transmit(delivery_id=delivery_id, attempts=delivery.attempts, message=built, now=now)
    if outcome.status == DeliveryStatus.SENT:
        if delivery.kind in SECRET_KINDS:
            # It carried a one-time code or a private link: keep no copy.
            Delivery.objects.filter(pk=delivery_id).update(body_text="", body_html="")
        if handling.on_sent is not None:
            handling.on_sent(delivery)
    return outcome


# --- Sweeping: stuck rows, lost tasks ------------------------------------------------------


def mark_stuck_as_unknown(now: datetime.datetime) -> int:
    """Rows sending for longer than ``REMINDERS_SENDING_TIMEOUT`` → unknown."""
    cutoff = now - _seconds("REMINDERS_SENDING_TIMEOUT", 600)
    # Lock in primary-key order, skipping rows another sweep holds: two sweeps never
    # wait on each other in opposite orders (a deadlock).
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
        smtp_step="the sender stopped during the send (no result recorded)",
    )


def take_for_queueing(now: datetime.datetime) -> list[int]:
    """Pending rows never queued, or queued more than ``REMINDERS_REQUEUE_AFTER`` ago,
    marked queued now. Run inside a transaction; publish the ids after commit."""
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


def deliveries_sweep(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Mark stuck rows unknown and queue pending rows again (after commit). Safe to run
    at any time and concurrently. Returns (marked unknown, queued)."""
    now = now or timezone.now()
    with transaction.atomic():
        marked = mark_stuck_as_unknown(now)
        ids = take_for_queueing(now)
        transaction.on_commit(lambda: deliveries_publish(ids))
    return marked, len(ids)


def deliveries_publish(ids: list[int]) -> None:
    """Queue one send task per id over one broker connection, in batches of
    ``PUBLISH_BATCH`` (on Redis, one pipelined round trip per batch rather than one per
    task). If the broker is down, stop at the first failure and mark the rest, from the
    failed batch on, as never queued, so the next sweep queues them at once (a task of
    that batch that did reach the broker finds its row claimed or still pending: never a
    second email); the web request or beat tick that called us is not failed."""
    if not ids:
        return
    from hls_forum.celery import app

    from .tasks import send_delivery

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
            "Could not queue %s email deliveries; the next sweep will", len(ids) - published
        )
        unqueued = ids[published:]
        for start in range(0, len(unqueued), INSERT_BATCH):
            Delivery.objects.filter(
                pk__in=unqueued[start : start + INSERT_BATCH], status=DeliveryStatus.PENDING
            ).update(queued_at=None)


def delivery_resend(*, delivery: Delivery) -> bool:
    """Put a failed or unknown row back in the queue, at a person's request (a forum's
    facilitator, or staff).

    An "unknown" email may already have arrived; the page asking for this says so. Returns
    False if the row was no longer failed or unknown. The send is queued after commit; a
    broker that is down does not fail the request, and the next sweep queues it.
    """
    with transaction.atomic():
        updated = Delivery.objects.filter(
            pk=delivery.pk, status__in=[DeliveryStatus.FAILED, DeliveryStatus.UNKNOWN]
        ).update(
            status=DeliveryStatus.PENDING,
            attempts=0,
            queued_at=timezone.now(),
            detail="Sent again at a person's request.",
        )
        if updated:
            transaction.on_commit(lambda: deliveries_publish([delivery.pk]))
    return bool(updated)
