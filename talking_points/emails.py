"""The emails talking points sends through the outbox: a session's summary, a response or
reply to learning, and an action to its owner. Each builder gets a claimed outbox row and
returns the email, or a sentence saying why it is no longer sent; the outbox sends it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from outbox import registry
from outbox.models import Delivery, DeliveryKind

from .models import Action, Attendance, LearningEntry, Review, Session, SessionStatus


def _about(delivery: Delivery) -> int:
    assert delivery.about_id is not None  # these kinds are always about one thing
    return delivery.about_id


def _site(path: str) -> str:
    return settings.SITE_URL + path


def summary_message(delivery: Delivery, now: datetime.datetime) -> EmailMessage | str:
    from .services.summaries import session_summary_context

    session = (
        Session.objects.filter(pk=_about(delivery), status=SessionStatus.CLOSED)
        .select_related("forum", "forum__place")
        .first()
    )
    if session is None:
        return "The session is no longer closed."
    user = delivery.recipient
    context = {
        **session_summary_context(session, user),
        "link": _site(session.get_absolute_url()),
        "recipient": user,
    }
    when = session.local_starts_at()
    message = EmailMultiAlternatives(
        subject=f"Summary: {session.forum.name}, {when:%-d %B %Y}",
        body=render_to_string("talking_points/email/session_summary.txt", context),
    )
    message.attach_alternative(
        render_to_string("talking_points/email/session_summary.html", context), "text/html"
    )
    return message


def summary_sent(delivery: Delivery) -> None:
    Attendance.objects.filter(
        session_id=_about(delivery), user=delivery.recipient, summary_sent_at__isnull=True
    ).update(summary_sent_at=timezone.now())


def review_message(delivery: Delivery, now: datetime.datetime) -> EmailMessage | str:
    review = (
        Review.objects.filter(pk=_about(delivery))
        .select_related("entry", "entry__organisation", "entry__place", "author")
        .first()
    )
    if review is None:
        return "The response was deleted."
    entry = review.entry
    # Checked at send time: a story whose consent was withdrawn, or an entry narrowed since,
    # is never emailed to someone who can no longer see it.
    if not LearningEntry.objects.visible_to(delivery.recipient).filter(pk=entry.pk).exists():
        return "The person can no longer see this entry."
    link = _site(reverse("talking_points:entry_detail", kwargs={"pk": entry.pk}))
    author_name = str(review.author) if review.author else "Someone"
    context = {"review": review, "entry": entry, "recipient": delivery.recipient, "link": link}
    message = EmailMultiAlternatives(
        subject=f"{author_name} {review.heading} on “{entry.title}”"[:200],
        body=render_to_string("talking_points/learning/email/review.txt", context),
    )
    message.attach_alternative(
        render_to_string("talking_points/learning/email/review.html", context), "text/html"
    )
    return message


def action_message(delivery: Delivery, now: datetime.datetime) -> EmailMessage | str:
    action = (
        Action.objects.filter(pk=_about(delivery))
        .select_related("session", "session__forum", "session__forum__place")
        .first()
    )
    if action is None:
        return "The action was deleted."
    if action.owner_id != delivery.recipient_id:
        return "The action was given to someone else."
    if action.status != "open":
        return "The action is already done."
    session = action.session
    context = {
        "action": action,
        "session": session,
        "forum": session.forum,
        "recipient": delivery.recipient,
        "link": _site(session.get_absolute_url()),
    }
    message = EmailMultiAlternatives(
        subject=f"An action for you from {session.forum.name}"[:200],
        body=render_to_string("talking_points/email/action.txt", context),
    )
    message.attach_alternative(
        render_to_string("talking_points/email/action.html", context), "text/html"
    )
    return message


def register() -> None:
    registry.register(DeliveryKind.SUMMARY, build=summary_message, on_sent=summary_sent)
    registry.register(DeliveryKind.REVIEW, build=review_message)
    registry.register(DeliveryKind.ACTION, build=action_message)
