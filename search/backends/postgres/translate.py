"""A parsed :class:`~search.query.Query` as SQL: the tsqueries that match and
rank (phrases through their shortcuts where frequent), the narrowings of a
large ranking's candidates, the conditions of filters, refinements and dates,
the WHERE clause and the plan settings of a search transaction."""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone

from search.analysis import EXACT_PREFIX, POSTGRES_POSITIONS_PER_WORD
from search.backends.base import Refinements
from search.backends.postgres.schema import (
    FILTER,
    FOLDED,
    KEYWORDS,
    MATCHED,
    PARTIAL,
    PHRASE,
    TERMS,
    _quote,
)
from search.backends.postgres.vector import _phrase, _phrase_words, _runs
from search.backends.postgres.vocabulary import keyword_ids
from search.filters import fold_value, matching_values
from search.query import FIELD_NAMES, AnyOf, Phrase, Query


def positional(clause) -> str | None:
    """A clause on the vector's lexemes and positions (ranking)."""
    if isinstance(clause, AnyOf):
        parts = [p for p in (positional(o) for o in clause.options) if p]
        return f"( {' | '.join(parts)} )" if parts else None
    if isinstance(clause, Phrase):
        words = [w for w in clause.folded if w]
        if not words:
            return None
        follows = f" <{POSTGRES_POSITIONS_PER_WORD}> "
        return follows.join(_quote(EXACT_PREFIX + w) for w in words)
    terms = clause.terms
    if not terms:
        return None
    if len(terms) == 1:
        return _quote(terms[0])
    return "( " + " | ".join(_quote(t) for t in terms) + " )"


def match_clause(backend, clause, frequent: frozenset[str]) -> str | None:
    """A clause as the GIN index answers it alone: a ``frequent`` phrase
    through its shortcut (on positions only in a PARTIAL document); another
    phrase on positions, among the documents holding the frequent phrases
    within it if any."""
    if isinstance(clause, AnyOf):
        parts = [p for p in (match_clause(backend, o, frequent) for o in clause.options) if p]
        return f"( {' | '.join(parts)} )" if parts else None
    on_positions = positional(clause)
    words = [w for w in clause.folded if w] if isinstance(clause, Phrase) else []
    if len(words) < 2:
        return on_positions
    whole = _phrase(words)
    if len(words) <= 3 and whole in frequent:
        return f"( {_quote(whole)} | ( '{PARTIAL}' & {on_positions} ) )"
    within = [_quote(run) for run in _runs(words) if run in frequent]
    if not within:
        return on_positions
    return f"( ( {' & '.join(within)} | '{PARTIAL}' ) & {on_positions} )"


def frequent_of(backend, query: Query) -> frozenset[str]:
    """Which phrases within the query's phrases are frequent (see
    vocabulary.choose_phrases)."""
    runs = {
        run
        for clause in (*query.must, *query.must_not)
        for words in _phrase_words(clause)
        for run in _runs(words)
    }
    if not runs:
        return frozenset()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term FROM {TERMS} WHERE index = %s AND bucket = %s AND term = ANY(%s)",  # noqa: S608
            [backend.index.name, PHRASE, sorted(runs)],
        )
        return frozenset(term for (term,) in cursor.fetchall())


def exact_clause(clause) -> list[str]:
    """The exact-words version of a positive clause (for the ranking boost)."""
    if isinstance(clause, AnyOf):
        return [p for o in clause.options for p in exact_clause(o)]
    if isinstance(clause, Phrase):
        phrase = positional(clause)
        return [f"( {phrase} )"] if phrase else []
    return [_quote(EXACT_PREFIX + form) for form in clause.forms if form]


def tsqueries(
    backend, query: Query, frequent: frozenset[str] = frozenset()
) -> tuple[str | None, str | None, str | None]:
    """(the match query, the ranking query, the exact-words query), phrases
    in ``frequent`` answered by their shortcuts."""
    positive = [p for p in (match_clause(backend, c, frequent) for c in query.must) if p]
    negative = [p for p in (match_clause(backend, c, frequent) for c in query.must_not) if p]
    match = " & ".join(positive + [f"!( {n} )" for n in negative]) or None
    rank = " & ".join(p for p in (positional(c) for c in query.must) if p) or None
    exact = " | ".join(e for c in query.must for e in exact_clause(c)) or None
    return match, rank, exact


def head_words(backend, clause, classes: str) -> list[str]:
    """Each word of a clause as class shortcuts: ``( 'Aew' | 'Bew' | … )``."""
    if isinstance(clause, AnyOf):
        return [w for option in clause.options for w in head_words(backend, option, classes)]
    if isinstance(clause, Phrase):
        alternatives = [[EXACT_PREFIX + w] for w in clause.folded if w]
    else:
        alternatives = [clause.terms] if clause.terms else []
    return [
        "( " + " | ".join(_quote(c + t) for t in terms for c in classes) + " )"
        for terms in alternatives
    ]


def ranking_heads(backend, query: Query) -> list[str]:
    """Ranking candidates come first from these narrowings: every positive
    clause holds a word in the heaviest field (a phrase: all its words),
    then in a heavy field, then any of their words is in a heavy field."""
    if not backend.head:
        return []
    heads = []
    for classes in (backend.head[:1], backend.head):
        clauses = [head_words(backend, c, classes) for c in query.must]
        if not clauses or not all(clauses):
            return []
        heads.append(
            " & ".join(
                "( " + (" | " if isinstance(c, AnyOf) else " & ").join(words) + " )"
                for c, words in zip(query.must, clauses, strict=True)
            )
        )
    heads.append(" | ".join(w for words in clauses for w in words))
    return list(dict.fromkeys(heads))


def query_conditions(backend, query: Query, refinements: Refinements | None):
    """SQL conditions, their parameters and filter shortcuts for the query's
    filters and the refinements, or None when they cannot match anything (a
    filter this index lacks, a value no document holds)."""
    refinements = refinements or Refinements()
    wanted: list[tuple[str, str]] = []

    def want(key: str, value: str) -> None:
        pair = (key + FOLDED, fold_value(value))
        if pair not in wanted:
            wanted.append(pair)

    chosen: list[list[tuple[str, str]]] = []  # a filter: any of these values
    for name, values in query.filters.as_dict().items():
        if name == "years" or not values:
            continue
        key = backend.filter_keys.get(FIELD_NAMES[name])
        if key is None:
            return None
        for value in values:
            found = filter_values(backend, FIELD_NAMES[name], key + FOLDED, value)
            if not found:
                return None
            chosen.append([(key + FOLDED, v) for v in found])
    facets = backend.index.facets
    for name, values in refinements.values.items():
        if not values:
            continue
        if name not in facets:
            return None
        for value in values:
            want(name, str(value))

    conditions, params = [], []
    years = query.filters.years
    starts = [y for y in (refinements.year_from, years and years.start) if y is not None]
    ends = [y for y in (refinements.year_to, years and years.end) if y is not None]
    start, end = max(starts, default=None), min(ends, default=None)
    if start is not None or end is not None:
        if backend.date_field is None:
            return None
        if start is not None:
            conditions.append("date >= %s")
            params.append(new_year(start))
        if end is not None:
            conditions.append("date < %s")
            params.append(new_year(end + 1))
    filters = []
    if wanted or chosen:
        pairs = wanted + [pair for pairs in chosen for pair in pairs]
        with connection.cursor() as cursor:
            ids = keyword_ids(backend, cursor, pairs, {}, create=False)
        if any(pair not in ids for pair in wanted):
            return None
        filters = [_quote(f"{FILTER}{ids[pair]}") for pair in wanted]
        for pairs in chosen:
            known = [_quote(f"{FILTER}{ids[pair]}") for pair in pairs if pair in ids]
            if not known:
                return None
            filters.append("( " + " | ".join(known) + " )")
    return conditions, params, filters


def filter_values(backend, name: str, key: str, value: str) -> list[str]:
    """The folded values a query-language filter means (search.filters),
    among those holding its longest word."""
    words = fold_value(value).split()
    if not words:
        return []
    longest = max(words, key=len)  # letters and digits only: nothing to escape
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT value FROM {KEYWORDS} WHERE index = %s AND key = %s"  # noqa: S608
            " AND value LIKE %s",
            [backend.index.name, key, f"%{longest}%"],
        )
        known = [v for (v,) in cursor.fetchall()]
    return matching_values(name, value, known)


def new_year(year: int) -> datetime.datetime:
    year = min(max(year, 1), 9999)
    return timezone.make_aware(datetime.datetime(year, 1, 1))


def where_clause(backend, conditions: list[str], params: list, tsquery: str | None):
    """The WHERE clause and its parameters. With a tsquery, the other
    conditions (``index``, dates) are written in a form no index serves (IS
    TRUE): the planner would otherwise walk the (index, date) index and
    check ``@@`` row by row, reading every vector on its way."""
    if tsquery is None:
        return " AND ".join(["index = %s", *conditions]), [backend.index.name, *params]
    unindexed = [f"({condition}) IS TRUE" for condition in ["index = %s", *conditions]]
    where = " AND ".join([*unindexed, f"{MATCHED} @@ %s::tsquery"])
    return where, [backend.index.name, *params, tsquery]


def plan(cursor, words: bool) -> None:
    """Settings for one search transaction: no JIT (compiling costs more than
    these queries) and, with words, the GIN index as the only way in."""
    cursor.execute(
        "SELECT set_config('jit', 'off', true), set_config('enable_seqscan', %s, true)",
        ["off" if words else "on"],
    )
