"""Send one reminder or digest: claim its row, build its email and hand it to the outbox's
``transmit``, at most once. (The outbox's own ``delivery_send`` hands these kinds here:
they are sent by the thousand, so the claim and load are one tuned statement.)"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import connection, models
from django.utils import timezone

from outbox.services import SendOutcome, finish, transmit
from partnerships.models import Forum, ForumMembership, Place, User
from reminders import emails
from reminders.models import (
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    DigestFrequency,
    DigestPreference,
)

logger = logging.getLogger(__name__)


# The send path runs once per email, thousands of times a batch, so its statements are
# plain SQL, built once per process: building them with the ORM cost more CPU than the
# rest of a send but the SMTP conversation. Identifiers come from the models' _meta and
# every value is a parameter. The same SQL runs on PostgreSQL and SQLite.
_DELIVERY = Delivery._meta.db_table
_CLAIM = (
    f"UPDATE {_DELIVERY} SET status = %s, claimed_at = %s, attempts = attempts + 1 "  # noqa: S608
    "WHERE id = %s AND status = %s"
)
_LOADED = ((Delivery, "d"), (Forum, "f"), (Place, "p"), (User, "u"))

RowReader = Callable[[Sequence[Any]], Any]


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
    assert delivery.recipient is not None  # reminders and digests always go to a person
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
    preference = DigestPreference.objects.filter(user=delivery.recipient).first()
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
    skipped (nothing to send, or no longer wanted), or as the outbox's ``transmit`` ends it:
    sent, failed (a 5xx, or too many attempts), unknown (the reply to the whole message
    never came; never resent automatically), or back to pending with ``retry_in`` seconds.
    A crash between the claim and the end leaves it in sending, for the sweep to mark
    unknown.
    """
    now = timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return SendOutcome(status="not-claimed")

    reason = _reason_not_to_send(delivery, now)
    if reason:
        return finish(delivery_id, DeliveryStatus.SKIPPED, reason)
    message: EmailMultiAlternatives | None
    try:
        if delivery.kind == DeliveryKind.REMINDER:
            message = emails.reminder_message(delivery, now=now)
        else:
            message = emails.digest_message(delivery, since=_digest_since(delivery), now=now)
    except Exception:
        logger.exception("Could not build the email for delivery %s", delivery_id)
        return finish(delivery_id, DeliveryStatus.FAILED, "The email could not be put together.")
    if message is None:
        return finish(delivery_id, DeliveryStatus.SKIPPED, "Nothing new to report this week.")

    return transmit(delivery_id=delivery_id, attempts=delivery.attempts, message=message, now=now)
