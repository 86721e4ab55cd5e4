"""Replies by email: the one service both inbound paths call (``manage.py receive_mail``'s
SMTP server and the provider's webhook). The message is parsed with the standard
library's ``email`` package; quoted text and signatures are stripped by
``mail-parser-reply``.

What happens to a message, in order:
- not addressed to one of our reply addresses: nothing (no record, no answer);
- the same Message-ID seen before (a retried webhook, or both paths): nothing new;
- a bounce or an automatic reply (null return path, ``Auto-Submitted`` other than "no",
  ``Precedence`` bulk/junk/list, a delivery report): recorded as ignored, never answered;
- from an address that is not the person's, to a revoked address, or from someone who
  can no longer see the thread, or with nothing left once quotes are stripped: refused,
  with an email back through the outbox, and no post;
- otherwise: a post by that person, with the usual notifications.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from mailparser_reply import EmailReplyParser

from outbox import services as outbox
from outbox.models import DeliveryKind

from . import services, tokens
from .models import Follower, InboundMail, InboundOutcome, Post, PostSource, Thread

logger = logging.getLogger(__name__)

AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list"}
MAX_BODY = 5000


@dataclass(frozen=True)
class Received:
    outcome: str
    detail: str = ""
    post: Post | None = None


def parse(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)  # policy.default makes EmailMessage objects
    return message


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name, "") or "").strip()
    except Exception:  # a header the parser could not make sense of
        return ""


def automatic_reason(message: EmailMessage, envelope_sender: str | None) -> str:
    """Why ``message`` is a bounce or an automatic reply, or "" if a person sent it."""
    if envelope_sender is not None and envelope_sender.strip() in {"", "<>"}:
        return "It had no return path (a bounce)."
    if _header(message, "Return-Path") == "<>":
        return "It had no return path (a bounce)."
    auto_submitted = _header(message, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        return f"It was sent automatically (Auto-Submitted: {auto_submitted[:40]})."
    if _header(message, "Precedence").lower() in AUTOMATIC_PRECEDENCE:
        return "It was sent automatically (Precedence)."
    if message.get_content_type() == "multipart/report":
        return "It was a delivery report (a bounce)."
    if _header(message, "X-Autoreply") or _header(message, "X-Autorespond"):
        return "It was an automatic reply."
    return ""


def _addresses(message: EmailMessage, names: Iterable[str]) -> list[str]:
    values = [_header(message, name) for name in names]
    return [address for _, address in getaddresses([v for v in values if v]) if address]


def _reply_target(message: EmailMessage, recipients: Iterable[str]) -> tokens.ReplyTarget | None:
    candidates = [*recipients, *_addresses(message, ("To", "Cc", "Delivered-To"))]
    for address in candidates:
        target = tokens.resolve(address)
        if target is not None:
            return target
    return None


def _message_id(message: EmailMessage, raw: bytes) -> str:
    given = _header(message, "Message-ID")
    return given[:300] if given else "sha256:" + hashlib.sha256(raw).hexdigest()


def reply_text(message: EmailMessage) -> str:
    """The words of the reply: the plain-text part (or the HTML one, without tags), with
    quoted text, reply headers and signatures removed."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = str(part.get_content())
    except (LookupError, ValueError, AttributeError):
        return ""
    if part.get_content_type() == "text/html":
        text = strip_tags(text)
    parsed = EmailReplyParser(languages=["en"]).read(text.replace("\r\n", "\n"))
    if not parsed.replies:
        return ""
    return parsed.replies[0].body.strip()[:MAX_BODY]


def _belongs_to(follower: Follower, address: str) -> bool:
    user = follower.user
    address = address.strip().lower()
    if address == user.email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=address, verified=True).exists()


def _refuse(record: InboundMail, *, to: str, thread: Thread | None, reason: str) -> Received:
    record.outcome = InboundOutcome.REFUSED
    record.detail = reason[:300]
    record.save(update_fields=["outcome", "detail"])
    if to:
        context = {"reason": reason, "thread": thread}
        outbox.deliveries_queue(
            kind=DeliveryKind.THREAD_REFUSED,
            address=to,
            about_id=record.pk,
            subject="Your reply was not posted",
            body_text=render_to_string("threads/email/refused.txt", context),
            body_html=render_to_string("threads/email/refused.html", context),
        )
    return Received(outcome=InboundOutcome.REFUSED, detail=reason)


def mail_receive(
    *, raw: bytes, recipients: Iterable[str] = (), envelope_sender: str | None = None
) -> Received:
    """Turn one received email into a post, or ignore or refuse it (see the module's
    docstring). Never raises on bad input. Idempotent by Message-ID."""
    try:
        message = parse(raw)
    except Exception:
        logger.warning("An inbound email could not be parsed", exc_info=True)
        return Received(outcome=InboundOutcome.IGNORED, detail="It could not be read.")
    target = _reply_target(message, recipients)
    if target is None:
        return Received(outcome=InboundOutcome.UNKNOWN_ADDRESS)
    follower = target.follower
    from_address = parseaddr(_header(message, "From"))[1].strip()
    try:
        with transaction.atomic():
            record, created = InboundMail.objects.get_or_create(
                message_id=_message_id(message, raw),
                defaults={
                    "follower": follower,
                    "from_address": from_address[:320],
                    "outcome": InboundOutcome.IGNORED,
                },
            )
            if not created:
                return Received(outcome=record.outcome, detail="Already received.")
            return _decide(record, message, target, from_address, envelope_sender)
    except IntegrityError:  # the same message arrived twice at once
        return Received(outcome=InboundOutcome.IGNORED, detail="Already received.")


def _decide(
    record: InboundMail,
    message: EmailMessage,
    target: tokens.ReplyTarget,
    from_address: str,
    envelope_sender: str | None,
) -> Received:
    follower = target.follower
    thread = follower.thread
    automatic = automatic_reason(message, envelope_sender)
    if automatic:
        record.detail = automatic
        record.save(update_fields=["detail"])
        return Received(outcome=InboundOutcome.IGNORED, detail=automatic)
    if not from_address or not _belongs_to(follower, from_address):
        return _refuse(
            record,
            to=from_address,
            thread=None,
            reason="It was sent from an address that is not the one this reply address "
            "belongs to. Reply from your own email address, or post on the site.",
        )
    if target.revoked:
        return _refuse(
            record,
            to=from_address,
            thread=None,
            reason="Replies by email to this conversation are turned off for you. Post on "
            "the site instead, or turn replies by email back on there.",
        )
    user = follower.user
    if not user.is_active or not Thread.objects.visible_to(user).filter(pk=thread.pk).exists():
        return _refuse(
            record, to=from_address, thread=None, reason="You can no longer see this conversation."
        )
    text = reply_text(message)
    if not text:
        return _refuse(
            record,
            to=from_address,
            thread=thread,
            reason="We found no words of your own in it (only quoted text or a signature).",
        )
    post = services.post_add(thread=thread, by=user, body=text, source=PostSource.EMAIL)
    record.outcome = InboundOutcome.POSTED
    record.post = post
    record.save(update_fields=["outcome", "post"])
    return Received(outcome=InboundOutcome.POSTED, post=post)
