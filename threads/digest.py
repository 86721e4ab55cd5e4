"""The weekly digest's line about conversations: for the reminders app to add to a
person's digest (it may import this app; this app never imports it)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q

from .models import Thread

LIMIT = 10


@dataclass(frozen=True)
class DigestLine:
    title: str
    text: str
    url: str = ""


def digest_lines(
    *, user: Any, since: datetime.datetime, until: datetime.datetime
) -> list[DigestLine]:
    """Threads ``user`` follows and may still see (``Thread.objects.visible_to``) with
    posts by others in the period: one line each, newest first. One query."""
    new_posts = Q(posts__created_at__gte=since, posts__created_at__lt=until) & ~Q(
        posts__author=user
    )
    threads = (
        Thread.objects.visible_to(user)
        .filter(followers__user=user, followers__following=True)
        .annotate(new=Count("posts", filter=new_posts))
        .filter(new__gt=0)
        .order_by("-last_posted_at", "-pk")[:LIMIT]
    )
    lines = []
    for thread in threads:
        new: int = thread.new  # type: ignore[attr-defined]
        lines.append(
            DigestLine(
                title=thread.title,
                text=f"{new} new post{'s' if new != 1 else ''}",
                url=settings.SITE_URL + thread.get_absolute_url(),
            )
        )
    return lines
