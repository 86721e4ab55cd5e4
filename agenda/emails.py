"""The email telling someone their turn to facilitate is coming, sent through the outbox."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string

from outbox import registry
from outbox.models import Delivery, DeliveryKind
from talking_points.models import Session, SessionStatus

from .models import RotaTurn


def rota_message(delivery: Delivery, now: datetime.datetime) -> EmailMessage | str:
    """Built when sent: a session that started, went or changed hands is not announced."""
    session = (
        Session.objects.filter(pk=delivery.about_id or 0, status=SessionStatus.PLANNED)
        .select_related("forum", "forum__place")
        .first()
    )
    if session is None:
        return "The session has started or was deleted."
    if not RotaTurn.objects.filter(session=session, user=delivery.recipient).exists():
        return "The turn was given to someone else."
    context = {
        "session": session,
        "forum": session.forum,
        "recipient": delivery.recipient,
        "link": settings.SITE_URL + session.get_absolute_url(),
    }
    message = EmailMultiAlternatives(
        subject=f"Your turn to facilitate {session.forum.name}"[:200],
        body=render_to_string("agenda/email/rota_turn.txt", context),
    )
    message.attach_alternative(
        render_to_string("agenda/email/rota_turn.html", context), "text/html"
    )
    return message


def register() -> None:
    registry.register(DeliveryKind.ROTA, build=rota_message)
