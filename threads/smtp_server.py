"""The SMTP side of reply by email: an aiosmtpd handler that accepts mail for our reply
addresses only and hands each message to ``inbound.mail_receive``. ``manage.py
receive_mail`` runs it, behind a local MX or as a relay's next hop."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.db import close_old_connections

from . import tokens
from .inbound import mail_receive

logger = logging.getLogger(__name__)
MAX_MESSAGE_BYTES = 10 * 1024 * 1024


def _receive(raw: bytes, recipients: list[str], envelope_sender: str) -> str:
    close_old_connections()
    try:
        return mail_receive(raw=raw, recipients=recipients, envelope_sender=envelope_sender).outcome
    finally:
        close_old_connections()


class ReplyHandler:
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        # Refuse at once what is not a reply address of ours: no open relay, no backscatter.
        local, _, domain = address.rpartition("@")
        if not local.lower().startswith("reply+") or domain.lower() != tokens.reply_domain():
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            await sync_to_async(_receive, thread_sensitive=False)(
                raw, list(envelope.rcpt_tos), envelope.mail_from or ""
            )
        except Exception:
            logger.exception("An inbound email could not be handled")
            return "451 4.3.0 Please try again later"
        return "250 Message accepted"


def controller(*, host: str, port: int) -> Controller:
    return Controller(
        ReplyHandler(),
        hostname=host,
        port=port,
        data_size_limit=MAX_MESSAGE_BYTES,
        decode_data=False,
    )


def serve_forever(*, host: str, port: int) -> None:  # pragma: no cover - runs until stopped
    server = controller(host=host, port=port)
    server.start()
    logger.info("Receiving replies by email on %s:%s", host, port)
    try:
        asyncio.new_event_loop().run_forever()
    finally:
        server.stop()
