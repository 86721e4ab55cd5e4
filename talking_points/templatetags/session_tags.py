"""Template helpers for forum sessions: the forum and place page panels, the timer."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import template
from django.db.models import Q
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from partnerships import permissions as forum_permissions
from partnerships.fragments import place_generation
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


# The live page is cached whole (views_sessions.session_detail), but its timer counts from
# "now": a cached page holds marks with the time box's end instead, filled in per response.
# Derived from SECRET_KEY, so nobody can write a mark into a contribution.
def timer_mark() -> str:
    return "timer-" + salted_hmac("live-timer-mark", "mark").hexdigest()[:24]


_MARKED = re.compile(r"(?P<mark>timer-[0-9a-f]{24})(?P<what>over|secs|text):(?P<ends>-?[0-9.]+);")


@register.simple_tag
def live_timer(item: Any, marked: bool = False) -> str:
    """The start of the time box's countdown: its class, seconds left and text."""
    ends_at = item.ends_at
    if marked and ends_at is not None:
        mark = f"{timer_mark()}{{}}:{ends_at.timestamp():.6f};"
        over, secs, text = (mark.format(what) for what in ("over", "secs", "text"))
    else:
        left = item.seconds_left()
        over = " timer-over" if left is not None and left < 0 else ""
        secs, text = str(left), mmss(left)
    return format_html(
        '<p class="timer{}" data-countdown data-seconds-left="{}">\n'
        '        <span class="visually-hidden">Time box: </span>'
        '<span data-countdown-text class="timer-text">{}</span>',
        mark_safe(over),  # noqa: S308 - a fixed class or a mark
        secs,
        text,
    )


def fill_timers(html: str, now: datetime.datetime | None = None) -> str:
    """``html`` with every timer mark (``live_timer(..., marked=True)``) replaced by the
    values as of ``now``."""
    mark = timer_mark()
    if mark not in html:
        return html
    moment = (now or timezone.now()).timestamp()

    def value(match: re.Match[str]) -> str:
        if match["mark"] != mark:
            return match[0]
        left = int(float(match["ends"]) - moment)
        if match["what"] == "over":
            return " timer-over" if left < 0 else ""
        return str(left) if match["what"] == "secs" else mmss(left)

    return _MARKED.sub(value, html)


@register.filter
def entry_url(entry: Any) -> str:
    """A learning entry's page, or "" while the learning log has no page for it."""
    try:
        return str(entry.get_absolute_url())
    except NoReverseMatch:
        return ""


# The panel's sessions and decisions (and its actions, for people outside the forum) are the
# same for everyone with the same access, so they are cached by that access for this long,
# under the place's generation (partnerships.fragments), which every session, decision and
# action service renews. Members' actions carry their own buttons, so they are never cached.
PANEL_CACHE_SECONDS = 30


@register.inclusion_tag("talking_points/sessions/_forum_panel.html", takes_context=True)
def forum_sessions_panel(context: template.Context, forum: Forum) -> dict[str, Any]:
    """The forum page's sessions, decisions and open actions, for whoever is looking.

    Which sessions a person may read (``Session.objects.visible_to``) on one forum's page is
    decided by whether they belong to the forum and, if not, to the place's partnership: that
    is the ``scope`` the cached fragments are keyed by. Queries run only when needed."""
    request = context["request"]
    user = request.user
    membership = context.get("membership", None)
    if membership is None and "membership" not in context:
        membership = forum_permissions.forum_membership(user, forum)
    if membership is not None:
        scope = "facilitator" if membership.is_facilitator else "member"
    elif user.is_authenticated and forum_permissions.is_in_partnership(user, forum.place):
        scope = "partner"
    else:
        scope = "public"
    generation = context.get("generation")
    if generation is None:
        generation = place_generation(forum.place_id)
    # A forum's members may read all its sessions (``Session.objects.visible_to``), so for
    # them the plain query gives the same rows, without compiling the visibility subqueries.
    visible = (
        Session.objects.filter(forum=forum)
        if membership is not None
        else Session.objects.visible_to(user).filter(forum=forum)
    )

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
            Action.objects.filter(session__in=visible, status=ActionStatus.OPEN)
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
        "scope": scope,
        "generation": generation,
        "cache_seconds": PANEL_CACHE_SECONDS,
        "upcoming": SimpleLazyObject(upcoming),
        "past": SimpleLazyObject(
            lambda: list(visible.filter(status=SessionStatus.CLOSED).order_by("-starts_at")[:5])
        ),
        "decisions": SimpleLazyObject(
            lambda: list(
                Decision.objects.filter(session__in=visible)
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
    visible = Session.objects.visible_to(request.user).filter(forum__place=place)
    decisions = list(
        Decision.objects.filter(session__in=visible)
        .select_related("session__forum")
        .order_by("-created_at", "-pk")[:5]
    )
    open_actions = list(
        Action.objects.filter(session__in=visible, status=ActionStatus.OPEN)
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
