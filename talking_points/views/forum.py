"""A forum's page: what it is for and when it meets, with its sessions for members."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from partnerships import permissions
from partnerships.forms import (
    ForumInviteForm,
    ForumJoinRequestForm,
)
from partnerships.models import (
    Forum,
    RequestStatus,
)


@require_GET
def forum_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A forum's page: what it is for and when it meets (public), with what the reader's
    place in it lets them see and do (the online link and sessions for members; people
    asking to join and invitations for facilitators; a way to ask to join for others).
    Queries do not grow with the data."""
    user: Any = request.user
    forum = get_object_or_404(Forum.objects.visible_to(user).select_related("place"), slug=slug)
    membership = permissions.forum_membership(user, forum)
    is_facilitator = membership is not None and membership.is_facilitator
    context: dict[str, Any] = {
        "forum": forum,
        "membership": membership,
        "is_facilitator": is_facilitator,
        "facilitators": forum.memberships.filter(role="facilitator").select_related("user"),
        "member_count": SimpleLazyObject(lambda: forum.memberships.count()),
        "pending_request": membership is None
        and user.is_authenticated
        and forum.join_requests.filter(user=user, status=RequestStatus.PENDING).exists(),
    }
    if is_facilitator:
        context["join_requests"] = Paginator(
            forum.join_requests.filter(status=RequestStatus.PENDING)
            .select_related("user")
            .order_by("created_at", "pk"),
            settings.PAGE_SIZE,
        ).get_page(request.GET.get("page"))
        context["invite_form"] = ForumInviteForm()
        context["pending_invitations"] = forum.invitations.filter(
            accepted_at__isnull=True
        ).order_by("-created_at")[: settings.PAGE_SIZE]
    elif membership is None and user.is_authenticated and forum.is_open:
        context["join_form"] = ForumJoinRequestForm()
    return render(request, "talking_points/forum_detail.html", context)
