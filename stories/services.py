"""Writes for told stories: telling, deciding, taking back. Each is one transaction."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from outbox import services as outbox
from outbox.models import DeliveryKind
from partnerships import permissions
from partnerships.models import Organisation, Place, User
from privacy import audit
from privacy.models import AuditEventType
from talking_points import services as learning
from talking_points.models import (
    ConsentMethod,
    LearningEntry,
    LearningKind,
    StoryConsent,
    Visibility,
)

from .models import (
    Selection,
    StoryCall,
    StoryRound,
    StoryStatus,
    ToldStory,
    facilitated_place_ids,
    token_digest,
)


def can_look_after(user: Any, place: Place) -> bool:
    """Facilitators of the place's forums open the form and read what is told."""
    return bool(
        user.is_authenticated and facilitated_place_ids(user).filter(forum__place=place).exists()
    )


def require_look_after(user: Any, place: Place) -> None:
    if not can_look_after(user, place):
        raise PermissionDenied(f"Only the facilitators of {place.name}'s forums can do that.")


def call_set(*, place: Place, by: User, is_open: bool, welcome: str) -> StoryCall:
    require_look_after(by, place)
    call, _ = StoryCall.objects.update_or_create(
        place=place,
        defaults={
            "is_open": is_open,
            "welcome": welcome,
            "changed_by": by,
            "changed_at": timezone.now(),
        },
    )
    return call


def withdraw_link(token: str) -> str:
    return settings.SITE_URL + reverse("stories:withdraw", kwargs={"token": token})


def story_tell(*, place: Place, data: dict[str, Any]) -> tuple[ToldStory, str]:
    """Keep a story told through the place's open form. Returns it and the teller's private
    link, which is shown once and, if they gave an address, emailed (only its hash is
    kept)."""
    if not StoryCall.objects.filter(place=place, is_open=True).exists():
        raise ValidationError(f"{place.name} is not asking for stories just now.")
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        story = ToldStory.objects.create(place=place, token_hash=token_digest(token), **data)
        if story.email:
            link = withdraw_link(token)
            outbox.deliveries_queue(
                kind=DeliveryKind.STORY_LINK,
                address=story.email,
                subject=f"Your story for {place.name}",
                body_text=render_to_string(
                    "stories/email/told.txt", {"story": story, "place": place, "link": link}
                ),
            )
    return story, token


def story_accept(
    *, story: ToldStory, by: User, organisation: Organisation, visibility: str, title: str
) -> LearningEntry:
    """The story becomes a story of change of ``organisation``, with the teller's consent
    on record, shared no wider than they agreed."""
    require_look_after(by, story.place)
    if not organisation.places.filter(pk=story.place_id).exists():
        raise ValidationError("Choose an organisation that works in this place.")
    if Visibility.rank(visibility) > Visibility.rank(story.widest_visibility):
        raise ValidationError("The person who told it did not agree to share it that widely.")
    with transaction.atomic():
        locked = ToldStory.objects.select_for_update().get(pk=story.pk)
        if locked.status != StoryStatus.WAITING:
            raise ValidationError("Someone has already dealt with this story.")
        body = locked.story
        if locked.what_changed:
            body += f"\n\n**What changed:** {locked.what_changed}"
        entry = LearningEntry.objects.create(
            place_id=locked.place_id,
            organisation=organisation,
            author=None,  # the teller has no account; the facilitator only passed it on
            kind=LearningKind.STORY,
            title=title,
            body=body,
            visibility=visibility,
        )
        consent = StoryConsent.objects.create(
            entry=entry,
            given_by=locked.first_name or "Not given",
            method=ConsentMethod.WRITTEN,
            given_on=timezone.localdate(locked.told_at),
            obtained_by=f"The tell us form for {story.place}",
            widest_visibility=locked.widest_visibility,
            recorded_by=by,
        )
        audit.record(
            AuditEventType.CONSENT_GIVEN,
            actor=by,
            target=entry,
            method=consent.method,
            widest=consent.widest_visibility,
        )
        locked.status = StoryStatus.ACCEPTED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.entry = entry
        locked.save(update_fields=["status", "decided_by", "decided_at", "entry"])
    return entry


def _forget_words(story: ToldStory, status: str, by: User | None) -> None:
    story.story = ""
    story.what_changed = ""
    story.first_name = ""
    story.email = ""
    story.status = status
    story.decided_by = by
    story.decided_at = timezone.now()
    story.save()


def story_decline(*, story: ToldStory, by: User) -> None:
    """Not used: its words (and the teller's address) are deleted at once."""
    require_look_after(by, story.place)
    with transaction.atomic():
        locked = ToldStory.objects.select_for_update().get(pk=story.pk)
        if locked.status != StoryStatus.WAITING:
            raise ValidationError("Someone has already dealt with this story.")
        _forget_words(locked, StoryStatus.DECLINED, by)


def story_for_token(token: str) -> ToldStory | None:
    return ToldStory.objects.filter(token_hash=token_digest(token)).first()


def story_withdraw(*, token: str) -> bool:
    """The teller takes their story back with their private link: its words are deleted
    everywhere, and an accepted story's consent is withdrawn (the entry keeps only that a
    story existed). Returns False for a link that matches nothing."""
    with transaction.atomic():
        story = ToldStory.objects.select_for_update().filter(token_hash=token_digest(token)).first()
        if story is None:
            return False
        if story.entry_id is not None:
            entry = LearningEntry.objects.get(pk=story.entry_id)
            learning.story_forget(entry=entry, by=None)
        if story.status != StoryStatus.WITHDRAWN:
            _forget_words(story, StoryStatus.WITHDRAWN, None)
    return True


# --- Most Significant Change rounds ----------------------------------------------------------


def round_create(*, place: Place, by: User, title: str, domains_text: str) -> StoryRound:
    require_look_after(by, place)
    return StoryRound.objects.create(
        place=place, title=title, domains_text=domains_text, created_by=by
    )


def round_story_add(*, story_round: StoryRound, by: User, entry: LearningEntry) -> None:
    """Gather a story of change of the place, one the facilitator may read, into the round."""
    require_look_after(by, story_round.place)
    readable = LearningEntry.objects.visible_to(by).filter(
        pk=entry.pk, place_id=story_round.place_id, kind=LearningKind.STORY
    )
    if not readable.exists():
        raise ValidationError("Choose a story of change from this place.")
    story_round.stories.add(entry)


def round_panel_add(*, story_round: StoryRound, by: User, member: User) -> None:
    require_look_after(by, story_round.place)
    if not permissions.is_in_partnership(member, story_round.place):
        raise ValidationError("Choose someone in this place's partnership.")
    story_round.panel.add(member)


def can_choose(user: Any, story_round: StoryRound) -> bool:
    """The panel chooses; the facilitators record the panel's choice too."""
    return bool(
        user.is_authenticated
        and (
            story_round.panel.filter(pk=user.pk).exists() or can_look_after(user, story_round.place)
        )
    )


def selection_record(
    *, story_round: StoryRound, by: User, domain: str, entry: LearningEntry, reasons: str
) -> Selection:
    """The panel's choice for ``domain``, with its reasons (a second choice replaces the
    first). The teller of the chosen story, if they left an address, is told why."""
    if not can_choose(by, story_round):
        raise PermissionDenied("Only the round's panel and the place's facilitators choose.")
    if domain not in story_round.domains:
        raise ValidationError("Choose one of the round's domains of change.")
    in_round = story_round.stories.filter(pk=entry.pk) & LearningEntry.objects.visible_to(by)
    if not in_round.exists():
        raise ValidationError("Choose one of the round's stories.")
    with transaction.atomic():
        selection, _ = Selection.objects.update_or_create(
            round=story_round,
            domain=domain,
            defaults={"entry": entry, "reasons": reasons, "recorded_by": by},
        )
        teller = ToldStory.objects.filter(entry=entry).exclude(email="").first()
        if teller is not None:
            outbox.deliveries_queue(
                kind=DeliveryKind.STORY_CHOSEN,
                address=teller.email,
                subject=f"Your story was chosen in {story_round.place}",
                body_text=render_to_string(
                    "stories/email/chosen.txt",
                    {"selection": selection, "story_round": story_round, "teller": teller},
                ),
            )
    return selection
