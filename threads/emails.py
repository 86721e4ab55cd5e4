"""The email of a new post, built when its outbox row is sent: to a follower who may still
see the thread, with a Reply-To address unique to them and the thread."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from outbox import registry
from outbox.emails import site_domain
from outbox.models import Delivery, DeliveryKind

from . import tokens
from .models import Follower, Post, Thread


def post_message(delivery: Delivery, now: datetime.datetime) -> EmailMessage | str:
    assert delivery.about_id is not None  # this kind is always about one post
    post = (
        Post.objects.filter(pk=delivery.about_id)
        .select_related("thread", "thread__forum", "thread__entry", "author")
        .first()
    )
    if post is None:
        return "The post was deleted."
    thread = post.thread
    user = delivery.recipient
    # Checked at send time: someone who left the forum, or an entry narrowed since, is
    # never emailed what they can no longer see.
    if not Thread.objects.visible_to(user).filter(pk=thread.pk).exists():
        return "The person can no longer see this conversation."
    follower = Follower.objects.filter(thread=thread, user=user).first()
    if follower is None or not follower.following:
        return "The person stopped following this conversation."
    link = settings.SITE_URL + thread.get_absolute_url()
    stop_url = settings.SITE_URL + reverse("threads:thread_follow", kwargs={"pk": thread.pk})
    context = {
        "post": post,
        "thread": thread,
        "recipient": user,
        "author_name": str(post.author) if post.author else "A former member",
        "link": f"{link}#post-{post.pk}",
        "stop_url": stop_url,
        "can_reply": follower.reply_by_email,
    }
    # The page to stop following asks to sign in and confirm: no one-click POST here.
    headers = {
        "List-Id": f"<thread-{thread.pk}.{site_domain()}>",
        "List-Unsubscribe": f"<{stop_url}>",
    }
    message = EmailMultiAlternatives(
        subject=f"{context['author_name']} in “{thread.title}”"[:200],
        body=render_to_string("threads/email/post.txt", context),
        headers=headers,
        reply_to=[tokens.reply_address(follower)] if follower.reply_by_email else [],
    )
    message.attach_alternative(render_to_string("threads/email/post.html", context), "text/html")
    return message


def register() -> None:
    registry.register(DeliveryKind.THREAD_POST, build=post_message)
