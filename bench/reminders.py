"""Benchmark: 10,000 due reminders, dispatched, sent by ONE Celery worker, accepted by a
local SMTP server. Not a test; run it by hand against PostgreSQL and Redis:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hls_reminders_bench \\
    REDIS_URL=redis://127.0.0.1:6379/4 \\
    .venv/bin/python bench/reminders.py [--reminders 10000] [--forums 100] [--concurrency 4]

It migrates the database named in DATABASE_URL (creating it if needed), replaces any data
it made before (people "bench-*@example.org", forums "bench-*"), starts an aiosmtpd server
in this process and a worker process on a queue of its own, then measures the time from
the start of the dispatcher run until the SMTP server has accepted every message, and the
worker's peak memory (VmHWM of the worker and its pool processes, from /proc).
"""

from __future__ import annotations

import argparse
import datetime
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hls_forum.settings")
os.environ.setdefault("HLS_TESTING", "1")  # development key; never DEBUG

from bench.database import ensure_database  # noqa: E402


class Counter:
    def __init__(self) -> None:
        self.accepted = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.accepted += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tree_pids(root: int) -> list[int]:
    pids = [root]
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if int(fields.get("PPid", "0").strip()) == root:
            pids.append(int(status.parent.name))
    return pids


def memory_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (from /proc/<pid>/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def make_data(reminders: int, forums: int) -> Any:
    from django.contrib.auth.hashers import make_password

    from partnerships.models import Forum, ForumMembership, Place, User
    from reminders.models import Delivery

    Delivery.objects.filter(forum__slug__startswith="bench-").delete()
    Forum.objects.filter(slug__startswith="bench-").delete()
    User.objects.filter(email__startswith="bench-").delete()
    place, _ = Place.objects.get_or_create(slug="bench-place", defaults={"name": "Benchford"})
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(email=f"bench-{i}@example.org", full_name=f"Bench Person {i}", password=password)
            for i in range(reminders)
        ],
        batch_size=2000,
    )
    forum_rows = Forum.objects.bulk_create(
        [
            Forum(
                place=place,
                name=f"Bench Forum {i}",
                slug=f"bench-{i}",
                purpose="Benchmarking reminders.",
                weekday=1,
                start_time=datetime.time(10),
                venue="Bench hall",
            )
            for i in range(forums)
        ]
    )
    ForumMembership.objects.bulk_create(
        [ForumMembership(forum=forum_rows[i % forums], user=user) for i, user in enumerate(users)],
        batch_size=2000,
    )
    return forum_rows[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--forums", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--pool", default="prefork", choices=["prefork", "solo", "threads"])
    parser.add_argument(
        "--prefetch-multiplier", type=int, default=None, help="default: the setting (1)"
    )
    parser.add_argument("--worker-args", default="", help="more worker options, space-separated")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL; see the docstring.")
    ensure_database(url)

    import django

    django.setup()
    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django.utils import timezone

    from hls_forum.celery import app
    from reminders import scheduling, services

    call_command("migrate", verbosity=0)
    print(f"Creating {args.reminders} members across {args.forums} forums…", flush=True)
    forum = make_data(args.reminders, args.forums)
    rhythm = scheduling.Rhythm.of(forum)
    meeting = scheduling.next_meeting(rhythm, timezone.now())
    now = scheduling.reminder_at(rhythm, meeting) + datetime.timedelta(minutes=1)

    counter = Counter()
    port = free_port()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()

    queue = f"bench-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    env = {
        **os.environ,
        "CELERY_QUEUE": queue,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_USE_SSL": "0",
        "LOG_LEVEL": "WARNING",
    }
    (ROOT / "var").mkdir(exist_ok=True)  # a fresh clone has no var/ yet
    log = open(ROOT / "var" / "bench-worker.log", "wb")  # noqa: SIM115
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "hls_forum",
            "worker",
            "--loglevel=WARNING",
            f"--concurrency={args.concurrency}",
            f"--pool={args.pool}",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            *(
                [f"--prefetch-multiplier={args.prefetch_multiplier}"]
                if args.prefetch_multiplier
                else []
            ),
            *args.worker_args.split(),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # Let the worker finish starting (every pool process forked, then a moment to
        # connect) so its start-up is not counted; on a busy machine that takes a while.
        processes = 1 + (args.concurrency if args.pool == "prefork" else 0)
        ready_by = time.perf_counter() + 120
        while len(tree_pids(worker.pid)) < processes and time.perf_counter() < ready_by:
            time.sleep(0.5)
        time.sleep(4)
        print(
            f"Dispatching to one worker (pool {args.pool}, concurrency {args.concurrency}, "
            f"prefetch multiplier {args.prefetch_multiplier})…",
            flush=True,
        )
        print(f"Worker pid {worker.pid}", flush=True)
        # The worker's processes, found once: scanning /proc on every sample would cost
        # this process (and so the SMTP server in it) CPU the worker is competing for.
        pids = tree_pids(worker.pid)
        cpu_before = {p: cpu_seconds(p) for p in pids}
        own_before = os.times()
        main_thread_before = time.thread_time()
        started = time.perf_counter()
        dispatch_cpu = time.thread_time()
        result = services.reminders_dispatch(now=now)
        dispatched = time.perf_counter() - started
        dispatch_cpu = time.thread_time() - dispatch_cpu
        peak_rss = 0
        deadline = started + args.timeout
        while counter.accepted < result.created and time.perf_counter() < deadline:
            peak_rss = max(peak_rss, sum(memory_kib(p, "VmRSS") for p in pids))
            time.sleep(0.25)
        total = time.perf_counter() - started
        hwm = {pid: memory_kib(pid, "VmHWM") for pid in tree_pids(worker.pid)}
        own = os.times()
        own_cpu = own.user + own.system - own_before.user - own_before.system
        smtp_cpu = own_cpu - (time.thread_time() - main_thread_before)
        cpu_used = {p: cpu_seconds(p) - cpu_before.get(p, 0.0) for p in tree_pids(worker.pid)}
        worker_cpu = sum(cpu_used.values())
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        controller.stop()

    print(
        f"Rows created and tasks queued: {result.created} in {dispatched:.1f} s "
        f"({dispatch_cpu:.1f} s CPU)"
    )
    print(f"Accepted by SMTP: {counter.accepted} of {result.created} in {total:.1f} s")
    print(f"Throughput: {counter.accepted / total:.0f} emails/s")
    print(f"Worker peak RSS, all processes together (sampled): {peak_rss / 1024:.0f} MiB")
    for pid, kib in hwm.items():
        role = "main" if pid == worker.pid else "pool"
        print(f"Worker {role} process {pid} peak resident (VmHWM): {kib / 1024:.0f} MiB")
    print(
        f"Worker CPU time: {worker_cpu:.1f} s "
        f"({worker_cpu / max(counter.accepted, 1) * 1000:.1f} ms per email)"
    )
    main_cpu = cpu_used.get(worker.pid, 0.0)
    per_email = 1000 / max(counter.accepted, 1)
    print(
        f"  of which the main process {main_cpu * per_email:.1f} ms and the pool processes "
        f"{(worker_cpu - main_cpu) * per_email:.1f} ms per email"
    )
    print(
        f"This process (dispatcher and SMTP server) CPU time: {own_cpu:.1f} s "
        f"({own_cpu * per_email:.1f} ms per email), of which the SMTP server {smtp_cpu:.1f} s "
        f"({smtp_cpu * per_email:.1f} ms per email)"
    )
    print(f"Load average at the end (this machine has {os.cpu_count()} cores): {os.getloadavg()}")
    if counter.accepted < result.created:
        sys.exit("Not all reminders were accepted before the timeout.")


if __name__ == "__main__":
    main()
