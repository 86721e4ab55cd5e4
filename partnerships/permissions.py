"""Who may do what in partnerships: plain predicates and fetch-and-authorise helpers.

Predicates take ``(user, obj)`` and return a bool. Views call the ``get_*_or_404``
/ ``require_*`` helpers in one line, so no view re-implements a rule.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.shortcuts import get_object_or_404

from .models import (
    Commission,
    CommissionerProfile,
    Forum,
    ForumMembership,
    ForumRole,
    Membership,
    MembershipRole,
    Organisation,
    Place,
    place_partnership_q,
)

# --- Organisations --------------------------------------------------------------


def is_member(user: Any, organisation: Organisation) -> bool:
    return bool(
        user.is_authenticated
        and Membership.objects.filter(user=user, organisation=organisation).exists()
    )


def can_administer_organisation(user: Any, organisation: Organisation) -> bool:
    if not user.is_authenticated:
        return False
    return (
        Membership.objects.filter(user=user, organisation=organisation)
        .filter(Q(role=MembershipRole.LEAD) | Q(is_admin=True))
        .exists()
    )


def require_organisation_admin(user: Any, organisation: Organisation) -> None:
    if not can_administer_organisation(user, organisation):
        raise PermissionDenied("Only a lead of this organisation can invite or remove colleagues.")


# --- Forums -------------------------------------------------------------------


def forum_membership(user: Any, forum: Forum) -> ForumMembership | None:
    if not user.is_authenticated:
        return None
    return ForumMembership.objects.filter(user=user, forum=forum).first()


def is_forum_member(user: Any, forum: Forum) -> bool:
    return forum_membership(user, forum) is not None


def is_facilitator(user: Any, forum: Forum) -> bool:
    membership = forum_membership(user, forum)
    return membership is not None and membership.role == ForumRole.FACILITATOR


def require_facilitator(user: Any, forum: Forum) -> None:
    if not is_facilitator(user, forum):
        raise PermissionDenied("Only a facilitator of this forum can do that.")


def get_forum_or_404(slug: str) -> Forum:
    return get_object_or_404(Forum.objects.visible_to(None).select_related("place"), slug=slug)


# --- Commissioners --------------------------------------------------------------


def mfa_required_for(user: Any) -> bool:
    """Commissioners and site staff hold others' shared learning: they must use two-step
    sign-in (``settings.MFA_REQUIRED_FOR`` names this rule for the MFA middleware)."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return CommissionerProfile.objects.filter(user_id=user.pk).exists()


def can_edit_commissioner_profile(user: Any, profile: CommissionerProfile) -> bool:
    return bool(user.is_authenticated and profile.user_id == user.pk)


def require_forum_membership(user: Any, forum: Forum) -> ForumMembership:
    membership = forum_membership(user, forum)
    if membership is None:
        raise PermissionDenied("You are not a member of this forum.")
    return membership


def require_can_ask_to_join(user: Any, forum: Forum) -> None:
    if not forum.is_open:
        raise PermissionDenied(
            "This forum is invite only. Ask its facilitator to invite you by email."
        )


def require_commissioner_profile_owner(user: Any, profile: CommissionerProfile) -> None:
    if not can_edit_commissioner_profile(user, profile):
        raise PermissionDenied("You can only edit your own commissioner profile.")


# --- The place picture ----------------------------------------------------------------


def is_in_partnership(user: Any, place: Place) -> bool:
    """Is ``user`` part of ``place``'s partnership (forum, organisation or commissioner)?"""
    if not user.is_authenticated:
        return False
    return Place.objects.in_partnership_of(user).filter(pk=place.pk).exists()


def in_partnership_expression(user: Any) -> Any:
    """An expression on Place: is ``user`` part of this place's partnership? To annotate, so
    a page gets the place and the answer in one query."""
    if not user.is_authenticated:
        return Value(False, output_field=BooleanField())
    return ExpressionWrapper(place_partnership_q(user), output_field=BooleanField())


def is_place_forum_member(user: Any, place: Place) -> bool:
    """Is ``user`` a member of one of ``place``'s forums? They draw the system map and rate
    the propositions."""
    return bool(
        user.is_authenticated
        and ForumMembership.objects.filter(user=user, forum__place=place).exists()
    )


def get_place_or_404(slug: str) -> Place:
    return get_object_or_404(Place, slug=slug)


def get_partnership_place_or_404(user: Any, slug: str) -> Place:
    """The place, if ``user`` is in its partnership; otherwise 404, as if it did not exist."""
    return get_object_or_404(Place.objects.in_partnership_of(user), slug=slug)


def require_partnership(user: Any, place: Place) -> None:
    if not is_in_partnership(user, place):
        raise PermissionDenied(
            f"Only people in {place.name}'s partnership can do that: members of its forums, "
            "of organisations that work there, and the commissioners who cover it."
        )


def require_place_forum_member(user: Any, place: Place) -> None:
    if not is_place_forum_member(user, place):
        raise PermissionDenied(
            f"Only members of one of {place.name}'s forums can do that. Join a forum first."
        )


def commissioner_profile(user: Any) -> CommissionerProfile | None:
    if not user.is_authenticated:
        return None
    return CommissionerProfile.objects.filter(user=user).first()


def require_commissioner(user: Any) -> CommissionerProfile:
    profile = commissioner_profile(user)
    if profile is None:
        raise PermissionDenied(
            "Only commissioners can record what they fund. Ask site staff to set up your "
            "commissioner profile."
        )
    return profile


def can_edit_commission(user: Any, commission: Any) -> bool:
    """Commissioners edit their own commissions, and only those."""
    return bool(user.is_authenticated and commission.commissioner.user_id == user.pk)


def get_commission_or_404(user: Any, pk: int) -> Any:
    return get_object_or_404(
        Commission.objects.visible_to(user).select_related(
            "place", "commissioner__user", "commissioner__organisation"
        ),
        pk=pk,
    )


def get_own_commission_or_404(user: Any, pk: int) -> Any:
    """A commission ``user`` may see; 403 with a reason if they may not edit it."""
    commission = get_commission_or_404(user, pk)
    if not can_edit_commission(user, commission):
        raise PermissionDenied("Only the commissioner who recorded this commission can change it.")
    return commission
