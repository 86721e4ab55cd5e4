"""Who may do what in talking points: plain predicates and fetch-and-authorise helpers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from partnerships.models import (
    CommissionerProfile,
    ForumMembership,
    ForumRole,
    Membership,
    Organisation,
    Place,
)

from .extensions import session_runner_conditions
from .models import Action, LearningEntry, Review, ReviewKind, Session
from .models.learning import SHARED_WITH_COMMISSIONERS

# --- Forum sessions ---------------------------------------------------------------


def session_membership(user: Any, session: Session) -> ForumMembership | None:
    """The person's membership of the session's forum, or None. Someone another app says
    runs this session (``extensions.register_session_runner``) gets the facilitator's role
    on the returned object, never saved."""
    if not user.is_authenticated:
        return None
    memberships = ForumMembership.objects.filter(user=user, forum_id=session.forum_id)
    runs = session_runner_conditions(session.pk)
    if not runs:
        return memberships.first()
    runner: Any = runs[0]
    for condition in runs[1:]:
        runner = runner | condition
    membership = memberships.annotate(runs_session=runner).first()
    if membership is not None and getattr(membership, "runs_session", False):
        # They run this one session (a rota's turn, say): facilitator for this request only.
        membership.role = ForumRole.FACILITATOR
    return membership


def get_session_or_404(user: Any, pk: int) -> Session:
    """A session the person may read (see ``Session.objects.visible_to``); else 404."""
    session = (
        Session.objects.visible_to(user).select_related("forum", "forum__place").filter(pk=pk)
    ).first()
    if session is None:
        raise Http404("No such session")
    return session


def get_member_session_or_404(user: Any, pk: int) -> tuple[Session, ForumMembership]:
    """A session of a forum the person belongs to, and their membership; else 404.

    Live and planned sessions, and every write, go through here: nobody outside the forum
    may learn that a session exists, what is on its agenda or what was said.
    """
    session = (
        Session.objects.for_members(user).select_related("forum", "forum__place").filter(pk=pk)
    ).first()
    if session is None:
        raise Http404("No such session")
    membership = session_membership(user, session)
    if membership is None:  # the membership went between the two queries
        raise Http404("No such session")
    return session, membership


def require_session_facilitator(membership: ForumMembership) -> None:
    if membership.role != ForumRole.FACILITATOR:
        raise PermissionDenied("Only a facilitator of this forum can do that.")


def can_mark_action_done(user: Any, action: Action, membership: ForumMembership | None) -> bool:
    if not user.is_authenticated or membership is None:
        return False
    return membership.role == ForumRole.FACILITATOR or action.owner_id == user.pk


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
