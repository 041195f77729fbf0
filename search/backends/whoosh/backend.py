"""The embedded backend: a Whoosh index per search index, on local disk.

The class gathers the parts: generations and writing (``writing``), query
evaluation (``querying``), facets, suggestions, more like this (``related``);
this module holds the search itself and the hits it returns."""

from __future__ import annotations

import datetime
import threading

import numpy as np
from django.conf import settings

from search import ranking
from search.backends.base import Backend, Hit, PageOutOfRange, Refinements, Results
from search.backends.whoosh.facets import Facets
from search.backends.whoosh.matches import Matches
from search.backends.whoosh.querying import Querying
from search.backends.whoosh.related import Related
from search.backends.whoosh.schema import build_schema
from search.backends.whoosh.suggest import Suggestions
from search.backends.whoosh.writing import Generations
from search.index import Date, Index, Keyword, Text
from search.query import Query
from search.snippets import WHOOSH, Marks, snippet_of


class WhooshBackend(Generations, Querying, Facets, Suggestions, Related, Backend):
    def __init__(self, idx: Index):
        super().__init__(idx)
        self.schema = build_schema(idx)
        self._lock = threading.Lock()
        self._searcher = None
        self._snapshot = None
        self._ix = None
        self._generation: str | None = None
        text = idx.of_kind("text")
        keywords = [f for f in idx.of_kind("keyword") if f.searchable]
        self.stemmed_fields = [f.name for f in text]
        self.exact_fields = [f.name + "_exact" for f in text] + [
            f.name + "_words" for f in keywords
        ]
        self.highlight_fields = [f.name for f in text if f.highlight]
        self.date_field = next((f.name for f in idx.of_kind("date")), None)
        self.title_field = ranking.title_field(idx)
        self.year_field = next((f.year_facet for f in idx.of_kind("date") if f.year_facet), None)

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
        if page < 1:
            raise PageOutOfRange(page)
        filter_parts = self._filter(query, refinements)
        if not (query.must or query.must_not or filter_parts):
            return Results(count=0, page=page, per_page=per_page, hits=[], facets={})
        searcher, snapshot = self._get_snapshot()
        if query.must:
            matches = self._matches(snapshot, query.must[0])
            for clause in query.must[1:]:
                matches.intersect(self._matches(snapshot, clause))
        else:
            matches = Matches(snapshot.live.copy(), np.zeros(snapshot.size, np.float32))
        for clause in query.must_not:
            matches.exclude(self._matches(snapshot, clause))
        for part in filter_parts:
            matches.mask &= self._filter_mask(snapshot, part)
        if sort != "date":
            self._whole_title_first(snapshot, query, matches)
        matches.mask &= snapshot.live
        matched = np.flatnonzero(matches.mask)
        count = len(matched)
        if page > 1 and (page - 1) * per_page >= count:
            raise PageOutOfRange(page)
        top = self._top(
            snapshot,
            matches,
            matched,
            page * per_page,
            by_date=((sort == "date" or not query.must) and self.date_field is not None),
        )
        hits = []
        for docnum in top[(page - 1) * per_page : page * per_page].tolist():
            stored = searcher.stored_fields(docnum)
            hits.append(
                Hit(
                    id=stored["id"],
                    score=float(matches.scores[docnum]),
                    stored=self._stored(stored),
                    snippet=self._snippet(stored, query) if highlight else "",
                )
            )
        facet_counts = self._facet_counts(snapshot, matches.mask, matched) if facets else {}
        suggestion = self._suggest(searcher, query, count) if query.must else None
        return Results(
            count=count,
            page=page,
            per_page=per_page,
            hits=hits,
            facets=facet_counts,
            suggestion=suggestion,
        )

    def _stored(self, stored: dict) -> dict:
        out = {}
        for f in self.index.fields:
            if not f.stored:
                continue
            if isinstance(f, Text):
                out[f.name] = stored.get(f.name + "_exact", "")
            elif isinstance(f, Date):
                value = stored.get(f.name)
                if isinstance(value, datetime.datetime) and settings.USE_TZ:
                    value = value.replace(tzinfo=datetime.UTC)
                out[f.name] = value
            elif isinstance(f, Keyword):
                out[f.name] = list(stored.get(f.name) or [])
            else:
                out[f.name] = stored.get(f.name)
        return out

    # highlights
    def _snippet(self, stored: dict, query: Query) -> str:
        texts = [stored.get(name + "_exact") or "" for name in self.highlight_fields]
        return snippet_of(texts, Marks.of(query, whole_phrases=False), WHOOSH, pick="first")
