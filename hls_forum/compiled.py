"""Querysets compiled to SQL once per process, then run with other values.

Building a queryset with a few subqueries and compiling it to SQL costs about 2 ms of CPU
in Django's ORM, several times what PostgreSQL needs to run it. Pages served from the page
cache (hls_forum/page_cache.py) still run the query that decides the reader's view, on
every request; its SQL is the same for every reader except for a few values. So it is
built once with *stand-ins* (values no real row has, such as a negative id) and run with
the real values put in their place in the parameters. The SQL is Django's own; only the
parameter values change, so nothing is ever formatted into the SQL text.

On PostgreSQL it runs with server-side parameters, so psycopg prepares it after a few runs
on a connection (``prepare_threshold`` in settings): PostgreSQL then stops planning it on
every request, which cost it six times the running (0.86 against 0.15 ms for the learning
pages' scope query). Django's own cursors bind parameters on the client and never prepare.
Queries still go through Django's cursor wrapper, so they are counted and logged as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet

# Stand-ins: ids no row has (ids are positive), and text no slug or word contains.
READER = -987_654_321
KEY = -987_654_322
SLUG = "\x00slug\x00"
_BIGINT = (-(2**63), 2**63 - 1)


@dataclass(frozen=True)
class _Compiled:
    model: type[Model]
    sql: str
    params: tuple[Any, ...]
    compiler: Any
    converters: dict[int, Any]


class CompiledQuery:
    """``build(**stand_ins)`` returns the queryset; ``objects``/``rows`` run its SQL with
    ``values`` (by the same names) in place of the stand-ins."""

    def __init__(self, build: Callable[..., QuerySet[Any]], **stand_ins: Any) -> None:
        self._build = build
        self._stand_ins = stand_ins
        self._compiled: _Compiled | None = None

    def _sql(self, values: dict[str, Any]) -> tuple[_Compiled, list[Any]]:
        if self._compiled is None:
            query = self._build(**self._stand_ins)
            compiler = query.query.get_compiler(connection.alias)
            sql, params = compiler.as_sql()
            # The ORM's own conversions of what the database returns (SQLite's datetimes
            # made aware, for one), applied to each run's rows as a queryset would.
            converters = compiler.get_converters([column for column, _, _ in compiler.select])
            self._compiled = _Compiled(query.model, sql, params, compiler, converters)
        real = {self._stand_ins[name]: value for name, value in values.items()}
        return self._compiled, [_swap(param, real) for param in self._compiled.params]

    def _run(self, values: dict[str, Any]) -> tuple[type[Model], list[str], list[Any]]:
        compiled, params = self._sql(values)
        if any(
            isinstance(value, int) and not _BIGINT[0] <= value <= _BIGINT[1]
            for value in values.values()
        ):
            # No id is that big (a URL may say anything): nothing matches, as the ORM says
            # for an out-of-range lookup; SQLite would refuse the parameter.
            return compiled.model, [], []
        with _cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows: list[Any] = cursor.fetchall()
            names = [column[0] for column in cursor.description or ()]
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
        return compiled.model, names, rows

    def objects(self, **values: Any) -> list[Any]:
        """Model instances, with any annotations as attributes (the query selects every
        concrete field, as a queryset without ``values()`` does)."""
        model, names, rows = self._run(values)
        fields = [(field.attname, field.column) for field in model._meta.concrete_fields]
        found = []
        for row in rows:
            data = dict(zip(names, row, strict=True))
            instance = model.from_db(
                connection.alias,
                [attname for attname, _ in fields],
                [data.pop(column) for _, column in fields],
            )
            for name, value in data.items():
                setattr(instance, name, value)
            found.append(instance)
        return found

    def rows(self, **values: Any) -> Sequence[tuple[Any, ...]]:
        return self._run(values)[2]

    def row(self, **values: Any) -> dict[str, Any] | None:
        """The first row as a dict by column name, or None."""
        _, names, rows = self._run(values)
        return dict(zip(names, rows[0], strict=True)) if rows else None


@contextmanager
def _cursor() -> Iterator[Any]:
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    connection.ensure_connection()
    # A server-side-binding psycopg cursor, in Django's wrapper (logging, execute wrappers).
    raw: Any = psycopg.Cursor(connection.connection)
    wrapped = (
        connection.make_debug_cursor(raw)
        if connection.queries_logged
        else connection.make_cursor(raw)
    )
    with wrapped as cursor:
        yield cursor


def _swap(param: Any, real: dict[Any, Any]) -> Any:
    if isinstance(param, int | str) and not isinstance(param, bool) and param in real:
        return real[param]
    return param
