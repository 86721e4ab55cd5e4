"""Fixtures for the real services tests talk to: Redis, a Celery worker process, an SMTP
server on localhost (aiosmtpd) and headless Chromium (Playwright, Debian's binary).

Without ``REQUIRE_SERVICES=1`` a missing service skips the test; with it, the test fails.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def missing(what: str) -> None:
    """Skip, or fail when CI says the service must be there."""
    if services_required():
        pytest.fail(f"{what} is required (REQUIRE_SERVICES=1) but not available")
    pytest.skip(f"{what} not available")


# --- Redis ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        missing("Redis (set REDIS_URL)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        missing(f"Redis at {url}")
    return url


# --- Celery worker ------------------------------------------------------------------


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    queue: str
    env: dict[str, str]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """Kill the worker abruptly, as a crash would (the whole process group)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def database_url_for_worker() -> str:
    """The test database, as a URL a separate process can open."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return (
        f"postgresql://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


def start_worker(
    queue: str, extra_env: dict[str, str] | None = None, concurrency: int = 1
) -> Worker:
    from hls_forum.celery import app

    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_worker(),
        "CELERY_BROKER_URL": app.conf.broker_url,
        "CELERY_QUEUE": queue,
        "HLS_TESTING": "1",
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    log_path = Path(settings.VAR_DIR) / "test-logs" / f"worker-{queue}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "hls_forum",
            "worker",
            "--loglevel=INFO",
            f"--concurrency={concurrency}",
            "--pool=prefork",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker = Worker(process=process, queue=queue, env=env, log_path=log_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "ready." in worker.log():
            return worker
        if process.poll() is not None:
            pytest.fail(f"Celery worker exited early:\n{worker.log()}")
        time.sleep(0.2)
    worker.stop()
    pytest.fail(f"Celery worker did not start:\n{worker.log()}")


@pytest.fixture
def celery_worker(transactional_db: None, smtp_server: SMTPServer) -> Iterator[Worker]:
    """A real worker process on this run's broker (Redis in CI) and the test database,
    sending email to the test's real SMTP server (``smtp_server``).

    The queue name is unique to the test, so parallel runs never take each other's tasks.
    Tasks queued from the test go to that queue.
    """
    from hls_forum.celery import app

    if services_required() and not app.conf.broker_url.startswith("redis"):
        pytest.fail("REQUIRE_SERVICES=1 but Celery is not on Redis (set REDIS_URL)")
    queue = f"test-{uuid.uuid4().hex[:12]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    worker = start_worker(queue, extra_env=smtp_server.env())
    try:
        yield worker
    finally:
        app.conf.task_default_queue = previous
        worker.stop()


def wait_until(condition: Any, timeout: float = 20.0, interval: float = 0.2) -> Any:
    """Poll ``condition()`` until it returns something truthy; fail on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout} seconds")


# --- SMTP -------------------------------------------------------------------------


@dataclass
class SMTPServer:
    host: str
    port: int
    messages: list[Message] = field(default_factory=list)
    envelopes: list[Any] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        """Environment that points a worker process's Django at this server."""
        return {
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": str(self.port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_USE_SSL": "0",
        }


def plain_text(message: Message) -> str:
    """The text/plain part of a received email, decoded."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("The email has no plain-text part.")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    """A real SMTP server on localhost that keeps every message it accepts."""
    from aiosmtpd.controller import Controller

    server = SMTPServer(host="127.0.0.1", port=0)

    class Handler:
        async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
            server.envelopes.append(envelope)
            server.messages.append(message_from_bytes(envelope.original_content))
            return "250 Message accepted"

    server.port = free_port()
    controller = Controller(Handler(), hostname=server.host, port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


# --- Browser ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        missing(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM is still
    # used synchronously by the tests around it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def browser(chromium_browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser context per test, with the live server's address as base URL."""
    context = chromium_browser.new_context(base_url=live_server.url)
    try:
        yield context
    finally:
        context.close()


def axe_check(page: Any) -> None:
    """Run axe-core on the page; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
    assert bad == [], f"axe-core violations on {page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in bad
    )
