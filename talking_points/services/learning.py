"""Learning entries: writing, sharing, deleting and connecting them; consent for stories."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from partnerships.models import (
    Organisation,
    Place,
    User,
)
from privacy import audit
from privacy.models import AuditEventType

from .. import permissions
from ..models import (
    LearningEntry,
    LearningKind,
    LearningLink,
    Review,
    StoryConsent,
    Tag,
    Visibility,
    VisibilityChange,
)

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
    """Every change of an entry's visibility goes through here: it is kept with the entry
    (its history page) and in the security audit log (who, when, from, to; never content)."""
    if old != new:
        VisibilityChange.objects.create(
            entry=entry, changed_by=by, from_visibility=old, to_visibility=new, reason=reason
        )
        audit.record(
            AuditEventType.VISIBILITY_CHANGED,
            actor=by,
            target=entry,
            kind=entry.kind,
            old=old,
            new=new,
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
            record = StoryConsent.objects.create(entry=entry, recorded_by=author, **consent)
            _audit_consent_given(record, by=author)
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


def _audit_consent_given(record: StoryConsent, *, by: User) -> None:
    audit.record(
        AuditEventType.CONSENT_GIVEN,
        actor=by,
        target=record.entry,
        method=record.method,
        widest=record.widest_visibility,
    )


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
        _audit_consent_given(record, by=by)
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


WITHDRAWN_STORY_TITLE = "A story of change (consent withdrawn)"


def story_consent_withdraw(*, entry: LearningEntry, by: User) -> None:
    """Consent withdrawn: the story's words are deleted and the entry narrowed to its
    organisation, at once.

    Guarantee, in one transaction: the title, text, tags and the responses' words are
    replaced or emptied in every table (the full-text index is computed from these fields,
    so it forgets them too; the admin's change history loses the old title), and the entry
    is narrowed to ``organisation``. What stays: that a story existed, its consent record
    (who gave it, when, when it was withdrawn) and its visibility history, so the
    organisation can show it honoured the withdrawal. Emails already sent cannot be
    recalled; nothing sent after this commits can contain the story.
    """
    permissions.require_can_edit_entry(by, entry)
    story_forget(entry=entry, by=by)


def story_forget(*, entry: LearningEntry, by: User | None) -> None:
    """``story_consent_withdraw`` without the permission check: for the teller's own
    private link (``by`` is None: they have no account) and for callers that checked."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    now = timezone.now()
    with transaction.atomic():
        locked = LearningEntry.objects.select_for_update().get(pk=entry.pk)
        withdrawn = StoryConsent.objects.filter(entry=locked, withdrawn_at__isnull=True).update(
            withdrawn_at=now, withdrawn_recorded_by=by
        )
        old = locked.visibility
        locked.title = WITHDRAWN_STORY_TITLE
        locked.body = (
            f"Consent for this story was withdrawn on {timezone.localdate(now):%-d %B %Y}, "
            "so its words have been deleted."
        )
        for name in ("tried", "happened", "learned", "next_steps"):
            setattr(locked, name, "")
        locked.visibility = Visibility.ORGANISATION
        locked.save()
        locked.tags.clear()
        Review.objects.filter(entry=locked).update(text="")
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(LearningEntry),
            object_id=str(locked.pk),
        ).update(object_repr=WITHDRAWN_STORY_TITLE, change_message="")
        _record_visibility(
            entry=locked,
            by=by,
            old=old,
            new=Visibility.ORGANISATION,
            reason="Consent withdrawn",
        )
        if withdrawn:
            audit.record(AuditEventType.CONSENT_WITHDRAWN, actor=by, target=locked)


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
