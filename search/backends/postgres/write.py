"""Writing some documents (``write``): their rows inserted or replaced, the
deleted ones removed, the vocabulary's counts moved by the difference, in one
transaction; and the stored hashes that say which documents are stale."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction

from search.backends.postgres import schema
from search.backends.postgres.rows import _Numbers, _Row, document_row
from search.backends.postgres.schema import COLUMNS, DOCUMENTS, PLACEHOLDERS, _batched
from search.backends.postgres.vocabulary import (
    combined,
    count_terms,
    frequent_phrases,
    number,
    terms_of,
)


def insert(backend, cursor, rows: list[_Row], numbers: _Numbers, frequent: dict) -> None:
    for row in rows:
        row.keep(frequent)
    number(backend, cursor, rows, numbers)
    values = ", ".join([PLACEHOLDERS] * len(rows))
    cursor.execute(
        f"INSERT INTO {DOCUMENTS} ({COLUMNS}) VALUES {values}"  # noqa: S608 - constants only
        " ON CONFLICT (index, object_id) DO UPDATE SET hash = EXCLUDED.hash,"
        " stored = EXCLUDED.stored, keywords = EXCLUDED.keywords, texts = EXCLUDED.texts,"
        " date = EXCLUDED.date, vector = EXCLUDED.vector, shortcuts = EXCLUDED.shortcuts,"
        " facets = EXCLUDED.facets",
        [p for row in rows for p in row.values(backend.index.name, numbers)],
    )


def write_documents(backend, documents: Iterable[tuple[str, dict]], deleted: Iterable[str]) -> None:
    rows = {str(id): document_row(backend, str(id), doc) for id, doc in documents}
    gone = [i for i in dict.fromkeys(str(d) for d in deleted) if i not in rows]
    with transaction.atomic(), connection.cursor() as cursor:
        delta = Counter()
        delta.subtract(terms_of(backend, [*rows, *gone]))
        frequent, numbers = {}, _Numbers()
        if rows:
            frequent = frequent_phrases(backend, cursor)
            numbers.combined = combined(backend, cursor)
        for batch in _batched(rows.values(), schema.BATCH):
            insert(backend, cursor, batch, numbers, frequent)
            for row in batch:
                delta.update(row.terms)
        if gone:
            cursor.execute(
                f"DELETE FROM {DOCUMENTS} WHERE index = %s AND object_id = ANY(%s)",  # noqa: S608
                [backend.index.name, gone],
            )
        count_terms(backend, cursor, delta)


def stored_hashes(backend) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT object_id, hash FROM {DOCUMENTS} WHERE index = %s",  # noqa: S608
            [backend.index.name],
        )
        return dict(cursor.fetchall())
