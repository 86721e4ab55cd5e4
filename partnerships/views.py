"""Pages about people, places, organisations, commissioners and forums."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from hls_forum.types import AuthenticatedRequest

from . import permissions, services
from .models import (
    CommissionerProfile,
    Forum,
    ForumJoinRequest,
    ForumMembership,
    Invitation,
    Membership,
    Organisation,
    Place,
)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    places = Place.objects.annotate(
        organisation_count=Count("organisations", distinct=True),
        forum_count=Count("forums", distinct=True),
    )
    return render(request, "home.html", {"places": places})


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def bench_ok(request: HttpRequest) -> HttpResponse:
    """The lightest page there is: the benchmark's yardstick. Touching ``request.user``
    makes the signed-in variant pay for its session and user, as every real page does."""
    return HttpResponse(
        "ok" if not request.user.is_authenticated else "ok, signed in", content_type="text/plain"
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@require_GET
def place_list(request: HttpRequest) -> HttpResponse:
    places = Place.objects.annotate(
        organisation_count=Count("organisations", distinct=True),
        forum_count=Count("forums", distinct=True),
    )
    return render(request, "partnerships/place_list.html", {"places": places})


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
    return render(request, "partnerships/place_detail.html", context)


@require_GET
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.prefetch_related("places"), slug=slug)
    is_member = permissions.is_member(request.user, organisation)
    # Who works where is shared only with colleagues.
    members = (
        organisation.memberships.select_related("user").order_by("user__full_name")
        if is_member
        else Membership.objects.none()
    )
    context = {
        "organisation": organisation,
        "is_member": is_member,
        "can_administer": permissions.can_administer_organisation(request.user, organisation),
        "members": members,
        "commissioners": organisation.commissioners.select_related("user"),
    }
    return render(request, "partnerships/organisation_detail.html", context)


@require_GET
def commissioner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(
        CommissionerProfile.objects.select_related("user", "organisation").prefetch_related(
            "specialisms", "places"
        ),
        pk=pk,
    )
    return render(request, "partnerships/commissioner_detail.html", {"profile": profile})


@require_GET
def forum_detail(request: HttpRequest, slug: str) -> HttpResponse:
    forum = permissions.get_forum_or_404(slug)
    membership = permissions.forum_membership(request.user, forum)
    context: dict[str, Any] = {
        "forum": forum,
        "membership": membership,
        "is_facilitator": membership is not None and membership.is_facilitator,
        "facilitators": forum.memberships.filter(role="facilitator").select_related("user"),
        "member_count": forum.memberships.count(),
        "pending_request": (
            request.user.is_authenticated
            and ForumJoinRequest.objects.filter(
                forum=forum, user=request.user, status="pending"
            ).exists()
        ),
    }
    if context["is_facilitator"]:
        context["join_requests"] = forum.join_requests.filter(status="pending").select_related(
            "user"
        )
    return render(request, "partnerships/forum_detail.html", context)


@login_required
@require_GET
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    forum_memberships = ForumMembership.objects.filter(user=user).select_related(
        "forum", "forum__place"
    )
    places = permissions.partnership_places(user)
    profile = CommissionerProfile.objects.filter(user=user).first()
    facilitated = [fm.forum for fm in forum_memberships if fm.is_facilitator]
    waiting_requests = ForumJoinRequest.objects.filter(
        forum__in=facilitated, status="pending"
    ).select_related("forum", "user")
    open_forums = Paginator(
        Forum.objects.filter(place__in=places, access="open")
        .exclude(memberships__user=user)
        .select_related("place"),
        10,
    ).get_page(1)
    context = {
        "memberships": memberships,
        "forum_memberships": forum_memberships,
        "places": places,
        "profile": profile,
        "waiting_requests": waiting_requests,
        "open_forums": open_forums,
    }
    return render(request, "partnerships/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: AuthenticatedRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "forum", "invited_by"),
        token=token,
        accepted_at__isnull=True,
    )
    error = ""
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except services.InvitationError as exc:
            error = str(exc)
        else:
            messages.success(request, f"You have joined {invitation.target}.")
            return redirect(invitation.target.get_absolute_url())
    return render(
        request,
        "partnerships/invitation_accept.html",
        {"invitation": invitation, "error": error},
        status=400 if error else 200,
    )
