"""A forum's record (sessions, decisions, actions) and a session's end: closing it,
publishing its summary and taking away what was said."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from hls_forum.spreadsheet import csv_cell
from partnerships import permissions as forum_permissions
from partnerships.types import AuthenticatedRequest
from privacy import audit
from privacy.models import AuditEventType

from ... import forms, services
from ...models import (
    Action,
    ActionStatus,
    Contribution,
    Decision,
    Session,
)
from ...permissions import (
    get_member_session_or_404,
    require_session_facilitator,
)
from .common import back_to, page_of, refusal
from .detail import summary_page

# --- The forum's record: sessions, decisions, actions -----------------------------------


@require_GET
def forum_sessions(request: HttpRequest, slug: str) -> HttpResponse:
    forum = forum_permissions.get_forum_or_404(slug)
    membership = forum_permissions.forum_membership(request.user, forum)
    sessions = Session.objects.visible_to(request.user).filter(forum=forum).order_by("-starts_at")
    context = {
        "forum": forum,
        "membership": membership,
        "is_facilitator": membership is not None and membership.is_facilitator,
        "page_obj": page_of(request, sessions),
    }
    with timezone.override(forum.place.tz):
        return render(request, "talking_points/sessions/forum_sessions.html", context)


@require_GET
def forum_decisions(request: HttpRequest, slug: str) -> HttpResponse:
    forum = forum_permissions.get_forum_or_404(slug)
    decisions = (
        Decision.objects.visible_to(request.user)
        .filter(session__forum=forum)
        .select_related("session")
        .prefetch_related(services.linked_learning_prefetch(request.user))
        .order_by("-created_at", "-pk")
    )
    context = {"forum": forum, "page_obj": page_of(request, decisions)}
    with timezone.override(forum.place.tz):
        return render(request, "talking_points/sessions/forum_decisions.html", context)


@require_GET
def forum_actions(request: HttpRequest, slug: str) -> HttpResponse:
    forum = forum_permissions.get_forum_or_404(slug)
    status = request.GET.get("status", ActionStatus.OPEN)
    if status not in ActionStatus.values:
        status = ActionStatus.OPEN
    membership = forum_permissions.forum_membership(request.user, forum)
    actions = (
        Action.objects.visible_to(request.user)
        .filter(session__forum=forum, status=status)
        .select_related("session")
        .order_by("due_on", "pk")
    )
    context = {
        "forum": forum,
        "status": status,
        "membership": membership,
        "page_obj": page_of(request, actions),
        "query_string": f"status={status}",
        "today": timezone.localdate(),
    }
    with timezone.override(forum.place.tz):
        return render(request, "talking_points/sessions/forum_actions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    if not session.is_live:
        return refusal(request, session, "Only a live session can be closed.")
    if request.method == "POST":
        try:
            next_session = services.session_close(session=session, by=request.user)
        except services.SessionError as exc:
            return refusal(request, session, str(exc))
        note = " The summary is on its way to everyone who was there."
        if next_session is not None:
            note += " Unfinished items moved to the next session."
        messages.success(request, "The session is closed." + note)
        return back_to(session, "summary-heading")
    pending = session.agenda_items.filter(status="pending").select_related("talking_point")
    with timezone.override(session.forum.place.tz):
        return render(
            request,
            "talking_points/sessions/session_close.html",
            {"session": session, "forum": session.forum, "pending": list(pending)},
        )


@login_required
@require_POST
def session_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    form = forms.PublishForm(request.POST)
    if not form.is_valid():
        return summary_page(request, session, membership, publish_form=form, status=400)
    try:
        services.session_publish(
            session=session, visibility=form.cleaned_data["visibility"], by=request.user
        )
    except services.SessionError as exc:
        return refusal(request, session, str(exc))
    messages.success(request, "Who may read the summary was updated.")
    return back_to(session, "publish")


@login_required
@require_GET
def session_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Contributions as CSV for forum members. Anonymous ones say "Anonymous" and carry no
    organisation or sector: there is nothing else to export."""
    session, _membership = get_member_session_or_404(request.user, pk)
    audit.record(
        AuditEventType.LIST_EXPORTED,
        actor=request.user,
        target=session,
        request=request,
        what="session_contributions",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="session-{session.pk}-contributions.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["talking point", "by", "organisation", "sector", "contribution"])
    contributions = (
        Contribution.objects.shown()
        .filter(session=session)
        .select_related("agenda_item__talking_point")
        .order_by("agenda_item__position", "pk")
    )
    for c in contributions.iterator():
        writer.writerow(
            [
                csv_cell(value)
                for value in (
                    c.agenda_item.talking_point,
                    "Anonymous" if c.is_anonymous else c.author_name,
                    c.organisation_name,
                    c.sector,
                    c.text,
                )
            ]
        )
    return response
