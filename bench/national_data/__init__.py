"""National-scale data, generated deterministically from a seed and loaded with COPY.

Used by ``manage.py generate_national_data`` (with ``BENCH=1``): 300 places, 10,000
organisations, 50,000 people, 1,000,000 learning entries, 20,000 sessions with 500,000
contributions and 200,000 reminder deliveries at ``scale=1``. Every count is multiplied by
``scale``.

How it stays correct and fast:

- Rows are streamed into the real tables with psycopg 3 ``COPY`` in batches. The columns
  come from each model's ``_meta``: a generator names the fields it gives, and every other
  concrete field must have a constant default (used) or be nullable (NULL), otherwise the
  load refuses to start. A new NOT NULL field therefore fails loudly instead of silently.
- Primary keys are given explicitly (the tables must be empty), so foreign keys are known
  without round trips and the same seed gives the same rows, id for id.
- During the load, the loaded tables' foreign keys and plain (non-unique) indexes, the
  learning search GIN index among them, are dropped; afterwards they are recreated from
  their own definitions (``pg_get_indexdef``/``pg_get_constraintdef``), so every foreign key
  is validated once, in bulk. Unique and check constraints stay in force throughout.
- Randomness comes from ``random.Random`` seeded per table with a string, which Python
  hashes the same way in every process, and time from a fixed ``anchor``, not the clock.
"""

from __future__ import annotations

import datetime
import json
import random
import time
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, models
from django.utils.text import slugify

NATIONAL = {
    "places": 300,
    "organisations": 10_000,
    "people": 50_000,
    "commissioners": 1_000,
    "learning_entries": 1_000_000,
    "sessions": 20_000,
    "contributions": 500_000,
    "deliveries": 200_000,
}
# At tiny scales each count is at least this, so every kind of row still exists.
MINIMUM = {
    "places": 3,
    "organisations": 12,
    "people": 60,
    "commissioners": 3,
    "learning_entries": 400,
    "sessions": 16,
    "contributions": 200,
    "deliveries": 100,
}
# Public on purpose: generated people exist only on benchmark machines.
PASSWORD = "hls-national-2026"  # noqa: S105
EMAIL_DOMAIN = "national.hls-forum.localhost"
DEFAULT_ANCHOR = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
LONDON = zoneinfo.ZoneInfo("Europe/London")
BATCH_ROWS = 100_000


def plan(scale: float) -> dict[str, int]:
    """How many of each headline row a run at ``scale`` makes (exactly)."""
    if scale <= 0:
        raise CommandError("--scale must be more than 0.")
    return {name: max(MINIMUM[name], round(count * scale)) for name, count in NATIONAL.items()}


# --- Vocabulary ----------------------------------------------------------------------------

PLACE_STARTS = [
    "Ash",
    "Bar",
    "Bel",
    "Black",
    "Bramp",
    "Brook",
    "Burn",
    "Chel",
    "Clay",
    "Cold",
    "Crow",
    "Dal",
    "Dun",
    "East",
    "Elm",
    "Fair",
    "Fern",
    "Glen",
    "Green",
    "Hal",
    "Hart",
    "Hay",
    "High",
    "Holm",
    "Kings",
    "Lang",
    "Lea",
    "Lin",
    "Long",
    "Mar",
    "Mill",
    "Mor",
    "New",
    "North",
    "Oak",
    "Pen",
    "Queens",
    "Red",
    "Ris",
    "Rother",
    "Salt",
    "Sand",
    "Shep",
    "Stan",
    "Stock",
    "Stone",
    "Sud",
    "Thorn",
    "Wal",
    "West",
    "Whit",
    "Wick",
    "Wil",
    "Wood",
]
PLACE_ENDS = [
    "bury",
    "by",
    "caster",
    "cester",
    "combe",
    "den",
    "don",
    "field",
    "ford",
    "ham",
    "hampton",
    "hurst",
    "ington",
    "ley",
    "mouth",
    "port",
    "stead",
    "stow",
    "thorpe",
    "ton",
    "wich",
    "wick",
    "worth",
]
COUNTIES = [
    "Avonshire",
    "Bedfordshire",
    "Cheshire",
    "Cornwall",
    "Cumbria",
    "Derbyshire",
    "Devon",
    "Dorset",
    "Durham",
    "Essex",
    "Gloucestershire",
    "Hampshire",
    "Herefordshire",
    "Kent",
    "Lancashire",
    "Leicestershire",
    "Lincolnshire",
    "Norfolk",
    "Northumberland",
    "Nottinghamshire",
    "Oxfordshire",
    "Shropshire",
    "Somerset",
    "Staffordshire",
    "Suffolk",
    "Surrey",
    "Sussex",
    "Warwickshire",
    "Wiltshire",
    "Worcestershire",
    "Yorkshire",
]
SECTOR_NOUNS = {
    "vcs": [
        "Food Bank",
        "Carers Network",
        "Youth Trust",
        "Recovery Project",
        "Community Kitchen",
        "Refugee Welcome",
        "Men's Shed",
        "Debt Advice Centre",
        "Tenants' Union",
        "Befriending Service",
        "Women's Centre",
        "Mental Health Peer Support",
        "Credit Union",
        "Homeless Outreach",
        "Disability Forum",
        "Family Hub",
        "Community Garden",
    ],
    "statutory": [
        "Council Adult Social Care",
        "Council Housing Team",
        "Council Public Health",
        "Council Children's Services",
        "Council Communities Team",
    ],
    "health": [
        "Primary Care Network",
        "NHS Community Trust",
        "Mental Health Partnership",
        "Integrated Care Team",
    ],
    "funder": ["Community Foundation", "Charitable Trust", "Lottery Partnership", "Giving Fund"],
    "private": [
        "Social Enterprise Ltd",
        "Employment Services Ltd",
        "Care Homes Ltd",
        "Training CIC",
    ],
    "academic": ["University Research Unit", "College", "Institute for Social Change"],
}
SECTOR_WEIGHTS = {
    "vcs": 55,
    "statutory": 10,
    "health": 9,
    "funder": 8,
    "private": 12,
    "academic": 6,
}
NAME_PREFIXES = [
    "North",
    "South",
    "East",
    "West",
    "Central",
    "Old",
    "New",
    "Upper",
    "Lower",
    "Greater",
]
FIRST_NAMES = [
    "Aisha",
    "Alex",
    "Amir",
    "Ana",
    "Ben",
    "Bola",
    "Carys",
    "Chen",
    "Chloe",
    "Dan",
    "Dev",
    "Eilidh",
    "Ella",
    "Emeka",
    "Fatima",
    "Finn",
    "Grace",
    "Hamza",
    "Hannah",
    "Ibrahim",
    "Imogen",
    "Isla",
    "Jack",
    "Jade",
    "Jamal",
    "Jo",
    "Kai",
    "Kemi",
    "Leah",
    "Liam",
    "Lucy",
    "Maya",
    "Mohammed",
    "Nadia",
    "Niamh",
    "Noah",
    "Olu",
    "Omar",
    "Owen",
    "Priya",
    "Rhys",
    "Rosa",
    "Ruth",
    "Sam",
    "Sana",
    "Sean",
    "Siobhan",
    "Sophie",
    "Tariq",
    "Tom",
    "Uma",
    "Will",
    "Yusuf",
    "Zara",
    "Zoe",
]
LAST_NAMES = [
    "Adeyemi",
    "Ahmed",
    "Ali",
    "Baker",
    "Begum",
    "Brown",
    "Campbell",
    "Chowdhury",
    "Clarke",
    "Davies",
    "Edwards",
    "Evans",
    "Farah",
    "Green",
    "Hall",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Jones",
    "Kaur",
    "Khan",
    "Kowalski",
    "Lewis",
    "Martin",
    "Mensah",
    "Mitchell",
    "Morgan",
    "Murphy",
    "Nowak",
    "Okafor",
    "Owusu",
    "Patel",
    "Price",
    "Roberts",
    "Robinson",
    "Shah",
    "Singh",
    "Smith",
    "Taylor",
    "Thomas",
    "Thompson",
    "Walker",
    "Ward",
    "Watson",
    "White",
    "Williams",
    "Wilson",
    "Wright",
    "Young",
]
SPECIALISMS = [
    "Homelessness",
    "Mental health",
    "Loneliness",
    "Children and families",
    "Older people",
    "Substance use",
    "Domestic abuse",
    "Employment",
    "Food poverty",
    "Disability",
    "Refugees",
    "Youth",
]
TOPICS = [
    "loneliness",
    "housing",
    "debt",
    "recovery",
    "volunteers",
    "trust",
    "funding",
    "referrals",
    "carers",
    "youth",
    "food",
    "poverty",
    "wellbeing",
    "employment",
    "isolation",
    "outreach",
    "training",
    "mentoring",
    "tenancy",
    "advocacy",
    "prevention",
    "safeguarding",
    "transport",
    "digital",
    "inclusion",
    "benefits",
    "families",
    "dementia",
    "neighbourhoods",
    "relationships",
    "reflection",
    "experiment",
    "commissioning",
    "outcomes",
]
SUBJECTS = [
    "peer mentors",
    "the drop-in",
    "our referral route",
    "weekly phone calls",
    "the food club",
    "home visits",
    "the new intake form",
    "shared case reviews",
    "the community fridge",
    "joint training",
    "evening opening",
    "a welcome pack",
    "text reminders",
    "the carers' café",
    "street outreach",
    "a shared caseload meeting",
    "the tenancy course",
]
SENTENCES = [
    "We tried {s} with people who had been waiting for {t} support.",
    "People told us that {s} made them feel less alone.",
    "Attendance dropped when we moved {s} away from the town centre.",
    "The council team joined {s} and referrals about {t} became quicker.",
    "We learned that trust takes longer than the funding cycle allows.",
    "Our volunteers noticed that {t} came up in almost every conversation.",
    "A commissioner asked how {s} changes what happens around {t}.",
    "We stopped counting visits and started asking what mattered to people.",
    "It did not work as we hoped: {s} needed more time than we had.",
    "Working with the health team on {t} meant fewer people fell between services.",
    "We are not sure yet whether {s} helps with {t}; we will look again in three months.",
    "The forum talked about {t} and agreed to share what each of us sees.",
    "Families said {s} was the first time anyone had listened properly.",
    "We ran {s} for six weeks and wrote down what surprised us.",
    "Staff turnover made {t} work harder, so we paired new staff with experienced ones.",
    "Letting people choose the place and time made {s} feel like theirs.",
    "We shared our data on {t} with two other organisations for the first time.",
    "The disappointment was real, but the conversation about {t} was honest.",
]
TITLES = [
    "What {s} taught us about {t}",
    "{S} and {t}: six weeks in",
    "Why {s} did not work (yet)",
    "A breakthrough on {t}",
    "Listening differently about {t}",
    "Trying {s} again",
    "{S}: what people told us",
    "Learning from {t} in our neighbourhood",
]
STATUSES_CLOSED = ("done", "done", "done", "carried")
DECISIONS = [
    "We will run {s} together for three months and review it at the forum.",
    "Referrals about {t} go to one shared inbox from next month.",
    "We pool a small budget for {s} and report back in the spring.",
    "We stop {s} and write up what we learned.",
    "We invite people who use services to the next session on {t}.",
]
ACTIONS = [
    "Write up the notes on {t} and share them with the forum.",
    "Ask the council team about data on {t}.",
    "Set up a trial of {s}.",
    "Invite the health team to the next session.",
    "Draft the joint bid for {s}.",
]


def fields(names: str) -> tuple[str, ...]:
    """The attnames a table's rows give, in order: ``fields("id name slug")``."""
    return tuple(names.split())


def _text(rng: random.Random, template: str) -> str:
    subject = rng.choice(SUBJECTS)
    return template.format(s=subject, S=subject[:1].upper() + subject[1:], t=rng.choice(TOPICS))


# --- COPY loader ---------------------------------------------------------------------------


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


# --- Indexes and foreign keys around the load ---------------------------------------------


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


# --- The generator -------------------------------------------------------------------------


def _cumulative(weights: Sequence[float]) -> list[float]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _split(total: int, parts: int, rng: random.Random, low: float = 0.5) -> list[int]:
    """``total`` split into ``parts`` uneven whole numbers that add up exactly."""
    if parts == 0:
        return []
    weights = [low + rng.random() for _ in range(parts)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % parts] += 1
    return counts


class NationalData:
    """Plans and streams every table. Call ``tables()`` once, in order."""

    def __init__(
        self, *, seed: int, scale: float, anchor: datetime.datetime, talking_points: list[int]
    ):
        if not talking_points:
            raise CommandError("The report's talking points are missing: run migrate first.")
        self.seed = seed
        self.scale = scale
        self.anchor = anchor
        self.talking_points = talking_points
        self.counts = plan(scale)
        self.password = make_password(PASSWORD, salt=f"national{seed:08d}")
        self.personas: dict[str, str] = {}
        self.targets: dict[str, Any] = {}

    def rng(self, name: str) -> random.Random:
        return random.Random(f"hls-national:{self.seed}:{name}")

    # -- who and where ------------------------------------------------------------------

    def _plan_people_and_places(self) -> None:
        from partnerships.models import Sector

        rng = self.rng("places")
        n_places = self.counts["places"]
        combos = [a + b for a in PLACE_STARTS for b in PLACE_ENDS]
        rng.shuffle(combos)
        self.place_names = [
            combos[i % len(combos)] + ("" if i < len(combos) else f" {i // len(combos) + 1}")
            for i in range(n_places)
        ]
        self.place_ids = list(range(1, n_places + 1))
        # A national skew: a few big cities, a long tail of small towns. Place 1 is biggest.
        self.place_weights = [1 / (i + 20) for i in range(n_places)]
        self.place_cum = _cumulative(self.place_weights)
        self.place_slugs = [
            f"{slugify(name)}-{pid}"
            for pid, name in zip(self.place_ids, self.place_names, strict=True)
        ]

        # Organisations: the first ones make sure every place has a few.
        n_orgs = self.counts["organisations"]
        sectors = list(SECTOR_WEIGHTS)
        sector_cum = _cumulative(list(SECTOR_WEIGHTS.values()))
        self.org_sector: list[str] = [""]
        self.org_name: list[str] = [""]
        self.org_places: list[list[int]] = [[]]
        self.orgs_by_place: dict[int, list[int]] = {pid: [] for pid in self.place_ids}
        seen: set[str] = set()
        for org in range(1, n_orgs + 1):
            if org <= n_places:
                primary = org
                sector = Sector.VCS.value if org % 2 else Sector.STATUTORY.value
            else:
                primary = rng.choices(self.place_ids, cum_weights=self.place_cum)[0]
                sector = rng.choices(sectors, cum_weights=sector_cum)[0]
            if org <= 2 * n_places and org > n_places:
                primary = org - n_places
                sector = Sector.FUNDER.value if org % 2 else Sector.HEALTH.value
            places = [primary]
            for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
                other = rng.choice(self.place_ids)
                if other not in places:
                    places.append(other)
            base = f"{self.place_names[primary - 1]} {rng.choice(SECTOR_NOUNS[sector])}"
            name = base
            attempt = 0
            while name in seen:
                prefix = NAME_PREFIXES[attempt % len(NAME_PREFIXES)]
                name = f"{prefix} {base}" + (
                    f" {attempt // len(NAME_PREFIXES) + 2}" if attempt >= len(NAME_PREFIXES) else ""
                )
                attempt += 1
            seen.add(name)
            self.org_sector.append(sector)
            self.org_name.append(name)
            self.org_places.append(places)
            for place in places:
                self.orgs_by_place[place].append(org)

        # People: one lead per organisation first, then everyone else, commissioners last.
        n_people = self.counts["people"]
        n_commissioners = min(self.counts["commissioners"], n_people - n_orgs - 2)
        if n_commissioners < 1:
            raise CommandError("Too few people for the organisations at this scale.")
        self.user_name = [""]
        self.user_email = [""]
        self.user_org = [0]  # primary organisation
        self.user_role = [""]
        self.memberships: list[tuple[int, int, str, bool]] = []  # user, org, role, is_admin
        self.org_members: list[list[int]] = [[] for _ in range(n_orgs + 1)]
        org_weights = [0.0] + [
            self.place_weights[self.org_places[o][0] - 1] * (0.3 + rng.random())
            for o in range(1, n_orgs + 1)
        ]
        org_ids = list(range(1, n_orgs + 1))
        org_cum = _cumulative(org_weights[1:])
        first_commissioner = n_people - n_commissioners + 1
        self.commissioner_users = list(range(first_commissioner, n_people + 1))
        funders = [o for o in org_ids if self.org_sector[o] in ("statutory", "funder", "health")]
        for user in range(1, n_people + 1):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            self.user_name.append(f"{first} {last}")
            self.user_email.append(f"{first}.{last}.{user}@{EMAIL_DOMAIN}".lower().replace("'", ""))
            if user <= n_orgs:
                org, role, admin = user, "lead", True
            elif user >= first_commissioner:
                org, role, admin = rng.choice(funders), "staff", False
            else:
                org = rng.choices(org_ids, cum_weights=org_cum)[0]
                role = rng.choices(("staff", "volunteer", "lead"), weights=(70, 25, 5))[0]
                admin = role == "lead" and rng.random() < 0.5
            self.user_org.append(org)
            self.user_role.append(role)
            self.memberships.append((user, org, role, admin))
            self.org_members[org].append(user)
            if user < first_commissioner and rng.random() < 0.08:
                # Some people work for a second organisation in the same place.
                neighbours = self.orgs_by_place[self.org_places[org][0]]
                second = rng.choice(neighbours)
                if second != org:
                    self.memberships.append((user, second, "volunteer", False))
                    self.org_members[second].append(user)
        self.staff_user = n_orgs + 1  # an ordinary member who is also site staff

        # Commissioners cover 1-3 places; every place is covered when there are enough.
        self.commissioner_places: dict[int, list[int]] = {}
        self.commissioners_by_place: dict[int, list[int]] = {pid: [] for pid in self.place_ids}
        for i, user in enumerate(self.commissioner_users):
            places = [self.place_ids[i % n_places]]
            for _ in range(rng.choice((0, 1, 1, 2))):
                other = rng.choices(self.place_ids, cum_weights=self.place_cum)[0]
                if other not in places:
                    places.append(other)
            self.commissioner_places[user] = places
            for place in places:
                self.commissioners_by_place[place].append(user)

        # Forums: one per place, a second for the biggest fifth.
        self.forums: list[tuple[int, int, str]] = []  # id, place, name
        for pid in self.place_ids:
            self.forums.append(
                (len(self.forums) + 1, pid, f"{self.place_names[pid - 1]} Alliance Forum")
            )
        for pid in self.place_ids[: max(1, n_places // 5)]:
            self.forums.append(
                (len(self.forums) + 1, pid, f"{self.place_names[pid - 1]} Neighbourhood Forum")
            )
        forums_by_place: dict[int, list[int]] = {pid: [] for pid in self.place_ids}
        for fid, pid, _name in self.forums:
            forums_by_place[pid].append(fid)
        self.forum_weekday = {fid: rng.randrange(5) for fid, _p, _n in self.forums}
        self.forum_hour = {fid: rng.choice((9, 10, 10, 14, 18)) for fid, _p, _n in self.forums}

        # Forum members: most people join a forum of their organisation's place.
        rng_f = self.rng("forum-members")
        self.forum_members: dict[int, list[int]] = {fid: [] for fid, _p, _n in self.forums}
        self.forum_membership_rows: list[tuple[int, int, str, bool]] = []
        member_sets: dict[int, set[int]] = {fid: set() for fid in self.forum_members}
        for user in range(1, n_people + 1):
            if user >= first_commissioner:
                places = self.commissioner_places[user]
                chance = 0.3
            else:
                places = self.org_places[self.user_org[user]]
                chance = 0.75 if user <= n_orgs else 0.55
            if rng_f.random() >= chance:
                continue
            joined = [rng_f.choice(forums_by_place[places[0]])]
            if rng_f.random() < 0.15:
                joined.append(rng_f.choice(forums_by_place[rng_f.choice(places)]))
            for fid in joined:
                if user not in member_sets[fid]:
                    member_sets[fid].add(user)
                    self.forum_members[fid].append(user)
        # Two facilitators per forum (leads first), everyone else a participant.
        self.facilitators: dict[int, list[int]] = {}
        for fid, pid, _name in self.forums:
            members = self.forum_members[fid]
            if len(members) < 3:
                extra = [
                    u
                    for u in self.org_members[self.orgs_by_place[pid][0]]
                    if u not in member_sets[fid]
                ]
                for u in extra[: 3 - len(members)]:
                    member_sets[fid].add(u)
                    members.append(u)
            leads = [u for u in members if u <= n_orgs and u < first_commissioner]
            chosen = (leads or members)[:2]
            self.facilitators[fid] = chosen
            for user in members:
                role = "facilitator" if user in chosen else "participant"
                self.forum_membership_rows.append((fid, user, role, rng_f.random() < 0.9))

    def _places(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("place-rows")
        levels = ("high", "medium", "low")
        for pid, name, slug in zip(self.place_ids, self.place_names, self.place_slugs, strict=True):
            yield (
                pid,
                name,
                slug,
                COUNTIES[(pid * 7) % len(COUNTIES)],
                levels[rng.randrange(3)],
                f"In {name}, partners meet weekly to learn about {rng.choice(TOPICS)}.",
                "Europe/London",
            )

    def _organisations(self) -> Iterator[tuple[Any, ...]]:
        for org in range(1, len(self.org_name)):
            name = self.org_name[org]
            yield (
                org,
                name,
                f"{slugify(name)}-{org}",
                self.org_sector[org],
                f"We bring local knowledge of {TOPICS[org % len(TOPICS)]}.",
                "",
                "",
            )

    def _organisation_places(self) -> Iterator[tuple[Any, ...]]:
        row = 0
        for org in range(1, len(self.org_places)):
            for place in self.org_places[org]:
                row += 1
                yield (row, org, place)

    def _users(self) -> Iterator[tuple[Any, ...]]:
        start = self.anchor - datetime.timedelta(days=5 * 365)
        span = 5 * 365 * 86400
        n = len(self.user_name) - 1
        for user in range(1, n + 1):
            joined = start + datetime.timedelta(seconds=span * user // (n + 1))
            staff = user == self.staff_user
            yield (
                user,
                self.password,
                None,
                False,
                self.user_email[user],
                self.user_name[user],
                staff,
                True,
                joined,
            )

    def _email_addresses(self) -> Iterator[tuple[Any, ...]]:
        for user in range(1, len(self.user_email)):
            yield (user, user, self.user_email[user], True, True)

    def _authenticators(self) -> Iterator[tuple[Any, ...]]:
        """A TOTP authenticator for commissioners and staff: they must use two-step sign-in."""
        rng = self.rng("totp")
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
        for row, user in enumerate([self.staff_user, *self.commissioner_users], start=1):
            secret = "".join(rng.choice(alphabet) for _ in range(32))
            yield (row, user, "totp", json.dumps({"secret": secret}), self.anchor, None)

    def _memberships(self) -> Iterator[tuple[Any, ...]]:
        start = self.anchor - datetime.timedelta(days=4 * 365)
        for row, (user, org, role, admin) in enumerate(self.memberships, start=1):
            yield (row, user, org, role, admin, start + datetime.timedelta(minutes=row))

    def _specialisms(self) -> Iterator[tuple[Any, ...]]:
        for i, name in enumerate(SPECIALISMS, start=1):
            yield (i, name, slugify(name))

    def _commissioners(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("commissioner-rows")
        for row, user in enumerate(self.commissioner_users, start=1):
            yield (
                row,
                user,
                self.user_org[user],
                rng.choice(("Commissioning Manager", "Head of Commissioning", "Grants Officer")),
                self.user_email[user],
                "",
                "Weekdays, 9 to 5",
                f"I fund work on {rng.choice(TOPICS)} and {rng.choice(TOPICS)}.",
            )

    def _commissioner_places(self) -> Iterator[tuple[Any, ...]]:
        row = 0
        for i, user in enumerate(self.commissioner_users, start=1):
            for place in self.commissioner_places[user]:
                row += 1
                yield (row, i, place)

    def _commissioner_specialisms(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("commissioner-specialisms")
        row = 0
        for i in range(1, len(self.commissioner_users) + 1):
            for spec in sorted(rng.sample(range(1, len(SPECIALISMS) + 1), rng.randint(1, 3))):
                row += 1
                yield (row, i, spec)

    def _forums(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("forum-rows")
        for fid, pid, name in self.forums:
            online = rng.random() < 0.4
            yield (
                fid,
                pid,
                name,
                f"{slugify(name)}-{fid}",
                f"A weekly space for partners in {self.place_names[pid - 1]} to learn together.",
                self.forum_weekday[fid],
                datetime.time(self.forum_hour[fid], 0),
                90,
                f"{self.place_names[pid - 1]} Community Centre",
                f"https://meet.example.org/{fid}" if online else "",
                "open" if rng.random() < 0.8 else "invite",
                1,
                9,
                self.anchor - datetime.timedelta(days=3 * 365),
            )

    def _forum_memberships(self) -> Iterator[tuple[Any, ...]]:
        start = self.anchor - datetime.timedelta(days=3 * 365)
        for row, (fid, user, role, reminders) in enumerate(self.forum_membership_rows, start=1):
            yield (row, fid, user, role, reminders, start + datetime.timedelta(minutes=row))

    def _champions(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("champions")
        row = 0
        for pid in self.place_ids:
            members = [u for o in self.orgs_by_place[pid][:4] for u in self.org_members[o][:2]]
            for user in sorted(set(members))[:2]:
                row += 1
                yield (
                    row,
                    pid,
                    user,
                    f"Happy to talk about {rng.choice(TOPICS)} and how we started.",
                    self.anchor - datetime.timedelta(days=200),
                )

    def _commissions(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("commissions")
        self.commission_providers: list[tuple[int, int, int]] = []
        row = 0
        for i, user in enumerate(self.commissioner_users, start=1):
            for place in self.commissioner_places[user][: rng.choice((1, 1, 2))]:
                row += 1
                starts = (self.anchor - datetime.timedelta(days=rng.randint(30, 900))).date()
                subject = rng.choice(SUBJECTS)
                for org in sorted(
                    set(
                        rng.sample(
                            self.orgs_by_place[place], min(2, len(self.orgs_by_place[place]))
                        )
                    )
                ):
                    self.commission_providers.append((len(self.commission_providers) + 1, row, org))
                yield (
                    row,
                    place,
                    i,
                    f"{subject[:1].upper()}{subject[1:]} in {self.place_names[place - 1]}",
                    f"Because people told us {rng.choice(TOPICS)} matters most.",
                    f"{rng.randint(5, 400) * 1000}.00",
                    starts,
                    starts + datetime.timedelta(days=365 * rng.randint(1, 3)),
                    "Agreed with partners at the forum.",
                    rng.random() < 0.6,
                    rng.random() < 0.7,
                    "",
                    rng.random() < 0.9,
                    self.anchor - datetime.timedelta(days=10),
                    self.anchor - datetime.timedelta(days=10),
                )

    # -- learning -----------------------------------------------------------------------

    def _tags(self) -> Iterator[tuple[Any, ...]]:
        n = max(20, round(300 * min(1.0, self.scale * 10)))
        self.n_tags = n
        for i in range(1, n + 1):
            base = TOPICS[(i - 1) % len(TOPICS)]
            name = (
                base
                if i <= len(TOPICS)
                else f"{base} {SUBJECTS[(i - 1) // len(TOPICS) % len(SUBJECTS)]}"[:40]
            )
            yield (i, name, f"{slugify(name)}-{i}")

    def _learning_entries(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("learning")
        n = self.counts["learning_entries"]
        kinds = ("reflection", "experiment", "breakthrough", "disappointment", "story")
        kind_cum = _cumulative((30, 25, 15, 15, 15))
        visibilities = ("organisation", "commissioners", "place", "public")
        vis_cum = _cumulative((40, 18, 30, 12))
        start = self.anchor - datetime.timedelta(days=5 * 365)
        span = 5 * 365 * 86400
        self.consents: list[tuple[int, str, int, datetime.datetime, bool]] = []
        self.reviewed: list[tuple[int, int, int, datetime.datetime]] = []  # entry, place, author
        self.visibility_changes: list[tuple[int, str, int | None, datetime.datetime]] = []
        self.shared_by_place: dict[int, list[int]] = {pid: [] for pid in self.place_ids}
        self.entry_counts: dict[str, int] = {}
        statuses = ("planned", "running", "finished")
        for entry in range(1, n + 1):
            place = rng.choices(self.place_ids, cum_weights=self.place_cum)[0]
            org = rng.choice(self.orgs_by_place[place])
            members = self.org_members[org]
            author = rng.choice(members) if members and rng.random() < 0.97 else None
            kind = rng.choices(kinds, cum_weights=kind_cum)[0]
            visibility = rng.choices(visibilities, cum_weights=vis_cum)[0]
            created = start + datetime.timedelta(
                seconds=span * entry // (n + 1) + rng.randrange(3600)
            )
            if kind == "story":
                if visibility != "organisation":
                    widest = visibilities[rng.randint(visibilities.index(visibility), 3)]
                    self.consents.append((entry, widest, author or 0, created, False))
                elif rng.random() < 0.4:
                    withdrawn = rng.random() < 0.25
                    widest = rng.choice(visibilities[1:])
                    self.consents.append((entry, widest, author or 0, created, withdrawn))
            if visibility != "organisation":
                if visibility in ("place", "public"):
                    self.shared_by_place[place].append(entry)
                if rng.random() < 0.05 and self.commissioners_by_place[place]:
                    self.reviewed.append((entry, place, author or 0, created))
                if rng.random() < 0.05:
                    self.visibility_changes.append((entry, visibility, author, created))
            self.entry_counts[f"{kind}/{visibility}"] = (
                self.entry_counts.get(f"{kind}/{visibility}", 0) + 1
            )
            title = _text(rng, rng.choice(TITLES))
            body = " ".join(_text(rng, rng.choice(SENTENCES)) for _ in range(rng.randint(2, 4)))
            if kind == "experiment":
                tried = _text(rng, rng.choice(SENTENCES))
                happened = _text(rng, rng.choice(SENTENCES))
                learned = _text(rng, rng.choice(SENTENCES))
                next_steps = _text(rng, rng.choice(SENTENCES)) if rng.random() < 0.7 else ""
                status = rng.choice(statuses)
                review = (
                    (created + datetime.timedelta(days=90)).date() if status != "finished" else None
                )
            else:
                tried = happened = learned = next_steps = status = ""
                review = None
            yield (
                entry,
                place,
                org,
                author,
                kind,
                title,
                body,
                tried,
                happened,
                learned,
                next_steps,
                status,
                review,
                visibility,
                created,
                created,
            )

    def _entry_tags(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("entry-tags")
        tag_ids = list(range(1, self.n_tags + 1))
        tag_cum = _cumulative([1 / (i + 3) for i in range(self.n_tags)])
        row = 0
        for entry in range(1, self.counts["learning_entries"] + 1):
            count = rng.choices((0, 1, 2, 3), weights=(15, 40, 30, 15))[0]
            chosen = sorted(set(rng.choices(tag_ids, cum_weights=tag_cum, k=count)))
            for tag in chosen:
                row += 1
                yield (row, entry, tag)

    def _story_consents(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("consents")
        for row, (entry, widest, recorder, created, withdrawn) in enumerate(self.consents, start=1):
            yield (
                row,
                entry,
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)[0]}.",
                rng.choice(("verbal", "written")),
                created.date(),
                self.user_name[recorder] if recorder else "A worker",
                widest,
                recorder or None,
                created,
                created + datetime.timedelta(days=30) if withdrawn else None,
                (recorder or None) if withdrawn else None,
            )

    def _visibility_changes(self) -> Iterator[tuple[Any, ...]]:
        for row, (entry, to, by, created) in enumerate(self.visibility_changes, start=1):
            yield (row, entry, by, created + datetime.timedelta(hours=2), "organisation", to, "")

    def _reviews(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("reviews")
        self.review_reads: list[tuple[int, int, datetime.datetime]] = []
        row = 0
        for entry, place, author, created in self.reviewed:
            commissioner = rng.choice(self.commissioners_by_place[place])
            kind = rng.choice(("acknowledge", "acknowledge", "question", "support"))
            at = created + datetime.timedelta(days=rng.randint(1, 20))
            row += 1
            response = row
            text = "" if kind == "acknowledge" else _text(rng, "Could you tell us more about {t}?")
            yield (row, entry, None, commissioner, kind, text, at, at)
            self.review_reads.append((entry, commissioner, at))
            if kind != "acknowledge" and author and rng.random() < 0.5:
                row += 1
                later = at + datetime.timedelta(days=2)
                yield (
                    row,
                    entry,
                    response,
                    author,
                    "reply",
                    _text(rng, "Yes: {s} is going well."),
                    later,
                    later,
                )

    def _review_reads(self) -> Iterator[tuple[Any, ...]]:
        for row, (entry, user, at) in enumerate(self.review_reads, start=1):
            yield (row, entry, user, at)

    # -- sessions -----------------------------------------------------------------------

    def _plan_sessions(self) -> None:
        rng = self.rng("sessions")
        per_forum = _split(self.counts["sessions"], len(self.forums), rng, low=0.8)
        self.sessions: list[tuple[Any, ...]] = []
        self.agenda: list[tuple[Any, ...]] = []
        self.attendance: list[tuple[Any, ...]] = []
        self.held: list[
            tuple[int, int, int, datetime.datetime, list[int], list[tuple[int, int]]]
        ] = []
        self.live_sessions: list[tuple[int, int]] = []  # session, forum
        points = self.talking_points
        for (fid, pid, _name), count in zip(self.forums, per_forum, strict=True):
            facilitator = self.facilitators[fid][0]
            members = self.forum_members[fid]
            weekday, hour = self.forum_weekday[fid], self.forum_hour[fid]
            local_anchor = self.anchor.astimezone(LONDON)
            days = (weekday - local_anchor.weekday()) % 7 or 7
            next_date = local_anchor.date() + datetime.timedelta(days=days)
            planned = min(2, count)
            live = 1 if count - planned >= 1 and (fid % 4 == 1) else 0
            closed = count - planned - live
            for k in range(count):
                sid = len(self.sessions) + 1
                if k < closed:
                    status = "closed"
                    day = next_date - datetime.timedelta(days=7 * (closed - k))
                    starts = datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)
                elif k < closed + live:
                    status = "live"
                    starts = self.anchor - datetime.timedelta(minutes=25)
                else:
                    status = "planned"
                    day = next_date + datetime.timedelta(days=7 * (k - closed - live))
                    starts = datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)
                n_items = rng.randint(3, 5)
                items = []
                current = None
                for position in range(n_items):
                    aid = len(self.agenda) + 1
                    if status == "closed":
                        item_status = rng.choice(STATUSES_CLOSED)
                    elif status == "live":
                        item_status = (
                            "done" if position == 0 else "current" if position == 1 else "pending"
                        )
                    else:
                        item_status = "pending"
                    started = (
                        starts + datetime.timedelta(minutes=20 * position)
                        if item_status != "pending"
                        else None
                    )
                    ended = (
                        started + datetime.timedelta(minutes=20)
                        if item_status in ("done", "carried") and started
                        else None
                    )
                    if item_status == "current":
                        current = aid
                    self.agenda.append(
                        (
                            aid,
                            sid,
                            points[(sid + position) % len(points)],
                            position,
                            rng.choice((10, 15, 20, 30)),
                            item_status,
                            started,
                            ended,
                            None,
                        )
                    )
                    if item_status != "pending":
                        items.append(aid)
                attendees: list[tuple[int, int]] = []
                if status != "planned" and members:
                    chosen = {
                        facilitator,
                        *rng.sample(members, min(len(members), rng.randint(4, 12))),
                    }
                    for user in sorted(chosen):
                        att = len(self.attendance) + 1
                        org = self.user_org[user]
                        late = rng.random() < 0.1
                        self.attendance.append(
                            (
                                att,
                                sid,
                                user,
                                self.user_name[user],
                                org,
                                self.org_name[org],
                                self.org_sector[org],
                                starts + datetime.timedelta(minutes=12 if late else -3),
                                late,
                                starts + datetime.timedelta(hours=3)
                                if status == "closed"
                                else None,
                            )
                        )
                        attendees.append((att, user))
                    self.held.append((sid, fid, pid, starts, items, attendees))
                if status == "live":
                    self.live_sessions.append((sid, fid))
                summary = (
                    rng.choices(("members", "place", "public"), weights=(40, 35, 25))[0]
                    if status == "closed"
                    else "members"
                )
                self.sessions.append(
                    (
                        sid,
                        fid,
                        starts,
                        status,
                        f"{self.place_names[pid - 1]} Community Centre",
                        "",
                        starts - datetime.timedelta(days=7),
                        facilitator,
                        starts if status != "planned" else None,
                        starts + datetime.timedelta(minutes=90) if status == "closed" else None,
                        current,
                        rng.randint(1, 60) if status != "planned" else 0,
                        False,
                        None,
                        summary,
                        starts + datetime.timedelta(hours=2)
                        if status == "closed" and summary != "members"
                        else None,
                    )
                )

    def _contributions(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("contributions")
        held = [h for h in self.held if h[4] and h[5]]
        per_session = _split(self.counts["contributions"], len(held), rng)
        row = 0
        for (sid, fid, _pid, starts, items, attendees), count in zip(
            held, per_session, strict=True
        ):
            for i in range(count):
                row += 1
                item = items[i * len(items) // count]
                at = starts + datetime.timedelta(seconds=20 + i * 5400 // count)
                text = _text(rng, rng.choice(SENTENCES))
                hidden = rng.random() < 0.004
                if rng.random() < 0.08:
                    yield (
                        row,
                        sid,
                        item,
                        text,
                        True,
                        None,
                        "",
                        None,
                        "",
                        "",
                        at,
                        at + datetime.timedelta(minutes=5) if hidden else None,
                        "Named someone who was not there." if hidden else "",
                        self.facilitators[fid][0] if hidden else None,
                    )
                    continue
                _att, user = rng.choice(attendees)
                org = self.user_org[user]
                yield (
                    row,
                    sid,
                    item,
                    text,
                    False,
                    user,
                    self.user_name[user],
                    org,
                    self.org_name[org],
                    self.org_sector[org],
                    at,
                    at + datetime.timedelta(minutes=5) if hidden else None,
                    "Named someone who was not there." if hidden else "",
                    self.facilitators[fid][0] if hidden else None,
                )

    def _decisions(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("decisions")
        self.decision_table: list[tuple[int, int]] = []  # decision, attendance
        self.decision_entries: list[tuple[int, int]] = []
        self.actions: list[tuple[Any, ...]] = []
        row = 0
        for sid, fid, pid, starts, items, attendees in self.held:
            if not items or not attendees:
                continue
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                row += 1
                at = starts + datetime.timedelta(minutes=80)
                for att, _user in attendees[:6]:
                    self.decision_table.append((row, att))
                shared = self.shared_by_place[pid]
                if shared and rng.random() < 0.25:
                    for entry in sorted(set(rng.sample(shared, min(2, len(shared))))):
                        self.decision_entries.append((row, entry))
                yield (
                    row,
                    sid,
                    rng.choice(items),
                    _text(rng, rng.choice(DECISIONS)),
                    f"Because what we learned about {rng.choice(TOPICS)} pointed that way.",
                    self.facilitators[fid][0],
                    at,
                )
                for _ in range(rng.choice((0, 1, 2))):
                    _att, owner = rng.choice(attendees)
                    due = (starts + datetime.timedelta(days=rng.randint(7, 60))).date()
                    done = rng.random() < 0.6
                    self.actions.append(
                        (
                            len(self.actions) + 1,
                            sid,
                            row,
                            _text(rng, rng.choice(ACTIONS)),
                            owner,
                            self.user_name[owner],
                            due,
                            "done" if done else "open",
                            self.facilitators[fid][0],
                            at,
                            at + datetime.timedelta(days=5) if done else None,
                            owner if done else None,
                        )
                    )

    def _deliveries(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng("deliveries")
        total = self.counts["deliveries"]
        n_reminders = total * 4 // 5
        subscribed = [(fid, user) for fid, user, _role, on in self.forum_membership_rows if on]
        statuses = ("sent", "failed", "skipped", "unknown", "pending")
        status_cum = _cumulative((94, 2, 3, 0.5, 0.5))
        n_people = len(self.user_name) - 1
        self.digest_users: list[int] = []
        for row in range(1, total + 1):
            status = rng.choices(statuses, cum_weights=status_cum)[0]
            if row <= n_reminders:
                fid, user = subscribed[(row - 1) % len(subscribed)]
                week = (row - 1) // len(subscribed) + 1
                local = self.anchor.astimezone(LONDON).date()
                day = local - datetime.timedelta(
                    days=7 * week + (local.weekday() - self.forum_weekday[fid]) % 7
                )
                occasion = datetime.datetime.combine(
                    day, datetime.time(self.forum_hour[fid]), tzinfo=LONDON
                )
                kind, forum = "reminder", fid
                due = occasion - datetime.timedelta(days=1)
            else:
                i = row - n_reminders - 1
                user = i % n_people + 1
                if i < n_people:
                    self.digest_users.append(user)
                day = self.anchor.date() - datetime.timedelta(days=7 * (i // n_people + 1))
                occasion = datetime.datetime.combine(day, datetime.time(8), tzinfo=LONDON)
                kind, forum, due = "digest", None, occasion
            sent = due + datetime.timedelta(minutes=1) if status == "sent" else None
            yield (
                row,
                kind,
                forum,
                user,
                day,
                occasion,
                status,
                1 if status in ("sent", "skipped") else 3 if status == "failed" else 0,
                "Mailbox unavailable (550)"
                if status == "failed"
                else "Reminders are off"
                if status == "skipped"
                else "",
                due - datetime.timedelta(minutes=5),
                due if status != "pending" else None,
                due if status in ("sent", "failed", "unknown") else None,
                sent,
            )

    def _digest_preferences(self) -> Iterator[tuple[Any, ...]]:
        for row, user in enumerate(sorted(self.digest_users), start=1):
            yield (row, user, "weekly", user % 5, self.anchor)

    # -- the list of tables, in load order -------------------------------------------------

    def tables(self) -> Iterator[Table]:
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator

        from partnerships import models as p
        from reminders.models import Delivery, DigestPreference
        from talking_points import models as t

        self._plan_people_and_places()
        c = self.counts
        yield Table(
            p.Place,
            ("id", "name", "slug", "county", "engagement_level", "current_practice", "time_zone"),
            self._places,
            c["places"],
        )
        yield Table(
            p.Organisation,
            ("id", "name", "slug", "sector", "distinctive_contribution", "local_assets", "website"),
            self._organisations,
            c["organisations"],
        )
        yield Table(
            p.Organisation.places.through,
            ("id", "organisation_id", "place_id"),
            self._organisation_places,
            sum(map(len, self.org_places)),
        )
        yield Table(
            p.User,
            fields(
                "id password last_login is_superuser email full_name is_staff is_active date_joined"
            ),
            self._users,
            c["people"],
        )
        yield Table(
            EmailAddress,
            ("id", "user_id", "email", "verified", "primary"),
            self._email_addresses,
            c["people"],
        )
        yield Table(
            Authenticator,
            ("id", "user_id", "type", "data", "created_at", "last_used_at"),
            self._authenticators,
            len(self.commissioner_users) + 1,
        )
        yield Table(
            p.Membership,
            ("id", "user_id", "organisation_id", "role", "is_admin", "joined_at"),
            self._memberships,
            len(self.memberships),
        )
        yield Table(p.Specialism, ("id", "name", "slug"), self._specialisms, len(SPECIALISMS))
        yield Table(
            p.CommissionerProfile,
            fields(
                "id user_id organisation_id job_title public_email public_phone availability about"
            ),
            self._commissioners,
            len(self.commissioner_users),
        )
        yield Table(
            p.CommissionerProfile.places.through,
            ("id", "commissionerprofile_id", "place_id"),
            self._commissioner_places,
            len(self.commissioner_users),
        )
        yield Table(
            p.CommissionerProfile.specialisms.through,
            ("id", "commissionerprofile_id", "specialism_id"),
            self._commissioner_specialisms,
            2 * len(self.commissioner_users),
        )
        yield Table(
            p.Forum,
            fields(
                "id place_id name slug purpose weekday start_time "
                "duration_minutes venue online_link access "
                "reminder_days_before reminder_hour created_at"
            ),
            self._forums,
            len(self.forums),
        )
        yield Table(
            p.ForumMembership,
            ("id", "forum_id", "user_id", "role", "reminders_enabled", "joined_at"),
            self._forum_memberships,
            len(self.forum_membership_rows),
        )
        yield Table(
            p.Champion,
            ("id", "place_id", "user_id", "can_help_with", "created_at"),
            self._champions,
            2 * c["places"],
        )
        yield Table(
            p.Commission,
            fields(
                "id place_id commissioner_id title why budget starts_on "
                "ends_on outcomes_agreed designed_with_people_using_services "
                "designed_with_vcs design_participants is_public created_at "
                "updated_at"
            ),
            self._commissions,
            len(self.commissioner_users),
        )
        yield Table(
            p.Commission.providers.through,
            ("id", "commission_id", "organisation_id"),
            lambda: iter(self.commission_providers),
            len(self.commissioner_users) * 2,
        )

        yield Table(t.Tag, ("id", "name", "slug"), self._tags, 300)
        yield Table(
            t.LearningEntry,
            fields(
                "id place_id organisation_id author_id kind title body tried "
                "happened learned next_steps experiment_status review_date "
                "visibility created_at updated_at"
            ),
            self._learning_entries,
            c["learning_entries"],
        )
        yield Table(
            t.LearningEntry.tags.through,
            ("id", "learningentry_id", "tag_id"),
            self._entry_tags,
            round(c["learning_entries"] * 1.45),
        )
        yield Table(
            t.StoryConsent,
            fields(
                "id entry_id given_by method given_on obtained_by "
                "widest_visibility recorded_by_id recorded_at withdrawn_at "
                "withdrawn_recorded_by_id"
            ),
            self._story_consents,
            len(self.consents),
        )
        yield Table(
            t.VisibilityChange,
            fields("id entry_id changed_by_id changed_at from_visibility to_visibility reason"),
            self._visibility_changes,
            len(self.visibility_changes),
        )
        yield Table(
            t.Review,
            fields("id entry_id in_reply_to_id author_id kind text created_at notified_at"),
            self._reviews,
            round(len(self.reviewed) * 1.25),
        )
        yield Table(
            t.ReviewRead,
            ("id", "entry_id", "user_id", "read_at"),
            self._review_reads,
            len(self.reviewed),
        )

        self._plan_sessions()
        yield Table(
            t.Session,
            fields(
                "id forum_id starts_at status venue online_link created_at "
                "created_by_id opened_at closed_at current_item_id version "
                "round_robin round_robin_turn_id summary_visibility "
                "summary_published_at"
            ),
            lambda: iter(self.sessions),
            len(self.sessions),
        )
        yield Table(
            t.AgendaItem,
            fields(
                "id session_id talking_point_id position time_box_minutes "
                "status started_at ended_at carried_from_id"
            ),
            lambda: iter(self.agenda),
            len(self.agenda),
        )
        yield Table(
            t.Attendance,
            fields(
                "id session_id user_id name organisation_id organisation_name "
                "sector joined_at late summary_sent_at"
            ),
            lambda: iter(self.attendance),
            len(self.attendance),
        )
        yield Table(
            t.Contribution,
            fields(
                "id session_id agenda_item_id text is_anonymous author_id "
                "author_name organisation_id organisation_name sector "
                "created_at hidden_at hidden_reason hidden_by_id"
            ),
            self._contributions,
            c["contributions"],
        )
        yield Table(
            t.Decision,
            ("id", "session_id", "agenda_item_id", "text", "why", "created_by_id", "created_at"),
            self._decisions,
            round(len(self.held) * 1.4),
        )
        yield Table(
            t.Decision.at_the_table.through,
            ("id", "decision_id", "attendance_id"),
            lambda: ((i, d, a) for i, (d, a) in enumerate(self.decision_table, start=1)),
            len(self.decision_table),
        )
        yield Table(
            t.Decision.rests_on.through,
            ("id", "decision_id", "learningentry_id"),
            lambda: ((i, d, e) for i, (d, e) in enumerate(self.decision_entries, start=1)),
            len(self.decision_entries),
        )
        yield Table(
            t.Action,
            fields(
                "id session_id decision_id text owner_id owner_name due_on "
                "status created_by_id created_at done_at done_by_id"
            ),
            lambda: iter(self.actions),
            len(self.actions),
        )

        yield Table(
            Delivery,
            fields(
                "id kind forum_id recipient_id occasion_date occasion_at "
                "status attempts detail created_at queued_at claimed_at "
                "sent_at"
            ),
            self._deliveries,
            c["deliveries"],
        )
        yield Table(
            DigestPreference,
            ("id", "user_id", "frequency", "weekday", "updated_at"),
            self._digest_preferences,
            min(c["people"], c["deliveries"] // 5),
        )
        self._choose_personas()

    # -- who the benchmark signs in as -------------------------------------------------

    def _choose_personas(self) -> None:
        """Known people in the biggest place with a live session: the benchmark's personas."""
        live_forums = {fid for _sid, fid in self.live_sessions}
        forum_place = {fid: pid for fid, pid, _n in self.forums}
        place = min(
            (forum_place[f] for f in live_forums),
            default=1,
        )
        forum = min((f for f in live_forums if forum_place[f] == place), default=self.forums[0][0])
        session = next((sid for sid, fid in self.live_sessions if fid == forum), None)
        facilitator = self.facilitators[forum][0]
        participants = [
            u
            for u in self.forum_members[forum]
            if u not in self.facilitators[forum] and u not in self.commissioner_places
        ]
        orgs = self.orgs_by_place[place]
        member = next(
            (
                u
                for o in orgs
                for u in self.org_members[o]
                if self.user_role[u] == "staff"
                and u not in self.commissioner_places
                and u != self.staff_user
            ),
            facilitator,
        )
        lead = orgs[0]  # user n leads organisation n
        commissioner = (
            self.commissioners_by_place[place][0]
            if self.commissioners_by_place[place]
            else self.commissioner_users[0]
        )
        outsider_place = self.place_ids[-1]
        outsider = next(
            (
                u
                for o in self.orgs_by_place[outsider_place]
                for u in self.org_members[o]
                if place not in self.org_places[self.user_org[u]]
                and u not in self.commissioner_places
            ),
            member,
        )
        people = {
            "member": member,
            "lead": lead,
            "facilitator": facilitator,
            "participant": participants[0] if participants else facilitator,
            "commissioner": commissioner,
            "staff": self.staff_user,
            "outsider": outsider,
        }
        self.personas = {name: self.user_email[user] for name, user in people.items()}
        forum_slug = next(f"{slugify(n)}-{fid}" for fid, _p, n in self.forums if fid == forum)
        self.targets = {
            "place_slug": self.place_slugs[place - 1],
            "forum_slug": forum_slug,
            "live_session": session,
            "organisation_slug": f"{slugify(self.org_name[orgs[0]])}-{orgs[0]}",
            "search_words": "loneliness volunteers",
            "filter_kind": "experiment",
            "password": PASSWORD,
        }


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
