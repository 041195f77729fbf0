"""Ranking a search's matches: the most the vocabulary says a query can match,
the score (``ts_rank_cd``, the exact words' boost, the whole-title bonus), and
the page's rows, every match ranked when they are few, else the newest
RANK_WINDOW candidates first (see :mod:`search.backends.postgres`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from search import ranking
from search.analysis import EXACT_PREFIX, POSTGRES_POSITIONS_PER_WORD
from search.backends.postgres import schema
from search.backends.postgres.schema import (
    BY_DATE,
    DOCUMENTS,
    EXACT_BOOST,
    TERMS,
    TITLE_BONUS,
    _quote,
)
from search.backends.postgres.translate import where_clause
from search.query import AnyOf, Phrase, Query


@dataclass(frozen=True)
class _Ranking:
    rank: str | None  # the ranking tsquery (on positions); None: by date
    exact: str | None  # the exact words, for EXACT_BOOST
    heads: list[str]  # narrowings for the candidates of a large ranking (candidate_ids)
    title: str | None = None  # the whole query in the title (search.ranking)


def most_matches(backend, cursor, query: Query) -> float:
    """At most how many documents the query's words match, read from the
    vocabulary: a word no more than its terms hold together, a query no
    more than its rarest clause (infinity when a clause has no term)."""
    options = [c.options if isinstance(c, AnyOf) else (c,) for c in query.must]
    terms = {
        t
        for clause in options
        for o in clause
        for t in ([EXACT_PREFIX + w for w in o.folded if w] if isinstance(o, Phrase) else o.terms)
    }
    cursor.execute(
        f"SELECT term, documents FROM {TERMS} WHERE index = %s AND term = ANY(%s)",  # noqa: S608
        [backend.index.name, sorted(terms)],
    )
    documents = dict(cursor.fetchall())

    def most(option) -> float:
        if isinstance(option, Phrase):
            words = [EXACT_PREFIX + w for w in option.folded if w]
            return min((documents.get(w, 0) for w in words), default=math.inf)
        return sum(documents.get(t, 0) for t in option.terms) if option.terms else math.inf

    return min((sum(map(most, clause)) for clause in options), default=math.inf)


def score_sql(backend, ranking: _Ranking) -> tuple[str, list]:
    if not ranking.rank:
        return "0", []
    score = "ts_rank_cd(%s::float4[], vector, %s::tsquery, 2)"
    params = [backend.rank_weights, ranking.rank]
    if ranking.exact:
        score += " + %s * ts_rank_cd(%s::float4[], vector, %s::tsquery, 2)"
        params += [EXACT_BOOST, backend.rank_weights, ranking.exact]
    if ranking.title:
        score += " + CASE WHEN vector @@ %s::tsquery THEN %s ELSE 0 END"
        params += [ranking.title, TITLE_BONUS]
    return score, params


def whole_title(backend, query: Query) -> str | None:
    """A tsquery of the query's clauses, each in the title (search.ranking)."""
    clauses = ranking.whole_title_clauses(query)
    if not clauses or backend.title_field is None:
        return None
    weight = backend.field_class[backend.title_field.name]
    parts = []
    for clause in clauses:
        if isinstance(clause, Phrase):
            words = [_quote(EXACT_PREFIX + w) + ":" + weight for w in clause.folded if w]
            parts.append(f" <{POSTGRES_POSITIONS_PER_WORD}> ".join(words))
        elif clause.terms:
            parts.append(" | ".join(f"{_quote(t)}:{weight}" for t in clause.terms))
    parts = [f"( {part} )" for part in parts if part]
    return " & ".join(parts) or None


def page_rows(backend, cursor, scope, ranking, sort, highlight, page, per_page, few: bool) -> list:
    """The page's rows: by date, or by relevance, every match ranked when
    they are ``few`` (RANK_WINDOW at most), else the candidates first."""
    score, score_params = score_sql(backend, ranking)
    texts = "texts" if highlight and backend.highlight_fields else "NULL"
    select = f"SELECT object_id, stored, {texts}, {score} AS score FROM {DOCUMENTS}"  # noqa: S608
    where, params = where_clause(backend, *scope)
    offset = (page - 1) * per_page
    if sort == "date" or not ranking.rank:
        # Only the page's rows are scored.
        cursor.execute(
            f"{select} WHERE id IN (SELECT id FROM {DOCUMENTS} WHERE {where}"  # noqa: S608
            f" ORDER BY {BY_DATE} LIMIT %s OFFSET %s) ORDER BY {BY_DATE}",
            [*score_params, *params, per_page, offset],
        )
        return cursor.fetchall()
    if few:
        cursor.execute(
            f"{select} WHERE {where} ORDER BY score DESC, {BY_DATE} LIMIT %s OFFSET %s",
            [*score_params, *params, per_page, offset],
        )
        return cursor.fetchall()
    # The candidates come first by relevance, then the other matches by date
    # (with RANK_WINDOW matches or fewer, every one is a candidate).
    candidates = candidate_ids(backend, cursor, scope, ranking.heads)
    chosen = []
    if offset < len(candidates):
        cursor.execute(
            f"SELECT id FROM {DOCUMENTS} WHERE id = ANY(%s)"  # noqa: S608
            f" ORDER BY {score} DESC, {BY_DATE} LIMIT %s OFFSET %s",
            [candidates, *score_params, per_page, offset],
        )
        chosen = [id for (id,) in cursor.fetchall()]
    if len(chosen) < per_page:
        cursor.execute(
            f"SELECT id FROM {DOCUMENTS} WHERE {where} AND id <> ALL(%s)"  # noqa: S608
            f" ORDER BY {BY_DATE} LIMIT %s OFFSET %s",
            [*params, candidates, per_page - len(chosen), max(0, offset - len(candidates))],
        )
        chosen += [id for (id,) in cursor.fetchall()]
    cursor.execute(
        f"SELECT id, object_id, stored, {texts}, {score} FROM {DOCUMENTS}"  # noqa: S608
        " WHERE id = ANY(%s)",
        [*score_params, chosen],
    )
    found = {row[0]: row[1:] for row in cursor.fetchall()}
    return [found[id] for id in chosen if id in found]


def candidate_ids(backend, cursor, scope, heads: list[str]) -> list[int]:
    """The ids of the matches to rank (RANK_WINDOW at most): the newest of
    those narrowed by each of ``heads`` in turn, then the newest of all. Only
    the GIN index and the rows' dates are read."""
    conditions, params, tsquery = scope
    chosen: dict[int, None] = {}
    for head in [*heads, None]:
        if len(chosen) >= schema.RANK_WINDOW:
            break
        narrowed = tsquery if head is None else f"{tsquery} & ( {head} )"
        where, where_params = where_clause(backend, conditions, params, narrowed)
        cursor.execute(
            f"SELECT id FROM {DOCUMENTS} WHERE {where} ORDER BY {BY_DATE} LIMIT %s",  # noqa: S608
            [*where_params, schema.RANK_WINDOW + len(chosen)],
        )
        for (id,) in cursor.fetchall():
            if len(chosen) < schema.RANK_WINDOW:
                chosen.setdefault(id)
    return list(chosen)
