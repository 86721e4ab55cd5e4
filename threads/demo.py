"""Demo conversations: one thread on each place's first forum, between its members, and
one on a shared learning entry. Idempotent; made directly, so no email is queued."""

from __future__ import annotations

import datetime

from django.utils import timezone

from partnerships.models import Forum, User
from talking_points.models import LearningEntry

from .models import Follower, Post, Thread

FORUM_TALK = [
    "Since Tuesday: the night shelter is full most nights. Is anyone else seeing more "
    "people sleeping out?",
    "Yes, about twice as many at our breakfast drop-in. Could we put it on the agenda?",
    "Good idea. I will bring our numbers to the next meeting.",
]


def _thread(*, title: str, posts: list[tuple[User, str]], **on: object) -> None:
    if Thread.objects.filter(title=title, **on).exists() or not posts:
        return
    start = timezone.now() - datetime.timedelta(days=2)
    thread = Thread.objects.create(
        title=title, started_by=posts[0][0], created_at=start, last_posted_at=start, **on
    )
    for n, (author, body) in enumerate(posts):
        when = start + datetime.timedelta(hours=5 * n)
        Post.objects.create(thread=thread, author=author, body=body, created_at=when)
        Follower.objects.get_or_create(thread=thread, user=author)
        thread.last_posted_at = when
    thread.save(update_fields=["last_posted_at"])


def load() -> None:
    seen: set[int] = set()
    for forum in Forum.objects.order_by("place__name", "name"):
        if forum.place_id in seen:
            continue
        seen.add(forum.place_id)
        members = [m.user for m in forum.memberships.select_related("user").order_by("pk")[:3]]
        if not members:
            continue
        _thread(
            forum=forum,
            title="More people sleeping out this winter",
            posts=[(members[n % len(members)], text) for n, text in enumerate(FORUM_TALK)],
        )
    entry = LearningEntry.objects.filter(visibility="place").select_related("author").first()
    if entry is not None and entry.author is not None:
        _thread(
            entry=entry,
            title="How did you get started?",
            posts=[(entry.author, "Happy to say more about how this began: ask here.")],
        )
