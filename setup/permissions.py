"""Who may do what in set-up: plain predicates and fetch-and-authorise helpers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from partnerships.models import ForumMembership, ForumRole, Organisation, Place
from partnerships.permissions import can_administer_organisation, is_place_forum_member

from .models import OrganisationProposal, PlaceProposal


def is_site_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_staff)


def facilitates_in(user: Any, place: Place) -> bool:
    """Does ``user`` facilitate one of ``place``'s forums?"""
    return bool(
        user.is_authenticated
        and ForumMembership.objects.filter(
            user=user, forum__place=place, role=ForumRole.FACILITATOR
        ).exists()
    )


def require_place_facilitator(user: Any, place: Place) -> None:
    if not facilitates_in(user, place):
        raise PermissionDenied(f"Only facilitators of {place.name}'s forums can add a forum.")


def require_assessor(user: Any, place: Place) -> None:
    if not is_place_forum_member(user, place):
        raise PermissionDenied(
            f"Only members of {place.name}'s forums can record where the partnership is. "
            "Join a forum first."
        )


def get_place_or_404(slug: str) -> Place:
    return get_object_or_404(Place, slug=slug)


def get_led_organisation_or_404(user: Any, slug: str) -> Organisation:
    """The organisation (public), if ``user`` leads it; otherwise 403 with a reason."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not can_administer_organisation(user, organisation):
        raise PermissionDenied("Only a lead of this organisation can edit its profile.")
    return organisation


def get_place_proposal_or_404(user: Any, pk: int) -> PlaceProposal:
    return get_object_or_404(
        PlaceProposal.objects.visible_to(user).select_related("proposer", "decided_by", "place"),
        pk=pk,
    )


def get_organisation_proposal_or_404(user: Any, pk: int) -> OrganisationProposal:
    return get_object_or_404(
        OrganisationProposal.objects.visible_to(user).select_related(
            "proposer", "decided_by", "place", "organisation"
        ),
        pk=pk,
    )


def can_confirm(user: Any, proposal: OrganisationProposal) -> bool:
    return OrganisationProposal.objects.confirmable_by(user).filter(pk=proposal.pk).exists()


def require_site_staff(user: Any) -> None:
    """The review queue is for site staff; to anyone else it does not exist."""
    if not is_site_staff(user):
        raise Http404
