"""A generation number per place, part of the key of every cached fragment of its picture.

The fragments are short-lived anyway (``PICTURE_CACHE_SECONDS``); a write that narrows who may
see something on the picture (a commission taken off the public register, a session summary
shared with fewer people) moves the place to a new generation, so no cached fragment shows it
to someone who may no longer see it, not even for those seconds.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Aggregate, CharField

# Longer than any fragment lives, so a generation is never forgotten while fragments of it
# are still cached (forgetting would restart at 0 and could meet an old fragment again).
_GENERATION_SECONDS = 24 * 60 * 60


def _key(place_id: int) -> str:
    return f"picture-generation:{place_id}"


def place_generation(place_id: int) -> int:
    return int(cache.get(_key(place_id), 0))


def place_changed(place_id: int) -> None:
    """Start a new generation for ``place_id``'s cached fragments."""
    key = _key(place_id)
    try:
        cache.incr(key)
    except ValueError:  # not cached yet (or expired): any number newer than 0 will do
        cache.add(key, 1, _GENERATION_SECONDS)
        cache.incr(key)
    cache.touch(key, _GENERATION_SECONDS)


class JoinedIds(Aggregate):
    """``"3,17,42"``: the ids aggregated, joined with commas (PostgreSQL ``string_agg``,
    SQLite ``group_concat``), for a cache key that names a set of ids in the same query."""

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS TEXT), ',' ORDER BY %(expressions)s)"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(CAST(%(expressions)s AS TEXT), ',')",
            **extra_context,
        )
