"""Learning linked to a signal as evidence, and fears reviewed in later sessions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from partnerships.types import AuthenticatedRequest
from talking_points.models import LearningEntry

from .. import permissions, services
from ..forms import EvidenceForm, FearReviewForm
from ..models import Fear, Signal, SignalEvidence
from .common import posted


@login_required
@require_http_methods(["GET", "POST"])
def signal_evidence(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """Link a learning entry (one the person may read) to a signal as evidence."""
    place = permissions.get_place_or_404(request.user, slug)
    signal = get_object_or_404(Signal.objects.visible_to(request.user), pk=pk, place=place)
    permissions.require_editor(request.user, place)
    form = EvidenceForm(posted(request), place=place, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_link(
                signal=signal, entry_id=form.cleaned_data["entry"], by=request.user
            )
        except services.RecordError as exc:
            form.add_error("entry", str(exc))
        else:
            messages.success(request, f"Linked as evidence for “{signal}”.")
            return redirect("records:signals", slug=place.slug)
    return render(
        request,
        "records/signal_evidence.html",
        {"place": place, "section": "keep", "signal": signal, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_remove(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    place = permissions.get_place_or_404(request.user, slug)
    link = get_object_or_404(
        SignalEvidence.objects.filter(
            LearningEntry.objects.visible_at(request.user, "entry_id")
        ).select_related("signal", "entry"),
        pk=pk,
        signal__place=place,
    )
    permissions.require_editor(request.user, place)
    if request.method == "POST":
        link.delete()
        messages.success(
            request, f"“{link.entry.title}” is no longer evidence for “{link.signal}”."
        )
        return redirect("records:signals", slug=place.slug)
    return render(
        request,
        "talking_points/picture/confirm.html",
        {
            "place": place,
            "section": "keep",
            "title": f"Unlink “{link.entry.title}” from “{link.signal}”?",
            "explanation": "The learning entry stays in its log; only the link goes.",
            "confirm_label": "Unlink this evidence",
            "cancel_url": reverse("records:signals", kwargs={"slug": place.slug}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def fear_review(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """Log that a fear was looked at again, with the reviews so far."""
    place = permissions.get_place_or_404(request.user, slug)
    fear = get_object_or_404(
        Fear.objects.visible_to(request.user).select_related("owner"), pk=pk, place=place
    )
    can_edit = permissions.can_edit(request.user, place)
    form = FearReviewForm(posted(request))
    if request.method == "POST":
        permissions.require_editor(request.user, place)
        if form.is_valid():
            services.fear_review_add(fear=fear, form=form, by=request.user)
            messages.success(request, f"Review of “{fear}” saved.")
            return redirect("records:fear_review", slug=place.slug, pk=fear.pk)
    reviews = fear.reviews.select_related("reviewed_by")[:50]
    return render(
        request,
        "records/fear_review.html",
        {
            "place": place,
            "section": "keep",
            "fear": fear,
            "reviews": reviews,
            "form": form,
            "can_edit": can_edit,
        },
        status=400 if form.errors else 200,
    )
