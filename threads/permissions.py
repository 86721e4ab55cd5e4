"""Who may do what in a conversation: plain predicates and fetch-and-authorise helpers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from .models import Post, Thread


def thread_for(user: Any, pk: int) -> Thread:
    """The thread, if ``user`` may see it; a 404 otherwise."""
    return get_object_or_404(
        Thread.objects.visible_to(user).select_related("forum", "entry"), pk=pk
    )


def own_post(user: Any, pk: int) -> Post:
    """A post in a thread ``user`` may see (else 404) that they wrote (else 403)."""
    visible = Thread.objects.visible_to(user).filter(pk=OuterRef("thread_id"))
    post = get_object_or_404(
        Post.objects.filter(Exists(visible)).select_related(
            "thread", "thread__forum", "thread__entry"
        ),
        pk=pk,
    )
    if not is_author(user, post):
        raise PermissionDenied("You can only change your own posts.")
    return post


def is_author(user: Any, post: Post) -> bool:
    return bool(user.is_authenticated and post.author_id == user.pk)
