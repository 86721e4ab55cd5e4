"""The services the drill owns and breaks: a PostgreSQL cluster and a Redis server of its
own (never the machine's shared ones), and an SMTP server that can be down, slow, or drop
the connection after taking a message's DATA."""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_for(condition: Any, timeout: float, what: str, interval: float = 0.2) -> float:
    """Poll until ``condition()`` is true; returns the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(interval)
    raise TimeoutError(f"{what} did not happen within {timeout:.0f} s")


class Postgres:
    """A throwaway cluster (initdb) on its own port, run as the postgres user when this
    process is root (PostgreSQL refuses to run as root). Trust authentication on
    127.0.0.1 only."""

    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.data = root / "data"
        self.socket_dir = root / "socket"
        self.log = root / "postgres.log"
        self.port = port
        self._as: list[str] = []
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True, cwd="/")

    def init(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        if self._as:
            user = pwd.getpwnam("postgres")
            for path in (self.root, self.socket_dir):
                os.chown(path, user.pw_uid, user.pw_gid)
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=60 -c shared_buffers=64MB"
        )
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """``fast``: every session is ended at once (clients see their connection drop),
        as in a restart for an upgrade or a failover."""
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        subprocess.run(
            [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             name],
            check=True, capture_output=True,
        )  # fmt: skip

    def remove(self) -> None:
        if self.running():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


class Redis:
    """A redis-server of the drill's own, configured as docker-compose runs production's
    (append-only file on, so what it holds survives a restart)."""

    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        log = (self.root / "redis.log").open("ab")
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.root), "--appendonly", "yes", "--save", "",
             "--maxmemory", "256mb", "--maxmemory-policy", "volatile-lru"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        wait_for(lambda: port_open(self.port), 30, "Redis starting")

    def stop(self) -> None:
        """SIGTERM: Redis writes its append-only file and exits, as a restart would."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
        self.process = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


@dataclass
class FaultySMTP:
    """An SMTP server (aiosmtpd, in this process) that keeps every message it takes, by
    recipient, and can be switched between: "up", "down" (nothing listens), "slow"
    (``delay`` seconds over each message before its reply) and "drop" (take the DATA,
    then drop the connection without a reply: the sender cannot know it arrived)."""

    port: int
    mode: str = "up"
    delay: float = 0.0
    received: Counter[str] = field(default_factory=Counter)
    dropped_after_data: int = 0
    _controller: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            for recipient in envelope.rcpt_tos:
                self.received[recipient.lower()] += 1
        if self.mode == "drop":
            with self._lock:
                self.dropped_after_data += 1
            server.transport.abort()
            return "250 never seen"
        return "250 Message accepted"

    def set_mode(self, mode: str, delay: float = 0.0) -> None:
        self.delay = delay
        if mode == "down":
            self._stop()
        else:
            self._start()
        self.mode = mode

    def _start(self) -> None:
        if self._controller is not None:
            return
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def _stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def stop(self) -> None:
        self._stop()

    def copies(self, recipients: set[str]) -> Counter[str]:
        with self._lock:
            return Counter({r: n for r, n in self.received.items() if r in recipients})
