"""The front page and a person's own page: what they belong to, and what waits for them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from partnerships.models import (
    CommissionerProfile,
    Forum,
    ForumJoinRequest,
    ForumMembership,
    Membership,
    Place,
    RequestStatus,
)
from partnerships.types import AuthenticatedRequest


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    places = Place.objects.annotate(
        organisation_count=Count("organisations", distinct=True),
        forum_count=Count("forums", distinct=True),
    )
    return render(request, "talking_points/home.html", {"places": places})


@login_required
@require_GET
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    forum_memberships = ForumMembership.objects.filter(user=user).select_related(
        "forum", "forum__place"
    )
    places = Place.objects.in_partnership_of(user)
    profile = CommissionerProfile.objects.filter(user=user).first()
    facilitated = [fm.forum for fm in forum_memberships if fm.is_facilitator]
    waiting_requests = Paginator(
        ForumJoinRequest.objects.filter(forum__in=facilitated, status=RequestStatus.PENDING)
        .select_related("forum", "user")
        .order_by("created_at", "pk"),
        settings.PAGE_SIZE,
    ).get_page(request.GET.get("page"))
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
    return render(request, "talking_points/dashboard.html", context)
