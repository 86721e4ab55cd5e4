"""Run the web app, a Celery worker and Celery beat together, for local use.

`make run` calls this. Stopping it (Ctrl+C, or SIGTERM/SIGINT to it alone) stops all three,
and the worker's own pool processes with them.
"""

from __future__ import annotations

import contextlib
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

# How long the worker and beat get to finish what they are doing before they are killed.
STOP_GRACE_SECONDS = 15
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child before it starts (Linux): be sent SIGTERM if run_all itself dies
    without the chance to stop it (SIGKILL, or runserver's ``os._exit`` when the port is
    taken)."""
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    """SIGTERM each child's process group (the worker's pool processes too), wait, then
    SIGKILL whatever is left."""
    for child in children:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=STOP_GRACE_SECONDS)
        # The group outlives its leader if a pool process lingers: kill what is left.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()


class Command(BaseCommand):
    help = "Run the web app with a Celery worker and Celery beat (local development)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))

    def handle(self, *args: Any, **options: Any) -> None:
        port = str(options["port"])
        address = f"http://127.0.0.1:{port}"
        # Links in emails, CSV files and calendars point where this runs, unless the
        # person chose an address: for the web app here, and for the worker and beat
        # through the environment they inherit.
        if not os.environ.get("SITE_URL"):
            os.environ["SITE_URL"] = address
            settings.SITE_URL = address
        for folder in ("celery/queue", "celery/processed", "mail"):
            (settings.VAR_DIR / folder).mkdir(parents=True, exist_ok=True)
        # SIGTERM (from `make`, `kill` or a process manager) ends runserver as Ctrl+C does,
        # so the children are stopped below rather than left running.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        celery = [sys.executable, "-m", "celery", "-A", "hls_forum"]
        # Each child leads its own process group, so stopping it reaches its pool too.
        commands = [
            [*celery, "worker", "--loglevel=INFO", "--concurrency=2"],
            [*celery, "beat", "--loglevel=INFO"],
        ]
        children = [
            subprocess.Popen(command, process_group=0, preexec_fn=_die_with_parent)
            for command in commands
        ]
        try:
            self.stdout.write(self.style.SUCCESS(f"\nHLS Forum is running at {address}/"))
            self.stdout.write(f"Sign in with any demo person (password: {DEMO_PASSWORD}):")
            for person in DEMO_PEOPLE:
                self.stdout.write(f"  {person.email:45} {person.role}")
            self.stdout.write(sign_in_help())
            self.stdout.write(f"Links in emails and calendars use {settings.SITE_URL}")
            self.stdout.write(f"Emails are written to {settings.VAR_DIR / 'mail'}\n")
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            # A second Ctrl+C must not cut the stopping short and leave a child running.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            _stop(children)
