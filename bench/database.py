"""A throw-away PostgreSQL database for a benchmark: created at the start, dropped
at the end (``--create-db`` of the benchmarks)."""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


def _server(url: str):
    import dj_database_url
    import psycopg

    db = dj_database_url.parse(url)
    conn = psycopg.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    )
    return conn, db["NAME"]


def create_database(url: str) -> None:
    from psycopg import sql

    conn, name = _server(url)
    with conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            raise SystemExit(
                f"Database {name!r} exists already: drop it, or run without --create-db."
            )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    print(f"Created database {name!r}.", file=sys.stderr)


def drop_database(url: str) -> None:
    from psycopg import sql

    conn, name = _server(url)
    with conn:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        conn.execute(drop.format(sql.Identifier(name)))
    print(f"Dropped database {name!r}.", file=sys.stderr)


@contextmanager
def throwaway(create: bool, keep: bool) -> Iterator[str]:
    """With ``create``, DATABASE_URL's PostgreSQL database is created first and
    dropped at the end (unless ``keep``). Yields that URL when it was created."""
    url = os.environ.get("DATABASE_URL", "")
    if create and not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--create-db needs DATABASE_URL=postgres://…/<database>.")
    if create:
        create_database(url)
    try:
        yield url if create else ""
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if create and not keep:
            drop_database(url)
