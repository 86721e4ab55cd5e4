"""People's choices: reminders, the digest, unsubscribing."""

from __future__ import annotations

from django.db import transaction

from partnerships.models import ForumMembership, User
from reminders.models import (
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    DigestFrequency,
    DigestPreference,
)
from reminders.tokens import UnsubscribeLink


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


def unsubscribe(*, link: UnsubscribeLink) -> str | None:
    """Apply a one-click unsubscribe. Returns what was stopped (for the page), or None if
    the token no longer matches anything (the person left the forum, or was deleted).
    Idempotent: unsubscribing twice is the same as once."""
    if link.forum_id is None:
        user = User.objects.filter(pk=link.user_id).first()
        if user is None:
            return None
        with transaction.atomic():
            DigestPreference.objects.filter(user=user).update(frequency=DigestFrequency.OFF)
            Delivery.objects.filter(
                kind=DeliveryKind.DIGEST, recipient=user, status=DeliveryStatus.PENDING
            ).update(status=DeliveryStatus.SKIPPED, detail="The person turned the digest off.")
        return "the weekly digest"
    membership = (
        ForumMembership.objects.filter(user_id=link.user_id, forum_id=link.forum_id)
        .select_related("forum")
        .first()
    )
    if membership is None:
        return None
    forum_reminders_set(membership=membership, enabled=False)
    return f"reminders for {membership.forum.name}"
