"""The records kept as lists (assets, control map, signals, fears): one set of views, told
which record by the URL (``records/kinds.py``). Plain links and form posts throughout.

Reading: the place's partnership, else 404. Changing: see ``records/permissions.py``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from partnerships.models import Organisation
from partnerships.types import AuthenticatedRequest

from .. import permissions, services
from ..kinds import KINDS, Kind
from ..models import Ring
from .common import csv_response, posted


def _rows(kind: Kind, place: Any, user: Any) -> Any:
    return kind.rows(kind.model.objects.visible_to(user).filter(place=place), user)  # type: ignore[attr-defined]


def _row_or_404(kind: Kind, place: Any, user: Any, pk: int) -> Any:
    return get_object_or_404(
        kind.model.objects.visible_to(user).select_related("place"),  # type: ignore[attr-defined]
        pk=pk,
        place=place,
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_list(request: AuthenticatedRequest, slug: str, kind: str) -> HttpResponse:
    """A record's rows, and the form to add one for those who may."""
    spec = KINDS[kind]
    place = permissions.get_place_or_404(request.user, slug)
    form = spec.make_form(posted(request), place, request.user)
    if request.method == "POST":
        spec.require_add(request.user, place)
        if form.is_valid():
            row = services.record_save(form=form, place=place, by=request.user)
            messages.success(request, f"Added: {row}.")
            return redirect(f"records:{spec.name}", slug=place.slug)
    page = Paginator(_rows(spec, place, request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context: dict[str, Any] = {
        "place": place,
        "section": "keep",
        "kind": spec,
        "page_obj": page,
        "rows": page.object_list,
        "form": form,
        "can_add": spec.can_add(request.user, place),
        "can_edit": permissions.can_edit(request.user, place),
    }
    if kind == "assets":
        led = set(permissions.led_organisations(request.user, place).values_list("pk", flat=True))
        context["led"] = led
        context["organisation_assets"] = (
            Organisation.objects.filter(places=place)
            .exclude(local_assets="")
            .only("name", "slug", "local_assets")
            .order_by("name")[: settings.PAGE_SIZE]
        )
    if kind == "control-map":
        rings: dict[str, list[Any]] = {value: [] for value in Ring.values}
        for row in page.object_list:
            rings[row.ring].append(row)
        context["rings"] = [(value, label, rings[value]) for value, label in Ring.choices]
    return render(
        request,
        f"records/{spec.name}.html",
        context,
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request: AuthenticatedRequest, slug: str, pk: int, kind: str) -> HttpResponse:
    spec = KINDS[kind]
    place = permissions.get_place_or_404(request.user, slug)
    row = _row_or_404(spec, place, request.user, pk)
    spec.require_change(request.user, row)
    form = spec.make_form(posted(request), place, request.user, instance=row)
    if request.method == "POST" and form.is_valid():
        services.record_save(form=form, place=place, by=request.user)
        messages.success(request, f"Saved: {row}.")
        return redirect(f"records:{spec.name}", slug=place.slug)
    return render(
        request,
        "records/item_form.html",
        {"place": place, "section": "keep", "kind": spec, "form": form, "row": row},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_remove(request: AuthenticatedRequest, slug: str, pk: int, kind: str) -> HttpResponse:
    spec = KINDS[kind]
    place = permissions.get_place_or_404(request.user, slug)
    row = _row_or_404(spec, place, request.user, pk)
    spec.require_change(request.user, row)
    if request.method == "POST":
        row.delete()
        messages.success(request, f"Removed: {row}.")
        return redirect(f"records:{spec.name}", slug=place.slug)
    return render(
        request,
        "talking_points/picture/confirm.html",
        {
            "place": place,
            "section": "keep",
            "title": f"Remove “{row}” from {spec.title.lower()}?",
            "explanation": "Nobody in the partnership will see it again. This cannot be undone.",
            "confirm_label": f"Remove this {spec.noun}",
            "cancel_url": reverse(f"records:{spec.name}", kwargs={"slug": place.slug}),
        },
    )


@login_required
@require_GET
def record_csv(request: AuthenticatedRequest, slug: str, kind: str) -> Any:
    spec = KINDS[kind]
    place = permissions.get_place_or_404(request.user, slug)
    rows = _rows(spec, place, request.user)
    return csv_response(
        f"{place.slug}-{kind}.csv",
        spec.csv_header,
        (spec.csv_row(row) for row in rows),
    )
