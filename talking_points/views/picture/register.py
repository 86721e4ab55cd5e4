"""The transparency register: what commissioners fund, where and why.

Everything here works as plain links and form posts.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from hls_forum.spreadsheet import csv_cell
from partnerships import permissions, services
from partnerships.forms import (
    CommissionFilterForm,
    CommissionForm,
)
from partnerships.models import Commission
from partnerships.types import AuthenticatedRequest

from ...templatetags.picture import prefetch_terms
from .common import posted


def _filtered_commissions(request: HttpRequest) -> tuple[CommissionFilterForm, Any]:
    form = CommissionFilterForm(request.GET or None)
    commissions = Commission.objects.visible_to(request.user)
    if form.is_valid():
        if form.cleaned_data.get("place"):
            commissions = commissions.filter(place=form.cleaned_data["place"])
        if form.cleaned_data.get("commissioner"):
            commissions = commissions.filter(commissioner=form.cleaned_data["commissioner"])
        if form.cleaned_data.get("specialism"):
            commissions = commissions.filter(specialisms=form.cleaned_data["specialism"])
    return form, commissions.distinct()


@require_GET
def commission_list(request: HttpRequest) -> HttpResponse:
    form, commissions = _filtered_commissions(request)
    commissions = commissions.select_related(
        "place", "commissioner__user", "commissioner__organisation"
    ).prefetch_related("providers", "specialisms")
    page = Paginator(commissions, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    prefetch_terms(c.place for c in page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    place = form.cleaned_data.get("place") if form.is_bound and form.is_valid() else None
    context = {
        "form": form,
        "page_obj": page,
        "commissions": page.object_list,
        "query_string": query.urlencode(),
        "place": place,
        "section": "register",
        "can_record": permissions.commissioner_profile(request.user) is not None,
    }
    return render(request, "talking_points/picture/commission_list.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
def commission_export(request: HttpRequest) -> StreamingHttpResponse:
    """The register as CSV, with the same filters and visibility as the page."""
    _, commissions = _filtered_commissions(request)
    commissions = commissions.select_related(
        "place", "commissioner__user", "commissioner__organisation"
    ).prefetch_related("providers", "specialisms")
    header = [
        "place",
        "what is funded",
        "why",
        "budget (GBP)",
        "starts on",
        "ends on",
        "providers",
        "specialisms",
        "how outcomes were agreed",
        "people who use services took part in design",
        "VCS organisations took part in design",
        "who else took part in design",
        "commissioner",
        "commissioner organisation",
        "public",
        "how it is given",
        "how flexible the money is",
        "reporting asked for",
    ]

    def rows() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield writer.writerow(header)
        for c in commissions.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    csv_cell(v)
                    for v in [
                        c.place.name,
                        c.title,
                        c.why,
                        f"{c.budget:.2f}",
                        c.starts_on.isoformat(),
                        c.ends_on.isoformat() if c.ends_on else "",
                        "; ".join(p.name for p in c.providers.all()),
                        "; ".join(s.name for s in c.specialisms.all()),
                        c.outcomes_agreed,
                        "yes" if c.designed_with_people_using_services else "no",
                        "yes" if c.designed_with_vcs else "no",
                        c.design_participants,
                        c.commissioner.user.full_name,
                        c.commissioner.organisation.name,
                        "yes" if c.is_public else "no",
                        c.get_funding_kind_display(),
                        c.get_flexibility_display(),
                        c.reporting_asks,
                    ]
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="transparency-register.csv"'
    return response


@require_GET
def commission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commission = permissions.get_commission_or_404(request.user, pk)
    context = {
        "commission": commission,
        "place": commission.place,
        "section": "register",
        "providers": commission.providers.order_by("name"),
        "specialisms": commission.specialisms.all(),
        "can_edit": permissions.can_edit_commission(request.user, commission),
    }
    return render(request, "talking_points/picture/commission_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def commission_create(request: AuthenticatedRequest) -> HttpResponse:
    profile = permissions.require_commissioner(request.user)
    initial = {}
    if place_slug := request.GET.get("place"):
        initial["place"] = profile.places.filter(slug=place_slug).first()
    form = CommissionForm(posted(request), commissioner=profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        commission = services.commission_save(form=form, commissioner=profile)
        messages.success(request, f"“{commission.title}” is on the register.")
        return redirect(commission.get_absolute_url())
    return render(
        request,
        "talking_points/picture/commission_form.html",
        {"form": form, "section": "register", "place": initial.get("place")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def commission_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    commission = permissions.get_own_commission_or_404(request.user, pk)
    form = CommissionForm(
        posted(request), instance=commission, commissioner=commission.commissioner
    )
    if request.method == "POST" and form.is_valid():
        services.commission_save(form=form, commissioner=commission.commissioner)
        messages.success(request, "Your changes are saved.")
        return redirect(commission.get_absolute_url())
    return render(
        request,
        "talking_points/picture/commission_form.html",
        {"form": form, "commission": commission, "place": commission.place, "section": "register"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def commission_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    commission = permissions.get_own_commission_or_404(request.user, pk)
    if request.method == "POST":
        place = commission.place
        commission.delete()
        messages.success(request, f"“{commission.title}” is no longer on the register.")
        return redirect(f"{reverse('talking_points:commission_list')}?place={place.slug}")
    return render(
        request,
        "talking_points/picture/confirm.html",
        {
            "place": commission.place,
            "section": "register",
            "title": f"Remove “{commission.title}” from the register?",
            "explanation": "Partners and the public will no longer see it. This cannot be undone.",
            "confirm_label": "Remove from the register",
            "cancel_url": commission.get_absolute_url(),
        },
    )
