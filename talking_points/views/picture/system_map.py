"""The system map: who works with whom in a place. JavaScript only draws it.

Everything here works as plain links and form posts.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from partnerships import permissions, services
from partnerships.forms import (
    MapFilterForm,
    RelationshipForm,
)
from partnerships.models import Relationship
from partnerships.types import AuthenticatedRequest

from ... import picture
from .common import posted


@login_required
@require_http_methods(["GET", "POST"])
def system_map(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Talking point 8: the place's organisations and how they connect. For its partnership;
    forum members draw it."""
    place = permissions.get_partnership_place_or_404(request.user, slug)
    can_draw = permissions.is_place_forum_member(request.user, place)
    form = RelationshipForm(posted(request), place=place)
    if request.method == "POST":
        permissions.require_place_forum_member(request.user, place)
        if form.is_valid():
            try:
                relationship = services.relationship_add(
                    place=place,
                    source=form.cleaned_data["source"],
                    target=form.cleaned_data["target"],
                    kind=form.cleaned_data["kind"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except services.PictureError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Added: {relationship}.")
                return redirect("talking_points:system_map", slug=place.slug)
    filters = MapFilterForm(request.GET or None)
    kinds = sectors = []
    if filters.is_valid():
        kinds = filters.cleaned_data["kind"]
        sectors = filters.cleaned_data["sector"]
    the_map = picture.system_map(place, kinds=kinds, sectors=sectors)
    context = {
        "place": place,
        "section": "map",
        "map": the_map,
        "map_data": the_map.as_data(),
        "filters": filters,
        "form": form,
        "can_draw": can_draw,
        "filtered": bool(kinds or sectors),
    }
    return render(
        request,
        "talking_points/picture/system_map.html",
        context,
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def relationship_remove(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    place = permissions.get_partnership_place_or_404(request.user, slug)
    relationship = get_object_or_404(
        Relationship.objects.select_related("source", "target"), pk=pk, place=place
    )
    permissions.require_place_forum_member(request.user, place)
    if request.method == "POST":
        relationship.delete()
        messages.success(request, f"Removed: {relationship}.")
        return redirect("talking_points:system_map", slug=place.slug)
    return render(
        request,
        "talking_points/picture/confirm.html",
        {
            "place": place,
            "section": "map",
            "title": f"Remove “{relationship}” from the map?",
            "explanation": "Everyone in the partnership will stop seeing this line on the map.",
            "confirm_label": "Remove from the map",
            "cancel_url": reverse("talking_points:system_map", kwargs={"slug": place.slug}),
        },
    )
