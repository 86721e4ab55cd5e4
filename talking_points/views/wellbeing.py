"""Wellbeing check-ins: anonymous answers after a session, and a forum's trend.

Everything here works as plain links and form posts.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from partnerships.models import Forum
from partnerships.types import AuthenticatedRequest

from .. import picture
from ..forms.wellbeing import WellbeingCheckInForm
from ..models import Session, SessionStatus, WellbeingCheckInMark
from ..models.wellbeing import CHECK_IN_OPENS_BEFORE, check_in_is_open
from ..services import wellbeing as services_wellbeing
from .picture.common import posted


def _session_for_member_or_404(user: Any, pk: int) -> Any:
    """A session of a forum ``user`` belongs to; otherwise 404."""
    return get_object_or_404(
        Session.objects.select_related("forum__place").filter(forum__memberships__user=user),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def wellbeing_check_in(request: AuthenticatedRequest, pk: int) -> HttpResponse:

    session = _session_for_member_or_404(request.user, pk)
    forum = session.forum
    already = WellbeingCheckInMark.objects.filter(session=session, user=request.user).exists()
    is_open = check_in_is_open(session)
    form = WellbeingCheckInForm(posted(request))
    if request.method == "POST":
        if not is_open:
            form.add_error(None, "Check-in for this session has closed.")
        elif form.is_valid():
            try:
                services_wellbeing.wellbeing_check_in(
                    session=session,
                    user=request.user,
                    score=form.cleaned_data["score"],
                    word=form.cleaned_data["word"],
                )
            except services_wellbeing.CheckInError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Thank you for checking in. No one will see your answer.")
                return redirect("talking_points:forum_wellbeing", slug=forum.slug)
    context = {
        "place": forum.place,
        "forum": forum,
        "session": session,
        "form": form,
        "already": already,
        "is_open": is_open,
        "section": "",
    }
    return render(
        request,
        "talking_points/picture/wellbeing_check_in.html",
        context,
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def forum_wellbeing(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The forum's wellbeing trend, for its members only."""
    forum = get_object_or_404(
        Forum.objects.select_related("place").filter(memberships__user=request.user), slug=slug
    )
    now = timezone.now()
    open_sessions = (
        Session.objects.filter(forum=forum, starts_at__lte=now + CHECK_IN_OPENS_BEFORE)
        .exclude(status=SessionStatus.CLOSED)
        .annotate(
            checked_in=Count(
                "wellbeing_check_in_marks",
                filter=Q(wellbeing_check_in_marks__user=request.user),
            )
        )
        .order_by("starts_at")
    )
    context = {
        "place": forum.place,
        "forum": forum,
        "trend": picture.wellbeing_trend(forum),
        "open_sessions": open_sessions,
        "section": "",
    }
    return render(request, "talking_points/picture/forum_wellbeing.html", context)
