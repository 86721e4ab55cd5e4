"""Querysets compiled to SQL once per process, then run with other values.

Building a queryset with a few subqueries and compiling it to SQL costs about 2 ms of CPU
in Django's ORM, several times what PostgreSQL needs to run it. Pages served from the page
cache (hls_forum/page_cache.py) still run the query that decides the reader's view, on
every request; its SQL is the same for every reader except for a few values. So it is
built once with *stand-ins* (values no real row has, such as a negative id) and run with
the real values put in their place in the parameters. The SQL is Django's own; only the
parameter values change, so nothing is ever formatted into the SQL text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet

# Stand-ins: an id no row has (ids are positive), and text no slug or word contains.
READER = -987_654_321
SLUG = "\x00slug\x00"


class CompiledQuery:
    """``build(**stand_ins)`` returns the queryset; ``objects``/``rows`` run its SQL with
    ``values`` (by the same names) in place of the stand-ins."""

    def __init__(self, build: Callable[..., QuerySet[Any]], **stand_ins: Any) -> None:
        self._build = build
        self._stand_ins = stand_ins
        self._compiled: tuple[type[Model], str, tuple[Any, ...]] | None = None

    def _sql(self, values: dict[str, Any]) -> tuple[type[Model], str, list[Any]]:
        if self._compiled is None:
            query = self._build(**self._stand_ins)
            self._compiled = (query.model, *query.query.sql_with_params())
        model, sql, params = self._compiled
        real = {self._stand_ins[name]: value for name, value in values.items()}
        return model, sql, [_swap(param, real) for param in params]

    def objects(self, **values: Any) -> list[Any]:
        model, sql, params = self._sql(values)
        return list(model._default_manager.raw(sql, params))

    def rows(self, **values: Any) -> Sequence[tuple[Any, ...]]:
        _, sql, params = self._sql(values)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def _swap(param: Any, real: dict[Any, Any]) -> Any:
    if isinstance(param, int | str) and not isinstance(param, bool) and param in real:
        return real[param]
    return param
