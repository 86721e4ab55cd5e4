"""The database around the load: which tables it fills, their indexes and foreign keys,
emptying them, id sequences and checksums.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, models

from bench.national_data.loader import Loader


@dataclass
class Deferred:
    indexes: list[tuple[str, str, str]] = field(default_factory=list)  # table, name, sql
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)  # table, name, def


def drop_indexes_and_foreign_keys(tables: Sequence[str]) -> Deferred:
    """Drop the plain indexes and foreign keys of ``tables``; return how to recreate them."""
    deferred = Deferred()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.relname, i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_class i ON i.oid = x.indexrelid
            WHERE t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace
              AND NOT x.indisprimary AND NOT x.indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            ORDER BY t.relname, i.relname
            """,
            [list(tables)],
        )
        deferred.indexes = [(row[0], row[1], row[2]) for row in cursor.fetchall()]
        cursor.execute(
            """
            SELECT t.relname, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE c.contype = 'f' AND t.relname = ANY(%s)
              AND t.relnamespace = 'public'::regnamespace
            ORDER BY t.relname, c.conname
            """,
            [list(tables)],
        )
        deferred.foreign_keys = [(row[0], row[1], row[2]) for row in cursor.fetchall()]
        qn = connection.ops.quote_name
        for table, name, _definition in deferred.foreign_keys:
            cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
        for _table, name, _definition in deferred.indexes:
            cursor.execute(f"DROP INDEX {qn(name)}")
    return deferred


def flush(tables: Sequence[str]) -> None:
    """Empty ``tables`` with one TRUNCATE, touching nothing else.

    Other tables' foreign keys into them (a forum's own talking points, the audit log ...)
    are dropped around the TRUNCATE and re-added, after checking that no row of theirs
    actually refers to anything: if one does, nothing is emptied and the load stops.
    """
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.relname, c.conname, pg_get_constraintdef(c.oid), a.attname
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_class r ON r.oid = c.confrelid
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND r.relname = ANY(%s) AND NOT t.relname = ANY(%s)
              AND t.relnamespace = 'public'::regnamespace
            ORDER BY t.relname, c.conname
            """,
            [list(tables), list(tables)],
        )
        outside = cursor.fetchall()
        for table, _name, _definition, column in outside:
            cursor.execute(
                f"SELECT EXISTS (SELECT 1 FROM {qn(table)} WHERE {qn(column)} IS NOT NULL)"
            )
            if cursor.fetchone()[0]:
                raise CommandError(
                    f"{table}.{column} refers to rows --flush would delete; empty it first "
                    "or use a fresh database."
                )
        for table, name, _definition, _column in outside:
            cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
        cursor.execute(f"TRUNCATE {', '.join(qn(t) for t in tables)} RESTART IDENTITY")
        for table, name, definition, _column in outside:
            cursor.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")


def recreate_indexes(deferred: Deferred, loader: Loader) -> None:
    """Recreate the dropped indexes; those taking a second or more are reported by name."""
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")
        for _table, name, definition in deferred.indexes:
            one = time.monotonic()
            cursor.execute(definition)
            elapsed = time.monotonic() - one
            if elapsed >= 1:
                loader.timings.append((f"index {name}", 0, elapsed))
                loader.say(f"  {'index ' + name:<44} {'':>10} built in {elapsed:6.1f} s")
    elapsed = time.monotonic() - started
    loader.timings.append((f"{len(deferred.indexes)} indexes rebuilt (all)", 0, elapsed))
    loader.say(f"  {len(deferred.indexes)} indexes rebuilt in {elapsed:.1f} s")


def recreate_foreign_keys(deferred: Deferred, loader: Loader) -> None:
    qn = connection.ops.quote_name

    def add_all() -> None:
        with connection.cursor() as cursor:
            for table, name, definition in deferred.foreign_keys:
                cursor.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")

    loader.step(f"{len(deferred.foreign_keys)} foreign keys, validated", add_all)


def loaded_tables() -> list[str]:
    """The tables ``NationalData.tables()`` fills, for emptiness checks and --flush."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from partnerships import models as p
    from reminders.models import Delivery, DigestPreference
    from talking_points import models as t

    found: list[type[models.Model]] = [
        p.Place,
        p.Organisation,
        p.Organisation.places.through,
        p.User,
        EmailAddress,
        Authenticator,
        p.Membership,
        p.Specialism,
        p.CommissionerProfile,
        p.CommissionerProfile.places.through,
        p.CommissionerProfile.specialisms.through,
        p.Forum,
        p.ForumMembership,
        p.Champion,
        p.Commission,
        p.Commission.providers.through,
        t.Tag,
        t.LearningEntry,
        t.LearningEntry.tags.through,
        t.StoryConsent,
        t.VisibilityChange,
        t.Review,
        t.ReviewRead,
        t.Session,
        t.AgendaItem,
        t.Attendance,
        t.Contribution,
        t.Decision,
        t.Decision.at_the_table.through,
        t.Decision.rests_on.through,
        t.Action,
        Delivery,
        DigestPreference,
    ]
    return [m._meta.db_table for m in found]


def checksum(tables: Sequence[str] | None = None) -> dict[str, str]:
    """An md5 of every loaded table's rows in primary-key order (for determinism checks)."""
    qn = connection.ops.quote_name
    result = {}
    with connection.cursor() as cursor:
        for table in tables or loaded_tables():
            rows = "string_agg(t::text, '|' ORDER BY t.id)"
            cursor.execute(f"SELECT md5(coalesce({rows}, '')) FROM {qn(table)} t")
            result[table] = cursor.fetchone()[0]
    return result


def reset_sequences(tables: Iterable[type[models.Model]]) -> None:
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(tables)):
            cursor.execute(statement)
