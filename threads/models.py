"""Conversations between meetings: threads on a forum or on a learning entry, their posts,
who follows them, and a record of each email received for them."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from partnerships.models import ForumMembership
from talking_points.models import LearningEntry


class ThreadQuerySet(models.QuerySet["Thread"]):
    def visible_to(self, user: Any) -> ThreadQuerySet:
        """The one place that decides which threads ``user`` may read. One query.

        A forum's threads are for its members; a learning entry's threads are for whoever
        may read the entry (``LearningEntry.objects.visible_to``)."""
        on_entry = Q(entry__isnull=False) & LearningEntry.objects.visible_at(user, "entry_id")
        if user is None or not user.is_authenticated:
            return self.filter(on_entry)
        member = Q(forum__isnull=False) & Exists(
            ForumMembership.objects.filter(forum=OuterRef("forum_id"), user=user)
        )
        return self.filter(member | on_entry)


class Thread(models.Model):
    """A conversation on a forum or on a learning entry (exactly one of the two)."""

    forum = models.ForeignKey(
        "partnerships.Forum",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threads",
    )
    entry = models.ForeignKey(
        "talking_points.LearningEntry",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="threads",
    )
    title = models.CharField("title", max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_posted_at = models.DateTimeField(default=timezone.now)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-last_posted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(forum__isnull=False) & Q(entry__isnull=True))
                | (Q(forum__isnull=True) & Q(entry__isnull=False)),
                name="thread_on_forum_or_entry",
            )
        ]
        indexes = [
            models.Index(fields=["forum", "-last_posted_at"], name="thread_forum_recent_idx"),
            models.Index(fields=["entry", "-last_posted_at"], name="thread_entry_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("threads:thread_detail", kwargs={"pk": self.pk})

    @property
    def subject_name(self) -> str:
        if self.forum_id is not None:
            return self.forum.name  # type: ignore[union-attr]
        return self.entry.title  # type: ignore[union-attr]

    def subject_url(self) -> str:
        if self.forum_id is not None:
            return reverse("threads:forum_threads", kwargs={"slug": self.forum.slug})  # type: ignore[union-attr]
        return reverse("threads:entry_threads", kwargs={"pk": self.entry_id})


class PostSource(models.TextChoices):
    WEB = "web", "On the site"
    EMAIL = "email", "By email"


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="thread_posts",
    )
    body = models.TextField("your message", max_length=5000)
    source = models.CharField(max_length=10, choices=PostSource.choices, default=PostSource.WEB)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"], name="post_thread_time_idx")]

    def __str__(self) -> str:
        return self.body[:80]


def new_reply_key() -> str:
    return secrets.token_hex(16)


class Follower(models.Model):
    """A person who hears of new posts in a thread: who posted in it or was mentioned,
    unless they stopped following. ``reply_key`` signs their reply-by-email address for
    this thread; a new key (or ``reply_by_email`` off) revokes the old address."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_follows"
    )
    following = models.BooleanField(default=True)
    reply_by_email = models.BooleanField("replies by email", default=True)
    reply_key = models.CharField(max_length=64, default=new_reply_key)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_follow_per_thread")
        ]
        indexes = [models.Index(fields=["user", "following"], name="follower_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.thread}"


class InboundOutcome(models.TextChoices):
    POSTED = "posted", "Became a post"
    IGNORED = "ignored", "Ignored (automatic reply or bounce)"
    REFUSED = "refused", "Refused"
    UNKNOWN_ADDRESS = "unknown", "Not a reply address of ours"


class InboundMail(models.Model):
    """One email received for a reply address, and what became of it. Its Message-ID
    makes a second delivery of the same email (a retried webhook) do nothing."""

    message_id = models.CharField(max_length=300, unique=True)
    follower = models.ForeignKey(
        Follower, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    from_address = models.CharField(max_length=320, blank=True)
    outcome = models.CharField(max_length=10, choices=InboundOutcome.choices)
    detail = models.CharField(max_length=300, blank=True)
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["received_at"], name="inbound_received_idx")]

    def __str__(self) -> str:
        return f"{self.message_id}: {self.get_outcome_display()}"
