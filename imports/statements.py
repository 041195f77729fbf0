"""Bulk statements of the size the database allows."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def whole_statements() -> Iterator[None]:
    """Let a bulk insert be one statement on SQLite. Django 5.2 sizes SQLite
    inserts for the 999 variables per statement older SQLite builds allowed (a
    thousand rows of a few columns would be several statements); the library in
    use says how many it allows (32,766 since SQLite 3.32)."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    features = connection.features
    if "max_query_params" in vars(features):  # already raised by an enclosing block
        yield
        return
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    features.max_query_params = max(limit, type(features).max_query_params)
    try:
        yield
    finally:
        del features.max_query_params
