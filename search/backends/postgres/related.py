"""More like this: the stems that weigh most in a document (tf-idf, from the
vocabulary), and the documents that rank best on them."""

from __future__ import annotations

import math

from django.db import connection, transaction

from search.backends.postgres.schema import BY_DATE, CLASSES, DOCUMENTS, MLT_TERMS, TERMS, _quote
from search.backends.postgres.translate import plan, where_clause


def related_ids(backend, id: str, limit: int = 4) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.lexeme, u.weights, t.documents"  # noqa: S608
            f" FROM {DOCUMENTS} d CROSS JOIN LATERAL unnest(d.vector) AS u"
            f" LEFT JOIN {TERMS} t ON t.index = d.index AND t.term = u.lexeme"
            " WHERE d.index = %s AND d.object_id = %s AND u.lexeme LIKE 's%%'",
            [backend.index.name, str(id)],
        )
        lexemes = cursor.fetchall()
        if not lexemes:
            return []
        cursor.execute(
            f"SELECT count(*) FROM {DOCUMENTS} WHERE index = %s",  # noqa: S608
            [backend.index.name],
        )
        (total,) = cursor.fetchone()
    class_weight = dict(zip(reversed(CLASSES), backend.rank_weights, strict=True))
    scored = []
    for lexeme, weights, documents in lexemes:
        documents = documents or 1
        # Only in this document (finds nothing else), or in most (finds anything).
        if documents < 2 or documents > max(2, total // 2):
            continue
        tf = sum(class_weight[w] for w in weights) / 2  # stems come twice
        scored.append((tf * math.log((total + 1) / documents), lexeme))
    scored.sort(reverse=True)
    terms = [lexeme for _, lexeme in scored[:MLT_TERMS]]
    if not terms:
        return []
    tsquery = " | ".join(_quote(t) for t in terms)
    with transaction.atomic(), connection.cursor() as cursor:
        plan(cursor, words=True)
        where, params = where_clause(backend, ["object_id <> %s"], [str(id)], tsquery)
        cursor.execute(
            f"SELECT object_id FROM {DOCUMENTS} WHERE {where}"  # noqa: S608
            " ORDER BY ts_rank(%s::float4[], vector, %s::tsquery) DESC,"
            f" {BY_DATE} LIMIT %s",
            [*params, backend.rank_weights, tsquery, limit],
        )
        return [object_id for (object_id,) in cursor.fetchall()]
