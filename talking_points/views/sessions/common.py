"""What the session pages share: membership checks, paging and the refusal page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render

from partnerships import permissions as forum_permissions
from partnerships.models import Forum, ForumMembership

from ...models import (
    Session,
)

# --- Helpers --------------------------------------------------------------------------


def forum_member_or_403(request: HttpRequest, forum: Forum) -> ForumMembership:
    membership = forum_permissions.forum_membership(request.user, forum)
    if membership is None:
        raise PermissionDenied("Only members of this forum can see this page.")
    return membership


def facilitator_or_403(request: HttpRequest, forum: Forum) -> ForumMembership:
    membership = forum_member_or_403(request, forum)
    if not membership.is_facilitator:
        raise PermissionDenied("Only a facilitator of this forum can do that.")
    return membership


def posted(request: HttpRequest) -> Any:
    """Bind a form on POST even when nothing was sent, so an empty post shows its errors."""
    return request.POST if request.method == "POST" else None


def page_of(request: HttpRequest, items: Any, per_page: int = 20) -> Any:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def back_to(session: Session, anchor: str = "") -> HttpResponseRedirect:
    return redirect(session.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def refusal(
    request: HttpRequest, session: Session, message: str, status: int = 409
) -> HttpResponse:
    """A plain page explaining why a change was refused, with a way back."""
    return render(
        request,
        "talking_points/sessions/session_error.html",
        {"session": session, "message": message},
        status=status,
    )
