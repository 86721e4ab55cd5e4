"""The decisions panels on the session pages, each rendered from its own data so the
session views need not know about them. A fixed number of queries per panel."""

from __future__ import annotations

from typing import Any

from django import template

from talking_points.models import Session

from .. import forms
from ..models import DecisionReviewDate
from ..reads import session_rounds

register = template.Library()


@register.inclusion_tag("decisions/_live_rounds.html", takes_context=True)
def live_rounds(context: template.Context, session: Session) -> dict[str, Any]:
    """Open rounds with this viewer's forms, ended ones in short, the start form."""
    request = context["request"]
    is_facilitator = bool(context.get("is_facilitator"))
    rounds = []
    for view in session_rounds(session, request.user):
        r = view.round
        rounds.append(
            {
                "view": view,
                "position_form": forms.PositionForm(round=r) if view.can_take_part else None,
                "amend_form": forms.AmendForm(round=r) if is_facilitator else None,
                "end_form": forms.EndForm(round=r) if is_facilitator else None,
            }
        )
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "session": session,
        "rounds": rounds,
        "is_facilitator": is_facilitator,
        "is_member": True,
        "my_user_id": request.user.pk,
        "start_form": forms.RoundStartForm() if is_facilitator else None,
    }


@register.inclusion_tag("decisions/_summary_rounds.html", takes_context=True)
def summary_rounds(context: template.Context, session: Session) -> dict[str, Any]:
    """How each decision was reached (for whoever may read the summary: names only for the
    forum's members), and a link to each decision's review."""
    request = context["request"]
    decisions = list(context.get("decisions") or [])
    dates = (
        dict(
            DecisionReviewDate.objects.filter(decision__in=[d.pk for d in decisions]).values_list(
                "decision_id", "review_on"
            )
        )
        if decisions
        else {}
    )
    return {
        "request": request,
        "rounds": session_rounds(session, request.user),
        "decision_reviews": [(d, dates.get(d.pk)) for d in decisions],
        "is_member": bool(context.get("is_member")),
        "is_facilitator": False,
        "my_user_id": request.user.pk,
    }
