"""Fault drill: nothing sent twice, nothing lost, through every fault.

Not a test. Starts everything it breaks on its own ports, never touching the machine's
shared PostgreSQL or Redis: a PostgreSQL cluster (initdb, pg_ctl; run as the postgres user
when this is root), a redis-server configured as production's, an SMTP server (aiosmtpd)
that can be down, slow or drop the connection after DATA, the app as production runs it
(gunicorn, a Celery worker, Celery beat) and a load generator (wrk with
bench/drill/load.lua: a signed-in member reading pages, polling a live session, writing
learning entries and live contributions, and an anonymous visitor). Exports are written to
a small tmpfs of their own (mounting it needs root; without it that fault is skipped).

Then it injects each fault in turn, under load, and reports what people saw:

- Redis stopped for 30 s, then started again (with sends queued when it stops, and a copy
  of someone's data asked for while it is away);
- PostgreSQL restarted (a fast shutdown: every connection dropped);
- the SMTP server down for five minutes, then slow (10 s a message), then dropping the
  connection after taking each message's DATA;
- a Celery worker killed with SIGKILL mid-batch while two Celery beats run;
- the disk for prepared copies of people's data full.

    .venv/bin/python bench/faults.py [--short] [--only redis,postgres,...] [--keep]

--short runs shorter outages (for development); the full drill takes about 16 minutes.
The table (docs/faults.md has the latest) gives, per fault: requests made, 5xx answers
(and how many were the clear "not working just now" page), requests sent to sign in
again, lost writes (what the load generator was told it wrote, missing from the
database), duplicate emails at the SMTP server, how each email ended, and the seconds from
the fault's end until pages and writes work again and queued work is done.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.drill.load import Credentials, Load, LoadResult  # noqa: E402
from bench.drill.processes import AppProcesses  # noqa: E402
from bench.drill.report import Row, table  # noqa: E402
from bench.drill.services import (  # noqa: E402
    FaultySMTP,
    Postgres,
    Redis,
    free_port,
)

FULL = {
    "redis_down": 30,
    "postgres_down": 5,
    "smtp_down": 300,
    "slow_delay": 10.0,
    "slow_batch": 6,
    "drop_batch": 6,
    "kill_batch": 40,
    "batch": 20,
    "sending_timeout": 60,
}
SHORT = {
    "redis_down": 10,
    "postgres_down": 3,
    "smtp_down": 30,
    "slow_delay": 10.0,
    "slow_batch": 2,
    "drop_batch": 3,
    "kill_batch": 20,
    "batch": 8,
    "sending_timeout": 30,
}
FAULTS = ["redis", "postgres", "smtp", "worker", "disk"]


def wait_until(
    condition: Callable[[], bool], timeout: float, interval: float = 1.0
) -> float | None:
    """Seconds until ``condition()`` held, or None if it did not within ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(interval)
    return None


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Drill:
    def __init__(self, short: bool, root: Path) -> None:
        self.d = SHORT if short else FULL
        self.root = root
        self.pg = Postgres(root / "postgres", free_port())
        self.redis = Redis(root / "redis", free_port())
        self.smtp = FaultySMTP(port=free_port())
        self.exports = root / "exports"
        self.exports_mounted = False
        self.web_port = free_port()
        self.believed_probes: list[tuple[str, str]] = []
        self.rows: list[Row] = []

    # --- Setting up --------------------------------------------------------------

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "hls_forum.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{self.web_port}",
            # Plain HTTP on loopback; production keeps these on.
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "DATABASE_URL": self.pg.url("hls_drill"),
            "REDIS_URL": self.redis.url(0),
            "CELERY_QUEUE": "drill",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp.port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_USE_SSL": "0",
            "HLS_VAR_DIR": str(self.root / "var"),
            "STATIC_ROOT": str(self.root / "static"),
            "PRIVACY_EXPORT_ROOT": str(self.exports),
            # The sender's clocks, shortened so a drill takes minutes, not hours.
            "REMINDERS_DISPATCH_SECONDS": "5",
            "REMINDERS_SENDING_TIMEOUT": str(self.d["sending_timeout"]),
            "REMINDERS_REQUEUE_AFTER": "30",
            "REMINDERS_RETRY_BASE_SECONDS": "2",
            "REMINDERS_MAX_ATTEMPTS": "10",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }

    def start(self) -> Credentials:
        say(f"Own PostgreSQL on port {self.pg.port}, Redis on {self.redis.port}, "
            f"SMTP on {self.smtp.port}, web on {self.web_port}; files in {self.root}")  # fmt: skip
        self.pg.init()
        self.pg.start()
        self.pg.create_database("hls_drill")
        self.redis.start()
        self.smtp.set_mode("up")
        self.exports.mkdir(parents=True)
        (self.root / "var").mkdir()
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(self.exports)],
            capture_output=True,
        )
        self.exports_mounted = mounted.returncode == 0
        self.env = self.environment()
        os.environ.update(self.env)
        import django

        django.setup()
        import logging

        logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd's every command
        from bench.drill import scenario

        say("Migrating, loading the demo data, opening a live session…")
        credentials = scenario.prepare()
        self.app = AppProcesses(self.env, self.root / "logs", self.web_port)
        self.app.start_web()
        self.app.start_worker()
        self.app.start_beat()
        self.browser = scenario.Browser(self.web_port, credentials)
        if self.web_recovery("warm-up", timeout=60) is None:
            raise SystemExit(f"The app did not answer; see {self.root / 'logs'}")
        self.credentials = credentials
        return credentials

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.app.stop()
        self.smtp.stop()
        with contextlib.suppress(Exception):
            self.redis.stop()
        with contextlib.suppress(Exception):
            self.pg.remove()
        if self.exports_mounted:
            subprocess.run(["umount", str(self.exports)], check=False)

    # --- Measuring ---------------------------------------------------------------

    @contextlib.contextmanager
    def load(self, label: str, seconds: float) -> Iterator[list[LoadResult]]:
        load = Load(f"http://127.0.0.1:{self.web_port}", self.credentials,
                    self.root / f"load-{label}.txt", label)  # fmt: skip
        load.start(int(seconds))
        results: list[LoadResult] = []
        try:
            yield results
        finally:
            results.append(load.finish())

    def web_recovery(self, label: str, timeout: float = 120) -> float | None:
        """Seconds until a signed-in page answers and a write is taken."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            ok, token = self.browser.works(label)
            if ok and token:
                self.believed_probes.append(("entry", token))
                return time.monotonic() - started
            time.sleep(0.5)
        return None

    def emails_done(self, recipients: set[str], timeout: float) -> float | None:
        from bench.drill import scenario

        def done() -> bool:
            outcome = scenario.email_outcome(recipients)
            return outcome.unfinished == 0 and outcome.stuck == 0

        return wait_until(done, timeout, interval=2.0)

    def fill_row(self, row: Row, result: LoadResult, label: str, recipients: set[str]) -> Row:
        from bench.drill import scenario

        believed = result.believed + [p for p in self.believed_probes if p[1].startswith(label)]
        found = scenario.writes_found(believed)
        row.requests = result.count()
        row.server_errors = (
            row.server_errors if row.server_errors != "0" else str(result.count("5xx", "503clear"))
        )
        row.clear_503 = result.count("503clear")
        row.asked_to_sign_in = result.count("signin")
        row.lost_writes = len({token for _, token in believed} - found)
        duplicates = scenario.duplicate_writes(label)
        if duplicates:
            row.notes += f" {duplicates} writes stored twice."
        if result.socket_errors:
            row.notes += f" {result.socket_errors} requests timed out or were refused."
        if recipients:
            copies = self.smtp.copies(recipients)
            row.duplicate_emails = sum(n - 1 for n in copies.values() if n > 1)
            outcome = scenario.email_outcome(recipients)
            row.emails = outcome.describe()
            missing = scenario.sent_to(recipients) - set(copies)
            if missing:
                row.notes += f" {len(missing)} marked sent but never received."
            if outcome.stuck:
                row.notes += f" {outcome.stuck} stuck sending past the timeout."
        self.rows.append(row)
        say(f"{row.fault}: {row}")
        return row

    # --- The faults ----------------------------------------------------------------

    def redis_stopped(self) -> None:
        from bench.drill import scenario

        down = self.d["redis_down"]
        say(f"Redis: sends queued, then Redis stopped for {down} s…")
        self.smtp.set_mode("slow", delay=0.5)
        recipients = scenario.email_batch("redis", int(self.d["batch"]))
        row = Row(f"Redis stopped {down} s")
        with self.load("redis", 10 + down + 30) as result:
            wait_until(lambda: len(self.smtp.copies(recipients)) >= 2, 60, interval=0.5)
            time.sleep(5)
            self.redis.stop()
            time.sleep(2)
            scenario.allow_more_exports()
            status, _, _ = self.browser.request("POST", "/me/data/copy/", {})
            asked_export = status == 302
            time.sleep(max(0, down - 2))
            self.redis.start()
            ended = time.monotonic()
            web = self.web_recovery("redis")
            self.smtp.set_mode("up")
            export_ready = wait_until(
                lambda: getattr(scenario.latest_export(), "status", "") == "ready", 180
            )
            emails = self.emails_done(recipients, 300)
            work = time.monotonic() - ended if emails is not None and export_ready else None
        row.recovery = None if web is None or work is None else max(web, work)
        row.notes = (
            f"Pages back after {web or 0:.0f} s; queued sends and the copy asked for while "
            f"Redis was away done after {work or 0:.0f} s."
            + ("" if asked_export else " Asking for a copy while Redis was away failed.")
        )
        self.fill_row(row, result[0], "redis", recipients)

    def postgres_restarted(self) -> None:
        from bench.drill import scenario

        gap = self.d["postgres_down"]
        say(f"PostgreSQL: restarted (down {gap} s)…")
        row = Row("PostgreSQL restarted")
        with self.load("postgres", 10 + gap + 30) as result:
            time.sleep(10)
            stopped_at = time.time()
            self.pg.stop("fast")
            time.sleep(gap)
            self.pg.start()
            started_at = time.time()
            ended = time.monotonic()
            web = self.web_recovery("postgres")
            recipients = scenario.email_batch("after-postgres", 5)
            emails = self.emails_done(recipients, 120)
            work = time.monotonic() - ended if emails is not None else None
        load = result[0]
        window = (int(stopped_at), int(started_at) + 2)
        outside = load.count("5xx", "503clear", outside=window)
        unclear = load.count("5xx")
        row.server_errors = f"{load.count('5xx', '503clear')} ({outside} outside the restart)"
        row.recovery = None if web is None or work is None else max(web, work)
        row.notes = (
            f"Down {started_at - stopped_at:.0f} s. {unclear} 5xx were not the clear page. "
            f"Pages back after {web or 0:.0f} s; the worker sent a new batch after "
            f"{work or 0:.0f} s."
        )
        self.fill_row(row, load, "postgres", recipients)

    def smtp_faults(self) -> None:
        from bench.drill import scenario

        down = self.d["smtp_down"]
        say(f"SMTP: down for {down} s…")
        row = Row(f"SMTP down {down} s")
        self.smtp.set_mode("down")
        recipients = scenario.email_batch("smtp-down", int(self.d["batch"]))
        with self.load("smtp-down", down) as result:
            time.sleep(down)
        self.smtp.set_mode("up")
        row.recovery = self.emails_done(recipients, 600)
        row.notes = (
            "Recovery: until every email ended. While no server answered, each email came "
            "round every 20 s without spending an attempt."
        )
        self.fill_row(row, result[0], "smtp-down", recipients)

        delay = self.d["slow_delay"]
        say(f"SMTP: slow ({delay:.0f} s a message)…")
        row = Row(f"SMTP slow ({delay:.0f} s a message)")
        self.smtp.set_mode("slow", delay=delay)
        recipients = scenario.email_batch("smtp-slow", int(self.d["slow_batch"]))
        started = time.monotonic()
        with self.load("smtp-slow", 30) as result:
            finished = self.emails_done(recipients, 300)
        self.smtp.set_mode("up")
        row.recovery = self.emails_done(recipients, 300)
        row.notes = f"The batch took {finished or time.monotonic() - started:.0f} s at that pace."
        self.fill_row(row, result[0], "smtp-slow", recipients)

        say("SMTP: dropping the connection after DATA…")
        row = Row("SMTP drops after DATA")
        self.smtp.set_mode("drop")
        recipients = scenario.email_batch("smtp-drop", int(self.d["drop_batch"]))
        with self.load("smtp-drop", 30) as result:
            wait_until(lambda: set(self.smtp.copies(recipients)) == recipients, 120)
            time.sleep(10)  # any immediate retries land while it still drops
        dropped = self.smtp.dropped_after_data
        self.smtp.set_mode("up")
        row.recovery = self.emails_done(recipients, 300)
        row.notes = f"{dropped} messages taken and then the connection dropped."
        self.fill_row(row, result[0], "smtp-drop", recipients)

    def worker_killed(self) -> None:
        from bench.drill import scenario

        say("Worker killed with SIGKILL mid-batch, two beats running…")
        row = Row("Worker SIGKILLed mid-batch, beat twice")
        self.app.start_beat()
        self.smtp.set_mode("slow", delay=0.3)
        recipients = scenario.email_batch("worker", int(self.d["kill_batch"]))
        timeout = self.d["sending_timeout"]
        with self.load("worker", 20 + timeout) as result:
            wait_until(lambda: len(self.smtp.copies(recipients)) >= 5, 120, interval=0.2)
            self.app.kill_worker()
            time.sleep(2)
            self.app.start_worker()
            ended = time.monotonic()

            def caught_up() -> bool:
                statuses = scenario.email_outcome(recipients).statuses
                return statuses["pending"] + statuses["none"] == 0

            # Every row not caught mid-send ends (sent); the one caught mid-send waits out
            # the sending timeout, then ends unknown (never resent).
            queued = wait_until(caught_up, 240, interval=1.0)
            emails = self.emails_done(recipients, timeout + 240)
            settled = time.monotonic() - ended
        self.app.stop_beat()
        self.smtp.set_mode("up")
        row.recovery = queued if emails is not None else None
        row.notes = (
            f"Queued sends caught up after {queued or 0:.0f} s; a row caught mid-send ended "
            f"unknown (never resent) once the {timeout} s sending timeout had passed, "
            f"{settled:.0f} s after the kill."
        )
        self.fill_row(row, result[0], "worker", recipients)

    def disk_full(self) -> None:
        from bench.drill import scenario

        if not self.exports_mounted:
            self.rows.append(Row("Disk for exports full", recovery=None,
                                 notes="Skipped: mounting a small tmpfs needs root."))  # fmt: skip
            return
        say("Disk for exports full…")
        row = Row("Disk for exports full")
        filler = self.exports / "filler"
        earlier = set(self.exports.rglob("*.zip"))  # copies prepared earlier in the drill
        with self.load("disk", 40) as result:
            with contextlib.suppress(OSError), filler.open("wb") as f:
                while True:
                    f.write(b"x" * 65536)
                    f.flush()
            scenario.allow_more_exports()
            self.browser.request("POST", "/me/data/copy/", {})
            wait_until(
                lambda: getattr(scenario.latest_export(), "status", "") in {"failed", "ready"}, 90
            )
            failed = scenario.latest_export()
            _, _, page = self.browser.request("GET", "/me/data/")
            partial = set(self.exports.rglob("*.zip")) - earlier
            filler.unlink()
            ended = time.monotonic()
            scenario.allow_more_exports()
            self.browser.request("POST", "/me/data/copy/", {})
            ready = wait_until(
                lambda: getattr(scenario.latest_export(), "status", "") == "ready", 120
            )
            recovered = time.monotonic() - ended
        told = b"We ran out of storage space" in page
        row.recovery = None if ready is None else recovered
        row.notes = (
            f"The copy {'failed' if failed and failed.status == 'failed' else 'did not fail'}; "
            f"the person was {'told clearly' if told else 'NOT told'} why; "
            f"{len(partial)} partial files left. Once space was freed a new copy was ready."
        )
        self.fill_row(row, result[0], "disk", set())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="shorter outages, for development")
    parser.add_argument("--only", default=",".join(FAULTS), help=f"some of: {','.join(FAULTS)}")
    parser.add_argument("--keep", action="store_true", help="keep the drill's files and logs")
    args = parser.parse_args()
    for tool in ("wrk", "redis-server", "runuser"):
        if not shutil.which(tool):
            sys.exit(f"The drill needs {tool} (apt-get install wrk redis-server).")
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    root = Path(tempfile.mkdtemp(prefix="hls-faults-"))
    os.chmod(root, 0o755)  # noqa: S103 - the postgres user must reach its data directory
    drill = Drill(short=args.short, root=root)
    started = time.monotonic()
    try:
        drill.start()
        steps = {
            "redis": drill.redis_stopped,
            "postgres": drill.postgres_restarted,
            "smtp": drill.smtp_faults,
            "worker": drill.worker_killed,
            "disk": drill.disk_full,
        }
        for name in chosen:
            steps[name]()
    finally:
        drill.stop()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    minutes = (time.monotonic() - started) / 60
    print(f"\nFault drill ({'short' if args.short else 'full'}), {minutes:.0f} minutes:\n")
    print(table(drill.rows))
    if args.keep:
        print(f"\nLogs: {root / 'logs'}")


if __name__ == "__main__":
    main()
