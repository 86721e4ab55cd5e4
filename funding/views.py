"""How we are funded (talking point 11) and the register as 360Giving open data.

One organisation's funding mix is read only through ``FundingMix.objects.visible_to`` (its
own members); a place's mixes only through ``aggregate.place_mix`` (at least three
organisations, or nothing). Commissions through ``Commission.objects.visible_to``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from hls_forum.spreadsheet import csv_cell
from partnerships import permissions
from partnerships.models import Commission, Flexibility, FundingKind, Organisation, Place
from partnerships.types import AuthenticatedRequest

from . import services, threesixtygiving
from .aggregate import place_mix
from .forms import FundingMixForm, OrgIdForm
from .models import MIN_ORGANISATIONS, FundingMix

NOT_SAID = "Not said yet"


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_response(rows: Iterator[list[Any]], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow([csv_cell(v) for v in row]) for row in rows),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- A place: how its partners are funded ----------------------------------------------


def _by(commissions: QuerySet[Commission], field: str, labels: dict[str, str]) -> list[Any]:
    rows = commissions.order_by().values(field).annotate(n=Count("pk"), total=Sum("budget"))
    found = {row[field]: row for row in rows}
    order = [*labels, ""]
    return [
        {"label": labels.get(key, NOT_SAID), "n": found[key]["n"], "total": found[key]["total"]}
        for key in order
        if key in found
    ]


@require_GET
def place_funding(request: HttpRequest, slug: str) -> HttpResponse:
    """The aggregate funding mix (for the place's partnership, from three organisations) and
    the commissions the reader may see, by how they are given. Queries do not grow."""
    user: Any = request.user
    place = get_object_or_404(
        Place.objects.annotate(in_partnership=permissions.in_partnership_expression(user)),
        slug=slug,
    )
    in_partnership = bool(place.in_partnership)  # type: ignore[attr-defined]
    commissions = Commission.objects.visible_to(user).filter(place=place)
    own = (
        Organisation.objects.filter(places=place, memberships__user=user)
        .annotate(
            can_edit=Count(
                "memberships",
                filter=Q(memberships__user=user)
                & (Q(memberships__role="lead") | Q(memberships__is_admin=True)),
            )
        )
        .order_by("name")
        if user.is_authenticated
        else Organisation.objects.none()
    )
    context = {
        "place": place,
        "section": "funding",
        "in_partnership": in_partnership,
        "mix": place_mix(place) if in_partnership else None,
        "min_organisations": MIN_ORGANISATIONS,
        "by_kind": _by(commissions, "funding_kind", dict(FundingKind.choices)),
        "by_flexibility": _by(commissions, "flexibility", dict(Flexibility.choices)),
        "own_organisations": list(own),
    }
    return render(request, "funding/place_funding.html", context)


@require_GET
def place_funding_export(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """The aggregate mix as CSV, for the place's partnership only (404 for anyone else).
    Below the threshold it says so, and holds no shares."""
    place = permissions.get_partnership_place_or_404(request.user, slug)
    mix = place_mix(place)

    def rows() -> Iterator[list[Any]]:
        yield ["place", "share of income", "average across organisations (%)", "organisations"]
        if mix is None:
            yield [
                place.name,
                f"Not shown: fewer than {MIN_ORGANISATIONS} organisations have given their mix",
                "",
                "",
            ]
            return
        for label, percent in mix.shares:
            yield [place.name, label, f"{percent}", mix.organisations]

    return _csv_response(rows(), f"{place.slug}-funding-mix.csv")


# --- An organisation's own mix and org-id (its members only) ----------------------------


def _own_organisation_or_404(user: Any, slug: str) -> Organisation:
    """The organisation, if ``user`` is a member; otherwise 404, as if it did not exist."""
    return get_object_or_404(Organisation.objects.filter(memberships__user=user), slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_funding(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    organisation = _own_organisation_or_404(request.user, slug)
    can_edit = permissions.can_administer_organisation(request.user, organisation)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("Only a lead of this organisation can record its funding mix.")
    form = FundingMixForm(_posted(request), initial={"as_of": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.funding_mix_record(
            organisation=organisation,
            by=request.user,
            grants=data["grants_percent"],
            contracts=data["contracts_percent"],
            donations=data["donations_percent"],
            earned=data["earned_percent"],
            as_of=data["as_of"],
        )
        messages.success(request, "Your funding mix is saved. The latest one counts.")
        return redirect("funding:organisation_funding", slug=organisation.slug)
    mixes = FundingMix.objects.visible_to(request.user).filter(organisation=organisation)
    page = Paginator(mixes, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "organisation": organisation,
        "can_edit": can_edit,
        "form": form,
        "page_obj": page,
        "mixes": page.object_list,
        "places": organisation.places.order_by("name"),
        "min_organisations": MIN_ORGANISATIONS,
    }
    return render(request, "funding/organisation_funding.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_org_id(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    organisation = _own_organisation_or_404(request.user, slug)
    if not permissions.can_administer_organisation(request.user, organisation):
        raise PermissionDenied("Only a lead of this organisation can change its org-id.")
    form = OrgIdForm(_posted(request), instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_org_id_set(
            organisation=organisation, org_id=form.cleaned_data["org_id"]
        )
        messages.success(request, "Your organisation's org-id is saved.")
        return redirect("funding:organisation_funding", slug=organisation.slug)
    return render(
        request, "funding/organisation_org_id.html", {"organisation": organisation, "form": form}
    )


# --- The transparency register as 360Giving open data ------------------------------------


def _register(request: HttpRequest) -> tuple[Place | None, QuerySet[Commission]]:
    """Commissions the reader may see, for one place if ``?place=<slug>`` names one."""
    commissions = Commission.objects.visible_to(request.user)
    place = None
    slug = request.GET.get("place", "")
    if slug:
        place = Place.objects.filter(slug=slug[:120]).first()
        commissions = commissions.filter(place=place) if place else commissions.none()
    return place, commissions


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    place, commissions = _register(request)
    counts = commissions.aggregate(
        total=Count("pk", distinct=True),
        without_providers=Count("pk", filter=Q(providers__isnull=True), distinct=True),
    )
    context = {
        "place": place,
        "section": "register",
        "total": counts["total"],
        "left_out": counts["without_providers"],
        "prefix": threesixtygiving.prefix(),
        "query": f"?place={place.slug}" if place else "",
    }
    return render(request, "funding/open_data.html", context)


@require_GET
def register_json(request: HttpRequest) -> JsonResponse:
    _, commissions = _register(request)
    response = JsonResponse(
        threesixtygiving.package(threesixtygiving.exportable(commissions)),
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Content-Disposition"] = 'attachment; filename="transparency-register-360giving.json"'
    return response


@require_GET
def register_csv(request: HttpRequest) -> StreamingHttpResponse:
    _, commissions = _register(request)

    def rows() -> Iterator[list[Any]]:
        yield threesixtygiving.FLAT_HEADERS
        yield from threesixtygiving.flat_rows(threesixtygiving.exportable(commissions))

    return _csv_response(rows(), "transparency-register-360giving.csv")
