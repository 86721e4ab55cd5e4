"""The set-up section of the place page: the partnership's self-assessments, and what
the reader may do next there."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator

from partnerships.permissions import is_place_forum_member

from .models import EngagementAssessment
from .permissions import facilitates_in


def engagement_panel(context: Mapping[str, Any]) -> dict[str, Any]:
    """Reads the place page's part: the assessments the reader may see, a page at a time."""
    request, place = context["request"], context["place"]
    user = request.user
    assessments = Paginator(
        EngagementAssessment.objects.visible_to(user)
        .filter(place=place)
        .select_related("recorded_by"),
        settings.PAGE_SIZE,
    ).get_page(request.GET.get("assessments"))
    return {
        "assessments": assessments,
        "can_assess": is_place_forum_member(user, place),
        "can_add_forum": facilitates_in(user, place),
        "signed_in": user.is_authenticated,
    }
