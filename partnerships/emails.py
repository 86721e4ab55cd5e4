"""The emails partnerships sends through the outbox: invitations, a request to join a forum
(to its facilitators) and the answer (to the person who asked). Each builder gets a
claimed outbox row and returns the email, or a sentence saying why it is no longer sent."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from outbox import registry
from outbox.models import Delivery, DeliveryKind

from .models import ForumJoinRequest, Invitation, RequestStatus


def _about(delivery: Delivery) -> int:
    assert delivery.about_id is not None  # these kinds are always about one thing
    return delivery.about_id


def invitation_message(delivery: Delivery, now: datetime.datetime) -> EmailMessage | str:
    invitation = (
        Invitation.objects.filter(pk=_about(delivery))
        .select_related("organisation", "forum", "invited_by")
        .first()
    )
    if invitation is None:
        return "The invitation was withdrawn."
    if invitation.accepted_at is not None:
        return "The invitation was already accepted."
    link = settings.SITE_URL + reverse(
        "partnerships:invitation_accept", kwargs={"token": invitation.token}
    )
    return EmailMessage(
        subject=f"You are invited to join {invitation.target} on HLS Forum",
        body=render_to_string(
            "partnerships/email/invitation.txt", {"invitation": invitation, "link": link}
        ),
    )


def invitation_sent(delivery: Delivery) -> None:
    Invitation.objects.filter(pk=_about(delivery), sent_at__isnull=True).update(
        sent_at=timezone.now()
    )


def _join_request(delivery: Delivery) -> ForumJoinRequest | None:
    return (
        ForumJoinRequest.objects.filter(pk=_about(delivery)).select_related("forum", "user").first()
    )


def join_request_message(delivery: Delivery, now: datetime.datetime) -> EmailMessage | str:
    join_request = _join_request(delivery)
    if join_request is None:
        return "The request was withdrawn."
    if join_request.status != RequestStatus.PENDING:
        return "Someone has already replied to the request."
    forum = join_request.forum
    context = {
        "join_request": join_request,
        "forum": forum,
        "recipient": delivery.recipient,
        "link": settings.SITE_URL + forum.get_absolute_url(),
    }
    return EmailMessage(
        subject=f"{join_request.user} asks to join {forum.name}"[:200],
        body=render_to_string("partnerships/email/join_request.txt", context),
    )


def join_decision_message(delivery: Delivery, now: datetime.datetime) -> EmailMessage | str:
    join_request = _join_request(delivery)
    if join_request is None:
        return "The request was withdrawn."
    if join_request.status == RequestStatus.PENDING:
        return "The request has not been answered."
    forum = join_request.forum
    accepted = join_request.status == RequestStatus.ACCEPTED
    context = {
        "forum": forum,
        "accepted": accepted,
        "recipient": delivery.recipient,
        "link": settings.SITE_URL + forum.get_absolute_url(),
    }
    answer = "You have joined" if accepted else "Your request to join"
    return EmailMessage(
        subject=f"{answer} {forum.name}"[:200],
        body=render_to_string("partnerships/email/join_decision.txt", context),
    )


def register() -> None:
    registry.register(DeliveryKind.INVITATION, build=invitation_message, on_sent=invitation_sent)
    registry.register(DeliveryKind.JOIN_REQUEST, build=join_request_message)
    registry.register(DeliveryKind.JOIN_DECISION, build=join_decision_message)
