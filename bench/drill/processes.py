"""The app as production runs it: gunicorn, a Celery worker and Celery beat (one or two),
each a process group of its own so the drill can kill it as a crash would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.drill.services import port_open, wait_for

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent


@dataclass
class AppProcesses:
    env: dict[str, str]
    logs: Path
    web_port: int
    web: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    beats: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        self.logs.mkdir(parents=True, exist_ok=True)
        log = (self.logs / f"{name}.log").open("ab")
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_web(self, workers: int = 2, threads: int = 4) -> None:
        self.web = self._spawn(
            "web",
            [
                str(BIN / "gunicorn"),
                "hls_forum.wsgi:application",
                f"--bind=127.0.0.1:{self.web_port}",
                f"--workers={workers}",
                "--worker-class=gthread",
                f"--threads={threads}",
                "--timeout=60",
                "--access-logfile=-",
            ],
        )
        wait_for(lambda: port_open(self.web_port), 60, "gunicorn starting")

    def start_worker(self, concurrency: int = 2) -> None:
        self.worker = self._spawn(
            "worker",
            [
                sys.executable, "-m", "celery", "-A", "hls_forum", "worker",
                "--loglevel=INFO", f"--concurrency={concurrency}", "--pool=prefork",
                "-Q", self.env["CELERY_QUEUE"], "-n", "drill@%h",
                "--without-gossip", "--without-mingle",
            ],
        )  # fmt: skip
        log = self.logs / "worker.log"
        start = log.stat().st_size if log.exists() else 0

        def ready() -> bool:
            with log.open("rb") as f:
                f.seek(start)
                return b"ready." in f.read()

        wait_for(ready, 120, "the Celery worker starting", interval=0.5)

    def kill_worker(self) -> None:
        """SIGKILL to the worker and its pool processes at once, as a crash or the OOM
        killer would: nothing is acknowledged, released or cleaned up."""
        if self.worker is not None and self.worker.poll() is None:
            os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait(timeout=30)
        self.worker = None

    def start_beat(self) -> None:
        number = len(self.beats) + 1
        schedule = Path(self.env["HLS_VAR_DIR"]) / f"beat-schedule-{number}"
        self.beats.append(
            self._spawn(
                f"beat-{number}",
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "hls_forum",
                    "beat",
                    "--loglevel=INFO",
                    "-s",
                    str(schedule),
                ],
            )
        )

    def stop_beat(self) -> None:
        if self.beats:
            self._stop(self.beats.pop())

    @staticmethod
    def _stop(process: subprocess.Popen[bytes] | None) -> None:
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop(self) -> None:
        while self.beats:
            self.stop_beat()
        self._stop(self.worker)
        self._stop(self.web)
