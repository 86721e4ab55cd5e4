"""Who may do what with the shared agenda: fetch-and-authorise helpers views call in one line.

A session's facilitator here is whoever talking points lets run it: the forum's
facilitators and, through the rota, the member whose turn it is."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerships import permissions as forum_permissions
from partnerships.models import Forum, ForumMembership
from talking_points.models import Session
from talking_points.permissions import get_member_session_or_404

from .models import Correction, Proposal


def member_session(user: Any, pk: int) -> tuple[Session, ForumMembership]:
    """A session of a forum ``user`` belongs to, else 404."""
    return get_member_session_or_404(user, pk)


def facilitated_session(user: Any, pk: int) -> tuple[Session, ForumMembership]:
    """A session ``user`` may run (404 if not a member, 403 if a member who may not)."""
    session, membership = get_member_session_or_404(user, pk)
    if not membership.is_facilitator:
        raise PermissionDenied("Only the person facilitating this session can do that.")
    return session, membership


def get_proposal_or_404(user: Any, session: Session, pk: int) -> Proposal:
    found = (
        Proposal.objects.visible_to(user)
        .filter(session=session, pk=pk)
        .select_related("talking_point", "session__forum")
        .first()
    )
    if found is None:
        raise Http404("No such proposal")
    return found


def get_correction_or_404(user: Any, session: Session, pk: int) -> Correction:
    found = Correction.objects.visible_to(user).filter(session=session, pk=pk).first()
    if found is None:
        raise Http404("No such correction")
    return found


def member_forum(user: Any, slug: str) -> tuple[Forum, ForumMembership]:
    """A forum ``user`` belongs to; to anyone else its rota does not exist (404)."""
    forum = forum_permissions.get_forum_or_404(slug)
    membership = forum_permissions.forum_membership(user, forum)
    if membership is None:
        raise Http404("No such forum rota")
    return forum, membership


def require_forum_facilitator(membership: ForumMembership) -> None:
    if not membership.is_facilitator:
        raise PermissionDenied("Only a facilitator of this forum can change how it works.")
