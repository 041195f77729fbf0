"""Counting a search's matches and its facets in one pass over the matches'
``facets`` arrays of SearchKeyword ids (a combination id expanded into its
values)."""

from __future__ import annotations

from search.backends.postgres.schema import COMBINATION, DOCUMENTS, FACET_SIZE, KEYWORDS
from search.backends.postgres.translate import where_clause


def count_matches(backend, cursor, scope, facets: bool) -> tuple[int, dict]:
    """The number of matches and, if asked, the facet counts: one pass over
    the matches' ``facets`` arrays. Each array starts with a combination id
    (expanded here into its values) or 0: together they count the matches."""
    where, params = where_clause(backend, *scope)
    if not facets:
        cursor.execute(f"SELECT count(*) FROM {DOCUMENTS} WHERE {where}", params)  # noqa: S608
        return cursor.fetchone()[0], {}
    cursor.execute(
        "WITH counted AS (SELECT f, count(*) AS n FROM (SELECT unnest(facets) AS f"  # noqa: S608
        f" FROM {DOCUMENTS} WHERE {where}) AS v GROUP BY f),"
        f" named AS (SELECT c.f, c.n, k.key, k.value FROM counted AS c"
        f" LEFT JOIN {KEYWORDS} AS k ON k.id = c.f),"
        " parts AS (SELECT p.f, named.n FROM named CROSS JOIN LATERAL"
        " unnest(string_to_array(named.value, ',')::int[]) AS p(f) WHERE named.key = %s"
        " UNION ALL SELECT f, n FROM named WHERE key IS DISTINCT FROM %s AND f <> 0),"
        " totals AS (SELECT k.key, k.value, sum(parts.n)::bigint AS n FROM parts"
        f" JOIN {KEYWORDS} AS k ON k.id = parts.f GROUP BY k.id, k.key, k.value)"
        " SELECT NULL, NULL, (SELECT coalesce(sum(n), 0)::bigint FROM named"
        " WHERE f = 0 OR key = %s) UNION ALL SELECT key, value, n FROM (SELECT key, value, n,"
        " row_number() OVER (PARTITION BY key ORDER BY n DESC, value) AS r FROM totals)"
        " AS ranked WHERE r <= %s",
        [*params, COMBINATION, COMBINATION, COMBINATION, FACET_SIZE],
    )
    count = 0
    found: dict[str, list[tuple[str, int]]] = {name: [] for name in backend.index.facets}
    for key, value, n in cursor.fetchall():
        if key is None:
            count = n
        elif key in found:
            found[key].append((value, n))
    for values in found.values():
        values.sort(key=lambda p: (-p[1], p[0]))
    return count, found
