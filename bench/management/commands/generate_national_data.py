"""Generate national-scale data from a seed and COPY it into PostgreSQL.

    BENCH=1 DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/hls_national \\
        .venv/bin/python manage.py generate_national_data --seed 1

At ``--scale 1``: 300 places, 10,000 organisations, 50,000 people (1,000 commissioners),
1,000,000 learning entries, 20,000 sessions, 500,000 contributions, 200,000 deliveries.
The same seed, scale and anchor give the same rows, id for id. See bench/national_data/.
"""

from __future__ import annotations

import datetime
import json
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction

from bench import national_data
from bench.national_data import DEFAULT_ANCHOR, Loader, NationalData


class Command(BaseCommand):
    help = "Generate national-scale data deterministically and load it with COPY."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiply every count (0.001 for a tiny run)."
        )
        parser.add_argument(
            "--anchor",
            type=datetime.date.fromisoformat,
            default=DEFAULT_ANCHOR.date(),
            help="The generated 'today' (ISO date, default %(default)s); never the clock.",
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Empty the tables it fills first (refused if other rows refer to them). "
            "Without it, those tables must already be empty.",
        )
        parser.add_argument(
            "--personas-file",
            default=str(Path(settings.BASE_DIR) / "bench" / "personas.json"),
            help="Where to write the benchmark's sign-in emails and pages (JSON); '' for none.",
        )
        parser.add_argument("--batch-rows", type=int, default=national_data.BATCH_ROWS)
        parser.add_argument(
            "--no-vacuum", action="store_true", help="Skip VACUUM ANALYZE after the load."
        )
        parser.add_argument(
            "--checksum", action="store_true", help="Print an md5 of every loaded table."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "generate_national_data needs PostgreSQL (it loads with COPY). "
                "Set DATABASE_URL=postgres://..."
            )
        quiet = options["verbosity"] == 0
        loader = Loader(self.stdout, batch_rows=options["batch_rows"], quiet=quiet)
        anchor = datetime.datetime.combine(options["anchor"], DEFAULT_ANCHOR.timetz())
        tables = national_data.loaded_tables()
        started = time.monotonic()
        outer_transaction = connection.in_atomic_block
        loaded_models: list[type[models.Model]] = []
        with transaction.atomic():
            self._make_room(tables, flush=options["flush"], loader=loader)
            data = NationalData(
                seed=options["seed"],
                scale=options["scale"],
                anchor=anchor,
                talking_points=self._talking_points(),
            )
            loader.say(
                f"Generating seed {options['seed']} at scale {options['scale']:g} "
                f"(anchor {anchor:%Y-%m-%d}): "
                + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in data.counts.items())
            )
            deferred = loader.step(
                "drop plain indexes and foreign keys",
                lambda: national_data.drop_indexes_and_foreign_keys(tables),
            )
            for loading in data.tables():
                loader.copy(loading)
                loaded_models.append(loading.model)
            national_data.recreate_indexes(deferred, loader)
            national_data.recreate_foreign_keys(deferred, loader)
            loader.step("reset id sequences", lambda: national_data.reset_sequences(loaded_models))
            if outer_transaction or options["no_vacuum"]:
                loader.step("ANALYZE", lambda: self._analyze(tables, vacuum=False))
        if not outer_transaction and not options["no_vacuum"]:
            loader.step("VACUUM ANALYZE", lambda: self._analyze(tables, vacuum=True))
        total = time.monotonic() - started
        self._report(loader, total)
        self._write_personas(data, options["personas_file"], quiet)
        if options["checksum"]:
            for table, digest in national_data.checksum(tables).items():
                self.stdout.write(f"  {digest}  {table}")

    def _talking_points(self) -> list[int]:
        from talking_points.models import TalkingPoint

        return list(
            TalkingPoint.objects.filter(forum__isnull=True, parent__isnull=True)
            .order_by("sort_order", "pk")
            .values_list("pk", flat=True)
        )

    def _make_room(self, tables: list[str], *, flush: bool, loader: Loader) -> None:
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            if flush:
                loader.step("TRUNCATE the tables it fills", lambda: national_data.flush(tables))
                return
            busy = []
            for table in tables:
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {qn(table)})")
                if cursor.fetchone()[0]:
                    busy.append(table)
        if busy:
            raise CommandError(
                "These tables already have rows: " + ", ".join(busy) + ". Use an empty "
                "database (createdb; manage.py migrate), or pass --flush to empty them first."
            )

    def _analyze(self, tables: list[str], *, vacuum: bool) -> None:
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"{'VACUUM ' if vacuum else ''}ANALYZE {qn(table)}")

    def _report(self, loader: Loader, total: float) -> None:
        if loader.quiet:
            return
        self.stdout.write("\nWall time per step:")
        for label, rows, seconds in loader.timings:
            count = f"{rows:,} rows" if rows else ""
            self.stdout.write(f"  {seconds:7.1f} s  {label:<44} {count}")
        self.stdout.write(self.style.SUCCESS(f"Loaded in {total:.1f} s ({total / 60:.1f} min)."))

    def _write_personas(self, data: NationalData, path: str, quiet: bool) -> None:
        if not quiet:
            self.stdout.write(
                f"\nSign in (password {national_data.PASSWORD}) as, "
                f"in {data.targets['place_slug']}:"
            )
            for name, email in data.personas.items():
                self.stdout.write(f"  {name:<13} {email}")
        if path:
            target = Path(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(
                json.dumps({"personas": data.personas, "targets": data.targets}, indent=2) + "\n"
            )
            if not quiet:
                self.stdout.write(f"Written to {target}")
