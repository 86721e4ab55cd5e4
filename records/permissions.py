"""Who may read and change a place's records: plain predicates and fetch-and-authorise
helpers that views call in one line.

Reading follows the place picture: the place's partnership (members of its forums, of
organisations that work there, and the commissioners who cover it); anyone else gets 404.
Members of the place's forums change the records. An organisation's lead also adds and
changes its own organisation's assets, and signs the agreement for it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from partnerships import permissions as partnership_permissions
from partnerships.models import Membership, Organisation, Place, User

get_place_or_404 = partnership_permissions.get_partnership_place_or_404
can_edit = partnership_permissions.is_place_forum_member


def require_editor(user: Any, place: Place) -> None:
    if not can_edit(user, place):
        raise PermissionDenied(
            f"Only members of one of {place.name}'s forums can change what the partnership "
            "keeps. Join a forum first."
        )


def led_organisations(user: Any, place: Place) -> QuerySet[Organisation]:
    """Organisations working in ``place`` that ``user`` leads."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    led = Membership.objects.leads().filter(user=user).values("organisation_id")
    return Organisation.objects.filter(places=place, pk__in=led)


def asset_organisations(user: Any, place: Place) -> QuerySet[Organisation]:
    """The organisations ``user`` may file an asset under: any of the place's for a forum
    member, their own for a lead."""
    if can_edit(user, place):
        return Organisation.objects.filter(places=place)
    return led_organisations(user, place)


def can_add_asset(user: Any, place: Place) -> bool:
    return can_edit(user, place) or led_organisations(user, place).exists()


def can_change_asset(user: Any, asset: Any) -> bool:
    if can_edit(user, asset.place):
        return True
    return bool(
        asset.organisation_id
        and led_organisations(user, asset.place).filter(pk=asset.organisation_id).exists()
    )


def require_asset_change(user: Any, asset: Any) -> None:
    if not can_change_asset(user, asset):
        raise PermissionDenied(
            "Only members of the place's forums, or a lead of the organisation it belongs to, "
            "can change this asset."
        )


def require_asset_add(user: Any, place: Place) -> None:
    if not can_add_asset(user, place):
        raise PermissionDenied(
            f"Only members of {place.name}'s forums, and leads of its organisations (for "
            "their own organisation's assets), can add assets."
        )


def require_lead(user: Any, place: Place) -> QuerySet[Organisation]:
    organisations = led_organisations(user, place)
    if not organisations.exists():
        raise PermissionDenied("Only a lead of an organisation that works here can sign up for it.")
    return organisations


def place_people(place: Place) -> QuerySet[User]:
    """People in the place's forums or organisations: who may look for a signal or see to a
    fear."""
    from partnerships.models import ForumMembership

    in_forums = ForumMembership.objects.filter(forum__place=place).values("user_id")
    in_orgs = Membership.objects.filter(organisation__places=place).values("user_id")
    return User.objects.filter(Q(pk__in=in_forums) | Q(pk__in=in_orgs), is_active=True)
