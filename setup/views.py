"""Pages for set-up without admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from partnerships.models import Forum
from partnerships.types import AuthenticatedRequest

from . import permissions, services
from .forms import (
    DecisionForm,
    EngagementAssessmentForm,
    ForumCreateForm,
    OrganisationProfileForm,
    OrganisationProposalForm,
    PlaceProposalForm,
)
from .models import OrganisationProposal, PlaceProposal, ProposalStatus


def _page(request: AuthenticatedRequest, queryset: Any, param: str) -> Page[Any]:
    return Paginator(queryset, settings.PAGE_SIZE).get_page(request.GET.get(param))


def _post(request: AuthenticatedRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


# --- Proposing ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def place_propose(request: AuthenticatedRequest) -> HttpResponse:
    form = PlaceProposalForm(_post(request))
    if form.is_bound and form.is_valid():
        try:
            services.place_proposal_create(proposer=request.user, data=form.cleaned_data)
        except services.SetupError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(
                request, "Thank you. Site staff will look at your proposal and we will email you."
            )
            return redirect("setup:my_proposals")
    return render(request, "setup/place_propose.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_propose(request: AuthenticatedRequest) -> HttpResponse:
    form = OrganisationProposalForm(_post(request))
    if form.is_bound and form.is_valid():
        try:
            services.organisation_proposal_create(proposer=request.user, data=form.cleaned_data)
        except services.SetupError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(
                request,
                "Thank you. A lead of an organisation in that place, or site staff, will "
                "confirm it and we will email you.",
            )
            return redirect("setup:my_proposals")
    return render(request, "setup/organisation_propose.html", {"form": form})


@login_required
@require_GET
def my_proposals(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    to_confirm = (
        OrganisationProposal.objects.confirmable_by(user)
        .filter(status=ProposalStatus.PENDING)
        .exclude(proposer=user)
        .select_related("place", "proposer")
    )
    context = {
        "places": _page(
            request,
            PlaceProposal.objects.visible_to(user).filter(proposer=user).select_related("place"),
            "places",
        ),
        "organisations": _page(
            request,
            OrganisationProposal.objects.visible_to(user)
            .filter(proposer=user)
            .select_related("place", "organisation"),
            "organisations",
        ),
        "to_confirm": None if user.is_staff else _page(request, to_confirm, "confirm"),
    }
    return render(request, "setup/my_proposals.html", context)


# --- Deciding ---------------------------------------------------------------------------


@login_required
@require_GET
def review_queue(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_site_staff(request.user)
    pending = {"status": ProposalStatus.PENDING}
    context = {
        "places": _page(
            request,
            PlaceProposal.objects.visible_to(request.user)
            .filter(**pending)
            .select_related("proposer"),
            "places",
        ),
        "organisations": _page(
            request,
            OrganisationProposal.objects.visible_to(request.user)
            .filter(**pending)
            .select_related("proposer", "place"),
            "organisations",
        ),
    }
    return render(request, "setup/review_queue.html", context)


def _proposal_page(
    request: AuthenticatedRequest,
    proposal: PlaceProposal | OrganisationProposal,
    *,
    can_decide: bool,
    refusal: str,
    decide: Callable[..., Any],
    approved: str,
    then: str,
    template: str,
) -> HttpResponse:
    """A proposal, and for those who may decide it, the form to approve or decline it."""
    if request.method == "POST" and not can_decide:
        raise PermissionDenied(refusal)
    form = DecisionForm(_post(request)) if can_decide else None
    if form is not None and form.is_bound and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            decide(
                proposal=proposal,
                by=request.user,
                approve=approve,
                reason=form.cleaned_data["reason"],
            )
        except services.SetupError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{proposal.name} is {approved if approve else 'declined'}.")
            return redirect(then)
    return render(request, template, {"proposal": proposal, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def place_proposal_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = permissions.get_place_proposal_or_404(request.user, pk)
    return _proposal_page(
        request,
        proposal,
        can_decide=permissions.is_site_staff(request.user) and proposal.is_pending,
        refusal="Only site staff can decide a proposed place, once.",
        decide=services.place_proposal_decide,
        approved="approved: the place and its forum are set up",
        then="setup:review_queue",
        template="setup/place_proposal_detail.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_proposal_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    proposal = permissions.get_organisation_proposal_or_404(request.user, pk)
    return _proposal_page(
        request,
        proposal,
        can_decide=proposal.is_pending and permissions.can_confirm(request.user, proposal),
        refusal="Only a lead of an organisation in this place, or site staff, can confirm it, "
        "once.",
        decide=services.organisation_proposal_decide,
        approved="confirmed",
        then="setup:my_proposals",
        template="setup/organisation_proposal_detail.html",
    )


# --- Forums, profiles and the self-assessment -----------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def forum_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    place = permissions.get_place_or_404(slug)
    permissions.require_place_facilitator(request.user, place)
    form = ForumCreateForm(_post(request), instance=Forum(place=place))
    if form.is_bound and form.is_valid():
        forum = services.forum_create(place=place, by=request.user, data=form.cleaned_data)
        messages.success(request, f"{forum.name} is set up. You are its facilitator.")
        return redirect(forum.get_absolute_url())
    return render(request, "setup/forum_create.html", {"place": place, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_profile(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    organisation = permissions.get_led_organisation_or_404(request.user, slug)
    # The form edits its own copy, so a refused edit never shows as if it were saved.
    editable = type(organisation).objects.get(pk=organisation.pk)
    form = OrganisationProfileForm(_post(request), instance=editable)
    if form.is_bound and form.is_valid():
        services.organisation_profile_update(organisation=organisation, data=form.cleaned_data)
        messages.success(request, f"The profile of {organisation.name} is saved.")
        return redirect(organisation.get_absolute_url())
    return render(
        request,
        "setup/organisation_profile.html",
        {"organisation": organisation, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def engagement_assess(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    place = permissions.get_place_or_404(slug)
    permissions.require_assessor(request.user, place)
    form = EngagementAssessmentForm(
        _post(request),
        initial={"level": place.engagement_level, "practice": place.current_practice},
    )
    if form.is_bound and form.is_valid():
        services.engagement_assess(place=place, by=request.user, **form.cleaned_data)
        messages.success(request, "Your assessment is recorded. It is now the place's level.")
        return redirect(reverse("talking_points:place_detail", kwargs={"slug": place.slug}))
    return render(request, "setup/engagement_assess.html", {"place": place, "form": form})
