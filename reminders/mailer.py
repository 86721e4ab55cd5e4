"""Send one message, reusing an SMTP connection across tasks in the same worker process.

Opening an SMTP connection (TCP, EHLO, often STARTTLS and AUTH) costs more than sending a
short message, so a worker keeps one open between tasks. A connection idle for longer than
``IDLE_SECONDS`` is closed and reopened before use rather than risked: a server that has
timed it out would fail the send part-way, and a retry could then duplicate the email.
Other backends (the file backend of a local install, locmem in tests) are used as usual.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

IDLE_SECONDS = 20.0

_state = threading.local()


def _settings_key() -> tuple[Any, ...]:
    return (
        settings.EMAIL_BACKEND,
        getattr(settings, "EMAIL_HOST", ""),
        getattr(settings, "EMAIL_PORT", 0),
        getattr(settings, "EMAIL_HOST_USER", ""),
    )


def close() -> None:
    connection = getattr(_state, "connection", None)
    _state.connection = None
    if connection is not None:
        with contextlib.suppress(Exception):  # closing a broken connection
            connection.close()


def _smtp_connection() -> SMTPBackend:
    key = _settings_key()
    connection = getattr(_state, "connection", None)
    fresh = (
        connection is not None
        and getattr(_state, "key", None) == key
        and time.monotonic() - getattr(_state, "last_used", 0.0) < IDLE_SECONDS
    )
    if not fresh:
        close()
        connection = get_connection()
        assert isinstance(connection, SMTPBackend)
        connection.open()
        _state.connection = connection
        _state.key = key
    assert connection is not None
    return connection


def send(message: EmailMessage) -> None:
    """Send ``message`` or raise. SMTP errors propagate to the caller, who decides whether
    they are transient; the cached connection is dropped after any error."""
    if not issubclass(_backend_class(), SMTPBackend):
        message.send()
        return
    connection = _smtp_connection()
    try:
        sent = connection.send_messages([message])
    except Exception:
        close()
        raise
    _state.last_used = time.monotonic()
    if sent != 1:
        raise OSError("The mail server did not accept the message.")


def _backend_class() -> type:
    from django.utils.module_loading import import_string

    backend: type = import_string(settings.EMAIL_BACKEND)
    return backend
