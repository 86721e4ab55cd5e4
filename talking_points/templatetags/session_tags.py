"""Template helpers for forum sessions: the forum and place page panels, the timer."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.db.models import Q
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html

from partnerships import permissions as forum_permissions
from partnerships.models import Forum, Place

from ..models import Action, ActionStatus, Decision, Session, SessionStatus

register = template.Library()


@register.filter
def mmss(seconds: int | None) -> str:
    """12:05 left / over by 1:30, for the time box (the static JS keeps it ticking)."""
    if seconds is None:
        return ""
    minutes, secs = divmod(abs(int(seconds)), 60)
    text = f"{minutes}:{secs:02d}"
    return f"{text} left" if seconds >= 0 else f"Over time by {text}"


@register.simple_tag
def live_timer(item: Any) -> str:
    """The start of the time box's countdown: its class, seconds left and text."""
    left = item.seconds_left()
    over = " timer-over" if left is not None and left < 0 else ""
    return format_html(
        '<p class="timer{}" data-countdown data-seconds-left="{}">\n'
        '        <span class="visually-hidden">Time box: </span>'
        '<span data-countdown-text class="timer-text">{}</span>',
        over,
        left,
        mmss(left),
    )


@register.filter
def entry_url(entry: Any) -> str:
    """A learning entry's page, or "" while the learning log has no page for it."""
    try:
        return str(entry.get_absolute_url())
    except NoReverseMatch:
        return ""


@register.inclusion_tag("talking_points/sessions/_forum_panel.html", takes_context=True)
def forum_sessions_panel(context: template.Context, forum: Forum) -> dict[str, Any]:
    """The forum page's sessions, decisions and open actions that the reader may read
    (``Session.objects.visible_to``). Queries run only when needed."""
    request = context["request"]
    user = request.user
    membership = context.get("membership", None)
    if membership is None and "membership" not in context:
        membership = forum_permissions.forum_membership(user, forum)
    visible = Session.objects.visible_to(user).filter(forum=forum)

    def upcoming() -> list[Session]:
        if membership is None:
            return []
        now = timezone.now()
        return sorted(
            visible.filter(
                Q(status=SessionStatus.LIVE)
                | Q(status=SessionStatus.PLANNED, starts_at__gte=now - datetime.timedelta(days=1))
            ).order_by("starts_at")[:4],
            key=lambda s: (not s.is_live, s.starts_at),
        )

    def actions() -> dict[str, Any]:
        found = list(
            Action.objects.visible_to(user)
            .filter(session__forum=forum, status=ActionStatus.OPEN)
            .select_related("session")
            .order_by("due_on", "pk")[:11]
        )
        return {"rows": found[:10], "more": len(found) > 10}

    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "forum": forum,
        "membership": membership,
        "is_facilitator": membership is not None and membership.is_facilitator,
        "upcoming": SimpleLazyObject(upcoming),
        "past": SimpleLazyObject(
            lambda: list(visible.filter(status=SessionStatus.CLOSED).order_by("-starts_at")[:5])
        ),
        "decisions": SimpleLazyObject(
            lambda: list(
                Decision.objects.visible_to(user)
                .filter(session__forum=forum)
                .select_related("session")
                .order_by("-created_at", "-pk")[:5]
            )
        ),
        "open_actions": SimpleLazyObject(actions),
        "today": timezone.localdate(),
        "tz": forum.place.time_zone,
    }


@register.inclusion_tag("talking_points/sessions/_place_panel.html", takes_context=True)
def place_sessions_panel(context: template.Context, place: Place) -> dict[str, Any]:
    """Decisions and open actions from this place's forums that the viewer may see."""
    request = context["request"]
    user = request.user
    decisions = list(
        Decision.objects.visible_to(user)
        .filter(session__forum__place=place)
        .select_related("session__forum")
        .order_by("-created_at", "-pk")[:5]
    )
    open_actions = list(
        Action.objects.visible_to(user)
        .filter(session__forum__place=place, status=ActionStatus.OPEN)
        .select_related("session__forum")
        .order_by("due_on", "pk")[:10]
    )
    return {
        "place": place,
        "decisions": decisions,
        "open_actions": open_actions,
        "today": timezone.localdate(),
        "tz": place.time_zone,
    }
