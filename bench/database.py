"""The benchmarks' own PostgreSQL database, created on first use."""

from __future__ import annotations


def ensure_database(url: str) -> None:
    """Create the database ``url`` names if it does not exist yet."""
    import psycopg

    name = url.rsplit("/", 1)[-1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
