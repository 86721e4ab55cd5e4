"""A forum's talking points and planning its sessions: the session, its agenda, time boxes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
)

from partnerships import permissions as forum_permissions
from partnerships.types import AuthenticatedRequest

from ... import forms, services
from ...models import (
    AgendaItem,
    Session,
    TalkingPoint,
)
from ...permissions import (
    get_member_session_or_404,
    require_session_facilitator,
)
from .common import back_to, facilitator_or_403, forum_member_or_403, posted, refusal
from .detail import session_page

# --- Talking points per forum --------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def forum_talking_points(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    forum = forum_permissions.get_forum_or_404(slug)
    membership = forum_member_or_403(request, forum)
    form = forms.TalkingPointForm(posted(request))
    status = 200
    if request.method == "POST":
        facilitator_or_403(request, forum)
        if form.is_valid():
            services.talking_point_add(forum=forum, text=form.cleaned_data["text"], by=request.user)
            messages.success(request, "Your talking point was added.")
            return redirect("talking_points:forum_talking_points", slug=forum.slug)
        status = 400
    points = list(TalkingPoint.objects.for_forum(forum).prefetch_related("parts"))
    context = {
        "forum": forum,
        "membership": membership,
        "is_facilitator": membership.is_facilitator,
        "active": [p for p in points if not getattr(p, "retired", False)],
        "retired": [p for p in points if getattr(p, "retired", False)],
        "form": form,
    }
    with timezone.override(forum.place.tz):
        return render(
            request, "talking_points/sessions/forum_talking_points.html", context, status=status
        )


@login_required
@require_POST
def talking_point_retire(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    forum = forum_permissions.get_forum_or_404(slug)
    facilitator_or_403(request, forum)
    point = get_object_or_404(TalkingPoint.objects.for_forum(forum), pk=pk)
    if request.POST.get("restore"):
        services.talking_point_restore(forum=forum, talking_point=point)
        messages.success(request, "The talking point is back in use.")
    else:
        services.talking_point_retire(forum=forum, talking_point=point, by=request.user)
        messages.success(request, "The talking point was retired for this forum.")
    return redirect("talking_points:forum_talking_points", slug=forum.slug)


# --- Planning -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_plan(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    forum = forum_permissions.get_forum_or_404(slug)
    facilitator_or_403(request, forum)
    with timezone.override(forum.place.tz):
        initial = {
            "starts_at": timezone.localtime(forum.next_meeting()),
            "venue": forum.venue,
            "online_link": forum.online_link,
        }
        form = forms.SessionPlanForm(posted(request), initial=initial, forum=forum)
        if request.method == "POST" and form.is_valid():
            chosen = set(p.pk for p in form.cleaned_data["talking_points"])
            # Keep the suggested order (least recently discussed first).
            suggested = TalkingPoint.objects.suggested_for_forum(forum)
            points = [p for p in suggested if p.pk in chosen]
            try:
                session = services.session_plan(
                    forum=forum,
                    by=request.user,
                    starts_at=form.cleaned_data["starts_at"],
                    venue=form.cleaned_data["venue"],
                    online_link=form.cleaned_data["online_link"],
                    talking_points=points,
                    time_box_minutes=form.cleaned_data["time_box_minutes"],
                )
            except services.SessionError as exc:
                form.add_error("starts_at", str(exc))
            else:
                messages.success(request, "The session is planned. Check the agenda below.")
                return redirect(session)
        suggestions = list(TalkingPoint.objects.suggested_for_forum(forum)[:3])
        return render(
            request,
            "talking_points/sessions/session_plan.html",
            {"forum": forum, "form": form, "suggestions": suggestions},
            status=400 if form.errors else 200,
        )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    if not session.is_planned:
        return refusal(request, session, "Only a planned session can be changed.")
    with timezone.override(session.forum.place.tz):
        form = forms.SessionForm(posted(request), instance=session)
        if request.method == "POST" and form.is_valid():
            try:
                services.session_update(
                    session=session,
                    starts_at=form.cleaned_data["starts_at"],
                    venue=form.cleaned_data["venue"],
                    online_link=form.cleaned_data["online_link"],
                )
            except services.SessionError as exc:
                form.add_error("starts_at", str(exc))
            else:
                messages.success(request, "The session was updated.")
                return redirect(session)
        return render(
            request,
            "talking_points/sessions/session_edit.html",
            {"session": session, "forum": session.forum, "form": form},
            status=400 if form.errors else 200,
        )


@login_required
@require_http_methods(["GET", "POST"])
def session_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    if not session.is_planned:
        return refusal(request, session, "Only a planned session can be deleted.")
    if request.method == "POST":
        services.session_delete(session=session)
        messages.success(request, "The planned session was deleted.")
        return redirect("talking_points:forum_sessions", slug=session.forum.slug)
    with timezone.override(session.forum.place.tz):
        return render(request, "talking_points/sessions/session_delete.html", {"session": session})


@login_required
@require_POST
def agenda_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    form = forms.AgendaItemForm(request.POST, forum=session.forum)
    if not form.is_valid():
        return session_page(request, session, membership, agenda_form=form, status=400)
    try:
        services.agenda_item_add(
            session=session,
            talking_point=form.cleaned_data["talking_point"],
            time_box_minutes=form.cleaned_data["time_box_minutes"],
        )
    except services.SessionError as exc:
        return refusal(request, session, str(exc))
    messages.success(request, "The talking point was added to the agenda.")
    return back_to(session, "agenda")


def _session_item(session: Session, item_pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem, pk=item_pk, session=session)


@login_required
@require_POST
def agenda_item_time_box(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    item = _session_item(session, item_pk)
    form = forms.TimeBoxForm(request.POST)
    if not form.is_valid():
        return session_page(
            request, session, membership, time_box_errors={item.pk: form}, status=400
        )
    try:
        services.agenda_item_set_time_box(
            item=item, time_box_minutes=form.cleaned_data["time_box_minutes"]
        )
    except services.SessionError as exc:
        return refusal(request, session, str(exc))
    messages.success(request, "The time box was changed.")
    return back_to(session, "agenda")


@login_required
@require_POST
def agenda_item_move(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    item = _session_item(session, item_pk)
    try:
        services.agenda_item_move(item=item, up=request.POST.get("direction") == "up")
    except services.SessionError as exc:
        return refusal(request, session, str(exc))
    return back_to(session, "agenda")


@login_required
@require_POST
def agenda_item_remove(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    item = _session_item(session, item_pk)
    try:
        services.agenda_item_remove(item=item)
    except services.SessionError as exc:
        return refusal(request, session, str(exc))
    messages.success(request, "The talking point was taken off the agenda.")
    return back_to(session, "agenda")
