"""Fetch-and-authorise helpers: what a person may not see is a 404; what they may see but
not change is a 403 with a plain reason."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerships.models import ForumMembership, ForumRole
from talking_points.models import Decision, LearningEntry, LearningKind, Session
from talking_points.permissions import can_edit_entry, session_membership

from .models import Position, Round


def get_round_or_404(user: Any, pk: int) -> Round:
    """A round of a session ``user`` may read (``Round.objects.visible_to``)."""
    found = (
        Round.objects.visible_to(user)
        .select_related("session__forum__place", "decision")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such round")
    return found


def get_member_round_or_404(user: Any, pk: int) -> tuple[Round, ForumMembership]:
    """A round of a forum ``user`` belongs to, and their membership: every write."""
    found = (
        Round.objects.filter(session__in=Session.objects.for_members(user))
        .select_related("session__forum__place", "decision")
        .filter(pk=pk)
        .first()
    )
    membership = session_membership(user, found.session) if found else None
    if found is None or membership is None:
        raise Http404("No such round")
    return found, membership


def require_facilitator(membership: ForumMembership) -> None:
    if membership.role != ForumRole.FACILITATOR:
        raise PermissionDenied("Only a facilitator of this forum can do that.")


def get_position_or_404(round: Round, key: uuid.UUID) -> Position:
    position = Position.objects.filter(round=round, pk=key).first()
    if position is None:
        raise Http404("No such position")
    return position


def get_decision_or_404(user: Any, pk: int) -> Decision:
    decision = (
        Decision.objects.visible_to(user)
        .select_related("session__forum__place")
        .filter(pk=pk)
        .first()
    )
    if decision is None:
        raise Http404("No such decision")
    return decision


def require_decision_member(user: Any, decision: Decision) -> ForumMembership:
    """Members of the decision's forum look back at it."""
    membership = session_membership(user, decision.session)
    if membership is None:
        raise PermissionDenied("Only members of this forum can review its decisions.")
    return membership


def get_experiment_or_404(user: Any, pk: int) -> LearningEntry:
    entry = (
        LearningEntry.objects.visible_to(user)
        .select_related("organisation", "place")
        .filter(pk=pk, kind=LearningKind.EXPERIMENT)
        .first()
    )
    if entry is None:
        raise Http404("No such experiment")
    return entry


def require_experiment_member(user: Any, entry: LearningEntry) -> None:
    if not can_edit_entry(user, entry):
        raise PermissionDenied(
            "Only people in the organisation that runs this experiment can record its review."
        )
