"""The set-up section of the place page: the partnership's self-assessments, and what
the reader may do next there."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.template.loader import render_to_string

from partnerships.models import Place
from partnerships.permissions import is_place_forum_member

from .models import EngagementAssessment
from .permissions import facilitates_in


def engagement_panel(request: HttpRequest, place: Place) -> str:
    user = request.user
    assessments = Paginator(
        EngagementAssessment.objects.visible_to(user)
        .filter(place=place)
        .select_related("recorded_by"),
        settings.PAGE_SIZE,
    ).get_page(request.GET.get("assessments"))
    context = {
        "place": place,
        "assessments": assessments,
        "can_assess": is_place_forum_member(user, place),
        "can_add_forum": facilitates_in(user, place),
        "signed_in": user.is_authenticated,
    }
    return render_to_string("setup/_place_panel.html", context, request=request)
