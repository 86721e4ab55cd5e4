"""The review reminder: a decision or an experiment is due to be looked at again. Built for
a claimed outbox row; checked at send time against what the person may still see."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from outbox import registry
from outbox.models import Delivery, DeliveryKind
from talking_points.models import Decision, LearningEntry

from .models import ReviewReminder


def review_due_message(delivery: Delivery, now: datetime.datetime) -> EmailMessage | str:
    assert delivery.about_id is not None  # always about one reminder
    reminder = ReviewReminder.objects.filter(pk=delivery.about_id).first()
    if reminder is None:
        return "The review is no longer planned."
    user = delivery.recipient
    if reminder.decision_id is not None:
        decision = (
            Decision.objects.visible_to(user)
            .select_related("session__forum")
            .filter(pk=reminder.decision_id)
            .first()
        )
        if decision is None:
            return "The person can no longer see this decision."
        title = decision.text
        where = decision.session.forum.name
        path = reverse("decisions:decision_detail", kwargs={"pk": decision.pk})
    else:
        entry = (
            LearningEntry.objects.visible_to(user)
            .select_related("organisation")
            .filter(pk=reminder.entry_id or 0)
            .first()
        )
        if entry is None:
            return "The person can no longer see this experiment."
        title = entry.title
        where = entry.organisation.name
        path = reverse("decisions:experiment_review", kwargs={"pk": entry.pk})
    context = {
        "recipient": user,
        "what": "decision" if reminder.decision_id else "experiment",
        "title": title,
        "where": where,
        "due_on": reminder.due_on,
        "link": settings.SITE_URL + path,
    }
    message = EmailMultiAlternatives(
        subject=f"Time to look again: {title}"[:200],
        body=render_to_string("decisions/email/review_due.txt", context),
    )
    message.attach_alternative(
        render_to_string("decisions/email/review_due.html", context), "text/html"
    )
    return message


def register() -> None:
    registry.register(DeliveryKind.REVIEW_DUE, build=review_due_message)
