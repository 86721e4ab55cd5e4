"""Run the web app, a Celery worker and Celery beat together, for local use.

`make run` calls this. Stopping it (Ctrl+C) stops all three.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from partnerships.demo import DEMO_PASSWORD, DEMO_PEOPLE
from partnerships.demo_two_step import sign_in_help


class Command(BaseCommand):
    help = "Run the web app with a Celery worker and Celery beat (local development)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))

    def handle(self, *args: Any, **options: Any) -> None:
        for folder in ("celery/queue", "celery/processed", "mail"):
            (settings.VAR_DIR / folder).mkdir(parents=True, exist_ok=True)
        celery = [sys.executable, "-m", "celery", "-A", "hls_forum"]
        children = [
            subprocess.Popen([*celery, "worker", "--loglevel=INFO", "--concurrency=2"]),
            subprocess.Popen([*celery, "beat", "--loglevel=INFO"]),
        ]
        address = f"http://127.0.0.1:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"\nHLS Forum is running at {address}"))
        self.stdout.write(f"Sign in with any demo person (password: {DEMO_PASSWORD}):")
        for person in DEMO_PEOPLE:
            self.stdout.write(f"  {person.email:45} {person.role}")
        self.stdout.write(sign_in_help())
        self.stdout.write(f"Emails are written to {settings.VAR_DIR / 'mail'}\n")
        try:
            call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
        finally:
            for child in children:
                child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
