"""Champions: people in a place who offer to help others.

Everything here works as plain links and form posts.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from partnerships import permissions, services
from partnerships.forms import ChampionForm
from partnerships.models import Champion
from partnerships.types import AuthenticatedRequest

from .common import posted


@require_http_methods(["GET", "POST"])
def champions(request: HttpRequest, slug: str) -> HttpResponse:
    place = permissions.get_place_or_404(slug)
    can_stand = permissions.is_in_partnership(request.user, place)
    mine = (
        Champion.objects.filter(place=place, user=request.user).first()
        if request.user.is_authenticated
        else None
    )
    form = ChampionForm(posted(request), instance=mine)
    if request.method == "POST":
        permissions.require_partnership(request.user, place)
        if form.is_valid():
            services.champion_stand(
                place=place,
                user=request.user,  # type: ignore[arg-type]
                can_help_with=form.cleaned_data["can_help_with"],
            )
            messages.success(
                request,
                "Thank you for standing as a champion."
                if mine is None
                else "What you can help with is updated.",
            )
            return redirect("talking_points:champions", slug=place.slug)
    context = {
        "place": place,
        "section": "champions",
        "champions": Champion.objects.filter(place=place).select_related("user"),
        "form": form,
        "mine": mine,
        "can_stand": can_stand,
    }
    return render(
        request,
        "talking_points/picture/champions.html",
        context,
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def champion_step_down(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    place = permissions.get_place_or_404(slug)
    mine = get_object_or_404(Champion, place=place, user=request.user)
    if request.method == "POST":
        mine.delete()
        messages.success(request, f"You are no longer a champion for {place.name}.")
        return redirect("talking_points:champions", slug=place.slug)
    return render(
        request,
        "talking_points/picture/confirm.html",
        {
            "place": place,
            "section": "champions",
            "title": f"Step down as a champion for {place.name}?",
            "explanation": "Your name will no longer be shown as a champion. You can stand "
            "again at any time.",
            "confirm_label": "Step down as a champion",
            "cancel_url": reverse("talking_points:champions", kwargs={"slug": place.slug}),
        },
    )
