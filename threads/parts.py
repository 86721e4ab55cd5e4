"""This app's parts of lower apps' pages (``hls_forum.slots``): the latest conversations on
a forum's page (for its members) and on a learning entry's page (for its readers). Each
reads through ``Thread.objects.visible_to``, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .models import Thread

SHOWN = 3


def _reader(context: Mapping[str, Any]) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


def forum_part(context: Mapping[str, Any]) -> dict[str, Any]:
    forum = context["forum"]
    user = _reader(context)
    is_member = bool(context.get("membership"))
    threads = (
        list(
            Thread.objects.visible_to(user)
            .filter(forum=forum)
            .order_by("-last_posted_at", "-pk")[:SHOWN]
        )
        if is_member
        else []
    )
    return {"threads_shown": is_member, "recent_threads": threads}


def entry_part(context: Mapping[str, Any]) -> dict[str, Any]:
    entry = context["entry"]
    threads = list(
        Thread.objects.visible_to(_reader(context))
        .filter(entry=entry)
        .order_by("-last_posted_at", "-pk")[:SHOWN]
    )
    return {"recent_threads": threads}


def register() -> None:
    from hls_forum import slots

    slots.register("forum_page", "threads/_forum_part.html", forum_part)
    slots.register("entry_page", "threads/_entry_part.html", entry_part)
