"""What every automatic email carries, whoever built it: a plain-text and an HTML part,
``Auto-Submitted``, and a ``Message-ID`` on the site's own domain."""

from __future__ import annotations

from email.utils import make_msgid
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils.html import linebreaks

AUTOMATIC_HEADERS = {
    # RFC 3834: sent by a program, so auto-responders stay quiet.
    "Auto-Submitted": "auto-generated",
    "X-Auto-Response-Suppress": "All",
}


def site_domain() -> str:
    """The site's host name, from SITE_URL (never the machine's own name)."""
    return urlsplit(settings.SITE_URL).hostname or "hls-forum.localhost"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_mailto(token: str) -> str:
    """The mailto: alternative for List-Unsubscribe, naming what to stop in its subject."""
    address = getattr(settings, "UNSUBSCRIBE_MAILTO", "") or f"unsubscribe@{site_domain()}"
    return f"mailto:{address}?subject={quote('unsubscribe ' + token)}"


def list_headers(*, list_id: str, unsubscribe_url: str, unsubscribe_token: str) -> dict[str, str]:
    """Headers of an email someone can stop: RFC 2369 List-Unsubscribe with the https URL
    and a mailto: alternative, and RFC 8058 one-click (a mail client may POST
    ``List-Unsubscribe=One-Click`` to the https URL)."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>, <{unsubscribe_mailto(unsubscribe_token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"<{list_id}.{site_domain()}>",
    }


def has_html(message: EmailMessage) -> bool:
    return any(
        mimetype == "text/html" for _, mimetype in getattr(message, "alternatives", []) or []
    )


def finalise(message: EmailMessage) -> EmailMultiAlternatives:
    """Make ``message`` one the outbox sends: the automatic headers, a Message-ID on the
    site's domain, and an HTML part (the plain text, paragraphed) if it has none."""
    if not isinstance(message, EmailMultiAlternatives):
        converted = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body,
            from_email=message.from_email,
            to=message.to,
            cc=message.cc,
            bcc=message.bcc,
            headers=message.extra_headers,
            reply_to=message.reply_to,
            attachments=message.attachments,
        )
        converted.encoding = message.encoding
        converted.content_subtype = message.content_subtype
        message = converted
    if message.content_subtype == "html" and not has_html(message):
        # allauth renders an HTML-only message when it finds no text template.
        message.attach_alternative(str(message.body), "text/html")
        message.content_subtype = "plain"
        message.body = _text_of(str(message.body))
    if not has_html(message):
        message.attach_alternative(linebreaks(message.body, autoescape=True), "text/html")
    headers = {name.lower(): name for name in message.extra_headers}
    for name, value in AUTOMATIC_HEADERS.items():
        if name.lower() not in headers:
            message.extra_headers[name] = value
    if "message-id" not in headers:
        message.extra_headers["Message-ID"] = make_msgid(domain=site_domain())
    return message


def _text_of(html: str) -> str:
    from django.utils.html import strip_tags

    return strip_tags(html)
