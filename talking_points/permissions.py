"""Who may do what in talking points: plain predicates and fetch-and-authorise helpers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerships.models import ForumMembership, ForumRole

from .models import Action, Session

# --- Forum sessions ---------------------------------------------------------------


def session_membership(user: Any, session: Session) -> ForumMembership | None:
    """The person's membership of the session's forum, or None."""
    if not user.is_authenticated:
        return None
    return ForumMembership.objects.filter(user=user, forum_id=session.forum_id).first()


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
