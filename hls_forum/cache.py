"""Django's Redis cache, kept cheap to call and safe to lose.

One client per pool: Django's ``RedisCacheClient.get_client`` makes a ``redis.Redis``
object per cache call, and redis-py 8 fills a table of about 170 response callbacks in each
one: roughly 0.4 ms of CPU per call, more than the round trip to Redis. A signed-in request
makes one or two cache calls (the session, the person), so this doubled the cost of a small
page. A Redis client is thread-safe (each command borrows a connection from the pool).

Safe to lose: nothing kept only in the cache is needed to answer a page. Sessions are kept
in the database too (``cached_db``), cached fragments are rendered afresh, the signed-in
person is read from the database. So when Redis cannot be reached, a read misses, a write
is dropped and the page is answered as if the cache were empty, instead of failing with a
500. While it is unreachable, rate limits start afresh and a used one-time code is not
remembered (``add`` reports success): the price of keeping sign-in working. After an error
the cache is not tried again for ``RETRY_AFTER_SECONDS``, so a Redis that hangs rather than
refuses costs one timeout per process per interval, not one per call.

A write that could not be made leaves the old value in Redis, which keeps its data across
a restart: a session ended while Redis was away would come back with it. So each process
remembers the keys of the writes it dropped, and deletes them when Redis answers again,
before anything else is read; if it dropped more than ``MAX_REMEMBERED_KEYS``, it deletes
every cache key instead (never the Celery queues that may share the database).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 1.0
MAX_REMEMBERED_KEYS = 10_000
_EVERYTHING = object()  # too many dropped writes to list: drop every cache key


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._down_until = 0.0
        self._lock = threading.Lock()
        # Keys whose writes were dropped while Redis was away, to delete once it is back.
        self._stale: set[Any] = set()
        self._stale_everything = False
        self._key_pattern = "*"

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        this: Any = self  # Django's base class is untyped
        pool = this._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = this._client(connection_pool=pool)
        return client

    def _attempt(
        self, operation: str, default: Any, call: Any, *args: Any, writes: Any = ()
    ) -> Any:
        """``call(*args)``, or ``default`` if Redis is unreachable (now or very recently).
        ``writes``: the keys ``call`` changes, remembered as stale if it cannot be made."""
        try:
            if time.monotonic() < self._down_until:
                raise ConnectionError("skipped: the cache was unreachable a moment ago")
            if self._stale or self._stale_everything:
                self._drop_stale()
            return call(*args)
        except (RedisError, OSError) as error:
            with self._lock:
                first = time.monotonic() >= self._down_until
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
                self._remember_stale(writes)
            if first:
                logger.warning(
                    "Cache unreachable (%s: %s); carrying on without it", operation, error
                )
            return default

    def _remember_stale(self, keys: Any) -> None:
        if self._stale_everything:
            return
        self._stale.update(keys)
        if len(self._stale) > MAX_REMEMBERED_KEYS:
            self._stale_everything = True
            self._stale.clear()

    def _drop_stale(self) -> None:
        """Delete what this process could not update while Redis was away (raises if it is
        still away, and then keeps the list)."""
        client = self.get_client(write=True)
        with self._lock:
            keys, everything = list(self._stale), self._stale_everything
        if everything:
            # Cache keys only: Django's keys are "<prefix>:<version>:<key>", Celery's are not.
            batch: list[Any] = []
            for key in client.scan_iter(match=self._key_pattern, count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    client.delete(*batch)
                    batch = []
            if batch:
                client.delete(*batch)
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        with self._lock:
            self._stale.difference_update(keys)
            if everything:
                self._stale_everything = False
        logger.warning(
            "Cache reachable again: dropped %s stale entries", "all" if everything else len(keys)
        )

    # Each operation Django's RedisCache uses, with what a missing cache would answer.
    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        return bool(self._attempt("add", True, super().add, key, value, timeout, writes=[key]))

    def get(self, key: Any, default: Any) -> Any:
        return self._attempt("get", default, super().get, key, default)

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        self._attempt("set", None, super().set, key, value, timeout, writes=[key])

    def touch(self, key: Any, timeout: Any) -> bool:
        return bool(self._attempt("touch", False, super().touch, key, timeout, writes=[key]))

    def delete(self, key: Any) -> bool:
        return bool(self._attempt("delete", False, super().delete, key, writes=[key]))

    def get_many(self, keys: Any) -> dict[Any, Any]:
        return dict(self._attempt("get_many", {}, super().get_many, keys))

    def has_key(self, key: Any) -> bool:
        return bool(self._attempt("has_key", False, super().has_key, key))

    def incr(self, key: Any, delta: int) -> Any:
        missing = object()
        value = self._attempt("incr", missing, super().incr, key, delta, writes=[key])
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")
        return value

    def set_many(self, data: Any, timeout: Any) -> None:
        self._attempt("set_many", None, super().set_many, data, timeout, writes=list(data))

    def delete_many(self, keys: Any) -> None:
        self._attempt("delete_many", None, super().delete_many, keys, writes=list(keys))

    def clear(self) -> bool:
        return bool(self._attempt("clear", False, super().clear))


class ReusingRedisCache(RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    @cached_property
    def _cache(self) -> ReusingRedisCacheClient:
        this: Any = self  # Django's base class is untyped
        client = ReusingRedisCacheClient(this._servers, **this._options)
        # Every key this cache makes, and nothing else (for dropping them all).
        client._key_pattern = f"{self.key_prefix}:*" if self.key_prefix else ":*"
        return client
