"""The pages bench/web.py measures (issue 8 point 2), and who signs in to see each.

Reads ``bench/personas.json``, written by ``manage.py generate_national_data`` (machine-local,
gitignored): the sign-in email of each persona and the place, forum and live session the
pages are about. URLs come from ``reverse()``, so they follow the URL configuration.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.web import Page

PERSONAS_FILE = Path(__file__).resolve().parent / "personas.json"
DEEP_PAGE = 100


def load_personas(path: Path = PERSONAS_FILE) -> dict[str, Any]:
    if not path.exists():
        raise SystemExit(
            f"{path} is missing: load the data first with\n"
            "  DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/hls_national "
            ".venv/bin/python manage.py generate_national_data"
        )
    return dict(json.loads(path.read_text()))


def deep_page_query(place_slug: str, email: str, depth: int = DEEP_PAGE) -> str:
    """The query string of the log's ``depth``-th page for this reader, as its "Older" links
    would reach it: the position of the last entry of the page before (one OFFSET query,
    here, once, so that each measured request is a plain keyset page)."""
    from django.conf import settings

    from partnerships.models import User
    from talking_points.models import LearningEntry
    from talking_points.pagination import Position

    reader = User.objects.get(email=email)
    ordered = (
        LearningEntry.objects.visible_to(reader)
        .filter(place__slug=place_slug)
        .order_by("-created_at", "-pk")
    )
    index = settings.PAGE_SIZE * (depth - 1) - 1
    # Small (test) data has no 100th page: the second page stands in for it.
    found = list(ordered[index : index + 1]) or list(ordered[:1])
    if not found:
        return ""
    before = found[0]
    return urlencode({"older": Position.of("", before).encode()})


def pages_and_personas(path: Path = PERSONAS_FILE) -> tuple[list[Page], dict[str, str]]:
    from django.urls import reverse

    loaded = load_personas(path)
    personas: dict[str, str] = loaded["personas"]
    targets: dict[str, Any] = loaded["targets"]
    place = {"slug": targets["place_slug"]}
    log = reverse("talking_points:learning_log", kwargs=place)
    live = int(targets["live_session"])
    poll = reverse("talking_points:session_poll", kwargs={"pk": live})

    pages = [
        Page("bare view", reverse("bench_ok")),
        Page("bare view signed in", reverse("bench_ok"), persona="member", target_ratio=0.5),
        Page(
            "place dashboard",
            reverse("talking_points:place_picture", kwargs=place),
            persona="member",
        ),
        Page("learning log", log, persona="member"),
        Page(
            "learning log deep page",
            f"{log}?{deep_page_query(targets['place_slug'], personas['member'])}",
            persona="member",
        ),
        Page(
            "learning log filtered",
            f"{log}?{urlencode({'kind': targets['filter_kind']})}",
            persona="member",
        ),
        Page(
            "search",
            f"{reverse('talking_points:learning_search')}?"
            + urlencode({"q": targets["search_words"]}),
            persona="member",
            target_p95_ms=150.0,
        ),
        Page("review queue", reverse("talking_points:review_queue"), persona="commissioner"),
        Page(
            "forum page",
            reverse("talking_points:forum_detail", kwargs={"slug": targets["forum_slug"]}),
            persona="participant",
        ),
        Page(
            "live session",
            reverse("talking_points:session_detail", kwargs={"pk": live}),
            persona="participant",
        ),
        Page(
            "live poll unchanged ETag",
            poll,
            persona="participant",
            headers={"HX-Request": "true"},
            unchanged_etag=True,
            target_ratio=0.5,
        ),
    ]
    return pages, personas
