"""Streaming rows into PostgreSQL with COPY."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.management.base import CommandError
from django.db import connection, models

from bench.national_data.counts import BATCH_ROWS


def fields(names: str) -> tuple[str, ...]:
    """The attnames a table's rows give, in order: ``fields("id name slug")``."""
    return tuple(names.split())


@dataclass
class Table:
    """One table's rows: ``fields`` are the attnames each row tuple gives, in order."""

    model: type[models.Model]
    fields: Sequence[str]
    rows: Callable[[], Iterable[tuple[Any, ...]]]
    total: int
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            self.label = self.model._meta.db_table


def copy_columns(
    model: type[models.Model], given: Sequence[str]
) -> tuple[list[str], tuple[Any, ...]]:
    """The columns to COPY for ``model`` when rows give ``given`` (attnames, in order),
    and the constant values appended for every other concrete field.

    A field the rows leave out gets its constant default, NULL if nullable, or "" if it is
    optional text; anything else (a required NOT NULL field) is refused.
    """
    fields = model._meta.concrete_fields
    by_attname = {f.attname: f for f in fields}
    unknown = [name for name in given if name not in by_attname]
    if unknown:
        raise CommandError(f"{model._meta.label} has no field(s) {', '.join(unknown)}.")
    columns = [by_attname[name].column for name in given]
    fill: list[Any] = []
    for f in fields:
        if f.attname in given:
            continue
        if f.has_default():
            if callable(f.default):
                raise CommandError(
                    f"{model._meta.label}.{f.attname} has a computed default; "
                    "the generator must give it (so runs are deterministic)."
                )
            value = f.get_db_prep_save(f.get_default(), connection)
        elif f.null:
            value = None
        elif f.blank and f.empty_strings_allowed:
            value = ""  # what the ORM stores for an optional text field left out
        else:
            raise CommandError(
                f"{model._meta.label}.{f.attname} is NOT NULL and has no default; "
                "the generator must give it."
            )
        columns.append(f.column)
        fill.append(value)
    return columns, tuple(fill)


class Loader:
    """Streams tables into PostgreSQL with COPY, printing rows/s and an ETA per table."""

    def __init__(self, out: Any, batch_rows: int = BATCH_ROWS, quiet: bool = False):
        self.out = out
        self.batch_rows = batch_rows
        self.quiet = quiet
        self.timings: list[tuple[str, int, float]] = []

    def say(self, text: str) -> None:
        if not self.quiet:
            self.out.write(text + "\n")
            self.out.flush()

    def copy(self, table: Table) -> int:
        from psycopg import sql

        columns, fill = copy_columns(table.model, table.fields)
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.model._meta.db_table),
            sql.SQL(", ").join(sql.Identifier(c) for c in columns),
        )
        started = last_report = time.monotonic()
        done = 0
        rows = iter(table.rows())
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor
            exhausted = False
            while not exhausted:
                in_batch = 0
                with cursor.copy(statement) as copy:
                    for row in rows:
                        copy.write_row(row + fill if fill else row)
                        in_batch += 1
                        if in_batch >= self.batch_rows:
                            break
                    else:
                        exhausted = True
                done += in_batch
                now = time.monotonic()
                if now - last_report >= 2 or exhausted:
                    last_report = now
                    self._progress(table, done, now - started, final=exhausted)
        elapsed = time.monotonic() - started
        self.timings.append((table.label, done, elapsed))
        return done

    def _progress(self, table: Table, done: int, elapsed: float, final: bool) -> None:
        rate = done / elapsed if elapsed > 0 else 0.0
        if final:
            self.say(f"  {table.label:<44} {done:>10,} rows in {elapsed:6.1f} s ({rate:,.0f}/s)")
            return
        total = max(table.total, done)
        eta = (total - done) / rate if rate else 0.0
        self.say(
            f"  {table.label:<44} {done:>10,}/{total:,} {100 * done / total:5.1f}%"
            f"  {rate:,.0f} rows/s  ETA {eta:.0f} s"
        )

    def step(self, label: str, work: Callable[[], Any]) -> Any:
        started = time.monotonic()
        result = work()
        elapsed = time.monotonic() - started
        self.timings.append((label, 0, elapsed))
        self.say(f"  {label:<44} {'':>10} done in {elapsed:6.1f} s")
        return result
