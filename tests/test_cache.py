"""The shared cache (Redis) may go away; pages keep answering from the database, and a
signed-in person stays signed in (their session is in the database too)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import World, client_for

# Nothing listens on port 1: connections are refused, as when Redis is stopped.
UNREACHABLE = {
    "default": {
        "BACKEND": "hls_forum.cache.ReusingRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@pytest.fixture
def cache_unreachable(settings: Any) -> None:
    settings.CACHES = UNREACHABLE


@pytest.mark.django_db
def test_pages_answer_while_the_cache_is_unreachable(
    world: World, cache_unreachable: None
) -> None:
    client = client_for(world.member_a)

    pages = [
        reverse("home"),
        reverse("talking_points:dashboard"),
        reverse("talking_points:learning_log", args=[world.place.slug]),
        reverse("partnerships:place_list"),
    ]
    statuses = {page: client.get(page).status_code for page in pages}

    assert statuses == dict.fromkeys(pages, 200)


@pytest.mark.django_db
def test_a_session_made_while_the_cache_is_unreachable_is_kept(
    world: World, cache_unreachable: None
) -> None:
    client = client_for(world.member_a)

    response = client.get(reverse("talking_points:dashboard"))

    assert response.status_code == 200
    assert response.wsgi_request.user == world.member_a


def test_cache_calls_answer_as_an_empty_cache_while_unreachable(cache_unreachable: None) -> None:
    assert cache.get("anything", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("anything") is False
    assert cache.add("lock", True) is True
    cache.set("anything", 1)
    cache.delete("anything")
    with pytest.raises(ValueError):
        cache.incr("counter")
