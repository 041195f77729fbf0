"""``PostgresBackend``: how an index's fields map onto the table (weight
classes, ranking weights, keywords, dates, stored and highlighted fields),
and the backend's operations, each carried out by the module that holds its
steps (:mod:`.write`, :mod:`.rebuild`, :mod:`.translate`, :mod:`.rank`,
:mod:`.facets`, :mod:`.snippets`, :mod:`.suggest`, :mod:`.related`)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator

from django.db import connection, transaction

from search.backends.base import Backend, Hit, PageOutOfRange, Refinements, Results
from search.backends.postgres import schema
from search.backends.postgres.facets import count_matches
from search.backends.postgres.rank import _Ranking, most_matches, page_rows, whole_title
from search.backends.postgres.rebuild import rebuild_index
from search.backends.postgres.related import related_ids
from search.backends.postgres.schema import CLASSES, KEYWORD_WEIGHT, _as_datetime
from search.backends.postgres.snippets import _in_thread, row_snippets
from search.backends.postgres.suggest import completions, suggestion
from search.backends.postgres.translate import (
    frequent_of,
    plan,
    positional,
    query_conditions,
    ranking_heads,
    tsqueries,
    where_clause,
)
from search.backends.postgres.vector import document_fields, document_vector
from search.backends.postgres.vocabulary import combined, frequent_phrases
from search.backends.postgres.write import stored_hashes, write_documents
from search.index import Date, Index, Keyword, Text
from search.query import Query


class PostgresBackend(Backend):
    def __init__(self, index: Index):
        super().__init__(index)
        searched = [f for f in index.fields if isinstance(f, Text)]
        searched += [f for f in index.fields if isinstance(f, Keyword) and f.searchable]
        weights = {f.name: getattr(f, "weight", KEYWORD_WEIGHT) for f in searched}
        levels = sorted(set(weights.values()), reverse=True)
        level_class = {w: CLASSES[min(i, len(CLASSES) - 1)] for i, w in enumerate(levels)}
        #: Searched fields, heaviest first, with their weight class.
        self.searched = sorted(
            ((f, level_class[weights[f.name]]) for f in searched), key=lambda p: -weights[p[0].name]
        )
        self.field_class = {f.name: c for f, c in self.searched}
        top = max(levels, default=1.0)
        class_weight = dict.fromkeys(CLASSES, 0.0)
        for w, c in level_class.items():
            class_weight[c] = max(class_weight[c], w / top)
        # ts_rank's array is {D, C, B, A}; an empty class weighs like the next one.
        floor = min((w for w in class_weight.values() if w), default=1.0)
        self.rank_weights = [class_weight[c] or floor for c in reversed(CLASSES)]
        #: Weight classes that get class shortcuts: every one but the lightest.
        self.head = "".join(sorted(set(level_class.values())))[:-1]

        self.keywords = [(f, f.facet or f.name) for f in index.fields if isinstance(f, Keyword)]
        self.date_field = next((f for f in index.fields if isinstance(f, Date)), None)
        self.year_key = self.date_field.year_facet if self.date_field else None
        self.stored_fields = [f for f in index.fields if f.stored]
        self.highlight_fields = [f for f in index.fields if getattr(f, "highlight", False)]
        #: query-language filter (auteur, tag, rubrique) -> keywords key
        self.filter_keys = {f.filter: key for f, key in self.keywords if f.filter}
        titles = [f for f in index.fields if isinstance(f, Text)]
        self.title_field = next(
            (f for f in titles if f.name == "title"),
            next((f for f in titles if f.stored), None),
        )

    # Steps also called on a backend (each function takes the backend first).
    _fields = document_fields
    _vector = document_vector
    _combined = combined
    _frequent_phrases = frequent_phrases
    _clause = staticmethod(positional)
    _frequent_of = frequent_of
    _tsqueries = tsqueries
    _conditions = query_conditions
    _where = where_clause
    _plan = staticmethod(plan)

    # -- writing -------------------------------------------------------------------

    def write(self, documents: Iterable[tuple[str, dict]], deleted: Iterable[str]) -> None:
        write_documents(self, documents, deleted)

    def rebuild(self, documents: Iterator[tuple[str, dict]], total: int, progress=None) -> None:
        rebuild_index(self, documents, total, progress)

    def hashes(self) -> dict[str, str]:
        return stored_hashes(self)

    # -- queries ------------------------------------------------------------------

    def search(
        self,
        query: Query,
        *,
        refinements: Refinements | None = None,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 20,
        facets: bool = True,
        highlight: bool = True,
    ) -> Results:
        per_page = max(1, int(per_page))
        page = int(page)
        empty = Results(count=0, page=page, per_page=per_page, hits=[], facets={})
        if page < 1:
            raise PageOutOfRange(page)
        if query.is_empty and not _refines(refinements):
            if page > 1:
                raise PageOutOfRange(page)
            return empty
        match, rank, exact = tsqueries(self, query, frequent_of(self, query))
        found = query_conditions(self, query, refinements)
        if found is None or (match is None and (query.must or query.must_not)):
            if page > 1:
                raise PageOutOfRange(page)
            empty.suggestion = suggestion(self, query, 0) if query.must else None
            return empty
        conditions, params, filters = found
        tsquery = " & ".join([match, *filters] if match else filters) or None
        scope = (conditions, params, tsquery)

        with transaction.atomic(), connection.cursor() as cursor:
            plan(cursor, tsquery is not None)
            # The page first (its ranking does not need the count), then its
            # snippets in a thread while the server counts the matches.
            few = (
                rank is not None
                and sort != "date"
                and most_matches(self, cursor, query) <= schema.RANK_WINDOW
            )
            heads = [] if few else ranking_heads(self, query)
            title = whole_title(self, query) if sort != "date" else None
            ranking = _Ranking(rank, exact, heads, title)
            rows = page_rows(self, cursor, scope, ranking, sort, highlight, page, per_page, few)
            snippets = _in_thread(row_snippets, self, query, rows) if highlight else None
            count, facet_counts = count_matches(self, cursor, scope, facets)
            pages = max(1, math.ceil(count / per_page))
            if page > pages:
                raise PageOutOfRange(page)

        snippets = snippets.result() if snippets is not None else [""] * len(rows)
        hits = [
            Hit(id=object_id, score=float(value), stored=self._stored(stored), snippet=snippet)
            for (object_id, stored, _texts, value), snippet in zip(rows, snippets, strict=True)
        ]
        return Results(
            count=count,
            page=page,
            per_page=per_page,
            hits=hits,
            facets=facet_counts,
            suggestion=suggestion(self, query, count) if query.must else None,
        )

    def _stored(self, stored) -> dict:
        stored = json.loads(stored) if isinstance(stored, str) else dict(stored or {})
        for f in self.stored_fields:
            if isinstance(f, Date) and stored.get(f.name):
                stored[f.name] = _as_datetime(stored[f.name])
        return stored

    # -- suggestions, autocomplete, more like this -----------------------------------

    def suggest(self, query: Query) -> str | None:
        return suggestion(self, query, None)

    def autocomplete(self, prefix: str, limit: int = 8) -> list[str]:
        return completions(self, prefix, limit)

    def more_like_this(self, id: str, limit: int = 4) -> list[str]:
        return related_ids(self, id, limit)


def _refines(refinements: Refinements | None) -> bool:
    """Whether refinements narrow the results (then no query words are needed)."""
    return refinements is not None and (
        any(refinements.values.values())
        or refinements.year_from is not None
        or refinements.year_to is not None
    )
