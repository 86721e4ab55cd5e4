"""The learning log, search and review queue a page at a time by position:
newer/older links instead of page numbers, no counts, a typed tag filter, and a number of
queries that does not grow with the data or with how deep the page is."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from partnerships.models import CommissionerProfile
from talking_points.models import LearningEntry, ReviewRead
from talking_points.pagination import Position
from tests import factories
from tests.conftest import World, client_for

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def log_url(world: World, query: str = "") -> str:
    url = reverse("talking_points:learning_log", args=[world.place.slug])
    return f"{url}?{query}" if query else url


SEARCH = reverse("talking_points:learning_search")
QUEUE = reverse("talking_points:review_queue")


def entries(world: World, n: int, prefix: str = "Entry", **kwargs: Any) -> list[Any]:
    """``n`` entries an hour apart, ``prefix 0`` the oldest."""
    kwargs.setdefault("place", world.place)
    kwargs.setdefault("organisation", world.org_a)
    kwargs.setdefault("visibility", "public")
    made = []
    for i in range(n):
        entry = factories.LearningEntryFactory(title=f"{prefix} {i}", body="bread", **kwargs)
        LearningEntry.objects.filter(pk=entry.pk).update(created_at=START + timedelta(hours=i))
        made.append(entry)
    return made


def titles(body: str, prefix: str = "Entry") -> list[str]:
    return re.findall(rf">({prefix} \d+)</a></h3>", body)


def link(body: str, rel: str) -> str | None:
    """The href of the page's newer (``prev``) or older (``next``) link, unescaped."""
    match = re.search(rf'<a href="([^"]*)" rel="{rel}"', body)
    return match.group(1).replace("&amp;", "&") if match else None


def follow(client: Client, base: str, body: str, rel: str) -> str:
    href = link(body, rel)
    assert href is not None, f"no {rel} link"
    return client.get(base + href).content.decode()


# --- The log ---------------------------------------------------------------------------


def test_log_walks_older_and_back_newer_without_page_numbers(world: World, settings: Any) -> None:
    settings.PAGE_SIZE = 2
    entries(world, 5)
    client, base = Client(), log_url(world)

    first = client.get(base).content.decode()
    second = follow(client, base, first, "next")
    third = follow(client, base, second, "next")
    back = follow(client, base, third, "prev")
    top = follow(client, base, back, "prev")

    assert titles(first) == ["Entry 4", "Entry 3"]
    assert titles(second) == ["Entry 2", "Entry 1"]
    assert titles(third) == ["Entry 0"]
    assert titles(back) == ["Entry 2", "Entry 1"]
    assert titles(top) == ["Entry 4", "Entry 3"]
    assert link(first, "prev") is None
    assert link(third, "next") is None
    assert link(top, "prev") is None  # the newest page again: no newer link
    assert "Page " not in first  # no page numbers, no count of everything


def test_log_pages_split_entries_written_at_the_same_moment(world: World, settings: Any) -> None:
    settings.PAGE_SIZE = 2
    made = entries(world, 5)
    LearningEntry.objects.filter(pk__in=[e.pk for e in made]).update(created_at=START)
    client, base = Client(), log_url(world)

    seen = []
    body = client.get(base).content.decode()
    seen += titles(body)
    while link(body, "next"):
        body = follow(client, base, body, "next")
        seen += titles(body)

    assert seen == [f"Entry {i}" for i in (4, 3, 2, 1, 0)]  # newest id first, none twice


def test_log_pages_keep_the_filters(world: World, settings: Any) -> None:
    settings.PAGE_SIZE = 2
    entries(world, 4, kind="breakthrough")
    entries(world, 3, prefix="Down", kind="disappointment")
    client, base = Client(), log_url(world)

    first = client.get(log_url(world, "kind=breakthrough")).content.decode()
    older = link(first, "next")
    second = follow(client, base, first, "next")

    assert older is not None and "kind=breakthrough" in older
    assert titles(second) == ["Entry 1", "Entry 0"]
    assert titles(second, "Down") == []


@pytest.mark.parametrize(
    "query",
    [
        "older=yesterday",
        "older=12-",
        "newer=-5",
        "older=1-9999999999999999999",  # no such id
        "older=1-2&newer=3-4",
        "older=read1-2",  # a review-queue position means nothing here
        "older=" + "9" * 40,
    ],
)
def test_log_answers_a_broken_position_with_400_and_a_way_back(world: World, query: str) -> None:
    entries(world, 2)
    response = Client().get(log_url(world, f"kind=breakthrough&{query}"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "This page link does not work" in body
    assert f'href="{log_url(world)}?kind=breakthrough"' in body
    assert titles(body) == []


def test_log_position_after_the_oldest_entry_offers_the_way_back(world: World) -> None:
    entries(world, 2)
    position = Position("", START - timedelta(days=1), 1).encode()
    response = Client().get(log_url(world, f"older={position}"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "No more entries here." in body
    assert link(body, "prev") is not None


def test_htmx_older_page_is_a_fragment_that_announces_itself(world: World, settings: Any) -> None:
    settings.PAGE_SIZE = 2
    entries(world, 3)
    older = Position("", START + timedelta(hours=1), 10**9).encode()
    response = Client().get(log_url(world, f"older={older}"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<h1" not in body
    assert titles(body) == ["Entry 1", "Entry 0"]
    assert "2 entries shown." in body


# --- The tag filter ---------------------------------------------------------------------


def test_tag_filter_takes_a_typed_tag_and_entries_link_to_it(world: World) -> None:
    housing = factories.TagFactory(name="Housing support", slug="housing-support")
    tagged, _untagged = entries(world, 2)
    tagged.tags.add(housing)
    client = Client()

    typed = client.get(log_url(world, "tag=Housing+Support")).content.decode()
    chip = client.get(log_url(world)).content.decode()

    assert titles(typed) == ["Entry 0"]
    assert f'href="{log_url(world)}?tag=housing-support"' in chip


def test_tag_filter_does_not_reveal_a_private_tag(world: World) -> None:
    """A tag used only on an entry the reader may not see answers exactly like a tag nobody
    ever used: no list of tags, no "unknown tag" message."""
    secret = factories.TagFactory(name="redundancies", slug="redundancies")
    private = entries(world, 1, prefix="Private", visibility="organisation")[0]
    private.tags.add(secret)
    entries(world, 1)
    client = client_for(world.member_b)

    used = client.get(log_url(world, "tag=redundancies")).content.decode()
    unused = client.get(log_url(world, "tag=never-used")).content.decode()

    def without_query(body: str) -> str:
        results = body[body.index('<section id="learning-results"') : body.index("</section>")]
        return results.replace("redundancies", "X").replace("never-used", "X")

    assert "Private" not in used
    assert "No entries match these filters." in used
    assert without_query(used) == without_query(unused)


def test_tag_filter_refuses_a_tag_without_letters(world: World) -> None:
    body = Client().get(log_url(world, "tag=%21%21%21")).content.decode()
    assert "Type a tag with letters or numbers" in body


# --- Search ---------------------------------------------------------------------------------


def test_search_looks_in_the_readers_places_unless_asked_for_all(world: World) -> None:
    entries(world, 1, prefix="Home")
    entries(world, 1, prefix="Away", place=world.other_place)
    member = client_for(world.member_a)

    mine = member.get(SEARCH + "?q=bread").content.decode()
    everywhere = member.get(SEARCH + "?q=bread&place=all").content.decode()
    anonymous = Client().get(SEARCH + "?q=bread").content.decode()  # no places of one's own

    assert titles(mine, "Home") == ["Home 0"] and titles(mine, "Away") == []
    assert titles(everywhere, "Away") == ["Away 0"] and titles(everywhere, "Home") == ["Home 0"]
    assert titles(anonymous, "Away") == ["Away 0"]
    assert 'value="all"' in mine  # the choice is offered


def test_search_pages_by_position(world: World, settings: Any) -> None:
    settings.PAGE_SIZE = 2
    entries(world, 3)
    client = client_for(world.member_a)

    first = client.get(SEARCH + "?q=bread").content.decode()
    second = follow(client, SEARCH, first, "next")
    broken = client.get(SEARCH + "?q=bread&older=nope")

    assert titles(first) == ["Entry 2", "Entry 1"]
    assert titles(second) == ["Entry 0"]
    assert broken.status_code == 400
    assert "This page link does not work" in broken.content.decode()


# --- The review queue -----------------------------------------------------------------------


def test_review_queue_pages_through_unread_then_read(world: World, settings: Any) -> None:
    settings.PAGE_SIZE = 2
    unread = entries(world, 3, prefix="Unread", visibility="commissioners")
    read = entries(world, 2, prefix="Read", visibility="place")
    for entry in read:
        ReviewRead.objects.create(entry=entry, user=world.commissioner)
    client = client_for(world.commissioner)
    base = QUEUE

    def shown(body: str) -> list[str]:
        return re.findall(r">((?:Unread|Read) \d+)</a></h[23]>", body)

    first = client.get(base + "?show=all").content.decode()
    second = follow(client, base, first, "next")
    third = follow(client, base, second, "next")
    back = follow(client, base, third, "prev")
    unread_only = client.get(base).content.decode()

    assert shown(first) == ["Unread 2", "Unread 1"]
    assert shown(second) == ["Unread 0", "Read 1"]
    assert shown(third) == ["Read 0"]
    assert shown(back) == ["Unread 0", "Read 1"]
    assert link(third, "next") is None
    assert 'class="queue-item queue-unread"' in second and ">Read</span>" in second
    assert shown(unread_only) == ["Unread 2", "Unread 1"]
    assert len(unread) == 3


def test_review_queue_merges_every_covered_place_newest_first(world: World, settings: Any) -> None:
    settings.PAGE_SIZE = 3
    CommissionerProfile.objects.get(user=world.commissioner).places.add(world.other_place)
    here = entries(world, 3, prefix="Entry", visibility="commissioners")
    there = entries(world, 3, prefix="Entry", visibility="public", place=world.other_place)
    # Interleave: here 0, there 0, here 1, there 1, ...
    for i, entry in enumerate(here + there):
        hours = 2 * i if i < 3 else 2 * (i - 3) + 1
        LearningEntry.objects.filter(pk=entry.pk).update(created_at=START + timedelta(hours=hours))
    client = client_for(world.commissioner)

    first = client.get(QUEUE).content.decode()
    second = follow(client, QUEUE, first, "next")
    order = re.findall(r'href="/learning/(\d+)/"', first) + re.findall(
        r'href="/learning/(\d+)/"', second
    )
    expected = [
        e.pk
        for e in sorted(
            here + there,
            key=lambda e: LearningEntry.objects.get(pk=e.pk).created_at,
            reverse=True,
        )
    ]

    assert [int(pk) for pk in dict.fromkeys(order)] == expected


def test_review_queue_refuses_a_read_position_when_showing_unread_only(world: World) -> None:
    response = client_for(world.commissioner).get(QUEUE + "?older=read1-1")
    assert response.status_code == 400
    assert "This page link does not work" in response.content.decode()


# --- Queries: fixed, whatever the data and however deep ----------------------------------


def _grow(world: World, n: int) -> None:
    """``n`` more entries of every visibility, with tags, a story with consent, reviews and
    reads, in both places."""
    for i in range(n):
        for visibility in ("organisation", "commissioners", "place", "public"):
            entry = factories.LearningEntryFactory(
                place=world.place if i % 3 else world.other_place,
                organisation=world.org_a if i % 2 else world.org_b,
                visibility=visibility,
                kind="breakthrough" if i % 2 else "reflection",
                body="bread and butter",
            )
            entry.tags.add(factories.TagFactory(), factories.TagFactory(name="grow", slug="grow"))
            if i % 4 == 0:
                ReviewRead.objects.get_or_create(entry=entry, user=world.commissioner)
        story = factories.LearningEntryFactory(
            place=world.place, organisation=world.org_b, kind="story", visibility="place"
        )
        factories.StoryConsentFactory(entry=story, widest_visibility="place")


def _deep(client: Client, url: str) -> str:
    """The URL of the page two "older" links down from ``url``."""
    base = url.split("?")[0]
    body = client.get(url).content.decode()
    for _ in range(2):
        href = link(body, "next")
        assert href is not None
        body = client.get(base + href).content.decode()
    href = link(body, "next") or link(body, "prev")
    assert href is not None
    return base + href


PAGES = [
    # (page, persona, queries): the queries a request makes beyond the session's own.
    ("log", "anonymous", 4),
    ("log", "member_a", 4),
    ("log", "member_b", 4),
    ("log", "commissioner", 4),
    ("log deep", "member_a", 4),
    ("log kind", "member_a", 4),
    ("log tag", "commissioner", 4),
    ("search", "anonymous", 2),
    ("search", "member_a", 3),
    ("search", "commissioner", 3),
    ("search all places", "member_a", 3),
    ("search deep", "member_a", 3),
    ("queue", "commissioner", 3),
    ("queue all", "commissioner", 3),
    ("queue all deep", "commissioner", 3),
]


def _url(world: World, page: str) -> str:
    return {
        "log": log_url(world),
        "log deep": log_url(world),
        "log kind": log_url(world, "kind=breakthrough"),
        "log tag": log_url(world, "tag=grow"),
        "search": SEARCH + "?q=bread",
        "search all places": SEARCH + "?q=bread&place=all",
        "search deep": SEARCH + "?q=bread",
        "queue": QUEUE,
        "queue all": QUEUE + "?show=all",
        "queue all deep": QUEUE + "?show=all",
    }[page]


@pytest.mark.parametrize(("page", "persona", "expected"), PAGES)
def test_list_pages_make_the_same_queries_with_3_or_40_entries_a_visibility(
    world: World,
    settings: Any,
    django_assert_num_queries: Any,
    page: str,
    persona: str,
    expected: int,
) -> None:
    settings.PAGE_SIZE = 4
    client = client_for(world.user(persona))
    _grow(world, 3)
    url = _url(world, page)
    if "deep" in page:
        _grow(world, 3)  # enough for two older pages
        url = _deep(client, url)
    client.get(url)  # the session's own queries settle (last seen, MFA check)
    with django_assert_num_queries(expected):
        small = client.get(url)
    _grow(world, 37)
    with django_assert_num_queries(expected):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    assert b"entry-item" in large.content


def _without_per_response_values(response: Any) -> bytes:
    """The page without its CSRF token and CSP nonce, which differ in every response."""
    content = response.content
    for value in re.findall(rb'"X-CSRFToken": "([^"]+)"', content):
        content = content.replace(value, b"CSRF")
    return re.sub(rb'nonce="[^"]+"', b'nonce=""', content)
