"""Send one message to one recipient over SMTP, knowing where a failure happened.

The conversation is driven step by step (EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, the
message, then the server's reply to its end), so a failure says whether the server can
have accepted the message:

- before the end of the message (connection, greeting, refused sender or recipient, DATA
  refused, or the connection lost while the body was still being written): the server
  has not taken it, so a 4xx or a network error is safe to retry, and a 5xx is final;
- after the whole message was written, while waiting for the server's reply: it may have
  been taken and delivered. That is "unknown", never retried automatically.

A worker keeps one connection open between sends: opening one (TCP, EHLO, often
STARTTLS and AUTH) costs more than a short message. One idle for longer than
``IDLE_SECONDS`` is closed and reopened before use rather than risked. Other backends
(the file backend of a local install, locmem in tests) are used as Django uses them.
"""

from __future__ import annotations

import contextlib
import io
import re
import smtplib
import ssl
import threading
import time
from dataclasses import dataclass
from email import generator
from email.policy import Compat32
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.utils.module_loading import import_string

IDLE_SECONDS = 20.0

# What a failure means for the row.
RETRY = "retry"  # the server did not take it; safe to send again later
PERMANENT = "permanent"  # the server refused it for good (5xx)
UNKNOWN = "unknown"  # the server may have taken it; never resend automatically
# No server answered: nothing was said, so nothing about this message went wrong. Retried
# soon and often (an outage ends, the queue drains within seconds), not as an attempt.
UNREACHABLE = "unreachable"


@dataclass
class SendFailure(Exception):
    """Sending stopped. ``step`` says where, in words staff can read."""

    outcome: str
    step: str
    detail: str
    code: int | None = None

    def __str__(self) -> str:
        return f"{self.step}: {self.detail}"


class _Policy(Compat32):
    """Django's message policy, except that a header is never folded straight after its
    name: a value too long for the first line (a long List-Unsubscribe URL) would unfold
    to one starting with a space, which some clients and DKIM checks reject. Such a
    header stays on one line, as RFC 5322 allows up to 998 characters."""

    def _fold(self, name: str, value: Any, sanitize: bool) -> str:
        folded: str = super()._fold(name, value, sanitize)  # type: ignore[misc]
        first_line = folded.split("\n", 1)[0].rstrip("\r")
        if first_line.rstrip() == f"{name}:":
            long_lines = self.clone(max_line_length=998)
            folded = Compat32._fold(long_lines, name, value, sanitize)  # type: ignore[attr-defined]
        return folded


POLICY = _Policy(linesep="\r\n")


def message_bytes(message: EmailMessage) -> bytes:
    """The message as it goes on the wire, CRLF line ends, folded with ``POLICY``."""
    buffer = io.BytesIO()
    generator.BytesGenerator(buffer, mangle_from_=False, policy=POLICY).flatten(
        message.message(), unixfrom=False
    )
    return buffer.getvalue()


_state = threading.local()


def _settings_key() -> tuple[Any, ...]:
    return (
        settings.EMAIL_BACKEND,
        getattr(settings, "EMAIL_HOST", ""),
        getattr(settings, "EMAIL_PORT", 0),
        getattr(settings, "EMAIL_HOST_USER", ""),
    )


def close() -> None:
    """Drop this thread's connection (after any failure, and between tests)."""
    connection = getattr(_state, "connection", None)
    _state.connection = None
    if connection is not None:
        with contextlib.suppress(Exception):  # closing a broken connection
            connection.quit()
        with contextlib.suppress(Exception):
            connection.close()


def _reply_failure(step: str, code: int, reply: bytes | str) -> SendFailure:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    outcome = PERMANENT if 500 <= code < 600 else RETRY
    return SendFailure(outcome=outcome, step=step, detail=f"{code} {text}".strip(), code=code)


def _open() -> smtplib.SMTP:
    """A new connection, greeted, encrypted and signed in as the settings say. Every
    failure here is before any message: safe to retry (a 5xx, such as bad credentials,
    is final). No server answering at all is ``UNREACHABLE``."""
    host = settings.EMAIL_HOST
    port = int(settings.EMAIL_PORT)
    timeout = float(getattr(settings, "EMAIL_TIMEOUT", None) or 60)
    context = ssl.create_default_context()
    step = f"connecting to {host}:{port}"
    try:
        if getattr(settings, "EMAIL_USE_SSL", False):
            connection: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=context
            )
        else:
            connection = smtplib.SMTP(host, port, timeout=timeout)
    except smtplib.SMTPResponseException as exc:  # a greeting that refuses (421, 554)
        raise _reply_failure(step, exc.smtp_code, exc.smtp_error) from exc
    except OSError as exc:  # refused, timed out, no route, no such host (SMTPException too)
        raise SendFailure(outcome=UNREACHABLE, step=step, detail=_describe(exc)) from exc
    try:
        step = "EHLO"
        code, reply = connection.ehlo()
        if code != 250:
            raise _reply_failure(step, code, reply)
        if getattr(settings, "EMAIL_USE_TLS", False):
            step = "STARTTLS"
            code, reply = connection.starttls(context=context)
            if code != 220:
                raise _reply_failure(step, code, reply)
            step = "EHLO after STARTTLS"
            connection.ehlo()
        user = getattr(settings, "EMAIL_HOST_USER", "")
        if user:
            step = "AUTH (signing in)"
            connection.login(user, getattr(settings, "EMAIL_HOST_PASSWORD", ""))
    except SendFailure:
        raise
    except smtplib.SMTPResponseException as exc:
        raise _reply_failure(step, exc.smtp_code, exc.smtp_error) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise SendFailure(outcome=RETRY, step=step, detail=_describe(exc)) from exc
    return connection


def _connection() -> smtplib.SMTP:
    key = _settings_key()
    connection = getattr(_state, "connection", None)
    fresh = (
        connection is not None
        and getattr(_state, "key", None) == key
        and time.monotonic() - getattr(_state, "last_used", 0.0) < IDLE_SECONDS
    )
    if not fresh:
        close()
        connection = _open()
        _state.connection = connection
        _state.key = key
    assert connection is not None
    return connection


def _describe(exc: BaseException) -> str:
    if isinstance(exc, (smtplib.SMTPServerDisconnected, ConnectionError)):
        return f"connection closed ({exc})" if str(exc) else "connection closed"
    if isinstance(exc, TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {exc}"


_LEADING_DOT = re.compile(rb"(?m)^\.")


def _transmit(connection: smtplib.SMTP, sender: str, recipient: str, data: bytes) -> None:
    step = "MAIL FROM"
    try:
        code, reply = connection.mail(sender)
        if code != 250:
            raise _reply_failure(step, code, reply)
        step = "RCPT TO"
        code, reply = connection.rcpt(recipient)
        if code not in (250, 251):
            raise _reply_failure(step, code, reply)
        step = "DATA"
        code, reply = connection.docmd("data")
        if code != 354:
            raise _reply_failure(step, code, reply)
        step = "writing the message, before its end"
        body = _LEADING_DOT.sub(b"..", data)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        connection.send(body + b".\r\n")
    except SendFailure:
        raise
    except (OSError, smtplib.SMTPException) as exc:
        # The end of the message never reached the server: it cannot have taken it.
        raise SendFailure(outcome=RETRY, step=step, detail=_describe(exc)) from exc
    step = "after DATA, before the server's reply"
    try:
        code, reply = connection.getreply()
    except (OSError, smtplib.SMTPException) as exc:
        raise SendFailure(outcome=UNKNOWN, step=step, detail=_describe(exc)) from exc
    if code != 250:
        # The server answered, and said no: it did not take the message.
        raise _reply_failure("the server's reply to the message", code, reply)


def uses_smtp() -> bool:
    return issubclass(import_string(settings.EMAIL_BACKEND), SMTPBackend)


def send(message: EmailMessage) -> None:
    """Send ``message`` to its one recipient, or raise ``SendFailure`` saying where it
    stopped and whether it may be retried. The connection is dropped after any failure.
    With a backend other than SMTP, the message is sent through it and its errors pass
    through unchanged."""
    if not uses_smtp():
        message.send()
        return
    recipients = message.recipients()
    if len(recipients) != 1:
        raise ValueError("The outbox sends each message to exactly one recipient.")
    encoding = message.encoding or settings.DEFAULT_CHARSET
    sender = sanitize_address(message.from_email, encoding)
    recipient = sanitize_address(recipients[0], encoding)
    data = message_bytes(message)
    connection = _connection()
    try:
        _transmit(connection, sender, recipient, data)
    except SendFailure:
        close()
        raise
    _state.last_used = time.monotonic()
