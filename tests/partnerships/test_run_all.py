"""`make run` for real: run_all in its own process on a free port, with SQLite and the
filesystem broker, as a person trying the app would have it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.services import ROOT, free_port, wait_until

# A forum to ask for a calendar of; created in the run's own database.
CREATE_FORUM = """
from partnerships.models import Forum, Place
place = Place.objects.create(name="Porttown", slug="porttown")
Forum.objects.create(place=place, name="Port Forum", slug="port-forum", purpose="Meeting.")
"""


def plain_env(var_dir: Path) -> dict[str, str]:
    """A person's shell with nothing set: no SITE_URL, Redis or PostgreSQL."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(var_dir)),
        "LANG": "C.UTF-8",
        "DEBUG": "1",
        "HLS_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'db.sqlite3'}",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database with one open forum, made once and copied per test."""
    var_dir = tmp_path_factory.mktemp("run-all-template")
    for command in (["migrate", "--no-input"], ["shell", "-c", CREATE_FORUM]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=plain_env(var_dir),
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
    return var_dir / "db.sqlite3"


def children_of(pid: int) -> dict[int, int]:
    """Every process's parent, from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name (in brackets) may hold spaces: read the fields after it.
        fields = stat.rsplit(")", 1)[1].split()
        parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return {child: parents[child] for child in found}


def is_running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def environment_of(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return {}
    return dict(item.decode(errors="replace").split("=", 1) for item in raw if b"=" in item)


def started_in(var_dir: Path) -> list[int]:
    """Running processes whose environment names ``var_dir``."""
    pids = (int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit())
    return [
        pid
        for pid in pids
        if is_running(pid) and environment_of(pid).get("HLS_VAR_DIR") == str(var_dir)
    ]


@pytest.fixture
def run_all(migrated: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    shutil.copy(migrated, tmp_path / "db.sqlite3")
    port = free_port()
    log = (tmp_path / "run_all.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_all", "--port", str(port)],
        cwd=ROOT,
        env=plain_env(tmp_path),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process, port
    finally:
        # Whatever the test found, leave nothing behind on the machine: every process
        # started for this run has its folder in its environment, orphans included.
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in started_in(tmp_path):
            os.kill(pid, signal.SIGKILL)
        log.close()


def calendar_from(port: int) -> str:
    url = f"http://127.0.0.1:{port}/forums/port-forum/calendar.ics"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode()).replace("\r\n ", "")
    except OSError:
        return ""


@pytest.mark.parametrize("stop_with", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_run_all_links_use_its_port_and_stopping_it_stops_every_child(
    run_all: tuple[subprocess.Popen[bytes], int], stop_with: signal.Signals
) -> None:
    process, port = run_all
    address = f"http://127.0.0.1:{port}"

    calendar = wait_until(lambda: calendar_from(port), timeout=90)
    # The worker and beat are up, and the worker has started its two pool processes.
    processes = wait_until(
        lambda: (
            (found := children_of(process.pid))
            and sum(parent != process.pid for parent in found.values()) >= 2
            and found
        ),
        timeout=90,
    )
    worker_and_beat = [pid for pid, parent in processes.items() if parent == process.pid]
    kinds = sorted(command_line(pid).split()[5] for pid in worker_and_beat)
    site_urls = [environment_of(pid).get("SITE_URL") for pid in worker_and_beat]

    process.send_signal(stop_with)
    process.wait(timeout=60)

    assert f"URL:{address}/forums/port-forum/" in calendar
    assert kinds == ["beat", "worker"]
    assert site_urls == [address, address]
    assert process.returncode == 0
    assert [pid for pid in processes if is_running(pid)] == []
