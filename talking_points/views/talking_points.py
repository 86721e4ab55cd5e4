"""Pages about talking points, forum sessions and learning."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..models import TalkingPoint


@require_GET
def talking_point_list(request: HttpRequest) -> HttpResponse:
    points = TalkingPoint.objects.filter(forum__isnull=True, parent__isnull=True).prefetch_related(
        "parts"
    )
    return render(request, "talking_points/talking_point_list.html", {"points": points})
