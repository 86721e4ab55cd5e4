"""Reminders and digests: dispatch what is due, send one delivery, record preferences.

Guarantees, in one place:
- one ``Delivery`` row per (forum, person, meeting date) and per (person, digest date),
  enforced by unique constraints; the dispatcher inserts with ``ignore_conflicts``, so two
  dispatchers, or one run twice, create each row once;
- at most one email per row: a send claims its row with a conditional update
  (pending → sending) and stops unless it won; a row left in "sending" by a crash is
  marked "unknown" by the dispatcher and never resent automatically;
- no row is lost: rows still pending (never queued, queue lost, worker killed before the
  claim) are queued again by a later dispatcher run;
- tasks carry ids only, and are queued after the transaction commits.
"""

from __future__ import annotations

import datetime
import functools
import logging
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from partnerships.models import Forum, ForumMembership, Place, User

from reminders import emails, mailer, scheduling
from reminders.models import (
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    DigestFrequency,
    DigestPreference,
)
from reminders.tokens import UnsubscribeScope

logger = logging.getLogger(__name__)

INSERT_BATCH = 1000
# Tasks queued per broker round trip: enough to pipeline, few enough that the worker
# starts on the first ones at once.
PUBLISH_BATCH = 100


def _seconds(name: str, default: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, name, default)))


# --- Dispatch ----------------------------------------------------------------------


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
        transaction.on_commit(lambda: _publish(ids))
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


def _publish(ids: list[int]) -> None:
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


# --- Send one --------------------------------------------------------------------------


@dataclass(frozen=True)
class SendOutcome:
    status: str  # a DeliveryStatus value, or "not-claimed"
    retry_in: int | None = None


def _is_transient(exc: BaseException) -> bool:
    """4xx replies, dropped connections and network errors are worth retrying; 5xx
    replies (unknown mailbox, refused sender, bad credentials) are not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, OSError)


def retry_delay(attempts: int) -> int:
    """Exponential backoff: base, twice that, four times … capped at an hour."""
    base = int(getattr(settings, "REMINDERS_RETRY_BASE_SECONDS", 60))
    return int(min(base * 2 ** max(attempts - 1, 0), 3600))


# The send path runs once per email, thousands of times a batch, so its statements are
# plain SQL, built once per process: building them with the ORM cost more CPU than the
# rest of a send but the SMTP conversation. Identifiers come from the models' _meta and
# every value is a parameter. The same SQL runs on PostgreSQL and SQLite.
_DELIVERY = Delivery._meta.db_table
_CLAIM = (
    f"UPDATE {_DELIVERY} SET status = %s, claimed_at = %s, attempts = attempts + 1 "  # noqa: S608
    "WHERE id = %s AND status = %s"
)
_FINISH = (
    f"UPDATE {_DELIVERY} SET status = %s, detail = %s, sent_at = COALESCE(%s, sent_at) "  # noqa: S608
    "WHERE id = %s AND status = %s"
)
_LOADED = ((Delivery, "d"), (Forum, "f"), (Place, "p"), (User, "u"))

RowReader = Callable[[Sequence[Any]], Any]


def _finish(
    delivery_id: int, status: str, detail: str = "", sent_at: datetime.datetime | None = None
) -> SendOutcome:
    """End a claimed send: sending → ``status``. A row no longer sending is left alone."""
    with connection.cursor() as cursor:
        cursor.execute(
            _FINISH,
            [
                status,
                detail[:500],
                connection.ops.adapt_datetimefield_value(sent_at),
                delivery_id,
                DeliveryStatus.SENDING,
            ],
        )
    return SendOutcome(status=status)


def _row_reader(model: type[models.Model], alias: str) -> tuple[str, RowReader]:
    """The columns of ``model`` (in a FROM under ``alias``) for a SELECT, and a function
    turning those values of a row into an instance through the fields' own database
    converters, as the ORM would. None for the all-NULL columns of a LEFT JOIN miss."""
    fields = model._meta.concrete_fields
    columns = ", ".join(f"{alias}.{connection.ops.quote_name(f.column)}" for f in fields)
    names = [f.attname for f in fields]
    converters: list[tuple[int, Callable[..., Any], Any]] = []
    for index, field in enumerate(fields):
        column = field.get_col(alias)
        # As SQLCompiler.get_converters: the backend's, then the field's (from_db_value).
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        converters.extend((index, converter, column) for converter in found)

    def read(values: Sequence[Any]) -> Any:
        if values[0] is None:
            return None
        row = list(values)
        for index, converter, column in converters:
            row[index] = converter(row[index], column, connection)
        return model.from_db(connection.alias, names, row)

    return columns, read


@functools.cache
def _claim_statements(vendor: str) -> tuple[str, str, list[RowReader]]:
    """The claim and the load (see ``_claim``) for this database, and the row readers."""
    readers = [_row_reader(model, alias) for model, alias in _LOADED]
    load = (
        f"SELECT {', '.join(columns for columns, _ in readers)}, "  # noqa: S608
        f"(SELECT m.reminders_enabled FROM {ForumMembership._meta.db_table} m "
        "WHERE m.forum_id = d.forum_id AND m.user_id = d.recipient_id) "
        "FROM {source} "
        f"JOIN {User._meta.db_table} u ON u.id = d.recipient_id "
        f"LEFT JOIN {Forum._meta.db_table} f ON f.id = d.forum_id "
        f"LEFT JOIN {Place._meta.db_table} p ON p.id = f.place_id"
    )
    if vendor == "postgresql":
        claim = f"WITH d AS ({_CLAIM} RETURNING *) {load.format(source='d')}"
        load = ""
    else:
        claim = _CLAIM
        load = f"{load.format(source=f'{_DELIVERY} d')} WHERE d.id = %s"
    return claim, load, [read for _, read in readers]


def _claim(delivery_id: int, now: datetime.datetime) -> Delivery | None:
    """Claim the row (pending → sending, with the attempt counted) and load it with its
    forum, place and recipient, and the recipient's reminder choice for the forum as
    ``member_reminders`` (None once they have left it). None unless this call won.

    The claim commits on its own, before anything is sent (the caller is not in a
    transaction). On PostgreSQL the claim and the load are one statement (the UPDATE in a
    WITH, RETURNING the claimed row); elsewhere they are two.
    """
    claim, load, readers = _claim_statements(connection.vendor)
    params = [
        DeliveryStatus.SENDING,
        connection.ops.adapt_datetimefield_value(now),
        delivery_id,
        DeliveryStatus.PENDING,
    ]
    with connection.cursor() as cursor:
        cursor.execute(claim, params)
        if load:
            if cursor.rowcount != 1:
                return None
            cursor.execute(load, [delivery_id])
        row = cursor.fetchone()
    if row is None:
        return None
    instances = []
    start = 0
    for (model, _), read in zip(_LOADED, readers, strict=True):
        width = len(model._meta.concrete_fields)
        instances.append(read(row[start : start + width]))
        start += width
    delivery, forum, place, recipient = instances
    if forum is not None:
        forum.place = place
    delivery.forum = forum
    delivery.recipient = recipient
    delivery.member_reminders = None if row[start] is None else bool(row[start])
    return delivery


def _reason_not_to_send(delivery: Delivery, now: datetime.datetime) -> str:
    if not delivery.recipient.is_active:
        return "The person's account is closed."
    if delivery.kind == DeliveryKind.REMINDER:
        member_reminders = getattr(delivery, "member_reminders", None)
        if member_reminders is None:
            return "The person is no longer a member of the forum."
        if not member_reminders:
            return "The person turned reminders off."
        if delivery.occasion_at <= now:
            return "Too late: the meeting had already started."
        return ""
    preference = DigestPreference.objects.filter(user_id=delivery.recipient_id).first()
    if preference is None or preference.frequency == DigestFrequency.OFF:
        return "The person turned the digest off."
    return ""


def _digest_since(delivery: Delivery) -> datetime.datetime:
    previous = (
        Delivery.objects.filter(
            kind=DeliveryKind.DIGEST,
            recipient_id=delivery.recipient_id,
            status=DeliveryStatus.SENT,
            occasion_date__lt=delivery.occasion_date,
        )
        .order_by("-occasion_date")
        .values_list("occasion_at", flat=True)
        .first()
    )
    return previous or delivery.occasion_at - datetime.timedelta(days=7)


def delivery_send(*, delivery_id: int) -> SendOutcome:
    """Send the email for one delivery row, at most once.

    Precondition: none; a missing row or one that is not pending is left alone.
    Guarantees: the row is claimed (pending → sending, committed) before any SMTP traffic,
    so a concurrent or repeated call returns "not-claimed" without sending. It ends as sent,
    skipped (nothing to send, or no longer wanted), failed (permanent error or too many
    attempts), or back to pending with ``retry_in`` seconds after a transient error. A crash
    between the claim and the end leaves it in sending, for the dispatcher to mark unknown.
    """
    now = timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return SendOutcome(status="not-claimed")

    reason = _reason_not_to_send(delivery, now)
    if reason:
        return _finish(delivery_id, DeliveryStatus.SKIPPED, reason)
    message: EmailMultiAlternatives | None
    try:
        if delivery.kind == DeliveryKind.REMINDER:
            message = emails.reminder_message(delivery, now=now)
        else:
            message = emails.digest_message(delivery, since=_digest_since(delivery), now=now)
    except Exception:
        logger.exception("Could not build the email for delivery %s", delivery_id)
        return _finish(delivery_id, DeliveryStatus.FAILED, "The email could not be put together.")
    if message is None:
        return _finish(delivery_id, DeliveryStatus.SKIPPED, "Nothing new to report this week.")

    try:
        mailer.send(message)
    except Exception as exc:
        detail = f"{type(exc).__name__}: {exc}"[:500]
        max_attempts = int(getattr(settings, "REMINDERS_MAX_ATTEMPTS", 5))
        if _is_transient(exc) and delivery.attempts < max_attempts:
            delay = retry_delay(delivery.attempts)
            # Release the claim, and mark it queued in the future so the dispatcher leaves
            # the retry to Celery unless that is lost too.
            Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING).update(
                status=DeliveryStatus.PENDING,
                queued_at=now + datetime.timedelta(seconds=delay),
                detail=f"Attempt {delivery.attempts} failed, will retry: {detail}"[:500],
            )
            return SendOutcome(status=DeliveryStatus.PENDING, retry_in=delay)
        logger.warning("Delivery %s failed: %s", delivery_id, detail)
        return _finish(delivery_id, DeliveryStatus.FAILED, detail)
    return _finish(delivery_id, DeliveryStatus.SENT, "", sent_at=timezone.now())


# --- People's choices and facilitators' actions ------------------------------------------


def forum_reminders_set(*, membership: ForumMembership, enabled: bool) -> None:
    """Turn a member's reminders for one forum on or off. Turning them off also stops any
    reminder already waiting to be sent to them for that forum."""
    with transaction.atomic():
        ForumMembership.objects.filter(pk=membership.pk).update(reminders_enabled=enabled)
        membership.reminders_enabled = enabled
        if not enabled:
            Delivery.objects.filter(
                kind=DeliveryKind.REMINDER,
                forum_id=membership.forum_id,
                recipient_id=membership.user_id,
                status=DeliveryStatus.PENDING,
            ).update(status=DeliveryStatus.SKIPPED, detail="The person turned reminders off.")


def digest_preference_set(*, user: User, frequency: str, weekday: int) -> DigestPreference:
    with transaction.atomic():
        preference, _ = DigestPreference.objects.update_or_create(
            user=user, defaults={"frequency": frequency, "weekday": weekday}
        )
        if frequency == DigestFrequency.OFF:
            Delivery.objects.filter(
                kind=DeliveryKind.DIGEST, recipient=user, status=DeliveryStatus.PENDING
            ).update(status=DeliveryStatus.SKIPPED, detail="The person turned the digest off.")
    return preference


def unsubscribe(*, scope: UnsubscribeScope) -> str | None:
    """Apply a one-click unsubscribe. Returns what was stopped (for the page), or None if
    the token no longer matches anything (the person left the forum, or was deleted).
    Idempotent: unsubscribing twice is the same as once."""
    if scope.forum_id is None:
        user = User.objects.filter(pk=scope.user_id).first()
        if user is None:
            return None
        with transaction.atomic():
            DigestPreference.objects.filter(user=user).update(frequency=DigestFrequency.OFF)
            Delivery.objects.filter(
                kind=DeliveryKind.DIGEST, recipient=user, status=DeliveryStatus.PENDING
            ).update(status=DeliveryStatus.SKIPPED, detail="The person turned the digest off.")
        return "the weekly digest"
    membership = (
        ForumMembership.objects.filter(user_id=scope.user_id, forum_id=scope.forum_id)
        .select_related("forum")
        .first()
    )
    if membership is None:
        return None
    forum_reminders_set(membership=membership, enabled=False)
    return f"reminders for {membership.forum.name}"


def delivery_resend(*, delivery: Delivery) -> bool:
    """Put a failed or unknown delivery back in the queue, at a facilitator's request.

    An "unknown" email may already have arrived; the page asking for this says so. Returns
    False if the row was no longer failed or unknown. The send is queued after commit; a
    broker that is down does not fail the request, and the next dispatcher run queues it.
    """
    with transaction.atomic():
        updated = Delivery.objects.filter(
            pk=delivery.pk, status__in=[DeliveryStatus.FAILED, DeliveryStatus.UNKNOWN]
        ).update(
            status=DeliveryStatus.PENDING,
            attempts=0,
            queued_at=timezone.now(),
            detail="Sent again at a facilitator's request.",
        )
        if updated:
            transaction.on_commit(lambda: _publish([delivery.pk]))
    return bool(updated)
