"""The inbound webhook: django-anymail's Mailgun inbound view checks Mailgun's signature
(``MAILGUN_WEBHOOK_SIGNING_KEY``) and sends its ``inbound`` signal, which hands the raw
message to ``inbound.mail_receive``. Without a key the endpoint does not exist (404)."""

from __future__ import annotations

from typing import Any

from anymail.signals import AnymailInboundEvent, inbound
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from .inbound import mail_receive


def _signing_key() -> str:
    return str(getattr(settings, "ANYMAIL", {}).get("MAILGUN_WEBHOOK_SIGNING_KEY") or "")


@csrf_exempt
def mailgun_inbound(request: HttpRequest) -> HttpResponse:
    if not _signing_key():
        raise Http404("Inbound email by webhook is not set up.")
    view = MailgunInboundWebhookView.as_view()
    response: HttpResponse = view(request)
    return response


def on_inbound(sender: Any, event: AnymailInboundEvent, esp_name: str, **kwargs: Any) -> None:
    message = event.message
    if message is None:
        return
    recipient = message.envelope_recipient
    mail_receive(
        raw=message.as_bytes(),
        recipients=[recipient] if recipient else [],
        envelope_sender=message.envelope_sender,
    )


def connect() -> None:
    inbound.connect(on_inbound, dispatch_uid="threads.inbound")
