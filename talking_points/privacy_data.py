"""What sessions and learning logs hold about a person, plugged into the privacy registries
(``privacy.registry``): what goes into their copy, what erasure does, and how long stories
of change are kept.

On erasure, a person's non-anonymous contributions become "a former
member"; entries they wrote stay with their organisation (only the link to them goes). The
learning log has no private drafts (an entry is at least visible to its organisation, whose
colleagues keep the log together), so there is nothing of that kind to delete.
"""

from __future__ import annotations

import datetime
from typing import Any

from privacy import registry

from .models import (
    Action,
    Attendance,
    Contribution,
    LearningEntry,
    LearningKind,
    Review,
)

Row = dict[str, Any]
FORMER_MEMBER = "A former member"


# --- Export sections ------------------------------------------------------------------


def export_learning_entries(user: Any) -> list[Row]:
    """Entries the person wrote, with the words as they typed them (Markdown)."""
    entries = LearningEntry.objects.filter(author=user).select_related("organisation", "place")
    return [
        {
            "id": e.pk,
            "place": e.place.name,
            "organisation": e.organisation.name,
            "kind": e.get_kind_display(),
            "title": e.title,
            "body": e.body,
            "what_we_tried": e.tried,
            "what_happened": e.happened,
            "what_we_learned": e.learned,
            "what_next": e.next_steps,
            "who_can_see_it": e.get_visibility_display(),
            "created_at": e.created_at,
            "updated_at": e.updated_at,
        }
        for e in entries.order_by("created_at", "pk").iterator()
    ]


def export_contributions(user: Any) -> list[Row]:
    """What the person said in forum sessions under their name. Anonymous contributions
    hold no link to anyone, so they cannot be found, and are not here."""
    contributions = Contribution.objects.filter(author=user, is_anonymous=False).select_related(
        "session__forum", "agenda_item__talking_point"
    )
    return [
        {
            "forum": c.session.forum.name,
            "session_starts_at": c.session.starts_at,
            "talking_point": str(c.agenda_item.talking_point),
            "as_organisation": c.organisation_name,
            "contribution": c.text,
            "hidden_by_the_facilitator": c.hidden_at is not None,
            "created_at": c.created_at,
        }
        for c in contributions.order_by("created_at", "pk").iterator()
    ]


def export_reviews(user: Any) -> list[Row]:
    """Responses and replies the person wrote on learning entries."""
    reviews = Review.objects.filter(author=user).select_related("entry")
    return [
        {
            "entry_id": r.entry_id,
            "entry": r.entry.title,
            "kind": r.get_kind_display(),
            "text": r.text,
            "created_at": r.created_at,
        }
        for r in reviews.order_by("created_at", "pk").iterator()
    ]


# --- Erasure steps --------------------------------------------------------------------


def erase_contributions(user: Any) -> int:
    """Contributions under the person's name become "a former member": the link to the
    account and the name go; what was said, and for which organisation, stays with the
    session's record. Their name on the attendance list and on actions goes the same way."""
    said = Contribution.objects.filter(author=user, is_anonymous=False).update(
        author=None, author_name=FORMER_MEMBER
    )
    attended = Attendance.objects.filter(user=user).update(user=None, name=FORMER_MEMBER)
    owned = Action.objects.filter(owner=user).update(owner=None, owner_name=FORMER_MEMBER)
    return said + attended + owned


def erase_learning_authorship(user: Any) -> int:
    """Entries the person wrote stay with their organisation, no longer linked to them."""
    return LearningEntry.objects.filter(author=user).update(author=None)


# --- Retention ------------------------------------------------------------------------


def purge_old_stories(*, cutoff: datetime.datetime, now: datetime.datetime) -> int:
    """Stories of change older than their period are deleted, with their consent record,
    responses and links. A second run finds nothing older, so changes nothing."""
    deleted, _ = LearningEntry.objects.filter(
        kind=LearningKind.STORY, created_at__lt=cutoff
    ).delete()
    return int(deleted)


def register() -> None:
    r = registry
    r.register_export_section(
        "learning_entries",
        export_learning_entries,
        description="Learning entries you wrote, with their words and who can see them.",
    )
    r.register_export_section(
        "session_contributions",
        export_contributions,
        description="What you said in forum sessions under your name (never anonymous ones).",
    )
    r.register_export_section(
        "learning_responses",
        export_reviews,
        description="Responses and replies you wrote on learning entries.",
    )
    r.register_erasure_step(
        erase_contributions,
        description="What you said in forum sessions under your name is kept, signed "
        "“a former member”; your name leaves attendance lists and actions.",
    )
    r.register_erasure_step(
        erase_learning_authorship,
        description="Learning entries you wrote stay with your organisation, no longer "
        "linked to you, unless the organisation deletes them.",
    )
    r.register_retention_rule(
        "stories_of_change",
        purge_old_stories,
        description="Stories of change from people who use services.",
    )
