"""Who may do what in talking points: plain predicates and fetch-and-authorise helpers.

Predicates take ``(user, obj)`` and return a bool. Views call the ``get_*_or_404`` /
``require_*`` helpers in one line, so no view re-implements a rule.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from partnerships.models import CommissionerProfile, Membership, Organisation, Place

from .models import LearningEntry, Review, ReviewKind
from .models.learning import SHARED_WITH_COMMISSIONERS

# --- Learning logs ------------------------------------------------------------------


def writable_organisations(user: Any, place: Place) -> QuerySet[Organisation]:
    """Organisations ``user`` may write learning for in ``place``: theirs, working there."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, places=place).distinct()


def require_can_write_in_place(user: Any, place: Place) -> None:
    if not writable_organisations(user, place).exists():
        raise PermissionDenied(
            f"You can write learning for {place.name} once your organisation works there. "
            "Ask a lead at your organisation to add the place, or to invite you."
        )


def can_edit_entry(user: Any, entry: LearningEntry) -> bool:
    """Colleagues in the entry's organisation keep its learning log together."""
    return bool(
        user.is_authenticated
        and Membership.objects.filter(user=user, organisation_id=entry.organisation_id).exists()
    )


def require_can_edit_entry(user: Any, entry: LearningEntry) -> None:
    if not can_edit_entry(user, entry):
        raise PermissionDenied(
            "Only people in the organisation that wrote this entry can change it."
        )


def covers_place(user: Any, place_id: int) -> bool:
    return bool(
        user.is_authenticated
        and CommissionerProfile.places.through.objects.filter(
            commissionerprofile__user=user, place_id=place_id
        ).exists()
    )


def can_review_entry(user: Any, entry: LearningEntry) -> bool:
    """A commissioner who covers the place may respond to an entry shared with them."""
    return entry.visibility in SHARED_WITH_COMMISSIONERS and covers_place(user, entry.place_id)


def require_can_review_entry(user: Any, entry: LearningEntry) -> None:
    if not can_review_entry(user, entry):
        raise PermissionDenied(
            "Only a commissioner who covers this place can respond to learning shared with "
            "them, and only once the organisation has shared it with commissioners."
        )


def can_reply_to_review(user: Any, review: Review) -> bool:
    """The entry's organisation and the commissioner who started the thread may reply."""
    if not user.is_authenticated or review.kind == ReviewKind.REPLY:
        return False
    return review.author_id == user.pk or can_edit_entry(user, review.entry)


def require_can_reply_to_review(user: Any, review: Review) -> None:
    if not can_reply_to_review(user, review):
        raise PermissionDenied(
            "Only the organisation that wrote this entry and the commissioner who responded "
            "can reply in this conversation."
        )


def require_commissioner(user: Any) -> None:
    if not (user.is_authenticated and CommissionerProfile.objects.filter(user=user).exists()):
        raise PermissionDenied(
            "The review queue is for commissioners. It holds the learning that organisations "
            "share with the commissioners for their place."
        )


def get_entry_or_404(user: Any, pk: int) -> LearningEntry:
    """Fetch an entry *through* the trust query: what ``user`` may not see does not exist."""
    entry = (
        LearningEntry.objects.visible_to(user)
        .select_related("organisation", "place", "author")
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404("No such learning entry")
    return entry
