"""Run the SMTP server that receives replies by email (aiosmtpd), for a local MX or a
relay to hand mail for ``reply+…@REPLY_DOMAIN`` to. Stops on Ctrl-C or SIGTERM."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from threads.smtp_server import controller


class Command(BaseCommand):
    help = "Receive replies by email over SMTP and post them in their conversations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.REPLY_SMTP_HOST)
        parser.add_argument("--port", type=int, default=settings.REPLY_SMTP_PORT)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        # aiosmtpd logs every connection at INFO: keep only its warnings.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        stop = threading.Event()
        server = controller(host=host, port=port)
        server.start()
        self.stdout.write(f"Receiving replies by email on {host}:{server.port}", ending="\n")
        self.stdout.flush()
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
        try:
            stop.wait()
        finally:
            server.stop()
