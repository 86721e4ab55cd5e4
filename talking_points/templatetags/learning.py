"""Template helpers for learning logs."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch
from django.utils.safestring import SafeString

from ..rendering import plain_text, render_markdown

register = template.Library()


@register.filter
def markdown(source: str) -> SafeString:
    """Render stored Markdown as sanitised HTML."""
    return render_markdown(source)


@register.filter
def excerpt(source: str, length: int = 240) -> str:
    """The start of a Markdown text as plain text (no ``**`` or ``#``), at most ``length``
    characters, cut at a word."""
    # Only the start is shown: render a few times what is needed, not the whole entry.
    source = source or ""
    if len(source) > length * 4:
        source = source[: length * 4].rsplit(None, 1)[0]
    text = " ".join(plain_text(source).split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


@register.filter
def url_or_empty(obj: Any) -> str:
    """``obj.get_absolute_url()``, or "" while the page it names does not exist yet."""
    try:
        return str(obj.get_absolute_url())
    except (NoReverseMatch, AttributeError):
        return ""


@register.inclusion_tag("talking_points/learning/_dashboard.html", takes_context=True)
def learning_dashboard(context: template.Context) -> dict[str, Any]:
    """The learning section of a person's home page: their places' logs and review queue."""
    from partnerships.models import CommissionerProfile, Place

    from ..models import LearningEntry

    user = context["request"].user
    is_commissioner = CommissionerProfile.objects.filter(user=user).exists()
    unread = (
        LearningEntry.objects.review_queue_for(user).exclude(reads__user=user).count()
        if is_commissioner
        else 0
    )
    return {
        "places": Place.objects.in_partnership_of(user).order_by("name"),
        "is_commissioner": is_commissioner,
        "unread": unread,
    }


# How many linked entries a session or decision display lists before "see all".
LINKED_LIMIT = 10


@register.inclusion_tag("talking_points/learning/_linked_learning.html", takes_context=True)
def linked_learning(context: template.Context, session: Any = None, decision: Any = None) -> dict:
    """Entries (visible to the reader) linked to a session or a decision: the other way round
    from an entry's own links, so links show both ways.

    A decision whose ``visible_learning_links`` were prefetched (``services.decisions_for``,
    the forum's decisions page) costs no query; otherwise one query.
    """
    from ..models import LearningEntry

    prefetched = getattr(decision, "visible_learning_links", None)
    if prefetched is not None:
        entries = [link.entry for link in prefetched]
    else:
        user = context["request"].user
        found = LearningEntry.objects.visible_to(user).select_related("organisation")
        if session is not None:
            found = found.filter(links__session=session)
        elif decision is not None:
            found = found.filter(links__decision=decision)
        else:
            found = found.none()
        entries = list(found.distinct().order_by("-created_at", "-pk")[: LINKED_LIMIT + 1])
    return {
        "entries": entries[:LINKED_LIMIT],
        "more": len(entries) > LINKED_LIMIT,
        "session": session,
        "decision": decision,
    }
