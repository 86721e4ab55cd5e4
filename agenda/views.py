"""Pages for proposing agenda items, the facilitator rota and summary corrections.

Every read goes through ``visible_to`` or the session's membership check: outsiders get 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnerships.types import AuthenticatedRequest
from talking_points.models import SessionStatus
from talking_points.views.sessions.common import page_of, posted, refusal

from . import forms, permissions, services
from .models import Proposal, RotaTurn, RotaVolunteer


def _page(
    request: AuthenticatedRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    session = context.get("session")
    forum = context.get("forum") or (session.forum if session is not None else None)
    with timezone.override(forum.place.tz if forum is not None else None):
        return render(request, f"agenda/{template}", {"forum": forum, **context}, status=status)


# --- Proposals ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def proposal_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, _membership = permissions.member_session(request.user, pk)
    if not services.is_coming(session):
        return refusal(request, session, "Items can only be proposed for a session not yet begun.")
    form = forms.ProposalForm(posted(request), forum=session.forum)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_create(
                session=session,
                by=request.user,
                talking_point=form.cleaned_data["talking_point"],
                text=form.cleaned_data["text"],
                why=form.cleaned_data["why"],
            )
        except services.AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your proposal is with the facilitator.")
            return redirect(session.get_absolute_url() + "#proposals")
    status = 400 if request.method == "POST" else 200
    return _page(request, "proposal_form.html", {"session": session, "form": form}, status)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_answer(request: AuthenticatedRequest, pk: int, proposal_pk: int) -> HttpResponse:
    session, _membership = permissions.facilitated_session(request.user, pk)
    proposal = permissions.get_proposal_or_404(request.user, session, proposal_pk)
    if not proposal.is_pending:
        return refusal(request, session, "This proposal has already been answered.")
    form = forms.AnswerProposalForm(posted(request), session=session)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == "accept":
                services.proposal_accept(
                    proposal=proposal, by=request.user, time_box_minutes=data["time_box_minutes"]
                )
            elif data["outcome"] == "merge":
                services.proposal_merge(
                    proposal=proposal,
                    by=request.user,
                    agenda_item=data["agenda_item"],
                    reason=data["reason"],
                )
            else:
                services.proposal_decline(proposal=proposal, by=request.user, reason=data["reason"])
        except services.AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your answer is saved; the person who proposed it sees it.")
            return redirect(session.get_absolute_url() + "#proposals")
    status = 400 if request.method == "POST" else 200
    context = {"session": session, "proposal": proposal, "form": form}
    return _page(request, "proposal_answer.html", context, status)


@login_required
@require_GET
def my_proposals(request: AuthenticatedRequest) -> HttpResponse:
    proposals = (
        Proposal.objects.visible_to(request.user)
        .filter(proposed_by=request.user)
        .select_related("session__forum", "talking_point", "agenda_item__talking_point")
        .order_by("-created_at", "-pk")
    )
    return render(request, "agenda/my_proposals.html", {"page_obj": page_of(request, proposals)})


# --- The facilitator rota ---------------------------------------------------------------


@login_required
@require_GET
def rota(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    forum, membership = permissions.member_forum(request.user, slug)
    turns = (
        RotaTurn.objects.visible_to(request.user)
        .filter(
            session__forum=forum,
            session__status=SessionStatus.PLANNED,
            session__starts_at__gt=timezone.now(),
        )
        .select_related("session", "user")
        .order_by("session__starts_at", "pk")
    )
    volunteers = list(
        RotaVolunteer.objects.filter(forum=forum, user__forum_memberships__forum=forum)
        .select_related("user")
        .order_by("since", "pk")
    )
    settings = services.settings_for(forum)
    context = {
        "forum": forum,
        "membership": membership,
        "settings": settings,
        "settings_form": forms.RotaSettingsForm(
            initial={"rota_on": settings.rota_on, "correction_days": settings.correction_days}
        ),
        "page_obj": page_of(request, turns),
        "volunteers": volunteers,
        "willing": any(v.user_id == request.user.pk for v in volunteers),
    }
    return _page(request, "rota.html", context)


@login_required
@require_POST
def rota_settings(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    forum, membership = permissions.member_forum(request.user, slug)
    permissions.require_forum_facilitator(membership)
    form = forms.RotaSettingsForm(request.POST)
    if not form.is_valid():
        return _page(request, "rota_settings.html", {"forum": forum, "form": form}, status=400)
    services.settings_update(
        forum=forum,
        rota_on=form.cleaned_data["rota_on"],
        correction_days=form.cleaned_data["correction_days"],
    )
    messages.success(request, "The forum's settings are saved.")
    return redirect("agenda:rota", slug=forum.slug)


@login_required
@require_POST
def rota_willing(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    forum, _membership = permissions.member_forum(request.user, slug)
    willing = request.POST.get("willing") == "yes"
    services.rota_volunteer(forum=forum, user=request.user, willing=willing)
    messages.success(
        request,
        "You are on the rota." if willing else "You are off the rota for sessions not yet given.",
    )
    return redirect("agenda:rota", slug=forum.slug)


@login_required
@require_http_methods(["GET", "POST"])
def rota_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, _membership = permissions.facilitated_session(request.user, pk)
    form = forms.RotaChangeForm(posted(request), forum=session.forum)
    if request.method == "POST" and form.is_valid():
        try:
            services.rota_change(session=session, user=form.cleaned_data["user"])
        except services.AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The session has a new facilitator.")
            return redirect("agenda:rota", slug=session.forum.slug)
    status = 400 if request.method == "POST" else 200
    turn = RotaTurn.objects.filter(session=session).select_related("user").first()
    return _page(
        request, "rota_change.html", {"session": session, "turn": turn, "form": form}, status
    )


@login_required
@require_POST
def rota_skip(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, _membership = permissions.facilitated_session(request.user, pk)
    if not services.is_coming(session):
        return refusal(request, session, "Only a session that has not started can change hands.")
    try:
        services.rota_skip(session=session)
    except services.AgendaError as exc:
        return refusal(request, session, str(exc))
    messages.success(request, "The turn went to the next willing member.")
    return redirect("agenda:rota", slug=session.forum.slug)


# --- Corrections ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def correction_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, _membership = permissions.member_session(request.user, pk)
    if not services.window_open(session):
        return refusal(request, session, "This summary is not open to corrections.")
    form = forms.CorrectionForm(posted(request), targets=services.correction_targets(session))
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_create(
                session=session,
                by=request.user,
                target=form.cleaned_data["target"],
                proposed_text=form.cleaned_data["proposed_text"],
                why=form.cleaned_data["why"],
            )
        except services.AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your suggestion is with the facilitator.")
            return redirect(session.get_absolute_url() + "#corrections")
    status = 400 if request.method == "POST" else 200
    context = {"session": session, "form": form, "ends": services.window_ends(session)}
    return _page(request, "correction_form.html", context, status)


@login_required
@require_http_methods(["GET", "POST"])
def correction_answer(request: AuthenticatedRequest, pk: int, correction_pk: int) -> HttpResponse:
    session, _membership = permissions.facilitated_session(request.user, pk)
    correction = permissions.get_correction_or_404(request.user, session, correction_pk)
    if not correction.is_pending:
        return refusal(request, session, "This suggestion has already been answered.")
    form = forms.AnswerCorrectionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["outcome"] == "accept":
                services.correction_accept(
                    correction=correction, by=request.user, answer=form.cleaned_data["answer"]
                )
            else:
                services.correction_decline(
                    correction=correction, by=request.user, answer=form.cleaned_data["answer"]
                )
        except services.AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your answer is saved; the person who suggested it sees it.")
            return redirect(session.get_absolute_url() + "#corrections")
    status = 400 if request.method == "POST" else 200
    context = {"session": session, "correction": correction, "form": form}
    return _page(request, "correction_answer.html", context, status)
