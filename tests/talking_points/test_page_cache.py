"""The page cache (hls_forum/page_cache.py) on the learning pages: a cached page is only ever
served to readers with the same view, a write shows at once, and what differs per response
(the CSRF token, the CSP nonce) is the reader's own."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.messages import constants
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from hls_forum.page_cache import MARKS
from partnerships.models import Membership
from talking_points import services
from tests import factories
from tests.conftest import World, client_for

SEARCH = reverse("talking_points:learning_search")
QUEUE = reverse("talking_points:review_queue")


def log_url(world: World) -> str:
    return reverse("talking_points:learning_log", args=[world.place.slug])


def entry_for(world: World, **kwargs: Any) -> Any:
    kwargs.setdefault("place", world.place)
    kwargs.setdefault("organisation", world.org_a)
    return factories.LearningEntryFactory(**kwargs)


def shows(client: Client, url: str, text: str) -> bool:
    response = client.get(url)
    assert response.status_code == 200
    return text in response.content.decode()


def page_keys() -> int:
    redis = caches["default"]
    client = redis._cache.get_client(write=False)
    return sum(1 for _ in client.scan_iter(match=redis.make_key("page:*")))


@pytest.mark.parametrize("url", ["log", "search"])
def test_readers_with_different_views_never_share_a_page(world: World, url: str) -> None:
    entry_for(world, title="Org A keeps this close", visibility="organisation", body="bread")
    path = log_url(world) if url == "log" else f"{SEARCH}?q=bread"
    member_a, member_b = client_for(world.member_a), client_for(world.member_b)
    assert shows(member_a, path, "Org A keeps this close")
    assert shows(member_a, path, "Org A keeps this close")  # from the cache
    assert not shows(member_b, path, "Org A keeps this close")
    assert not shows(Client(), path, "Org A keeps this close")
    # A colleague in the same organisation has the same view: the same page.
    colleague = factories.MembershipFactory(organisation=world.org_a, role="staff").user
    assert shows(client_for(colleague), path, "Org A keeps this close")


def test_the_same_view_is_rendered_once(world: World, django_assert_num_queries: Any) -> None:
    entry_for(world, title="Shared with the place", visibility="place")
    first = client_for(world.member_a)
    first.get(log_url(world))
    colleague = factories.MembershipFactory(organisation=world.org_a, role="staff").user
    second = client_for(colleague)
    second.get(reverse("home"))  # the session's own first-request work
    with django_assert_num_queries(1):  # the place and the reader's view: no rendering
        assert "Shared with the place" in second.get(log_url(world)).content.decode()


def test_narrowing_an_entry_hides_it_from_cached_pages_at_once(world: World) -> None:
    entry = entry_for(world, title="Open to all", visibility="public", body="bread")
    public = Client()
    for path in (log_url(world), f"{SEARCH}?q=bread"):
        assert shows(public, path, "Open to all")
    entry.visibility = "organisation"  # as the admin would: no service, only the model
    entry.save()
    for path in (log_url(world), f"{SEARCH}?q=bread"):
        assert not shows(public, path, "Open to all")


def test_withdrawn_consent_hides_a_story_from_cached_pages_at_once(world: World) -> None:
    story = entry_for(world, title="Maya's story", visibility="place", kind="story")
    factories.StoryConsentFactory(entry=story, widest_visibility="place")
    member_b = client_for(world.member_b)
    assert shows(member_b, log_url(world), "Maya&#x27;s story")
    services.story_consent_withdraw(entry=story, by=world.lead_a)
    page = member_b.get(log_url(world)).content.decode()
    assert "Maya" not in page


def test_leaving_an_organisation_hides_its_private_learning_at_once(world: World) -> None:
    entry_for(world, title="Only Org A", visibility="organisation")
    member_a = client_for(world.member_a)
    assert shows(member_a, log_url(world), "Only Org A")
    Membership.objects.filter(user=world.member_a, organisation=world.org_a).delete()
    assert not shows(member_a, log_url(world), "Only Org A")


def test_a_new_entry_and_a_renamed_organisation_show_at_once(world: World) -> None:
    entry_for(world, title="First", visibility="public")
    public = Client()
    assert shows(public, log_url(world), "First")
    entry_for(world, title="Second", visibility="public")
    assert shows(public, log_url(world), "Second")
    world.org_a.name = "Org A, renamed"
    world.org_a.save()
    assert shows(public, log_url(world), "Org A, renamed")


def test_marking_read_moves_the_entry_in_the_cached_queue_at_once(world: World) -> None:
    entry = entry_for(world, title="For the commissioner", visibility="commissioners")
    commissioner = client_for(world.commissioner)
    page = commissioner.get(QUEUE).content.decode()
    assert "For the commissioner" in page
    commissioner.post(reverse("talking_points:entry_mark_read", args=[entry.pk]), {"read": "1"})
    commissioner.get(QUEUE)  # shows (and so clears) the "marked as read" message
    assert "For the commissioner" not in commissioner.get(QUEUE).content.decode()
    assert "For the commissioner" in commissioner.get(f"{QUEUE}?show=all").content.decode()


def test_the_queue_is_the_commissioners_own(world: World) -> None:
    entry = entry_for(world, title="Shared with commissioners", visibility="commissioners")
    other = factories.CommissionerProfileFactory(places=[world.place]).user
    factories.give_mfa(other)
    first = client_for(world.commissioner)
    first.post(reverse("talking_points:entry_mark_read", args=[entry.pk]), {"read": "1"})
    first.get(QUEUE)  # shows (and so clears) the "marked as read" message
    assert "Shared with commissioners" not in first.get(QUEUE).content.decode()
    assert "Shared with commissioners" in client_for(other).get(QUEUE).content.decode()


def test_each_response_carries_the_readers_own_csrf_token_and_nonce(world: World) -> None:
    entry = entry_for(world, title="Needs a response", visibility="commissioners")
    commissioner = Client(enforce_csrf_checks=True)
    commissioner.force_login(world.commissioner)
    commissioner.get(QUEUE)
    cached = commissioner.get(QUEUE)
    body = cached.content.decode()
    assert MARKS.csrf not in body and MARKS.nonce not in body
    nonce = re.search(r'nonce="([^"]+)"', body)
    assert nonce is not None and nonce.group(1) in cached["Content-Security-Policy"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert token is not None
    response = commissioner.post(
        reverse("talking_points:entry_mark_read", args=[entry.pk]),
        {"read": "1", "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code == 302  # the token in the cached page is valid for this reader


def test_a_page_with_a_message_waiting_shows_the_message(world: World) -> None:
    entry = entry_for(world, title="Read me", visibility="commissioners")
    commissioner = client_for(world.commissioner)
    queue_all = f"{QUEUE}?show=all"
    commissioner.get(queue_all)  # cached without a message
    response = commissioner.post(
        reverse("talking_points:entry_mark_read", args=[entry.pk]),
        {"read": "1", "next": queue_all},
        follow=True,
    )
    assert [m.level for m in response.context["messages"]] == [constants.SUCCESS]
    assert "is marked as read" in response.content.decode()
    assert "is marked as read" not in commissioner.get(queue_all).content.decode()


def test_pages_are_cached_with_redis(world: World, settings: Any) -> None:
    from django.core.cache.backends.redis import RedisCache

    if not isinstance(caches["default"], RedisCache):
        pytest.skip("counts keys in Redis")
    before = page_keys()
    Client().get(log_url(world))
    assert page_keys() == before + 1


def test_page_cache_seconds_0_renders_every_page(
    world: World, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.PAGE_CACHE_SECONDS = 0
    entry_for(world, title="Rendered each time", visibility="public")
    reader = Client()
    reader.get(log_url(world))
    with django_assert_num_queries(4):  # as when rendered: the place, entries, tags, choices
        assert "Rendered each time" in reader.get(log_url(world)).content.decode()


def test_ids_too_big_for_any_row_are_a_404_not_an_error(world: World) -> None:
    """The scope queries run compiled SQL (hls_forum/compiled.py); a URL may carry any
    number, which SQLite cannot even take as a parameter."""
    huge = "9" * 23
    for client in (client_for(world.member_a), Client()):
        assert client.get(f"/sessions/{huge}/").status_code == 404
