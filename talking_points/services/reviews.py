"""Commissioners' reviews of learning: read marks, responses, replies and their emails."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Q,
)
from django.utils import timezone

from hls_forum.queue import enqueue_after_commit
from outbox import services as outbox
from outbox.models import DeliveryKind
from partnerships.models import (
    User,
)

from .. import permissions
from ..models import (
    LearningEntry,
    Review,
    ReviewKind,
    ReviewRead,
)


def review_mark_read(*, entry: LearningEntry, user: User, read: bool = True) -> None:
    """Mark an entry read (or unread again) in a commissioner's review queue. Idempotent."""
    if read:
        ReviewRead.objects.get_or_create(entry=entry, user=user)
    else:
        ReviewRead.objects.filter(entry=entry, user=user).delete()


def review_create(*, entry: LearningEntry, author: User, kind: str, text: str) -> Review:
    """A commissioner responds to an entry shared with them.

    Precondition: ``entry`` was fetched through ``visible_to(author)``. Guarantee: the
    response is stored, the entry is marked read, and the organisation's email is queued only
    after commit.
    """
    from ..tasks import notify_review

    permissions.require_can_review_entry(author, entry)
    if kind == ReviewKind.REPLY:
        raise ValidationError("Use a reply for an existing conversation.")
    with transaction.atomic():
        review = Review.objects.create(
            entry=entry, author=author, kind=kind, text=text, notified_at=timezone.now()
        )
        ReviewRead.objects.get_or_create(entry=entry, user=author)
        _review_rows(review)
        enqueue_after_commit(notify_review, review_id=review.pk)
    return review


def review_reply(*, review: Review, author: User, text: str) -> Review:
    """Reply in a response's thread; the other people in it are emailed after commit."""
    from ..tasks import notify_review

    permissions.require_can_reply_to_review(author, review)
    with transaction.atomic():
        reply = Review.objects.create(
            entry_id=review.entry_id,
            in_reply_to=review,
            author=author,
            kind=ReviewKind.REPLY,
            text=text,
            notified_at=timezone.now(),
        )
        _review_rows(reply)
        enqueue_after_commit(notify_review, review_id=reply.pk)
    return reply


def review_recipients(review: Review) -> list[User]:
    """Who hears about a response or reply: the entry's organisation and everyone in the
    thread, except its author, and only those who can still see the entry *now*."""
    entry = review.entry
    root_id = review.in_reply_to_id or review.pk
    thread_authors = Review.objects.filter(Q(pk=root_id) | Q(in_reply_to_id=root_id)).values(
        "author_id"
    )
    candidates = (
        User.objects.filter(is_active=True)
        .filter(Q(memberships__organisation_id=entry.organisation_id) | Q(pk__in=thread_authors))
        .exclude(Q(pk=review.author_id))
        .distinct()
        .order_by("pk")
    )
    return [
        user
        for user in candidates
        if LearningEntry.objects.visible_to(user).filter(pk=entry.pk).exists()
    ]


def _review_rows(review: Review) -> list[int]:
    """The outbox rows of a response or reply, one per person it concerns, made if
    missing; returns those still waiting to be sent."""
    return outbox.deliveries_create(
        kind=DeliveryKind.REVIEW,
        recipient_ids=[user.pk for user in review_recipients(review)],
        about_id=review.pk,
    )


def review_notify(*, review_id: int) -> int:
    """Email a response or reply to the people it concerns, through the outbox (one row
    per person). Returns how many were sent now.

    Guarantee: each person gets it at most once (each row is claimed before sending), and
    one person's failure never holds up the others. Visibility is checked again at send
    time, so a story whose consent was withdrawn is never emailed outside its organisation.
    """
    review = Review.objects.filter(pk=review_id).select_related("entry").first()
    if review is None:
        return 0
    if review.notified_at is None:
        Review.objects.filter(pk=review_id, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
    return outbox.deliveries_send_now(_review_rows(review))
