"""Writes in talking points that touch several rows or have side effects.

Each feature keeps its services together under a header comment.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from hls_forum.queue import enqueue_after_commit
from partnerships.models import Organisation, Place, User

from . import permissions
from .models import (
    LearningEntry,
    LearningKind,
    LearningLink,
    Review,
    ReviewKind,
    ReviewRead,
    StoryConsent,
    Tag,
    Visibility,
    VisibilityChange,
)

# --- Learning logs ------------------------------------------------------------------

ENTRY_TEXT_FIELDS = (
    "kind",
    "title",
    "body",
    "tried",
    "happened",
    "learned",
    "next_steps",
    "experiment_status",
    "review_date",
)


def _check_consent_allows(entry: LearningEntry, visibility: str) -> None:
    if not entry.is_story or visibility == Visibility.ORGANISATION:
        return
    consent = StoryConsent.objects.filter(entry=entry).first()
    if consent is None or not consent.allows(visibility):
        raise ValidationError("A story of change is never shared wider than its consent.")


def tags_for(names: list[str]) -> list[Tag]:
    tags = []
    for name in names:
        tag, _ = Tag.objects.get_or_create(slug=slugify(name)[:60], defaults={"name": name})
        tags.append(tag)
    return tags


def _record_visibility(
    *, entry: LearningEntry, by: User | None, old: str, new: str, reason: str = ""
) -> None:
    if old != new:
        VisibilityChange.objects.create(
            entry=entry, changed_by=by, from_visibility=old, to_visibility=new, reason=reason
        )


def entry_create(
    *,
    author: User,
    place: Place,
    organisation: Organisation,
    fields: dict[str, Any],
    visibility: str,
    tag_names: list[str],
    consent: dict[str, Any] | None = None,
) -> LearningEntry:
    """Write a learning entry for ``organisation`` in ``place``.

    Preconditions checked here too, not only in the form: the author belongs to the
    organisation, the organisation works in the place, and a story is never wider than its
    consent. Guarantee: the entry, its tags, its consent and its first visibility record are
    stored together or not at all.
    """
    if not permissions.writable_organisations(author, place).filter(pk=organisation.pk).exists():
        raise PermissionDenied("You can only write for your own organisation, where it works.")
    with transaction.atomic():
        entry = LearningEntry(
            place=place,
            organisation=organisation,
            author=author,
            visibility=Visibility.ORGANISATION,
            **{k: fields[k] for k in ENTRY_TEXT_FIELDS if k in fields},
        )
        entry.full_clean(exclude=["visibility"])
        entry.save()
        entry.tags.set(tags_for(tag_names))
        if consent and entry.kind == LearningKind.STORY:
            StoryConsent.objects.create(entry=entry, recorded_by=author, **consent)
        if visibility != Visibility.ORGANISATION:
            _check_consent_allows(entry, visibility)
            entry.visibility = visibility
            entry.save(update_fields=["visibility"])
            _record_visibility(entry=entry, by=author, old=Visibility.ORGANISATION, new=visibility)
    return entry


def entry_update(
    *,
    entry: LearningEntry,
    by: User,
    fields: dict[str, Any],
    visibility: str,
    tag_names: list[str],
) -> LearningEntry:
    """Change an entry's words, tags and visibility. A visibility change is recorded."""
    permissions.require_can_edit_entry(by, entry)
    with transaction.atomic():
        locked = LearningEntry.objects.select_for_update().get(pk=entry.pk)
        for name in ENTRY_TEXT_FIELDS:
            if name in fields:
                setattr(locked, name, fields[name])
        if entry.kind == LearningKind.STORY and locked.kind != LearningKind.STORY:
            raise ValidationError("A story of change stays a story, so its consent still applies.")
        _check_consent_allows(locked, visibility)
        old = locked.visibility
        locked.visibility = visibility
        locked.full_clean()
        locked.save()
        locked.tags.set(tags_for(tag_names))
        _record_visibility(entry=locked, by=by, old=old, new=visibility)
    return locked


def entry_share(
    *, entry: LearningEntry, by: User, visibility: str, reason: str = ""
) -> LearningEntry:
    """Widen or narrow who can see an entry; the change is recorded (who, when, from, to)."""
    permissions.require_can_edit_entry(by, entry)
    with transaction.atomic():
        locked = LearningEntry.objects.select_for_update().get(pk=entry.pk)
        _check_consent_allows(locked, visibility)
        old = locked.visibility
        if old != visibility:
            locked.visibility = visibility
            locked.save(update_fields=["visibility", "updated_at"])
            _record_visibility(entry=locked, by=by, old=old, new=visibility, reason=reason)
    return locked


def entry_delete(*, entry: LearningEntry, by: User) -> None:
    """Delete an entry with its links, reviews and history."""
    permissions.require_can_edit_entry(by, entry)
    entry.delete()


def story_consent_record(
    *, entry: LearningEntry, by: User, consent: dict[str, Any]
) -> StoryConsent:
    """Record (or re-record) consent for a story of change.

    Guarantee: if the new consent is narrower than the entry's visibility, the entry is
    narrowed to fit in the same transaction, and the narrowing is recorded.
    """
    permissions.require_can_edit_entry(by, entry)
    if not entry.is_story:
        raise ValidationError("Only stories of change record consent.")
    with transaction.atomic():
        locked = LearningEntry.objects.select_for_update().get(pk=entry.pk)
        record, _ = StoryConsent.objects.update_or_create(
            entry=locked,
            defaults={
                **consent,
                "recorded_by": by,
                "recorded_at": timezone.now(),
                "withdrawn_at": None,
                "withdrawn_recorded_by": None,
            },
        )
        if Visibility.rank(locked.visibility) > Visibility.rank(record.widest_visibility):
            old = locked.visibility
            locked.visibility = record.widest_visibility
            locked.save(update_fields=["visibility", "updated_at"])
            _record_visibility(
                entry=locked,
                by=by,
                old=old,
                new=record.widest_visibility,
                reason="Consent recorded for narrower sharing",
            )
    return record


def story_consent_withdraw(*, entry: LearningEntry, by: User) -> None:
    """Consent withdrawn: narrow the story to its organisation at once.

    Guarantee: in the same transaction, so no page, search, feed, export or email read after
    this commits can show it outside the organisation (``visible_to`` also refuses stories
    without active consent, and notification emails re-check visibility when they send).
    """
    permissions.require_can_edit_entry(by, entry)
    with transaction.atomic():
        locked = LearningEntry.objects.select_for_update().get(pk=entry.pk)
        StoryConsent.objects.filter(entry=locked, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawn_recorded_by=by
        )
        old = locked.visibility
        if old != Visibility.ORGANISATION:
            locked.visibility = Visibility.ORGANISATION
            locked.save(update_fields=["visibility", "updated_at"])
            _record_visibility(
                entry=locked,
                by=by,
                old=old,
                new=Visibility.ORGANISATION,
                reason="Consent withdrawn",
            )


def entry_link_add(
    *, entry: LearningEntry, by: User, relation: str, target: dict[str, Any]
) -> LearningLink:
    """Connect an entry to one session, decision or other entry. Linking twice is a no-op."""
    permissions.require_can_edit_entry(by, entry)
    with transaction.atomic():
        link, _ = LearningLink.objects.get_or_create(
            entry=entry, **target, defaults={"relation": relation, "created_by": by}
        )
    return link


def entry_link_remove(*, link: LearningLink, by: User) -> None:
    permissions.require_can_edit_entry(by, link.entry)
    link.delete()


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
    from .tasks import notify_review

    permissions.require_can_review_entry(author, entry)
    if kind == ReviewKind.REPLY:
        raise ValidationError("Use a reply for an existing conversation.")
    with transaction.atomic():
        review = Review.objects.create(entry=entry, author=author, kind=kind, text=text)
        ReviewRead.objects.get_or_create(entry=entry, user=author)
        enqueue_after_commit(notify_review, review_id=review.pk)
    return review


def review_reply(*, review: Review, author: User, text: str) -> Review:
    """Reply in a response's thread; the other people in it are emailed after commit."""
    from .tasks import notify_review

    permissions.require_can_reply_to_review(author, review)
    with transaction.atomic():
        reply = Review.objects.create(
            entry_id=review.entry_id,
            in_reply_to=review,
            author=author,
            kind=ReviewKind.REPLY,
            text=text,
        )
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


def review_notify(*, review_id: int) -> int:
    """Email a response or reply to the people it concerns. Returns how many were sent.

    Guarantee: each message is emailed at most once (the row is claimed with a conditional
    update; a failed send releases the claim so a retry can send it). Visibility is checked
    at send time, so a story whose consent was withdrawn is never emailed outside its
    organisation.
    """
    review = (
        Review.objects.filter(pk=review_id)
        .select_related("entry", "entry__organisation", "entry__place", "author")
        .first()
    )
    if review is None:
        return 0
    claimed = Review.objects.filter(pk=review_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if claimed != 1:
        return 0
    entry = review.entry
    link = settings.SITE_URL + reverse("talking_points:entry_detail", kwargs={"pk": entry.pk})
    author_name = str(review.author) if review.author else "Someone"
    subject = f"{author_name} {review.heading} on “{entry.title}”"
    sent = 0
    try:
        for recipient in review_recipients(review):
            body = render_to_string(
                "talking_points/learning/email/review.txt",
                {"review": review, "entry": entry, "recipient": recipient, "link": link},
            )
            send_mail(
                subject=subject[:200],
                message=body,
                from_email=None,
                recipient_list=[recipient.email],
            )
            sent += 1
    except OSError:
        if sent == 0:
            Review.objects.filter(pk=review_id).update(notified_at=None)
        raise
    return sent
