"""Deciding in a live session, a round's own page, and looking back at decisions and
experiments. Every page works as plain forms and links; writes go through services."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnerships.models import ForumRole
from partnerships.types import AuthenticatedRequest
from talking_points.models import Decision, LearningEntry, Session
from talking_points.permissions import (
    can_edit_entry,
    get_member_session_or_404,
    session_membership,
)

from . import forms, services
from .models import LookBack, Round
from .permissions import (
    get_decision_or_404,
    get_experiment_or_404,
    get_member_round_or_404,
    get_position_or_404,
    get_round_or_404,
    require_decision_member,
    require_experiment_member,
    require_facilitator,
)
from .reads import round_views


def _back_to_round(round: Round) -> HttpResponseRedirect:
    return redirect(round.session.get_absolute_url() + f"#round-{round.pk}")


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- Rounds ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def round_start(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session, membership = get_member_session_or_404(request.user, pk)
    require_facilitator(membership)
    form = forms.RoundStartForm(_posted(request))
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            started = services.round_start(
                session=session,
                by=request.user,
                method=data["method"],
                proposal=data["proposal"],
                anonymous=data["anonymous_positions"],
                dots_each=data["dots_each"],
                options=data["option_list"],
            )
        except services.DecisionError as exc:
            error = str(exc)
        else:
            messages.success(request, "The round has started: people at the table can answer.")
            return _back_to_round(started)
    with timezone.override(session.forum.place.tz):
        return render(
            request,
            "decisions/round_start.html",
            {"session": session, "forum": session.forum, "form": form, "error": error},
            status=400 if (form.errors or error) else 200,
        )


def _round_page(
    request: HttpRequest, round: Round, *, status: int = 200, **bound: Any
) -> HttpResponse:
    user: Any = request.user
    session = round.session
    membership = session_membership(user, session) if user.is_authenticated else None
    mine = None
    if membership is not None:
        mine = session.attendances.filter(user=user).values_list("pk", flat=True).first()
    view = round_views([round], user, mine)[0]
    is_facilitator = membership is not None and membership.role == ForumRole.FACILITATOR
    context = {
        "session": session,
        "forum": session.forum,
        "view": view,
        "round": round,
        "is_member": membership is not None,
        "is_facilitator": is_facilitator,
        "my_user_id": user.pk,
        "position_form": bound.get("position_form") or forms.PositionForm(round=round),
        "amend_form": bound.get("amend_form") or forms.AmendForm(round=round),
        "end_form": bound.get("end_form") or forms.EndForm(round=round),
        "error": bound.get("error", ""),
    }
    with timezone.override(session.forum.place.tz):
        return render(request, "decisions/round_detail.html", context, status=status)


def _round_fragment(
    request: HttpRequest, round: Round, *, notice: str = "", error: str = "", **bound: Any
) -> HttpResponse:
    """The round's card as the live page shows it, for an htmx swap (status 200, errors
    inside, as htmx swaps only successful answers)."""
    user: Any = request.user
    session = round.session
    membership = session_membership(user, session)
    mine = session.attendances.filter(user=user).values_list("pk", flat=True).first()
    view = round_views([round], user, mine)[0]
    is_facilitator = membership is not None and membership.role == ForumRole.FACILITATOR
    context = {
        "view": view,
        "live": True,
        "names_visible": True,
        "is_member": True,
        "is_facilitator": is_facilitator,
        "my_user_id": user.pk,
        "position_form": bound.get("position_form") or forms.PositionForm(round=round),
        "amend_form": forms.AmendForm(round=round) if is_facilitator else None,
        "end_form": forms.EndForm(round=round) if is_facilitator else None,
        "notice": notice,
        "error": error,
    }
    with timezone.override(session.forum.place.tz):
        return render(request, "decisions/_round.html", context)


@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A round, fetched through ``Round.objects.visible_to``: whoever may read its session."""
    return _round_page(request, get_round_or_404(request.user, pk))


@login_required
@require_POST
def position_give(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    round, _membership = get_member_round_or_404(request.user, pk)
    form = forms.PositionForm(request.POST, round=round)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.position_give(
                round=round,
                user=request.user,
                stance=data.get("stance", ""),
                reason=data.get("reason", ""),
                dots=data.get("dots"),
            )
        except services.DecisionError as exc:
            if request.htmx:
                round.refresh_from_db()
                return _round_fragment(request, round, error=str(exc))
            return _round_page(request, round, status=409, error=str(exc))
        if request.htmx:
            round.refresh_from_db()
            return _round_fragment(request, round, notice="Your position was recorded.")
        messages.success(request, "Your position was recorded.")
        return _back_to_round(round)
    if request.htmx:
        return _round_fragment(request, round, position_form=form)
    return _round_page(request, round, status=400, position_form=form)


@login_required
@require_POST
def objection_withdraw(request: AuthenticatedRequest, pk: int, position: uuid.UUID) -> HttpResponse:
    round, membership = get_member_round_or_404(request.user, pk)
    found = get_position_or_404(round, position)
    try:
        services.objection_withdraw(
            position=found,
            by=request.user,
            is_facilitator=membership.role == ForumRole.FACILITATOR,
        )
    except services.DecisionError as exc:
        return _round_page(request, round, status=409, error=str(exc))
    messages.success(request, "The objection is withdrawn.")
    return _back_to_round(round)


@login_required
@require_POST
def proposal_amend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    round, membership = get_member_round_or_404(request.user, pk)
    require_facilitator(membership)
    form = forms.AmendForm(request.POST, round=round)
    if form.is_valid():
        try:
            services.proposal_amend(
                round=round, by=request.user, proposal=form.cleaned_data["proposal"]
            )
        except services.DecisionError as exc:
            return _round_page(request, round, status=409, error=str(exc))
        messages.success(request, "The proposal was changed: everyone gives their position again.")
        return _back_to_round(round)
    return _round_page(request, round, status=400, amend_form=form)


@login_required
@require_POST
def round_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    round, membership = get_member_round_or_404(request.user, pk)
    require_facilitator(membership)
    form = forms.EndForm(request.POST, round=round)
    if form.is_valid():
        try:
            decision = services.round_end(
                round=round, by=request.user, review_on=form.cleaned_data["review_on"]
            )
        except services.DecisionError as exc:
            return _round_page(request, round, status=409, error=str(exc))
        messages.success(request, "The round has ended and its outcome is recorded.")
        return redirect(round.session.get_absolute_url() + f"#decision-{decision.pk}")
    return _round_page(request, round, status=400, end_form=form)


# --- Looking back --------------------------------------------------------------------------


def _look_backs(user: Any, **about: Any) -> list[LookBack]:
    """Reviews of one decision or experiment, each with the linked entries ``user`` may see
    (as ``visible_learning``). Two queries."""
    return list(
        LookBack.objects.visible_to(user)
        .filter(**about)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch(
                "learning",
                queryset=LearningEntry.objects.visible_to(user).order_by("title"),
                to_attr="visible_learning",
            )
        )[:50]
    )


def _decision_page(
    request: HttpRequest, decision: Decision, *, status: int = 200, **bound: Any
) -> HttpResponse:
    user: Any = request.user
    session: Session = decision.session
    membership = session_membership(user, session) if user.is_authenticated else None
    round = Round.objects.filter(decision=decision).first()
    view = round_views([round], user, None)[0] if round else None
    review = getattr(decision, "review", None)
    context: dict[str, Any] = {
        "decision": decision,
        "session": session,
        "forum": session.forum,
        "view": view,
        "round": round,
        "review": review,
        "look_backs": _look_backs(user, decision=decision),
        "is_member": membership is not None,
    }
    if membership is not None:
        context["date_form"] = bound.get("date_form") or forms.ReviewDateForm(
            initial={"review_on": review.review_on if review else None}
        )
        context["look_back_form"] = bound.get("look_back_form") or forms.LookBackForm(
            user=user, place_id=session.forum.place_id
        )
    with timezone.override(session.forum.place.tz):
        return render(request, "decisions/decision_detail.html", context, status=status)


@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A decision, how it was reached and its reviews, for whoever may read its session."""
    return _decision_page(request, get_decision_or_404(request.user, pk))


@login_required
@require_POST
def decision_review_date(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = get_decision_or_404(request.user, pk)
    require_decision_member(request.user, decision)
    form = forms.ReviewDateForm(request.POST)
    if not form.is_valid():
        return _decision_page(request, decision, status=400, date_form=form)
    services.review_date_set(
        decision=decision, by=request.user, review_on=form.cleaned_data["review_on"]
    )
    messages.success(request, "The review date was saved.")
    return redirect("decisions:decision_detail", pk=decision.pk)


@login_required
@require_POST
def decision_look_back(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = get_decision_or_404(request.user, pk)
    require_decision_member(request.user, decision)
    form = forms.LookBackForm(
        request.POST, user=request.user, place_id=decision.session.forum.place_id
    )
    if not form.is_valid():
        return _decision_page(request, decision, status=400, look_back_form=form)
    data = form.cleaned_data
    services.look_back_record(
        by=request.user,
        learned=data["learned"],
        decision=decision,
        learning=data["learning"],
        next_review_on=data["next_review_on"],
    )
    messages.success(request, "The review was recorded.")
    return redirect("decisions:decision_detail", pk=decision.pk)


@require_http_methods(["GET", "POST"])
def experiment_review(request: HttpRequest, pk: int) -> HttpResponse:
    """An experiment's reviews; its organisation's members record one."""
    user: Any = request.user
    entry = get_experiment_or_404(user, pk)
    form = None
    can_record = user.is_authenticated and can_edit_entry(user, entry)
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_experiment_member(user, entry)
    if can_record:
        form = forms.LookBackForm(_posted(request), user=user, place_id=entry.place_id)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            services.look_back_record(
                by=user,
                learned=data["learned"],
                entry=entry,
                learning=data["learning"],
                next_review_on=data["next_review_on"],
            )
            messages.success(request, "The review was recorded.")
            return redirect("decisions:experiment_review", pk=entry.pk)
    context = {
        "entry": entry,
        "look_backs": _look_backs(user, entry=entry),
        "form": form,
    }
    return render(
        request,
        "decisions/experiment_review.html",
        context,
        status=400 if form is not None and form.errors else 200,
    )
