"""The shared cache (Redis) may go away; pages keep answering from the database, and a
signed-in person stays signed in (their session is in the database too)."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import World, client_for
from tests.services import free_port

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
def test_pages_answer_while_the_cache_is_unreachable(world: World, cache_unreachable: None) -> None:
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


class CuttableProxy:
    """A TCP proxy to the real Redis whose line can be cut and restored: the network
    between the app and Redis failing, while Redis (and what it holds) stays up."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self.connections: list[socket.socket] = []
        self.listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        if self.listener is not None:
            # Wakes the thread blocked in accept(); close() alone leaves it listening.
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        for connection in self.connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()
        self.connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def redis_through_proxy(redis_url: str, settings: Any, monkeypatch: Any) -> Iterator[CuttableProxy]:
    import hls_forum.cache

    parts = urlsplit(redis_url)
    proxy = CuttableProxy((parts.hostname or "127.0.0.1", parts.port or 6379))
    location = parts._replace(netloc=f"127.0.0.1:{proxy.port}").geturl()
    settings.CACHES = {"default": {**UNREACHABLE["default"], "LOCATION": location}}
    # Try Redis again at once after an error, rather than a second later.
    monkeypatch.setattr(hls_forum.cache, "RETRY_AFTER_SECONDS", 0.0)
    try:
        yield proxy
    finally:
        proxy.cut()


def test_a_key_changed_while_redis_was_unreachable_is_not_served_stale_after(
    redis_through_proxy: CuttableProxy,
) -> None:
    cache.set("session-of-someone", "signed in")
    cache.set("their-person", "old name")

    redis_through_proxy.cut()
    cache.delete("session-of-someone")  # they signed out while Redis was away
    cache.set("their-person", "new name")
    redis_through_proxy.restore()

    assert cache.get("session-of-someone") is None
    assert cache.get("their-person") is None
    assert cache.get("untouched", "missing") == "missing"
