"""Running a live session: opening and joining it, the agenda moving on, contributions,
turns, decisions and actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
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
    Action,
    Contribution,
    Session,
)
from ...permissions import (
    can_mark_action_done,
    get_member_session_or_404,
    require_session_facilitator,
)
from .common import back_to, posted, refusal
from .detail import live_context, live_state_response, new_contribution_form, session_page

# Where a live-page action lands: the heading of what is being discussed (it takes focus).
NOW_HEADING = "now-heading"

CLOSED_TO_CONTRIBUTIONS = "This session has closed; it takes no more contributions."

# --- Opening, joining, the poll ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    if not session.is_planned:
        return back_to(session)
    early = session.opens_early()
    form = forms.OpenSessionForm(
        posted(request), forum=session.forum, early=early, initial={"present": [request.user.pk]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_open(
                session=session, by=request.user, present=form.cleaned_data["present"]
            )
        except services.SessionError as exc:
            return refusal(request, session, str(exc))
        messages.success(request, "The session is live.")
        return back_to(session, NOW_HEADING)
    with timezone.override(session.forum.place.tz):
        return render(
            request,
            "talking_points/sessions/session_open.html",
            {"session": session, "forum": session.forum, "form": form, "early": early},
            status=400 if form.errors else 200,
        )


@login_required
@require_POST
def session_join(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, _membership = get_member_session_or_404(request.user, pk)
    try:
        services.session_join(session=session, user=request.user)
    except services.SessionError as exc:
        return refusal(request, session, str(exc))
    messages.success(request, "You have joined the session.")
    return back_to(session, "contribute")


# --- Live actions -------------------------------------------------------------------------


@login_required
@require_POST
def agenda_advance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    raw = request.POST.get("expected_item", "")
    expected = int(raw) if raw.isdigit() else None
    try:
        item = services.agenda_advance(session=session, expected_item_id=expected)
    except services.SessionError as exc:
        if request.htmx:
            session.refresh_from_db()
            return live_state_response(request, session, membership, live_error=str(exc))
        messages.error(request, str(exc))
        return back_to(session, NOW_HEADING)
    if request.htmx:
        # The page announces the new talking point itself (session_live.js) and moves
        # focus to "Now discussing".
        session.refresh_from_db()
        return live_state_response(request, session, membership)
    if item is None:
        messages.success(request, "That was the last item on the agenda.")
    else:
        messages.success(request, f"Now discussing: {item.talking_point.text[:80]}")
    return back_to(session, NOW_HEADING)


@login_required
@require_POST
def contribution_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    form = forms.ContributionForm(request.POST)
    added = None
    if form.is_valid():
        try:
            added = services.contribution_add(
                session=session,
                agenda_item_id=form.cleaned_data["agenda_item"],
                user=request.user,
                text=form.cleaned_data["text"],
                anonymous=form.cleaned_data["anonymous"],
            )
        except services.SessionError as exc:
            form.add_error(None, str(exc))
    if form.errors:
        session.refresh_from_db()
        if session.is_closed and request.htmx:
            # Keep what they wrote on screen, with one plain reason.
            form.errors.clear()
            form.add_error(None, CLOSED_TO_CONTRIBUTIONS)
        elif session.is_closed:
            return refusal(request, session, CLOSED_TO_CONTRIBUTIONS)
        if request.htmx:
            context = live_context(request, session, membership)
            context["contribution_form"] = form
            with timezone.override(session.forum.place.tz):
                return render(
                    request, "talking_points/sessions/session_live.html#contribution-form", context
                )
        return session_page(request, session, membership, contribution_form=form, status=400)
    if request.htmx:
        session.refresh_from_db()
        context = live_context(request, session, membership)
        context["contribution_form"] = new_contribution_form(context)
        # Lets the page tell "yours" from someone else's when the poll brings it.
        context["added_contribution"] = added.pk if added else None
        with timezone.override(session.forum.place.tz):
            response = render(
                request, "talking_points/sessions/session_live.html#contribution-form", context
            )
        response["HX-Trigger"] = "contributions-changed"
        return response
    messages.success(request, "Your contribution was added.")
    return back_to(session, "contribute")


@login_required
@require_http_methods(["GET", "POST"])
def contribution_hide(request: AuthenticatedRequest, pk: int, contribution_pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    contribution = get_object_or_404(
        Contribution.objects.select_related("agenda_item__talking_point"),
        pk=contribution_pk,
        session=session,
    )
    form = forms.HideContributionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_hide(
                contribution=contribution, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.SessionError as exc:
            return refusal(request, session, str(exc))
        messages.success(request, "The contribution is hidden.")
        return back_to(session)
    return render(
        request,
        "talking_points/sessions/contribution_hide.html",
        {"session": session, "contribution": contribution, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def round_robin(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    step = request.POST.get("step", "")
    try:
        if step in ("on", "off"):
            services.round_robin_set(session=session, on=step == "on")
        elif step == "next":
            raw = request.POST.get("expected_turn", "")
            services.round_robin_next(
                session=session, expected_turn_id=int(raw) if raw.isdigit() else None
            )
        else:
            return refusal(request, session, "Choose what to do with round-robin.", status=400)
    except services.SessionError as exc:
        if request.htmx:
            session.refresh_from_db()
            return live_state_response(request, session, membership, live_error=str(exc))
        messages.error(request, str(exc))
    if request.htmx:
        session.refresh_from_db()
        return live_state_response(request, session, membership)
    return back_to(session, "round-robin")


@login_required
@require_POST
def decision_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    form = forms.DecisionForm(request.POST, session=session, user=request.user)
    if form.is_valid():
        try:
            services.decision_record(
                session=session,
                by=request.user,
                text=form.cleaned_data["text"],
                why=form.cleaned_data["why"],
                agenda_item=form.cleaned_data["agenda_item"],
                rests_on=form.cleaned_data["rests_on"],
            )
        except services.SessionError as exc:
            form.add_error(None, str(exc))
    if form.errors:
        if not session.is_live:
            return refusal(request, session, "Decisions are recorded while the session is live.")
        return session_page(request, session, membership, decision_form=form, status=400)
    messages.success(request, "The decision was recorded, with who was at the table.")
    return back_to(session, "decisions")


@login_required
@require_POST
def action_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_session_facilitator(membership)
    form = forms.ActionForm(request.POST, session=session)
    if form.is_valid():
        try:
            services.action_add(
                session=session,
                by=request.user,
                text=form.cleaned_data["text"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                decision=form.cleaned_data["decision"],
            )
        except services.SessionError as exc:
            form.add_error(None, str(exc))
    if form.errors:
        if not session.is_live:
            return refusal(request, session, "Actions are agreed while the session is live.")
        return session_page(request, session, membership, action_form=form, status=400)
    messages.success(request, "The action was recorded.")
    return back_to(session, "actions")


@login_required
@require_POST
def action_done(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        Action.objects.filter(session__in=Session.objects.for_members(request.user)),
        pk=pk,
    )
    session = action.session
    membership = forum_permissions.forum_membership(request.user, session.forum)
    if not can_mark_action_done(request.user, action, membership):
        raise PermissionDenied("Only the action's owner or a facilitator can change it.")
    if request.POST.get("reopen"):
        services.action_reopen(action=action)
        messages.success(request, "The action is open again.")
    else:
        services.action_mark_done(action=action, by=request.user)
        messages.success(request, "The action is marked done.")
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return back_to(session, "actions")
