"""The place picture: one screen for a place, public parts for everyone and the
partnership's decisions, actions and signals for its members.

Everything here works as plain links and form posts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from partnerships import permissions
from partnerships.models import (
    Champion,
    Commission,
    CommissionerProfile,
    Forum,
    ForumMembership,
    Place,
    Relationship,
    User,
)

from ... import picture
from ...models import LearningEntry, LearningKind


@require_GET
def place_picture(request: HttpRequest, slug: str) -> HttpResponse:
    """One screen for a place: who is here, what they fund, what they learn, how it feels.
    Public parts for everyone; decisions, actions and signals for the place's partnership.
    Everything private is read through its model's ``visible_to``; queries do not grow
    with the data."""

    user: Any = request.user
    place = get_object_or_404(
        Place.objects.annotate(
            in_partnership=permissions.in_partnership_expression(user),
            relationship_count=Coalesce(
                Subquery(
                    Relationship.objects.filter(place=OuterRef("pk"))
                    .order_by()
                    .values("place")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
        ),
        slug=slug,
    )
    in_partnership = bool(place.in_partnership)  # type: ignore[attr-defined]
    today = timezone.localdate()
    member_ids = (
        set(
            ForumMembership.objects.filter(user=user, forum__place=place).values_list(
                "forum_id", flat=True
            )
        )
        if user.is_authenticated
        else set()
    )
    forums = list(Forum.objects.visible_to(user).filter(place=place).order_by("name", "pk"))
    for forum in forums:
        forum.place = place  # for next_meeting's time zone, without a join
        forum.is_member = forum.pk in member_ids  # type: ignore[attr-defined]
    member_forums = [f for f in forums if f.pk in member_ids]
    context: dict[str, Any] = {
        "place": place,
        "section": "dashboard",
        "in_partnership": in_partnership,
        "forums": [(forum, forum.next_meeting()) for forum in forums],
        "learning": LearningEntry.objects.visible_to(user)
        .filter(place=place, kind__in=[LearningKind.BREAKTHROUGH, LearningKind.DISAPPOINTMENT])
        .select_related("organisation")[:6],
        "commissioners": CommissionerProfile.objects.filter(places=place).select_related(
            "user", "organisation"
        ),
        "champions": Champion.objects.filter(place=place).select_related("user"),
        "register": SimpleLazyObject(
            lambda: picture.register_summary(
                Commission.objects.visible_to(user).filter(place=place)
            )
        ),
        "today": today,
    }
    if in_partnership:
        context["decisions"] = SimpleLazyObject(lambda: picture.recent_decisions(place, user=user))
        context["actions"] = SimpleLazyObject(lambda: picture.open_actions(place, user=user))
    if in_partnership and isinstance(user, User):
        context["propositions"] = SimpleLazyObject(
            lambda: picture.proposition_summaries(place, today=today, comments=False)
        )
        context["relationship_count"] = place.relationship_count  # type: ignore[attr-defined]
        context["wellbeing"] = SimpleLazyObject(
            lambda: picture.wellbeing_trends(member_forums, limit=8, words=False)
        )
    return render(request, "talking_points/picture/dashboard.html", context)
