"""The app's pages bench/web.py measures, and who signs in to see each.

Reads ``bench/personas.json``, written by ``manage.py generate_national_data`` (machine-local,
gitignored): the sign-in email of each persona and the place, forum and live session the
pages are about. URLs come from ``reverse()``, so they follow the URL configuration.
"""

from __future__ import annotations

import json
import re
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
            "  BENCH=1 DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/hls_national "
            ".venv/bin/python manage.py generate_national_data\n"
            "or let bench/web.py generate it (it does when the database is empty)."
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


def search_words() -> list[str]:
    """Words the data generator writes into entries, one per search term: English stop words
    (which the full-text search ignores) dropped, and one word per stem ("volunteer" and
    "volunteers" search alike)."""
    from django.db import connection

    from bench import national_data as vocabulary

    text = " ".join(
        [*vocabulary.TOPICS, *vocabulary.SUBJECTS, *vocabulary.SENTENCES, *vocabulary.TITLES]
    )
    text = re.sub(r"\{\w\}", " ", text).lower()
    # Plain ASCII words only: wrk puts them in the URL as they are.
    found = re.findall(r"[^\W\d_]+", text)
    candidates = sorted({word for word in found if word.isascii() and len(word) >= 3})
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT ON (term) word
            FROM (
                SELECT word, strip(to_tsvector('english', word))::text AS term
                FROM unnest(%s::text[]) AS word
            ) words
            WHERE term <> ''
            ORDER BY term, word
            """,
            [candidates],
        )
        return sorted(row[0] for row in cursor.fetchall())


def entry_with_responses_and_links(place_slug: str, personas: dict[str, str]) -> int:
    """An entry of the member's organisation in the place, shared with commissioners or wider,
    with a response and a reply, and links to a session, a decision and another entry: the
    generated data has reviews and replies but no links, so the first run adds what is
    missing (through the ORM and the linking service) and later runs find it."""
    from django.db.models import Q

    from partnerships.models import Membership, User
    from talking_points import services
    from talking_points.models import (
        Decision,
        LearningEntry,
        LinkRelation,
        Review,
        ReviewKind,
        Session,
        Visibility,
    )

    member = User.objects.get(email=personas["member"])
    commissioner = User.objects.get(email=personas["commissioner"])
    shared = (
        LearningEntry.objects.visible_to(member)
        .filter(
            place__slug=place_slug,
            organisation__in=Membership.objects.filter(user=member).values("organisation"),
            visibility__in=[Visibility.COMMISSIONERS, Visibility.PLACE, Visibility.PUBLIC],
        )
        .order_by("pk")
    )
    entry = (
        shared.filter(links__isnull=False, reviews__kind=ReviewKind.REPLY).first()
        or shared.filter(reviews__kind=ReviewKind.REPLY).first()
        or shared.filter(reviews__isnull=False).first()
        or shared.first()
    )
    if entry is None:
        raise SystemExit(f"{personas['member']} has no shared entry in {place_slug}")

    response = entry.reviews.filter(in_reply_to__isnull=True).order_by("pk").first()
    if response is None:
        response = Review.objects.create(
            entry=entry,
            author=commissioner,
            kind=ReviewKind.QUESTION,
            text="Could you tell us more about what people said?",
        )
    if not response.replies.exists():
        Review.objects.create(
            entry=entry,
            in_reply_to=response,
            author=member,
            kind=ReviewKind.REPLY,
            text="Yes: we will bring it to the forum next week.",
        )

    sessions = Session.objects.visible_to(member).filter(forum__place=entry.place)
    targets: list[tuple[str, dict[str, Any]]] = []
    session = sessions.order_by("pk").first()
    if session is not None:
        targets.append((LinkRelation.CAME_FROM, {"session": session}))
    decision = Decision.objects.filter(session__in=sessions).order_by("pk").first()
    if decision is not None:
        targets.append((LinkRelation.LED_TO, {"decision": decision}))
    other = (
        LearningEntry.objects.visible_to(member)
        .filter(place=entry.place)
        .filter(~Q(pk=entry.pk))
        .order_by("pk")
        .first()
    )
    if other is not None:
        targets.append((LinkRelation.RELATES_TO, {"other_entry": other}))
    for relation, target in targets:
        services.entry_link_add(entry=entry, by=member, relation=relation, target=target)
    return entry.pk


def pages_and_personas(path: Path = PERSONAS_FILE) -> tuple[list[Page], dict[str, str]]:
    from django.urls import reverse

    loaded = load_personas(path)
    personas: dict[str, str] = loaded["personas"]
    targets: dict[str, Any] = loaded["targets"]
    place = {"slug": targets["place_slug"]}
    log = reverse("talking_points:learning_log", kwargs=place)
    live = int(targets["live_session"])
    poll = reverse("talking_points:session_poll", kwargs={"pk": live})
    search = reverse("talking_points:learning_search")
    words = search_words()
    entry = entry_with_responses_and_links(targets["place_slug"], personas)

    pages = [
        Page("bare view", reverse("bench:ok"), yardstick=True),
        Page("bare view signed in", reverse("bench:ok"), persona="member", yardstick=True),
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
            "entry page",
            reverse("talking_points:entry_detail", kwargs={"pk": entry}),
            persona="member",
        ),
        Page(
            "search",
            f"{search}?{urlencode({'q': targets['search_words']})}",
            persona="member",
        ),
        Page(
            "varied search",
            f"{search}?{urlencode({'q': f'{words[0]} {words[1]}'})}",
            persona="member",
            varied_words=words,
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
            least_share=0.35,
        ),
    ]
    return pages, personas
