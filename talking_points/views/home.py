"""The front page and a person's own page: what they belong to, and what waits for them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
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
    User,
)
from partnerships.types import AuthenticatedRequest

from ..models import LearningEntry, Review, ReviewKind

# How many of each kind of waiting item the home page lists before "see all".
WAITING_LIMIT = 5


def questions_awaiting_organisation(user: User) -> QuerySet[Review]:
    """Questions commissioners asked on entries of ``user``'s organisations that nobody at
    the organisation has answered yet: the thread's latest message is not from one of its
    members. Only entries ``user`` may read count. Oldest first; one query."""
    own = Membership.objects.filter(user=user).values("organisation_id")
    latest = Review.objects.filter(Q(pk=OuterRef("pk")) | Q(in_reply_to=OuterRef("pk"))).order_by(
        "-created_at", "-pk"
    )
    answered = Membership.objects.filter(
        user=OuterRef("last_author"), organisation=OuterRef("entry__organisation")
    )
    return (
        Review.objects.filter(
            LearningEntry.objects.visible_at(user, "entry_id"),
            kind=ReviewKind.QUESTION,
            in_reply_to__isnull=True,
            entry__organisation_id__in=own,
        )
        .annotate(last_author=Subquery(latest.values("author_id")[:1]))
        .exclude(Exists(answered))
        .select_related("entry", "entry__organisation", "author")
        .order_by("created_at", "pk")
    )


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
    profile = CommissionerProfile.objects.filter(user=user).select_related("organisation").first()
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
    # What waits for this person. "You are up to date" only when every list is empty.
    unread_entries = (
        list(
            LearningEntry.objects.review_queue_for(user)
            .unread_by(user)
            .for_lists()
            .order_by("-created_at", "-pk")[: WAITING_LIMIT + 1]
        )
        if profile
        else []
    )
    questions = (
        list(questions_awaiting_organisation(user)[: WAITING_LIMIT + 1]) if memberships else []
    )
    own_requests = list(
        ForumJoinRequest.objects.filter(user=user, status=RequestStatus.PENDING)
        .select_related("forum", "forum__place")
        .order_by("created_at", "pk")
    )
    up_to_date = not (unread_entries or questions or own_requests or waiting_requests)
    context = {
        "unread_entries": unread_entries[:WAITING_LIMIT],
        "more_unread": len(unread_entries) > WAITING_LIMIT,
        "questions": questions[:WAITING_LIMIT],
        "more_questions": len(questions) > WAITING_LIMIT,
        "own_requests": own_requests,
        "up_to_date": up_to_date,
        "memberships": memberships,
        "forum_memberships": forum_memberships,
        "places": places,
        "profile": profile,
        "waiting_requests": waiting_requests,
        "open_forums": open_forums,
    }
    return render(request, "talking_points/dashboard.html", context)
