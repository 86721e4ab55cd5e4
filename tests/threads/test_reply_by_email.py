"""Reply by email: the notification's Reply-To address, and what the one inbound service
makes of what arrives there (both inbound paths call it; their own tests are beside)."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from django.core import mail

from outbox import services as outbox
from outbox.models import Delivery, DeliveryKind
from tests.conftest import World
from tests.threads.helpers import (
    QUOTED_REPLY,
    forum_thread,
    reply_address,
    reply_email,
    send_thread_emails,
)
from threads import services, tokens
from threads.inbound import mail_receive
from threads.models import InboundMail, Post, PostSource

pytestmark = pytest.mark.django_db


def test_notification_carries_a_reply_address_for_that_person_and_thread(world: World) -> None:
    thread = forum_thread(world, with_member=world.member_a)
    services.post_add(thread=thread, by=world.facilitator, body="Shall we meet?")
    send_thread_emails()

    [to_facilitator, to_member] = sorted(
        mail.outbox, key=lambda m: m.to[0] != world.facilitator.email
    )
    assert to_member.to == [world.member_a.email]
    assert to_member.reply_to == [reply_address(thread, world.member_a)]
    assert to_member.reply_to != to_facilitator.reply_to
    assert to_member.reply_to[0].startswith("reply+")
    assert to_member.reply_to[0].endswith("@reply.forum.example.org")
    assert to_member.extra_headers["Auto-Submitted"] == "auto-generated"
    assert [kind for _, kind in to_member.alternatives] == ["text/html"]
    assert "Shall we meet?" in to_member.body


def test_a_reply_becomes_a_post_without_quotes_or_signature(world: World) -> None:
    thread = forum_thread(world, with_member=world.member_a)
    address = reply_address(thread, world.member_a)

    result = mail_receive(
        raw=reply_email(to=address, sender=world.member_a.email, body=QUOTED_REPLY),
        recipients=[address],
        envelope_sender=world.member_a.email,
    )

    assert result.outcome == "posted"
    post = Post.objects.latest("pk")
    assert (post.author, post.source, post.thread) == (world.member_a, PostSource.EMAIL, thread)
    assert post.body == "Count us in for Tuesday.\n\nWe can bring the figures."
    # The others hear of it as of any post.
    assert Delivery.objects.filter(
        kind=DeliveryKind.THREAD_POST, about_id=post.pk, recipient=world.facilitator
    ).exists()


def test_the_same_email_twice_makes_one_post(world: World) -> None:
    thread = forum_thread(world, with_member=world.member_a)
    address = reply_address(thread, world.member_a)
    raw = reply_email(to=address, sender=world.member_a.email)

    mail_receive(raw=raw, recipients=[address], envelope_sender=world.member_a.email)
    mail_receive(raw=raw, recipients=[address], envelope_sender=world.member_a.email)

    assert thread.posts.filter(source=PostSource.EMAIL).count() == 1


@pytest.mark.parametrize(
    ("headers", "envelope_sender"),
    [
        ({"Auto-Submitted": "auto-replied"}, "member"),
        ({"Precedence": "bulk"}, "member"),
        ({"Precedence": "junk"}, "member"),
        ({}, ""),  # a null return path: a bounce
        ({"Return-Path": "<>"}, None),
    ],
)
def test_bounces_and_automatic_replies_are_ignored(
    world: World, headers: dict[str, str], envelope_sender: str | None
) -> None:
    thread = forum_thread(world, with_member=world.member_a)
    address = reply_address(thread, world.member_a)
    sender = world.member_a.email if envelope_sender == "member" else envelope_sender

    result = mail_receive(
        raw=reply_email(
            to=address, sender=world.member_a.email, body="I am away.", headers=headers
        ),
        recipients=[address],
        envelope_sender=sender,
    )

    assert result.outcome == "ignored"
    assert not thread.posts.filter(source=PostSource.EMAIL).exists()
    assert not Delivery.objects.filter(kind=DeliveryKind.THREAD_REFUSED).exists()


def test_auto_submitted_no_is_a_person(world: World) -> None:
    thread = forum_thread(world, with_member=world.member_a)
    address = reply_address(thread, world.member_a)

    result = mail_receive(
        raw=reply_email(to=address, sender=world.member_a.email, headers={"Auto-Submitted": "no"}),
        recipients=[address],
    )

    assert result.outcome == "posted"


def test_a_reply_from_another_address_is_refused_by_email(world: World) -> None:
    thread = forum_thread(world, with_member=world.member_a)
    address = reply_address(thread, world.member_a)

    result = mail_receive(
        raw=reply_email(to=address, sender="someone.else@example.net"),
        recipients=[address],
        envelope_sender="someone.else@example.net",
    )

    assert result.outcome == "refused"
    assert not thread.posts.filter(source=PostSource.EMAIL).exists()
    [row] = Delivery.objects.filter(kind=DeliveryKind.THREAD_REFUSED)
    outbox.deliveries_send_now([row.pk])
    [refusal] = mail.outbox
    assert refusal.to == ["someone.else@example.net"]
    assert "not the one this reply address belongs to" in refusal.body
    # A stranger learns nothing about the conversation.
    assert thread.title not in refusal.body


def test_a_revoked_address_is_refused_and_a_new_one_works(world: World) -> None:
    thread = forum_thread(world, with_member=world.member_a)
    old = reply_address(thread, world.member_a)
    services.reply_by_email_set(thread=thread, user=world.member_a, enabled=False)

    refused = mail_receive(raw=reply_email(to=old, sender=world.member_a.email), recipients=[old])

    assert refused.outcome == "refused"
    assert Delivery.objects.filter(
        kind=DeliveryKind.THREAD_REFUSED, address=world.member_a.email
    ).exists()

    services.reply_by_email_set(thread=thread, user=world.member_a, enabled=True)
    new = reply_address(thread, world.member_a)
    assert new != old
    assert (
        mail_receive(raw=reply_email(to=old, sender=world.member_a.email), recipients=[old]).outcome
        == "unknown"
    )
    assert (
        mail_receive(raw=reply_email(to=new, sender=world.member_a.email), recipients=[new]).outcome
        == "posted"
    )


def test_someone_who_left_the_forum_cannot_reply(world: World) -> None:
    thread = forum_thread(world, with_member=world.member_a)
    address = reply_address(thread, world.member_a)
    world.forum.memberships.filter(user=world.member_a).delete()

    result = mail_receive(
        raw=reply_email(to=address, sender=world.member_a.email), recipients=[address]
    )

    assert result.outcome == "refused"
    assert not thread.posts.filter(source=PostSource.EMAIL).exists()


def test_forged_and_unknown_addresses_are_not_ours(world: World) -> None:
    thread = forum_thread(world, with_member=world.member_a)
    good = reply_address(thread, world.member_a)
    forged = good.replace(good.split("-")[1][:4], "0000")

    for address in (forged, "reply+1-abc@reply.forum.example.org", "hello@example.org"):
        result = mail_receive(
            raw=reply_email(to=address, sender=world.member_a.email), recipients=[address]
        )
        assert result.outcome == "unknown"
    assert tokens.resolve(good.upper()) is not None  # case does not matter
    assert not InboundMail.objects.exists()


def test_html_only_reply_and_garbage_never_fail(world: World) -> None:
    thread = forum_thread(world, with_member=world.member_a)
    address = reply_address(thread, world.member_a)

    garbage = mail_receive(raw=b"\x00\xff not an email", recipients=[address])
    assert garbage.outcome == "refused"  # no sender to answer: nothing is sent
    assert not Delivery.objects.filter(kind=DeliveryKind.THREAD_REFUSED).exists()

    message = EmailMessage()
    message["From"] = world.member_a.email
    message["To"] = address
    message["Message-ID"] = "<html-only@example.net>"
    message.set_content("<p>Yes, <b>Tuesday</b>.</p>", subtype="html")
    assert mail_receive(raw=message.as_bytes(), recipients=[]).outcome == "posted"
    assert Post.objects.latest("pk").body == "Yes, Tuesday."
