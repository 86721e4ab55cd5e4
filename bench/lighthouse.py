"""Lighthouse (mobile) on the main pages: accessibility, best practices and SEO.

Not a test. Needs Chromium (Debian's, /usr/bin/chromium, or CHROME_PATH) and the npm
packages (`make install`, which runs `npm ci`: Lighthouse is a devDependency in
package.json). Nothing is fetched while it runs.

It makes a fresh SQLite database in a temporary folder (or uses DATABASE_URL if set, which
must then be empty or hold the demo data), loads the demo data, opens a live session in the
demo forum, collects the static files and starts gunicorn on localhost with production
settings (DEBUG off; TLS redirects and secure cookies off, since Lighthouse speaks plain HTTP
to localhost, which browsers treat as secure). Each signed-in page is audited with a real
session's cookie for its persona. Then it prints one row per page with the three scores and
lists every audit that did not pass.

    .venv/bin/python bench/lighthouse.py [--page NAME ...] [--json results.json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.web import session_cookie_for, start_gunicorn, stop  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CATEGORIES = ["accessibility", "best-practices", "seo"]

LEAD = "lead@demo.hls-forum.localhost"
FACILITATOR = "facilitator@demo.hls-forum.localhost"
COMMISSIONER = "commissioner@demo.hls-forum.localhost"


@dataclass
class Page:
    name: str
    path: str
    email: str = ""  # who is signed in; nobody when empty


@dataclass
class Result:
    page: Page
    scores: dict[str, int]
    failed: list[str]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", secrets.token_urlsafe(50)),
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SITE_URL": "http://localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{folder / 'db.sqlite3'}"),
        "STATIC_ROOT": str(folder / "static"),
        "PYTHONUNBUFFERED": "1",
    }


def prepare(env: dict[str, str]) -> list[Page]:
    """Migrate, load the demo data, open a live session; the pages to audit."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hls_forum.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import timezone

    from partnerships.models import CommissionerProfile, ForumMembership, User
    from talking_points import services
    from talking_points.models import LearningEntry, Session, SessionStatus, TalkingPoint

    call_command("migrate", verbosity=0)
    call_command("load_demo", allow_production=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("collectstatic", interactive=False, verbosity=0)

    facilitator = User.objects.get(email=FACILITATOR)
    forum = ForumMembership.objects.filter(user=facilitator, role="facilitator").first()
    assert forum is not None, "the demo has a facilitator"
    live = Session.objects.filter(forum=forum.forum, status=SessionStatus.LIVE).first()
    if live is None:
        live = services.session_plan(
            forum=forum.forum,
            by=facilitator,
            starts_at=timezone.now() - datetime.timedelta(minutes=5),
            venue="The community hall",
            talking_points=list(TalkingPoint.objects.active_for_forum(forum.forum)[:3]),
            time_box_minutes=15,
        )
        services.session_open(session=live, by=facilitator, present=[facilitator])
    place = forum.forum.place
    entry = LearningEntry.objects.filter(place=place, visibility="public").order_by("pk").first()
    assert entry is not None, "the demo has a public entry"
    commissioner = CommissionerProfile.objects.get(user__email=COMMISSIONER)
    return [
        Page("Home", reverse("home")),
        Page("Place", place.get_absolute_url()),
        Page("Learning log", reverse("talking_points:learning_log", args=[place.slug])),
        Page("Entry", entry.get_absolute_url()),
        Page("Live session", live.get_absolute_url(), FACILITATOR),
        Page("Dashboard", reverse("talking_points:dashboard"), LEAD),
        Page(
            "Commissioner",
            reverse("partnerships:commissioner_detail", args=[commissioner.pk]),
            COMMISSIONER,
        ),
        Page("Review queue", reverse("talking_points:review_queue"), COMMISSIONER),
        Page("Sign in", reverse("account_login")),
    ]


def audit(url: str, cookie: str, report: Path) -> dict[str, Any]:
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-path={CHROME}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--disable-full-page-screenshot",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    env = {**os.environ, "CHROME_PATH": CHROME}
    subprocess.run(command, check=True, env=env, timeout=300)
    return dict(json.loads(report.read_text()))


def failures(lhr: dict[str, Any]) -> list[str]:
    """Audits in the three categories that count towards a score and did not pass."""
    failed = []
    for category in CATEGORIES:
        for ref in lhr["categories"][category]["auditRefs"]:
            found = lhr["audits"][ref["id"]]
            if ref.get("weight", 0) and found.get("score") is not None and found["score"] < 1:
                failed.append(f"{category}: {ref['id']} ({found.get('title', '')})")
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", action="append", help="only this page (by name); repeatable")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `make install` (npm ci).")

    with tempfile.TemporaryDirectory(prefix="hls-lighthouse-") as temporary:
        folder = Path(temporary)
        env = environment(folder)
        pages = prepare(env)
        if args.page:
            pages = [p for p in pages if p.name in args.page]
        cookies = {p.email: session_cookie_for(p.email) for p in pages if p.email}
        port = free_port()
        server = start_gunicorn(env, port, 2, 1, "hls_forum.wsgi", "/healthz")
        results = []
        try:
            for page in pages:
                url = f"http://localhost:{port}{page.path}"
                print(f"Auditing {page.name} ({page.path})…", file=sys.stderr, flush=True)
                lhr = audit(url, cookies.get(page.email, ""), folder / "report.json")
                final = lhr.get("finalDisplayedUrl") or lhr.get("finalUrl", "")
                if not final.endswith(page.path):
                    raise SystemExit(f"{page.name}: Lighthouse ended at {final}, not {url}")
                scores = {c: round(100 * (lhr["categories"][c]["score"] or 0)) for c in CATEGORIES}
                results.append(Result(page, scores, failures(lhr)))
        finally:
            stop(server)

    version = lhr.get("lighthouseVersion", "?")
    print(f"\nLighthouse {version}, mobile, {len(results)} pages\n")
    print(f"| {'Page':<14} | {'Signed in as':<13} | Accessibility | Best practices | SEO |")
    print(f"| {'-' * 14} | {'-' * 13} | ------------- | -------------- | --- |")
    for r in results:
        who = r.page.email.split("@")[0] if r.page.email else "nobody"
        a, b, s = (r.scores[c] for c in CATEGORIES)
        print(f"| {r.page.name:<14} | {who:<13} | {a:>13} | {b:>14} | {s:>3} |")
    for r in results:
        for failed in r.failed:
            print(f"{r.page.name}: {failed}")
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {"page": r.page.name, "path": r.page.path, **r.scores, "failed": r.failed}
                    for r in results
                ],
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
