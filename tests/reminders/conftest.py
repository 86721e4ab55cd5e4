"""Helpers for reminder tests: a moment when the test forum's reminder is due, a throwaway
queue, a broker that is down, and an SMTP server whose replies the test chooses."""

from __future__ import annotations

import asyncio
import datetime
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from django.utils import timezone

from outbox import smtp as mailer
from partnerships.models import Forum
from reminders import emails, scheduling
from tests.services import free_port


@dataclass(frozen=True)
class Due:
    now: datetime.datetime
    meeting: datetime.datetime
    day: datetime.date


def due_moment(forum: Forum) -> Due:
    """A moment when ``forum``'s next real meeting has its reminder due (a minute after the
    reminder moment), so a worker's own clock still sees the meeting as upcoming."""
    rhythm = scheduling.Rhythm.of(forum)
    meeting = scheduling.next_meeting(rhythm, timezone.now())
    return Due(
        now=scheduling.reminder_at(rhythm, meeting) + datetime.timedelta(minutes=1),
        meeting=meeting,
        day=meeting.astimezone(rhythm.tz).date(),
    )


def make_due_now(forum: Forum) -> Due:
    """Reschedule ``forum`` so that its reminder is due right now, by the real clock: it
    meets tomorrow at 10:00 and reminds the day before from midnight. Tests with a real
    worker use this, because the worker's clock (claims, "too late") is the real one."""
    tz = forum.place.tz
    tomorrow = timezone.now().astimezone(tz).date() + datetime.timedelta(days=1)
    forum.weekday = tomorrow.weekday()
    forum.start_time = datetime.time(10, 0)
    forum.reminder_days_before = 1
    forum.reminder_hour = 0
    forum.save(update_fields=["weekday", "start_time", "reminder_days_before", "reminder_hour"])
    meeting = scheduling.meeting_on(scheduling.Rhythm.of(forum), tomorrow)
    return Due(now=timezone.now(), meeting=meeting, day=tomorrow)


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> Iterator[None]:
    """The mailer keeps an SMTP connection, and emails a per-meeting cache, per process;
    tests must not share them (SQLite reuses primary keys after a rollback)."""
    mailer.close()
    emails.clear_meeting_cache()
    yield
    mailer.close()
    emails.clear_meeting_cache()


@pytest.fixture
def scratch_queue() -> Iterator[str]:
    """Send this test's tasks to a queue of their own, removed afterwards."""
    from hls_forum.celery import app

    queue = f"scratch-{uuid.uuid4().hex[:12]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield queue
    finally:
        app.conf.task_default_queue = previous
        if app.conf.broker_url.startswith("redis"):
            import redis

            redis.Redis.from_url(app.conf.broker_url).delete(queue)


def _reset_producers(app: Any) -> None:
    # Celery caches its connection and producer pools; drop them so the next publish
    # connects to whatever broker_url now says (the same thing Celery does after a fork).
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down() -> Iterator[str]:
    """Point Celery at a port where nothing listens, as if Redis were down."""
    from hls_forum.celery import app

    previous = app.conf.broker_url
    dead = f"redis://127.0.0.1:{free_port()}/0"
    app.conf.broker_url = dead
    _reset_producers(app)
    try:
        yield dead
    finally:
        app.conf.broker_url = previous
        _reset_producers(app)


@dataclass
class ScriptedSMTP:
    """A real SMTP server on localhost that answers DATA with the scripted replies in turn
    (then "250"), keeping the messages it accepted."""

    host: str
    port: int
    replies: list[str] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    delay: float = 0.0

    def env(self) -> dict[str, str]:
        """Environment pointing a worker process's Django at this server."""
        return {
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": str(self.port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_USE_SSL": "0",
        }

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


def start_scripted_smtp(server: ScriptedSMTP) -> Any:
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
            if server.delay:
                await asyncio.sleep(server.delay)
            if server.replies:
                reply = server.replies.pop(0)
                if not reply.startswith("250"):
                    return reply
            server.messages.append(message_from_bytes(envelope.original_content))
            return "250 Message accepted"

    controller = Controller(Handler(), hostname=server.host, port=server.port)
    controller.start()
    return controller


@pytest.fixture
def scripted_smtp() -> Iterator[ScriptedSMTP]:
    server = ScriptedSMTP(host="127.0.0.1", port=free_port())
    controller = start_scripted_smtp(server)
    try:
        yield server
    finally:
        controller.stop()
