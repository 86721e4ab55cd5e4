"""Writes to conversations: start a thread, post, edit, delete, follow, and turn replies
by email on and off. Each runs in one transaction and queues its emails after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from outbox import services as outbox
from outbox.models import DeliveryKind

from .mentions import mentioned_people
from .models import Follower, Post, PostSource, Thread, new_reply_key


def _follow(thread: Thread, user: Any) -> None:
    """Make ``user`` a follower unless a row exists (someone who stopped following stays
    stopped: a later post or mention does not sign them up again)."""
    Follower.objects.get_or_create(thread=thread, user=user)


@transaction.atomic
def thread_start(*, by: Any, title: str, body: str, forum: Any = None, entry: Any = None) -> Thread:
    """Start a thread on ``forum`` or ``entry`` with its first post.

    Precondition: ``by`` may see it (the view fetched the forum or entry through its
    membership or ``visible_to``)."""
    now = timezone.now()
    thread = Thread.objects.create(
        forum=forum, entry=entry, title=title, started_by=by, created_at=now, last_posted_at=now
    )
    post_add(thread=thread, by=by, body=body)
    return thread


@transaction.atomic
def post_add(*, thread: Thread, by: Any, body: str, source: str = PostSource.WEB) -> Post:
    """Add a post to ``thread`` by ``by``, who then follows it, as does everyone it
    mentions who may see the thread. Every follower but the author, who may still see
    the thread, is emailed (one outbox row each, checked again when sent).

    Precondition: ``by`` may see ``thread``."""
    now = timezone.now()
    post = Post.objects.create(thread=thread, author=by, body=body, source=source, created_at=now)
    Thread.objects.filter(pk=thread.pk).update(last_posted_at=now)
    _follow(thread, by)
    for person in mentioned_people(thread=thread, text=body, author=by):
        _follow(thread, person)
    recipients = (
        Follower.objects.filter(thread=thread, following=True, user__is_active=True)
        .exclude(user=by)
        .values_list("user_id", flat=True)
    )
    outbox.deliveries_queue(
        kind=DeliveryKind.THREAD_POST,
        recipient_ids=list(recipients),
        about_id=post.pk,
        forum_id=thread.forum_id,
        now=now,
    )
    return post


@transaction.atomic
def post_edit(*, post: Post, by: Any, body: str) -> Post:
    """Change the words of one's own post. Nobody is emailed again.

    Precondition: ``by`` wrote ``post`` (``permissions.own_post``)."""
    post.body = body
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at"])
    return post


@transaction.atomic
def post_delete(*, post: Post, by: Any) -> None:
    """Delete one's own post. Emails about it not yet sent are skipped when their turn
    comes (the builder finds no post).

    Precondition: ``by`` wrote ``post``."""
    post.delete()


@transaction.atomic
def follow_set(*, thread: Thread, user: Any, following: bool) -> Follower:
    """Start or stop hearing of new posts in ``thread``.

    Precondition: ``user`` may see ``thread``."""
    follower, _ = Follower.objects.get_or_create(thread=thread, user=user)
    if follower.following != following:
        follower.following = following
        follower.save(update_fields=["following"])
    return follower


@transaction.atomic
def reply_by_email_set(*, thread: Thread, user: Any, enabled: bool) -> Follower:
    """Turn ``user``'s reply-by-email address for ``thread`` off (it is refused from then
    on) or on again, with a new address: turning it on never revives an old one."""
    follower, _ = Follower.objects.get_or_create(thread=thread, user=user)
    if enabled and not follower.reply_by_email:
        follower.reply_key = new_reply_key()
    follower.reply_by_email = enabled
    follower.save(update_fields=["reply_by_email", "reply_key"])
    return follower
