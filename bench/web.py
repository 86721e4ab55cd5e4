"""Web benchmark: every important page beside the app's bare view and a minimal Django project.

Not a test. Needs PostgreSQL, Redis and wrk (`apt-get install -y wrk`). On an empty database
it migrates, generates the national data (`--small` for a quick run on a few thousand
entries) and collects the static files. Then it starts gunicorn on localhost with production
settings (TLS redirects off, since wrk speaks plain HTTP to 127.0.0.1) and `BENCH=1`, and a
minimal Django project (bench/minimal_project) the same way beside it; signs each persona in
by creating a real session; and loads each page with wrk at 8 connections.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hls_national \\
    REDIS_URL=redis://127.0.0.1:6379/0 \\
    .venv/bin/python bench/web.py [--small] [--busy] [--duration 10]

`--busy` writes one new learning entry a second to the pages' place throughout (bench/busy.py,
a side process), to measure the pages while the place is busy.

Prints, per page: requests per second, its share of the app's bare view and of the minimal
Django project's "ok" view, p50/p95 latency, queries per request (the X-Queries header),
the web workers' resident memory, and whether the floors below are met.
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

SMALL_SCALE = 0.005  # 5,000 learning entries: a quick run

WRK_DONE = """
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"errors\\": %d, "
    .. "\\"non2xx\\": %d, \\"p50\\": %d, \\"p95\\": %d, \\"p99\\": %d}\\n",
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""

# Request n of the run asks for the n-th ordered pair of different words, counted across wrk's
# threads from FIRST, so no query repeats until every pair has been asked.
WRK_VARIED_WORDS = """
local words = {%(words)s}
local base, threads, first = "%(base)s", %(threads)d, %(first)d
local started, counter = 0, 0
function setup(thread)
  thread:set("offset", started)
  started = started + 1
end
function request()
  local n = #words
  local i = first + counter * threads + (offset or 0)
  counter = counter + 1
  local a = i %% n
  local b = (a + 1 + math.floor(i / n) %% (n - 1)) %% n
  return wrk.format(nil, base .. words[a + 1] .. "+" .. words[b + 1])
end
"""


@dataclass
class Page:
    name: str
    path: str
    persona: str = "anonymous"
    headers: dict[str, str] | None = None
    # A yardstick (a bare view) is what pages are compared with; it has no floor of its own.
    yardstick: bool = False
    # A floor above the usual share of the bare view (the live poll's).
    least_share: float | None = None
    # Send the ETag this path answers with now (for this persona) as If-None-Match.
    unchanged_etag: bool = False
    # Search with a different pair of these words on every request (``path`` has the first).
    varied_words: list[str] | None = None
    # "app", or "minimal" for the minimal Django project.
    server: str = "app"


@dataclass
class Result:
    page: Page
    rps: float
    p50_ms: float
    p95_ms: float
    queries: int
    status: int
    errors: int
    worker_mb: float


def production_env(port: int) -> dict[str, str]:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", secrets.token_urlsafe(50)),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # wrk speaks plain HTTP on loopback; production keeps these on.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        # The bench app: the /bench/ok yardstick, the data generator, the X-Queries header.
        "BENCH": "1",
        "PYTHONUNBUFFERED": "1",
    }
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hls_national")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hls_forum.settings")
    import django

    django.setup()


def prepare_data(scale: float, regenerate: bool) -> str:
    """Migrate, collect the static files and, on an empty database (or with ``regenerate``),
    generate the national data at ``scale``. Returns a line saying how big the data is."""
    from django.core.management import call_command

    from bench.pages import PERSONAS_FILE, load_personas
    from partnerships.models import Place, User
    from talking_points.models import LearningEntry

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if regenerate or not Place.objects.exists():
        print(f"Generating the national data at scale {scale:g}…", file=sys.stderr, flush=True)
        call_command(
            "generate_national_data",
            scale=scale,
            flush=regenerate,
            personas_file=str(PERSONAS_FILE),
            verbosity=0,
        )
    personas = load_personas()["personas"]
    if not User.objects.filter(email=personas["member"]).exists():
        raise SystemExit(
            f"The database holds other data than {PERSONAS_FILE} describes: pass --regenerate "
            "to replace the generated data (or use an empty database)."
        )
    return f"{LearningEntry.objects.count():,} learning entries, {User.objects.count():,} people"


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
    env: dict[str, str], port: int, workers: int, threads: int, wsgi: str, ready_path: str
) -> subprocess.Popen[bytes]:
    """gunicorn as docker-compose runs it (sync workers), or with ``threads`` > 1 threaded
    (gthread: keep-alive connections stay with the worker that accepted them, so with 8
    connections one worker may get most of them and the other idle: results vary)."""
    worker = ["--worker-class=gthread", f"--threads={threads}"] if threads > 1 else []
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            wsgi,
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
            urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=1)
            return process
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise SystemExit(f"gunicorn ({wsgi}) did not start")


def stop(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def start_busy_writer(env: dict[str, str], place_slug: str, author: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "busy.py"),
            f"--place={place_slug}",
            f"--author={author}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


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


def wrk_script(page: Page, threads: int, first: int) -> str:
    if not page.varied_words:
        return WRK_DONE
    words = ", ".join(f'"{word}"' for word in page.varied_words)
    base = page.path.split("?", 1)[0] + "?q="
    return (
        WRK_VARIED_WORDS % {"words": words, "base": base, "threads": threads, "first": first}
        + WRK_DONE
    )


def run_wrk(
    port: int, page: Page, cookie: str, duration: int, connections: int, first: int = 0
) -> dict[str, int]:
    threads = min(2, connections)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk_script(page, threads, first))
    command = [
        "wrk",
        f"-t{threads}",
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
    try:
        output = subprocess.run(
            [*command, f"http://127.0.0.1:{port}{page.path}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    match = re.search(r"^JSON (.*)$", output, re.MULTILINE)
    if not match:
        raise SystemExit(f"wrk said:\n{output}")
    return dict(json.loads(match.group(1)))


def worker_memory_mb(master: subprocess.Popen[bytes], field: str = "VmRSS") -> float:
    """The largest resident set (``VmRSS`` now, or ``VmHWM`` at its peak) among gunicorn's
    worker processes."""
    sizes = []
    for child in Path("/proc").iterdir():
        if not child.name.isdigit():
            continue
        try:
            status = (child / "status").read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master.pid}$", status, re.MULTILINE):
            match = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                sizes.append(int(match.group(1)) / 1024)
    return max(sizes, default=0.0)


def build_pages() -> tuple[list[Page], dict[str, str], str]:
    """The pages to measure, one sign-in per persona, and the pages' place, from what is in
    the database; the minimal Django project's "ok" view first."""
    from bench.pages import load_personas, pages_and_personas

    pages, personas = pages_and_personas()
    minimal = Page("minimal Django", "/ok", yardstick=True, server="minimal")
    return [minimal, *pages], personas, load_personas()["targets"]["place_slug"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--warm-up", type=int, default=2, help="seconds per page, unmeasured")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=1, help="more than 1: gthread workers (default: sync)"
    )
    parser.add_argument("--port", type=int, default=8917, help="the app's; the minimal: +1")
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="data to generate on an empty database"
    )
    parser.add_argument(
        "--small",
        action="store_const",
        dest="scale",
        const=SMALL_SCALE,
        help=f"generate small data (--scale {SMALL_SCALE:g}: 5,000 entries) for a quick run",
    )
    parser.add_argument(
        "--regenerate",
        action="store_true",
        help="replace the generated data (at --scale) even if the database has some",
    )
    parser.add_argument(
        "--busy",
        action="store_true",
        help="one new learning entry a second in the pages' place throughout",
    )
    args = parser.parse_args()

    env = production_env(args.port)
    from bench.database import ensure_database
    from bench.floors import WORKER_MB, print_table

    ensure_database(env["DATABASE_URL"])
    setup_django(env)
    data = prepare_data(args.scale, args.regenerate)
    pages, personas, place_slug = build_pages()
    if args.only:
        wanted = set(args.only.split(","))
        pages = [p for p in pages if p.name in wanted or p.yardstick]
    cookies = {name: session_cookie_for(email) for name, email in personas.items()}
    cookies["anonymous"] = ""
    ports = {"app": args.port, "minimal": args.port + 1}

    from django.db import connections

    connections.close_all()  # the servers and the writer have their own
    servers = {
        "app": start_gunicorn(
            env, ports["app"], args.workers, args.threads, "hls_forum.wsgi", "/bench/ok"
        ),
    }
    writer = None
    results: list[Result] = []
    try:
        servers["minimal"] = start_gunicorn(
            {**env, "DJANGO_SETTINGS_MODULE": "bench.minimal_project.settings"},
            ports["minimal"],
            args.workers,
            args.threads,
            "bench.minimal_project.wsgi",
            "/ok",
        )
        if args.busy:
            writer = start_busy_writer(env, place_slug, personas["member"])
        for page in pages:
            port, cookie = ports[page.server], cookies[page.persona]
            if page.unchanged_etag:
                etag = current_etag(port, page, cookie)
                page.headers = {**(page.headers or {}), "If-None-Match": etag}
            run_wrk(port, page, cookie, args.warm_up, args.connections)
            status, queries = fetch(port, page, cookie)  # a steady-state request
            # Varied searches start past the pairs the warm-up asked.
            first = len(page.varied_words or []) ** 2 // 2
            stats = run_wrk(port, page, cookie, args.duration, args.connections, first)
            if writer is not None and writer.poll() is not None:
                raise SystemExit("The busy writer (bench/busy.py) stopped: see its error above")
            results.append(
                Result(
                    page=page,
                    rps=stats["requests"] / (stats["duration_us"] / 1e6),
                    p50_ms=stats["p50"] / 1000,
                    p95_ms=stats["p95"] / 1000,
                    queries=queries,
                    status=status,
                    errors=stats["errors"] + stats["non2xx"],
                    worker_mb=worker_memory_mb(servers[page.server]),
                )
            )
            print(f"  measured {page.name}: {results[-1].rps:.0f} req/s", file=sys.stderr)
        peak = worker_memory_mb(servers["app"], "VmHWM")
    finally:
        written = ""
        if writer is not None:
            stop(writer)
            written = (writer.stdout.read() if writer.stdout else "").strip()
        for server in servers.values():
            stop(server)

    worker = f"gthread workers x {args.threads} threads" if args.threads > 1 else "sync workers"
    print(
        f"\n{data}; {args.connections} connections, {args.duration} s per page, "
        f"{args.workers} gunicorn {worker}, {os.cpu_count()} cores"
        + (f"; busy: {written or 'no'} entries written, one a second" if args.busy else "")
        + "\n"
    )
    print_table(results, args.busy)
    print(f"\nPeak memory of a web worker: {peak:.0f} MB (floor: under {WORKER_MB:.0f} MB)")
    varied = next((p for p in pages if p.varied_words), None)
    if varied and varied.varied_words:
        n = len(varied.varied_words)
        print(f"Varied search: a different pair of {n} words on each request ({n * (n - 1):,}).")


if __name__ == "__main__":
    main()
