"""A place's page: its organisations, commissioners and forums."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from partnerships.models import (
    CommissionerProfile,
    Forum,
    Place,
)


@require_GET
def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Place, slug=slug)
    organisations = place.organisations.order_by("name")
    commissioners = (
        CommissionerProfile.objects.filter(places=place)
        .select_related("user", "organisation")
        .prefetch_related("specialisms")
    )
    forums = Forum.objects.visible_to(request.user).filter(place=place)
    context = {
        "place": place,
        "organisations": organisations,
        "commissioners": commissioners,
        "forums": forums,
    }
    return render(request, "talking_points/place_detail.html", context)
