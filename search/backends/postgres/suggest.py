"""Spelling suggestions ("Vouliez-vous dire", rules in :mod:`search.spelling`)
and autocomplete (keyword values, then titles through the title's class
shortcuts), both answered by the vocabulary and the GIN index."""

from __future__ import annotations

from functools import partial

from django.db import connection, transaction

from search import spelling
from search.analysis import EXACT_PREFIX, exact_form, tokenize
from search.backends.postgres.schema import BY_DATE, DOCUMENTS, KEYWORD_TERM, TERMS, _quote
from search.backends.postgres.translate import plan, where_clause
from search.filters import fold_value
from search.query import Query, Term


def suggestion(backend, query: Query, count: int | None) -> str | None:
    """See search.spelling; the vocabulary (SearchTerm) answers."""
    words = spelling.plain_words(query)
    if not words:
        return None
    terms = {word: Term(word).terms for word in words.values()}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term, documents FROM {TERMS}"  # noqa: S608
            " WHERE index = %s AND term = ANY(%s)",
            [backend.index.name, sorted({t for found in terms.values() for t in found})],
        )
        known = dict(cursor.fetchall())

    def frequency(word: str, folded: str) -> tuple[int, bool]:
        return known.get(EXACT_PREFIX + folded, 0), any(t in known for t in terms[word])

    return spelling.correct(query, count, frequency, partial(near, backend))


def near(backend, folded: str, least: int) -> list[tuple[str, int]]:
    """Known words of the same first letter and a near length (see
    spelling.Vocabulary), in more than ``least`` documents."""
    limit = spelling.max_distance(folded)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term, documents FROM {TERMS}"  # noqa: S608
            " WHERE index = %s AND bucket = %s AND length BETWEEN %s AND %s"
            " AND documents > %s",
            [
                backend.index.name,
                EXACT_PREFIX + folded[0],
                len(folded) - limit,
                len(folded) + limit,
                least,
            ],
        )
        return [(term[len(EXACT_PREFIX) :], n) for term, n in cursor.fetchall()]


# -- autocomplete ---------------------------------------------------------------


def completions(backend, prefix: str, limit: int = 8) -> list[str]:
    words = [exact_form(t.text) for t in tokenize(prefix or "")]
    words = [w for w in words if w][:10]
    if not words or limit < 1:
        return []
    wanted = " ".join(words)
    starting: list[str] = []  # keyword values, most frequent first
    containing: list[str] = []
    titles: list[str] = []  # newest first
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term, folded FROM {TERMS} WHERE index = %s AND bucket = %s"  # noqa: S608
            " AND (folded LIKE %s OR folded LIKE %s) ORDER BY documents DESC, term LIMIT 100",
            [backend.index.name, KEYWORD_TERM, wanted + "%", "% " + wanted + "%"],
        )
        for term, folded in cursor.fetchall():
            value = term.split(":", 1)[1]
            (starting if folded.startswith(wanted) else containing).append(value)
        if backend.title_field is not None:
            # Titles holding every word, the last one as a prefix (GIN-friendly).
            plan(cursor, words=True)
            where, params = where_clause(backend, [], [], title_query(backend, words))
            cursor.execute(
                f"SELECT stored ->> %s FROM {DOCUMENTS} WHERE {where}"  # noqa: S608
                f" ORDER BY {BY_DATE} LIMIT %s",
                [backend.title_field.name, *params, limit * 4],
            )
            for (title,) in cursor.fetchall():
                # The weight class may hold other fields: check the title.
                held = fold_value(title or "").split()
                if set(words[:-1]) <= set(held) and any(w.startswith(words[-1]) for w in held):
                    titles.append(title)
    results, seen = [], set()
    for text in starting + titles + containing:
        key = fold_value(text)
        if key not in seen:
            seen.add(key)
            results.append(text)
    return results[:limit]


def title_query(backend, words: list[str]) -> str:
    """Every word in the title's weight class, the last one as a prefix:
    through class shortcuts (no vector is read), or on the positions'
    weights for the lightest class, which has none."""
    weight = backend.field_class[backend.title_field.name]
    if weight in backend.head:
        lexemes, suffix = [_quote(weight + EXACT_PREFIX + w) for w in words], ""
    else:
        lexemes, suffix = [_quote(EXACT_PREFIX + w) for w in words], weight
    items = [f"{lexeme}:{suffix}" if suffix else lexeme for lexeme in lexemes[:-1]]
    return " & ".join([*items, f"{lexemes[-1]}:*{suffix}"])
