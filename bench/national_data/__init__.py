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

from bench.national_data.counts import (
    BATCH_ROWS,
    DEFAULT_ANCHOR,
    EMAIL_DOMAIN,
    MINIMUM,
    NATIONAL,
    PASSWORD,
    plan,
)
from bench.national_data.database import (
    Deferred,
    checksum,
    drop_indexes_and_foreign_keys,
    flush,
    loaded_tables,
    recreate_foreign_keys,
    recreate_indexes,
    reset_sequences,
)
from bench.national_data.generator import NationalData
from bench.national_data.loader import Loader, Table, copy_columns, fields
from bench.national_data.wording import SENTENCES, SUBJECTS, TITLES, TOPICS

__all__ = [
    "BATCH_ROWS",
    "DEFAULT_ANCHOR",
    "EMAIL_DOMAIN",
    "MINIMUM",
    "NATIONAL",
    "PASSWORD",
    "SENTENCES",
    "SUBJECTS",
    "TITLES",
    "TOPICS",
    "Deferred",
    "Loader",
    "NationalData",
    "Table",
    "checksum",
    "copy_columns",
    "drop_indexes_and_foreign_keys",
    "fields",
    "flush",
    "loaded_tables",
    "plan",
    "recreate_foreign_keys",
    "recreate_indexes",
    "reset_sequences",
]
