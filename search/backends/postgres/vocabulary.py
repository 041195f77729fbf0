"""The vocabulary and the keyword numbers: SearchTerm (how many documents hold
each lexeme and keyword value, kept true by every write; the frequent phrases
a rebuild chose) and SearchKeyword (the ids of keyword values and of their
combinations, which ``facets`` and the filter shortcuts hold)."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable

from django.db import connection

from search.analysis import EXACT_PREFIX
from search.backends.postgres import schema
from search.backends.postgres.rows import _Numbers, _Row, keyword_term
from search.backends.postgres.schema import (
    COMBINATION,
    DOCUMENTS,
    KEYWORD_TERM,
    KEYWORDS,
    MAX_PHRASES,
    MAX_TERM_LENGTH,
    PHRASE,
    TERMS,
    _batched,
)
from search.backends.postgres.vector import _phrase
from search.filters import fold_value


def terms_of(backend, ids: list[str]) -> Counter:
    """How many of these stored documents hold each vocabulary term."""
    counts: Counter = Counter()
    if not ids:
        return counts
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT keywords, tsvector_to_array(vector) FROM {DOCUMENTS}"  # noqa: S608
            " WHERE index = %s AND object_id = ANY(%s)",
            [backend.index.name, ids],
        )
        for keywords, lexemes in cursor.fetchall():
            keywords = json.loads(keywords) if isinstance(keywords, str) else keywords
            terms = set(lexemes or ())
            for _, key in backend.keywords:
                terms.update(keyword_term(key, v) for v in keywords.get(key, ()))
            counts.update(terms)
    return counts


def keyword_ids(
    backend, cursor, pairs: Iterable[tuple[str, str]], ids: dict, create: bool = True
) -> dict:
    """Add to ``ids`` the SearchKeyword id of each (key, value) pair, numbering
    new ones if ``create``. ``ids`` caches them for one transaction only: a
    number made in a transaction that rolls back does not exist."""
    missing = sorted({p for p in pairs if p not in ids})
    if not missing:
        return ids
    keys, values = [k for k, _ in missing], [v for _, v in missing]
    if create:
        cursor.execute(
            f"INSERT INTO {KEYWORDS} (index, key, value, digest)"  # noqa: S608
            " SELECT %s, k, v, md5(v) FROM unnest(%s::text[], %s::text[]) AS x(k, v)"
            " ON CONFLICT (index, key, digest) DO NOTHING",
            [backend.index.name, keys, values],
        )
    cursor.execute(
        f"SELECT key, value, id FROM {KEYWORDS} WHERE index = %s AND (key, digest) IN"  # noqa: S608
        " (SELECT k, md5(v) FROM unnest(%s::text[], %s::text[]) AS x(k, v))",
        [backend.index.name, keys, values],
    )
    ids.update(((key, value), id) for key, value, id in cursor.fetchall())
    return ids


def number(backend, cursor, rows: list[_Row], numbers: _Numbers) -> None:
    """Number the keyword values of ``rows`` and their combinations."""
    ids = numbers.ids
    keyword_ids(backend, cursor, (p for row in rows for p in (*row.facets, *row.filters)), ids)
    combinations = {row.combination(ids, numbers.combined) for row in rows} - {""}
    keyword_ids(backend, cursor, ((COMBINATION, c) for c in combinations), ids)


def combined(backend, cursor) -> frozenset[str]:
    """The facets whose values a document holds as one combination id: those
    with the fewest distinct values, as long as their combinations number
    MAX_COMBINATIONS at most (articles: section and year). Counting reads a
    few ids less per match; a document's combination is expanded into its
    values once per query. Any choice counts right: each document says what
    it holds."""
    names = list(backend.index.facets)
    cursor.execute(
        f"SELECT key, count(*) FROM {KEYWORDS} WHERE index = %s AND key = ANY(%s)"  # noqa: S608
        " GROUP BY key",
        [backend.index.name, names],
    )
    known = dict(cursor.fetchall())
    combined, product = [], 1
    for name in sorted(names, key=lambda n: known.get(n, 0)):
        product *= max(known.get(name, 0), 1)
        if product > schema.MAX_COMBINATIONS:
            break
        combined.append(name)
    return frozenset(combined)


def frequent_phrases(backend, cursor) -> dict[tuple[str, ...], str]:
    """The phrases the last rebuild found frequent (SearchTerm rows of bucket
    PHRASE): every document of the index has their shortcuts. Read again
    only when a rebuild has replaced them."""
    cursor.execute(
        f"SELECT count(*), max(id) FROM {TERMS} WHERE index = %s AND bucket = %s",  # noqa: S608
        [backend.index.name, PHRASE],
    )
    version = cursor.fetchone()
    cached = getattr(backend, "_phrases", None)
    if cached is not None and cached[0] == version:
        return cached[1]
    cursor.execute(
        f"SELECT term FROM {TERMS} WHERE index = %s AND bucket = %s",  # noqa: S608
        [backend.index.name, PHRASE],
    )
    frequent = {tuple(term[len(PHRASE) :].split("_")): term for (term,) in cursor.fetchall()}
    backend._phrases = (version, frequent)
    return frequent


def choose_phrases(backend, cursor, counts: Counter, sample: int) -> dict[tuple[str, ...], str]:
    """The phrases found in PHRASE_SHARE of the ``sample`` documents (``counts``
    of each; MAX_PHRASES at most, the most frequent), kept as SearchTerm
    rows of bucket PHRASE. A phrase query with one of them is answered by
    the GIN index alone; the others are rarer, and checked on the positions
    of the few documents holding their words."""
    least = max(2, math.ceil(schema.PHRASE_SHARE * sample))
    chosen = [(n, _phrase(p), p) for p, n in counts.items() if n >= least]
    chosen = sorted(c for c in chosen if len(c[1]) <= MAX_TERM_LENGTH)[::-1][:MAX_PHRASES]
    for batch in _batched(chosen, 5000):
        cursor.execute(
            f"INSERT INTO {TERMS} (index, term, documents, bucket, length, folded)"  # noqa: S608
            " SELECT %s, t, d, %s, length(t) - 1, '' FROM unnest(%s::text[], %s::int[])"
            " AS x(t, d)",
            [backend.index.name, PHRASE, [t for _, t, _ in batch], [n for n, _, _ in batch]],
        )
    return {words: term for _, term, words in chosen}


def count_terms(backend, cursor, delta: Counter) -> None:
    """Add ``delta`` to the vocabulary's document counts; forget terms at zero."""
    changed = [(term, n) for term, n in delta.items() if n]
    for batch in _batched(changed, 5000):
        terms = [t for t, _ in batch]
        buckets, lengths, folded = [], [], []
        for term in terms:
            if term.startswith(KEYWORD_TERM):
                value = term.split(":", 1)[1]
                buckets.append(KEYWORD_TERM)
                folded.append(fold_value(value)[:MAX_TERM_LENGTH])
            elif term.startswith(EXACT_PREFIX):
                buckets.append(term[:2])
                folded.append("")
            else:
                buckets.append(term[:1])
                folded.append("")
            lengths.append(min(len(term) - 1, 32767))
        cursor.execute(
            f"INSERT INTO {TERMS} (index, term, documents, bucket, length, folded)"  # noqa: S608
            " SELECT %s, t, d, b, l, f FROM unnest("
            "%s::text[], %s::int[], %s::text[], %s::int[], %s::text[]) AS x(t, d, b, l, f)"
            " ON CONFLICT (index, term) DO UPDATE"
            f" SET documents = {TERMS}.documents + EXCLUDED.documents",
            [backend.index.name, terms, [n for _, n in batch], buckets, lengths, folded],
        )
        cursor.execute(
            f"DELETE FROM {TERMS} WHERE index = %s AND term = ANY(%s)"  # noqa: S608
            " AND documents <= 0",
            [backend.index.name, [t for t, n in batch if n < 0]],
        )
