"""Talking point 15: the partnership agreement, its versions, and who has signed up."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnerships.models import Organisation
from partnerships.types import AuthenticatedRequest

from .. import permissions, services
from ..forms import AgreementForm, SignForm
from ..models import AgreementVersion
from .common import csv_response, posted


def _current(place: Any, user: Any) -> AgreementVersion | None:
    return (
        AgreementVersion.objects.visible_to(user)
        .filter(place=place)
        .select_related("added_by")
        .order_by("-number")
        .first()
    )


@login_required
@require_GET
def agreement(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    place = permissions.get_place_or_404(request.user, slug)
    current = _current(place, request.user)
    signatures = (
        list(current.signatures.select_related("organisation", "signed_by")) if current else []
    )
    signed_ids = {s.organisation_id for s in signatures}
    led = list(permissions.led_organisations(request.user, place).order_by("name"))
    context = {
        "place": place,
        "section": "keep",
        "current": current,
        "signatures": signatures,
        "not_signed": Organisation.objects.filter(places=place)
        .exclude(pk__in=signed_ids)
        .only("name", "slug")
        .order_by("name")[: settings.PAGE_SIZE],
        "to_sign": [o for o in led if o.pk not in signed_ids],
        "to_withdraw": [o for o in led if o.pk in signed_ids],
        "can_edit": permissions.can_edit(request.user, place),
    }
    return render(request, "records/agreement.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Save a new version. If organisations have signed the current one, the page says that
    saving clears their sign-ups, and asks the person to confirm it before it saves."""
    place = permissions.get_place_or_404(request.user, slug)
    permissions.require_editor(request.user, place)
    current = _current(place, request.user)
    signed = current.signatures.count() if current else 0
    form = AgreementForm(posted(request), current=current, signed=signed)
    if request.method == "POST" and form.is_valid():
        version = services.agreement_save(
            place=place,
            by=request.user,
            will_do=form.cleaned_data["will_do"],
            wont_do=form.cleaned_data["wont_do"],
            change_note=form.cleaned_data["change_note"],
        )
        cleared = f" The sign-ups of {signed} organisations were cleared." if signed else ""
        messages.success(request, f"Saved as version {version.number}.{cleared}")
        return redirect("records:agreement", slug=place.slug)
    return render(
        request,
        "records/agreement_form.html",
        {
            "place": place,
            "section": "keep",
            "form": form,
            "current": current,
            "signed": signed,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def agreement_history(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    place = permissions.get_place_or_404(request.user, slug)
    versions = Paginator(
        AgreementVersion.objects.visible_to(request.user)
        .filter(place=place)
        .select_related("added_by")
        .order_by("-number"),
        settings.PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "records/agreement_history.html",
        {"place": place, "section": "keep", "page_obj": versions, "versions": versions},
    )


@login_required
@require_POST
def agreement_sign(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """A lead signs their organisation up to the current version, or takes it back."""
    place = permissions.get_place_or_404(request.user, slug)
    organisations = permissions.require_lead(request.user, place)
    current = _current(place, request.user)
    form = SignForm(request.POST, organisations=organisations)
    if current is None or not form.is_valid():
        messages.error(request, "Choose an organisation you lead to sign up for.")
        return redirect("records:agreement", slug=place.slug)
    organisation = form.cleaned_data["organisation"]
    if request.POST.get("action") == "withdraw":
        services.agreement_withdraw(version=current, organisation=organisation)
        messages.success(request, f"{organisation.name} is no longer signed up.")
        return redirect("records:agreement", slug=place.slug)
    expected = str(request.POST.get("version", ""))
    try:
        if expected != str(current.number):
            raise services.RecordError(
                "The agreement has changed since you opened it. Read the new version."
            )
        services.agreement_sign(version=current, organisation=organisation, by=request.user)
    except services.RecordError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{organisation.name} has signed up to version {current.number}.")
    return redirect("records:agreement", slug=place.slug)


@login_required
@require_GET
def agreement_csv(request: AuthenticatedRequest, slug: str) -> Any:
    place = permissions.get_place_or_404(request.user, slug)
    versions = (
        AgreementVersion.objects.visible_to(request.user)
        .filter(place=place)
        .select_related("added_by")
        .prefetch_related("signatures__organisation")
        .order_by("number")
    )
    return csv_response(
        f"{place.slug}-agreement.csv",
        [
            "version",
            "what we will do together",
            "what we won't do",
            "what changed",
            "saved by",
            "saved on",
            "organisations signed up",
        ],
        (
            [
                v.number,
                v.will_do,
                v.wont_do,
                v.change_note,
                str(v.added_by or ""),
                v.created_at.date(),
                "; ".join(s.organisation.name for s in v.signatures.all()),
            ]
            for v in versions
        ),
    )
