"""Web benchmark: every important page side by side with a bare Django view.

Not a test. Needs PostgreSQL (ideally loaded with `manage.py generate_national_data`),
Redis and wrk (`apt-get install wrk`). Starts gunicorn on localhost with production settings
(TLS redirects off, since wrk speaks plain HTTP to 127.0.0.1), signs each persona in by
creating a real session, and loads each page with wrk at 8 connections.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hls_national \\
    REDIS_URL=redis://127.0.0.1:6379/0 \\
    .venv/bin/python bench/web.py --duration 10

Prints requests per second, p50/p95/p99 latency, the ratio to the bare view, queries per
request and the web workers' peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"errors\\": %d, "
    .. "\\"non2xx\\": %d, \\"p50\\": %d, \\"p95\\": %d, \\"p99\\": %d}\\n",
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass
class Page:
    name: str
    path: str
    persona: str = "anonymous"
    headers: dict[str, str] | None = None
    target_ratio: float = 0.10
    target_p95_ms: float = 100.0
    # Send the ETag this path answers with now (for this persona) as If-None-Match.
    unchanged_etag: bool = False


@dataclass
class Result:
    page: Page
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    queries: int
    status: int
    errors: int


def production_env(port: int) -> dict[str, str]:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", secrets.token_urlsafe(50)),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # wrk speaks plain HTTP on loopback; production keeps these on.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "BENCH_QUERY_COUNT": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hls_national")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update({k: v for k, v in env.items() if k not in {"BENCH_QUERY_COUNT"}})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hls_forum.settings")
    import django

    django.setup()


def session_cookie_for(email: str) -> str:
    """A real signed-in session for ``email``, as Django's login would make it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    from hls_forum.middleware import session_signed_in
    from partnerships.models import User

    user = User.objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # What signing in records (session clocks, the MFA decision), so the measured requests
    # are ordinary ones rather than a first request that writes the session.
    session_signed_in(sender=None, request=cast(Any, SimpleNamespace(session=session)), user=user)
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def start_gunicorn(
    env: dict[str, str], port: int, workers: int, threads: int
) -> subprocess.Popen[bytes]:
    """gunicorn as docker-compose runs it (sync workers), or with ``threads`` > 1 threaded
    (gthread: keep-alive connections stay with the worker that accepted them, so with 8
    connections one worker may get most of them and the other idle: results vary)."""
    worker = ["--worker-class=gthread", f"--threads={threads}"] if threads > 1 else []
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "hls_forum.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            *worker,
            "--access-logfile=/dev/null",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/ok", timeout=1)
            return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("gunicorn did not start")


def current_etag(port: int, page: Page, cookie: str) -> str:
    """The ETag ``page`` answers this signed-in session with now, through the real server."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{page.path}")
    request.add_header("Cookie", cookie)
    request.add_header("HX-Request", "true")
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        etag = response.headers.get("ETag", "")
    if not etag:
        raise SystemExit(f"{page.path} answered without an ETag")
    return str(etag)


def fetch(port: int, page: Page, cookie: str) -> tuple[int, int]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{page.path}")
    if cookie:
        request.add_header("Cookie", cookie)
    for key, value in (page.headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, int(response.headers.get("X-Queries", "-1"))
    except urllib.error.HTTPError as error:
        return error.code, int(error.headers.get("X-Queries", "-1"))


def run_wrk(port: int, page: Page, cookie: str, duration: int, connections: int) -> dict[str, int]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "-s",
        script.name,
        "--timeout",
        "5s",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    for key, value in (page.headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{page.path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    match = re.search(r"^JSON (.*)$", output, re.MULTILINE)
    if not match:
        raise SystemExit(f"wrk said:\n{output}")
    return dict(json.loads(match.group(1)))


def peak_memory_mb(master: subprocess.Popen[bytes]) -> float:
    """The largest peak resident set (VmHWM) among gunicorn's worker processes."""
    peaks = []
    for child in Path("/proc").iterdir():
        if not child.name.isdigit():
            continue
        try:
            status = (child / "status").read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master.pid}$", status, re.MULTILINE):
            match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                peaks.append(int(match.group(1)) / 1024)
    return max(peaks, default=0.0)


def build_pages() -> tuple[list[Page], dict[str, str]]:
    """The pages to measure and one sign-in per persona, from what is in the database."""
    from bench.pages import pages_and_personas

    return pages_and_personas()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=1, help="more than 1: gthread workers (default: sync)"
    )
    parser.add_argument("--port", type=int, default=8917)
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument(
        "--render-every-time",
        action="store_true",
        help="turn the page cache off (PAGE_CACHE_SECONDS=0): every page is rendered",
    )
    args = parser.parse_args()

    env = production_env(args.port)
    if args.render_every_time:
        env["PAGE_CACHE_SECONDS"] = "0"
    setup_django(env)
    pages, personas = build_pages()
    if args.only:
        wanted = set(args.only.split(","))
        pages = [p for p in pages if p.name in wanted or p.name.startswith("bare")]
    cookies = {name: session_cookie_for(email) for name, email in personas.items()}
    cookies["anonymous"] = ""

    server = start_gunicorn(env, args.port, args.workers, args.threads)
    results: list[Result] = []
    try:
        for page in pages:
            cookie = cookies[page.persona]
            if page.unchanged_etag:
                etag = current_etag(args.port, page, cookie)
                page.headers = {**(page.headers or {}), "If-None-Match": etag}
            run_wrk(args.port, page, cookie, 2, args.connections)  # warm up
            status, queries = fetch(args.port, page, cookie)  # a steady-state request
            stats = run_wrk(args.port, page, cookie, args.duration, args.connections)
            results.append(
                Result(
                    page=page,
                    rps=stats["requests"] / (stats["duration_us"] / 1e6),
                    p50_ms=stats["p50"] / 1000,
                    p95_ms=stats["p95"] / 1000,
                    p99_ms=stats["p99"] / 1000,
                    queries=queries,
                    status=status,
                    errors=stats["errors"] + stats["non2xx"],
                )
            )
            print(f"  measured {page.name}: {results[-1].rps:.0f} req/s", file=sys.stderr)
        memory = peak_memory_mb(server)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)

    bare = next(r.rps for r in results if r.page.name == "bare view")
    print(
        f"\n{args.connections} connections, {args.duration} s per page, "
        f"{args.workers} gunicorn "
        + (f"gthread workers x {args.threads} threads" if args.threads > 1 else "sync workers")
        + f", {os.cpu_count()} cores"
        f"{', page cache off' if args.render_every_time else ''}\n"
    )
    header = (
        "| page | persona | status | req/s | ratio to bare | p50 ms | p95 ms | p99 ms "
        "| queries | target met |"
    )
    print(header)
    print("|---" * 10 + "|")
    for r in results:
        ratio = r.rps / bare if bare else 0
        met = ratio >= r.page.target_ratio and r.p95_ms <= r.page.target_p95_ms and r.queries <= 12
        print(
            f"| {r.page.name} | {r.page.persona} | {r.status} | {r.rps:.0f} | {ratio:.0%} | "
            f"{r.p50_ms:.1f} | {r.p95_ms:.1f} | {r.p99_ms:.1f} | {r.queries} | "
            f"{'yes' if met else 'NO'} |"
        )
    print(f"\nPeak memory of a web worker: {memory:.0f} MB (target under 150 MB)")


if __name__ == "__main__":
    main()
