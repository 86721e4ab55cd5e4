"""What conversations hold about a person, plugged into the privacy registries: their
posts in their copy; on erasure their posts stay, as "a former member" (their follows and
the record of their emails go with the account); records of received emails are kept as
long as the record of sent ones."""

from __future__ import annotations

import datetime
from typing import Any

from privacy import registry

from .models import InboundMail, Post


def export_posts(user: Any) -> list[dict[str, Any]]:
    posts = Post.objects.filter(author=user).select_related("thread")
    return [
        {
            "id": post.pk,
            "conversation": post.thread.title,
            "message": post.body,
            "sent": post.get_source_display(),
            "created_at": post.created_at,
            "edited_at": post.edited_at,
        }
        for post in posts.order_by("created_at", "pk").iterator()
    ]


def export_received_emails(user: Any) -> list[dict[str, Any]]:
    rows = InboundMail.objects.filter(follower__user=user).order_by("received_at", "pk")
    return [
        {
            "received_at": row.received_at,
            "from": row.from_address,
            "what_happened": row.get_outcome_display(),
            "why": row.detail,
        }
        for row in rows.iterator()
    ]


def erase_posts(user: Any) -> int:
    return Post.objects.filter(author=user).update(author=None)


def remove_old_received_emails(*, cutoff: datetime.datetime, now: datetime.datetime) -> int:
    deleted, _ = InboundMail.objects.filter(received_at__lt=cutoff).delete()
    return deleted


def register() -> None:
    registry.register_export_section(
        "conversation_posts", export_posts, description="What you wrote in conversations."
    )
    registry.register_export_section(
        "conversation_emails_received",
        export_received_emails,
        description="Emails received at your reply addresses, and what became of them.",
    )
    registry.register_erasure_step(
        erase_posts,
        name="conversation_posts",
        description="Your posts in conversations stay, shown as by “a former member”.",
    )
    registry.register_retention_rule(
        "delivery_logs",
        remove_old_received_emails,
        name="conversation_emails_received",
        description="Records of emails received for conversations are deleted with the "
        "records of emails sent.",
    )
