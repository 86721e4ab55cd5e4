"""Reminders end to end with real services: the dispatcher in this process, a real Celery
worker process on the test broker (Redis in CI) and a real SMTP server on localhost."""

from __future__ import annotations

import datetime
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from email.message import Message
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from partnerships.models import ForumMembership
from reminders import calendars, services
from reminders.models import Delivery, DeliveryStatus
from tests import factories
from tests.conftest import World
from tests.reminders.conftest import ScriptedSMTP, make_due_now, start_scripted_smtp
from tests.services import SMTPServer, Worker, free_port, start_worker, wait_until

pytestmark = pytest.mark.services

AFTER_TIMEOUTS = 16 * 60  # seconds: past both the sending timeout and the requeue delay


def parts(message: Message) -> dict[str, Message]:
    return {part.get_content_type(): part for part in message.walk()}


def decoded(part: Message) -> str:
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(part.get_content_charset() or "utf-8")


def settle(seconds: float = 1.5) -> None:
    """Give a worker a moment to send anything it should not (a duplicate would show)."""
    time.sleep(seconds)


def unfinished() -> int:
    return Delivery.objects.filter(
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]
    ).count()


# --- Dispatch → worker → SMTP --------------------------------------------------------------


def test_reminder_reaches_a_real_smtp_server_as_text_html_and_ics(
    world: World, celery_worker: Worker, smtp_server: SMTPServer
) -> None:
    world.forum.online_link = "https://meet.example.org/testford"
    world.forum.save(update_fields=["online_link"])
    factories.ForumMembershipFactory(forum=world.forum, user=world.member_a)
    factories.ForumMembershipFactory(forum=world.forum, reminders_enabled=False)
    due = make_due_now(world.forum)

    services.reminders_dispatch(now=due.now)

    wait_until(lambda: len(smtp_server.messages) >= 2, timeout=60)
    wait_until(lambda: unfinished() == 0, timeout=30)
    settle()
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(
        [world.member_a.email, world.facilitator.email]
    )
    message = next(m for m in smtp_server.messages if m["To"] == world.member_a.email)
    assert message.get_content_type() == "multipart/mixed"
    found = parts(message)
    assert {"text/plain", "text/html", "text/calendar"} <= set(found)
    assert "Testford Forum" in decoded(found["text/plain"])
    assert "<h1" in decoded(found["text/html"])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A long header may be folded before its value; mail clients unfold it.
    unsubscribe = message["List-Unsubscribe"].split(",")[0].strip()
    assert unsubscribe.startswith("<http")
    assert message["Subject"].startswith("Reminder: Testford Forum, ")

    calendar = Calendar.from_ical(decoded(found["text/calendar"]))
    event = calendar.walk("VEVENT")[0]
    assert str(event["uid"]) == calendars.meeting_uid(forum_id=world.forum.pk, day=due.day)
    assert event["dtstart"].params["TZID"] == "Europe/London"
    assert event.decoded("dtstart") == due.meeting
    assert event.decoded("dtstart").tzinfo.key == "Europe/London"
    assert "https://meet.example.org/testford" in str(event["location"])
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Europe/London"
    assert "outbox.send_delivery" in celery_worker.log()

    # The header's link works as a one-click unsubscribe: no cookies, CSRF enforced.
    path = urlsplit(unsubscribe.strip("<>")).path
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not ForumMembership.objects.get(user=world.member_a, forum=world.forum).reminders_enabled


def test_two_dispatchers_at_once_and_a_rerun_send_each_reminder_once(
    world: World, celery_worker: Worker, smtp_server: SMTPServer
) -> None:
    # Same names: the default ordering ties, so only the dispatcher's own ordering keeps
    # concurrent inserts from deadlocking.
    for _ in range(24):
        factories.ForumMembershipFactory(forum=world.forum, user__full_name="Sam Same")
    members = 25
    make_due_now(world.forum)
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def dispatcher() -> None:
        try:
            barrier.wait()
            services.reminders_dispatch()
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    services.reminders_dispatch()

    assert errors == []
    wait_until(lambda: len(smtp_server.messages) >= members, timeout=90)
    wait_until(lambda: unfinished() == 0, timeout=30)
    settle()
    received = Counter(m["To"] for m in smtp_server.messages)
    assert len(received) == members
    assert set(received.values()) == {1}
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == members


# --- Crashes and retries -----------------------------------------------------------------


@pytest.fixture
def workers(transactional_db: None) -> Iterator[Callable[..., Worker]]:
    """Start real worker processes on one test queue, with environment of the test's
    choosing; all are stopped afterwards."""
    from hls_forum.celery import app
    from tests.services import services_required

    if services_required() and not app.conf.broker_url.startswith("redis"):
        pytest.fail("REQUIRE_SERVICES=1 but Celery is not on Redis (set REDIS_URL)")
    queue = f"test-{uuid.uuid4().hex[:12]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    started: list[Worker] = []

    def start(smtp: ScriptedSMTP, **env: str) -> Worker:
        worker = start_worker(queue, extra_env={**smtp.env(), **env})
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        app.conf.task_default_queue = previous
        for worker in started:
            worker.stop()


@pytest.fixture
def slow_smtp() -> Iterator[ScriptedSMTP]:
    """An SMTP server that takes 0.1 s over each message, so a batch takes a while."""
    server = ScriptedSMTP(host="127.0.0.1", port=free_port(), delay=0.1)
    controller = start_scripted_smtp(server)
    try:
        yield server
    finally:
        controller.stop()


def test_worker_killed_mid_batch_loses_nothing_and_duplicates_nothing(
    world: World, workers: Callable[..., Worker], slow_smtp: ScriptedSMTP
) -> None:
    for _ in range(39):
        factories.ForumMembershipFactory(forum=world.forum)
    members = 40
    first = workers(slow_smtp)
    due = make_due_now(world.forum)
    services.reminders_dispatch(now=due.now)

    wait_until(lambda: len(slow_smtp.messages) >= 5, timeout=60, interval=0.05)
    first.kill()
    left_behind = Delivery.objects.filter(status=DeliveryStatus.PENDING).count()

    # The next beat tick (16 minutes on): a row caught mid-send becomes unknown; the
    # rows never sent are queued again, and a new worker sends them.
    next_tick = timezone.now() + datetime.timedelta(seconds=AFTER_TIMEOUTS)
    later = services.reminders_dispatch(now=next_tick)
    workers(slow_smtp)
    wait_until(lambda: unfinished() == 0, timeout=90)
    settle(2.0)

    assert left_behind > 0, "the worker finished before it was killed; the test proved nothing"
    assert later.queued == left_behind
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    assert set(statuses) <= {DeliveryStatus.SENT, DeliveryStatus.UNKNOWN}
    assert statuses[DeliveryStatus.UNKNOWN] <= 1  # at most the one in flight at the kill
    assert statuses[DeliveryStatus.SENT] + statuses[DeliveryStatus.UNKNOWN] == members
    received = Counter(m["To"] for m in slow_smtp.messages)
    assert set(received.values()) == {1}, "someone got a second copy"
    sent_to = set(
        Delivery.objects.filter(status=DeliveryStatus.SENT).values_list(
            "recipient__email", flat=True
        )
    )
    assert sent_to <= set(received)
    assert len(received) - len(sent_to) in (0, statuses[DeliveryStatus.UNKNOWN])


def test_transient_smtp_error_is_retried_by_the_worker_with_backoff(
    world: World, workers: Callable[..., Worker], scripted_smtp: ScriptedSMTP
) -> None:
    scripted_smtp.replies = ["451 4.3.0 Mailbox busy, try again"]
    worker = workers(scripted_smtp, REMINDERS_RETRY_BASE_SECONDS="1")

    services.reminders_dispatch(now=make_due_now(world.forum).now)

    delivery = wait_until(
        lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).first(), timeout=60
    )
    settle()
    assert delivery.attempts == 2
    assert len(scripted_smtp.messages) == 1
    assert "Retry in 1s" in worker.log()
