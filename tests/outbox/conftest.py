"""A real SMTP server on localhost whose faults a test chooses: refuse some recipients,
answer RCPT with a 4xx a number of times, or take the message and drop the connection
before replying to its end."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest

from outbox import smtp
from tests.services import free_port


@dataclass
class FaultySMTP:
    host: str
    port: int
    # Address → reply to its RCPT TO (a 5xx refuses it for good).
    refuse: dict[str, str] = field(default_factory=dict)
    # Replies given to RCPT TO, in turn, before answering "250" again.
    rcpt_replies: list[str] = field(default_factory=list)
    # Store the message, then close the connection without replying to its end.
    drop_after_data: bool = False
    messages: list[Message] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)

    def settings(self) -> dict[str, Any]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 5,
        }

    def recipients(self) -> list[str]:
        return sorted(str(m["To"]) for m in self.messages)


@pytest.fixture
def faulty_smtp() -> Iterator[FaultySMTP]:
    from aiosmtpd.controller import Controller

    server = FaultySMTP(host="127.0.0.1", port=free_port())

    class Handler:
        async def handle_RCPT(
            self, smtp_: Any, session: Any, envelope: Any, address: str, options: Any
        ) -> str:
            if address in server.refuse:
                return server.refuse[address]
            if server.rcpt_replies:
                return server.rcpt_replies.pop(0)
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, smtp_: Any, session: Any, envelope: Any) -> str:
            server.raw.append(envelope.original_content)
            server.messages.append(message_from_bytes(envelope.original_content))
            if server.drop_after_data:
                # The message is stored; the reply to its end is never sent.
                smtp_.transport.abort()
            return "250 Message accepted"

    controller = Controller(Handler(), hostname=server.host, port=server.port)
    controller.start()
    smtp.close()
    try:
        yield server
    finally:
        smtp.close()
        controller.stop()
