"""The shared agenda's panels on the session pages. A fixed number of queries each."""

from __future__ import annotations

from typing import Any

from django import template

from talking_points.models import Session

from .. import services
from ..models import Correction, Proposal, RotaTurn

register = template.Library()


@register.inclusion_tag("agenda/_proposals.html", takes_context=True)
def session_proposals(context: template.Context, session: Session) -> dict[str, Any]:
    user = context["request"].user
    proposals = list(
        Proposal.objects.visible_to(user)
        .filter(session=session)
        .select_related("talking_point", "agenda_item__talking_point")
        .order_by("created_at", "pk")
    )
    turn = RotaTurn.objects.visible_to(user).filter(session=session).select_related("user").first()
    return {
        "session": session,
        "proposals": proposals,
        "turn": turn,
        "is_facilitator": context.get("is_facilitator", False),
        "coming": services.is_coming(session),
        "request": context["request"],
    }


@register.inclusion_tag("agenda/_corrections.html", takes_context=True)
def session_corrections(context: template.Context, session: Session) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    corrections = list(
        Correction.objects.visible_to(user)
        .filter(session=session)
        .select_related("decision", "action")
        .order_by("created_at", "pk")
    )
    attended = any(a.user_id == user.pk for a in context.get("attendances") or [])
    return {
        "session": session,
        "corrections": corrections,
        "ends": services.window_ends(session),
        "open": services.window_open(session),
        "attended": attended,
        "is_facilitator": context.get("is_facilitator", False),
        "request": request,
    }
