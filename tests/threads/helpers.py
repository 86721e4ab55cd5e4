"""Shared makings for the conversation tests: a forum thread and a reply email."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from outbox import services as outbox
from outbox.models import Delivery, DeliveryKind
from tests import factories
from tests.conftest import World
from threads import services, tokens
from threads.models import Follower, Thread

SITE = "https://forum.example.org"


def forum_thread(world: World, *, with_member: Any = None) -> Thread:
    """A thread on ``world.forum`` started by its facilitator; ``with_member`` (made a
    member) has posted in it, so both follow it."""
    thread = services.thread_start(
        by=world.facilitator, forum=world.forum, title="Winter pressures", body="What we see."
    )
    if with_member is not None:
        factories.ForumMembershipFactory(forum=world.forum, user=with_member)
        services.post_add(thread=thread, by=with_member, body="We see it too.")
    return thread


def reply_address(thread: Thread, user: Any) -> str:
    return tokens.reply_address(Follower.objects.get(thread=thread, user=user))


def reply_email(
    *,
    to: str,
    sender: str,
    body: str = "Count us in for Tuesday.",
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = f"Someone <{sender}>"
    message["To"] = to
    message["Subject"] = "Re: Winter pressures"
    message["Message-ID"] = make_msgid(domain="mail.example.net")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


QUOTED_REPLY = """Count us in for Tuesday.

We can bring the figures.

--
Sam Jones
Harbour Recovery Project

On Tue, 1 Dec 2026 at 10:00, HLS Forum <no-reply@forum.example.org> wrote:
> Winter pressures: what we see.
> Reply to this email to answer.
"""


def send_thread_emails() -> int:
    return outbox.deliveries_send_now(
        Delivery.objects.filter(kind=DeliveryKind.THREAD_POST).values_list("pk", flat=True)
    )
