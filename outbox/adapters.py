"""allauth's emails (sign-in codes, address confirmations, password resets) go through the
outbox like every other automatic email."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import timezone

from . import services
from .models import Delivery, DeliveryKind


class OutboxAccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render allauth's email and send it at once through an outbox row (a sign-in
        code cannot wait for a queue). The row keeps the rendered email, since its code or
        link cannot be made again, until it is sent; it goes to ``email`` even when the
        person's account has another address (a change of address is confirmed there)."""
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                str(content)
                for content, mimetype in getattr(message, "alternatives", []) or []
                if mimetype == "text/html"
            ),
            "",
        )
        text = str(message.body)
        if message.content_subtype == "html":
            html, text = text, ""
        user = context.get("user")
        now = timezone.now()
        delivery = Delivery.objects.create(
            kind=DeliveryKind.ACCOUNT,
            recipient_id=getattr(user, "pk", None),
            address=email,
            occasion_date=now.date(),
            occasion_at=now,
            created_at=now,
            queued_at=now,
            subject=str(message.subject)[:300],
            body_text=text,
            body_html=html,
        )
        services.deliveries_send_now([delivery.pk])
