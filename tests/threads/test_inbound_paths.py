"""The two real ways replies arrive: ``manage.py receive_mail`` (an aiosmtpd SMTP server,
run as its own process and sent to with smtplib) and Mailgun's inbound webhook through
django-anymail, with a payload signed as Mailgun signs it."""

from __future__ import annotations

import hashlib
import hmac
import os
import signal
import smtplib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import World
from tests.services import database_url_for_worker, free_port
from tests.threads.helpers import QUOTED_REPLY, SITE, forum_thread, reply_address, reply_email
from threads.models import Post, PostSource

SIGNING_KEY = "key-test-signing-0123456789abcdef"


@pytest.fixture
def receive_mail(transactional_db: None) -> Iterator[int]:
    """``manage.py receive_mail`` on a free port, against the test database."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_worker(),
        "HLS_TESTING": "1",
        "SITE_URL": SITE,
        "REPLY_DOMAIN": "reply.forum.example.org",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DEBUG", None)
    log_path = Path(settings.VAR_DIR) / "test-logs" / "receive-mail.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "receive_mail",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while f"Receiving replies by email on 127.0.0.1:{port}" not in log_path.read_text():
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.1)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_reply_over_smtp_to_receive_mail_becomes_a_post(world: World, receive_mail: int) -> None:
    thread = forum_thread(world, with_member=world.member_a)
    address = reply_address(thread, world.member_a)

    with smtplib.SMTP("127.0.0.1", receive_mail, timeout=20) as smtp:
        refused = smtp.sendmail(
            world.member_a.email,
            [address],
            reply_email(to=address, sender=world.member_a.email, body=QUOTED_REPLY),
        )
        # Not one of our reply addresses: refused at RCPT, so no open relay.
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            smtp.sendmail(world.member_a.email, ["someone@example.org"], b"Subject: hi\r\n\r\nhi")

    assert refused == {}
    deadline = time.monotonic() + 10
    while not thread.posts.filter(source=PostSource.EMAIL).exists():
        assert time.monotonic() < deadline, "the reply never became a post"
        time.sleep(0.1)
    post = thread.posts.get(source=PostSource.EMAIL)
    assert (post.author, post.body) == (
        world.member_a,
        "Count us in for Tuesday.\n\nWe can bring the figures.",
    )


def _mailgun_post(client: Client, raw: bytes, recipient: str, key: str = SIGNING_KEY) -> int:
    timestamp, token = str(int(time.time())), "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5"
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    response = client.post(
        reverse("threads:inbound_mailgun"),
        {
            "recipient": recipient,
            "sender": "bounce@example.net",
            "body-mime": raw.decode(),
            "timestamp": timestamp,
            "token": token,
            "signature": signature,
        },
    )
    return response.status_code


@pytest.mark.django_db
def test_mailgun_webhook_posts_a_signed_reply(world: World) -> None:
    thread = forum_thread(world, with_member=world.member_a)
    address = reply_address(thread, world.member_a)
    raw = reply_email(to=address, sender=world.member_a.email, body=QUOTED_REPLY)

    with override_settings(ANYMAIL={"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}):
        forged = _mailgun_post(Client(), raw, address, key="not-the-key")
        assert forged == 400
        assert not Post.objects.filter(source=PostSource.EMAIL).exists()

        assert _mailgun_post(Client(), raw, address) == 200

    post = thread.posts.get(source=PostSource.EMAIL)
    assert (post.author, post.body) == (
        world.member_a,
        "Count us in for Tuesday.\n\nWe can bring the figures.",
    )


@pytest.mark.django_db
def test_mailgun_webhook_is_off_without_a_signing_key(world: World) -> None:
    with override_settings(ANYMAIL={"MAILGUN_WEBHOOK_SIGNING_KEY": ""}):
        assert Client().post(reverse("threads:inbound_mailgun"), {}).status_code == 404
