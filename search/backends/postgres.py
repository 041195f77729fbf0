"""The PostgreSQL backend: documents in ``SearchDocument`` rows, found through a
GIN-indexed ``tsvector``, so that several machines share one index.

Conventions
-----------
* **Lexemes.** PostgreSQL's configurations give one stem per word; the project
  gives two (see :mod:`search.analysis`). So the vector is made of the project's
  own lexemes (:func:`search.analysis.lexemes_for_postgres`: ``e<exact>`` then
  ``s<stem1> s<stem2>``, three positions per word) and written here as a
  ``tsvector`` literal, exactly what ``setweight(to_tsvector('simple',
  <lexemes>), <class>)`` gives for one field, without going through
  PostgreSQL's parser. Fields follow each other, heaviest first (positions stop
  at 16383: a long body loses its end, never the title), with a gap of one
  word between fields and between keyword values, so that no phrase spans two.
* **Weights.** Searched fields (Text, and searchable Keyword fields, which weigh
  :data:`KEYWORD_WEIGHT`) are put in weight classes A-D by decreasing weight
  (articles: title A, standfirst B, tags/section/authors C, body/photos D); the
  ranking weights array holds each class's weight, relative to the heaviest.
* **Queries** are written here from the parsed :class:`~search.query.Query`,
  as ``tsquery`` text passed as a parameter (``%s::tsquery``: lexemes are
  quoted, and only ever letters and digits): a word is ``('e<exact>' |
  's<stem1>' | 's<stem2>')``, a quoted word ``'e<exact>'``, a phrase ``'ew1' <3>
  'ew2'``, ``a OU b`` ``(a | b)``, an exclusion ``& !(…)``.
* **Ranking:** ``ts_rank_cd(weights, vector, query, 2)`` (length normalised)
  plus :data:`EXACT_BOOST` times the same rank for the exact words alone.
* **Keywords** (``SearchDocument.keywords``): facet name -> values as displayed,
  and ``<facet>_folded`` -> the same values folded (:func:`fold_value`) for
  filters, which are JSON containment (``keywords @> {"tag_folded": [...]}``,
  GIN ``jsonb_path_ops`` index). The year facet is stored there too, in the
  site's time zone.
* **Vocabulary** (``SearchTerm``): how many documents hold each lexeme and each
  keyword value, maintained by every write in the same transaction. It answers
  "is this word known" with one index lookup, proposes corrections among known
  words of similar length and the same first letter, and weighs the terms of
  "more like this" (tf-idf). Autocomplete reads the keyword values from it and
  the titles through the vector (``'e<prefix>':*A``).

The ``fr`` text search configuration created by migration 0002 (unaccent +
french_stem) is for ad-hoc SQL only: nothing here depends on it.
"""

from __future__ import annotations

import datetime
import html
import json
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from search.analysis import (
    EXACT_PREFIX,
    POSTGRES_POSITIONS_PER_WORD,
    STOP_WORDS,
    exact_form,
    lexemes_for_postgres,
    stems,
    tokenize,
)
from search.backends.base import Backend, Hit, PageOutOfRange, Refinements, Results
from search.index import Date, Index, Keyword, Text, document_hash
from search.query import FIELD_NAMES, AnyOf, Phrase, Query, Term

__all__ = ["PostgresBackend", "fold_value"]

DOCUMENTS = "search_searchdocument"
TERMS = "search_searchterm"

CLASSES = "ABCD"
KEYWORD_WEIGHT = 1.5
EXACT_BOOST = 0.5
FOLDED = "_folded"
FACET_SIZE = 20
SNIPPET_WORDS = 30
MAX_POSITION = 16383  # tsvector positions stop there
MAX_POSITIONS_PER_LEXEME = 256
GAP = POSTGRES_POSITIONS_PER_WORD  # one empty word between fields and values
BATCH = 500
KEYWORD_TERM = "k"
MAX_TERM_LENGTH = 255
MLT_TERMS = 12
RANK_WINDOW = 5000  # matches ranked at most (the newest), see _hits
SUGGEST_BELOW = 3  # also suggest a far more frequent spelling under this many results


def fold_value(value: str) -> str:
    """A keyword value as filters compare it: its words' exact forms, spaced
    ("Science-fiction" and "science fiction" -> "science fiction")."""
    return " ".join(exact_form(t.text) for t in tokenize(value))


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


@dataclass
class _Row:
    id: str
    hash: str
    stored: dict
    keywords: dict
    texts: dict
    date: datetime.datetime | None
    vector: str
    terms: set[str] = field(default_factory=set)

    def params(self, index: str) -> list:
        return [
            index,
            self.id,
            self.hash,
            json.dumps(self.stored, ensure_ascii=False),
            json.dumps(self.keywords, ensure_ascii=False),
            json.dumps(self.texts, ensure_ascii=False),
            self.date,
            self.vector,
        ]


def _batched(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    values = [value] if isinstance(value, str) else list(value)
    return list(dict.fromkeys(str(v).strip() for v in values if v is not None and str(v).strip()))


def _as_datetime(value: Any) -> datetime.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if not isinstance(value, datetime.datetime):  # a date
        value = datetime.datetime.combine(value, datetime.time())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return value


def _levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance (a transposition counts as one edit), or limit + 1 beyond it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


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

    # -- documents ---------------------------------------------------------------

    def _row(self, id: str, document: dict) -> _Row:
        stored = {f.name: _jsonable(document.get(f.name)) for f in self.stored_fields}
        keywords: dict[str, list[str]] = {}
        terms: set[str] = set()
        for f, key in self.keywords:
            values = _as_list(document.get(f.name))
            keywords[key] = values
            keywords[key + FOLDED] = sorted({fold_value(v) for v in values} - {""})
            terms.update(self._keyword_term(key, v) for v in values)
        date = _as_datetime(document.get(self.date_field.name)) if self.date_field else None
        if self.year_key:
            years = [str(timezone.localtime(date).year)] if date else []
            keywords[self.year_key] = keywords[self.year_key + FOLDED] = years
        texts = {f.name: str(document.get(f.name) or "") for f in self.highlight_fields}
        vector, lexemes = self._vector(document)
        terms.update(lexemes)
        return _Row(
            id=str(id),
            hash=document_hash(document),
            stored=stored,
            keywords=keywords,
            texts=texts,
            date=date,
            vector=vector,
            terms=terms,
        )

    @staticmethod
    def _keyword_term(key: str, value: str) -> str:
        return f"{KEYWORD_TERM}{key}:{value}"[:MAX_TERM_LENGTH]

    def _vector(self, document: dict) -> tuple[str, set[str]]:
        """The tsvector literal of a document, and its lexemes."""
        positions: dict[str, list[str]] = {}
        last: dict[str, int] = {}
        position = 0
        for f, weight in self.searched:
            value = document.get(f.name)
            for text in _as_list(value) if isinstance(f, Keyword) else [value]:
                lexemes = lexemes_for_postgres(str(text or "")).split()
                for offset, lexeme in enumerate(lexemes, 1):
                    at = min(position + offset, MAX_POSITION)
                    found = positions.setdefault(lexeme, [])
                    if last.get(lexeme) != at and len(found) < MAX_POSITIONS_PER_LEXEME:
                        found.append(f"{at}{weight}")
                        last[lexeme] = at
                if lexemes:
                    position += len(lexemes) + GAP
        literal = " ".join(f"{_quote(lex)}:{','.join(pos)}" for lex, pos in positions.items())
        return literal, set(positions)

    def _terms_of(self, ids: list[str]) -> Counter:
        """How many of these stored documents hold each vocabulary term."""
        counts: Counter = Counter()
        if not ids:
            return counts
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT keywords, tsvector_to_array(vector) FROM {DOCUMENTS}"  # noqa: S608
                " WHERE index = %s AND object_id = ANY(%s)",
                [self.index.name, ids],
            )
            for keywords, lexemes in cursor.fetchall():
                keywords = json.loads(keywords) if isinstance(keywords, str) else keywords
                terms = set(lexemes or ())
                for _, key in self.keywords:
                    terms.update(self._keyword_term(key, v) for v in keywords.get(key, ()))
                counts.update(terms)
        return counts

    def _insert(self, cursor, rows: list[_Row]) -> None:
        row = "(%s, %s, %s, %s::jsonb, %s::jsonb, %s::jsonb, %s, %s::tsvector)"
        values = ", ".join([row] * len(rows))
        cursor.execute(
            f"INSERT INTO {DOCUMENTS}"  # noqa: S608 - constants only
            " (index, object_id, hash, stored, keywords, texts, date, vector)"
            f" VALUES {values}"
            " ON CONFLICT (index, object_id) DO UPDATE SET hash = EXCLUDED.hash,"
            " stored = EXCLUDED.stored, keywords = EXCLUDED.keywords, texts = EXCLUDED.texts,"
            " date = EXCLUDED.date, vector = EXCLUDED.vector",
            [p for row in rows for p in row.params(self.index.name)],
        )

    def _count_terms(self, cursor, delta: Counter) -> None:
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
                [self.index.name, terms, [n for _, n in batch], buckets, lengths, folded],
            )
            cursor.execute(
                f"DELETE FROM {TERMS} WHERE index = %s AND term = ANY(%s)"  # noqa: S608
                " AND documents <= 0",
                [self.index.name, [t for t, n in batch if n < 0]],
            )

    # -- writing -------------------------------------------------------------------

    def write(self, documents: Iterable[tuple[str, dict]], deleted: Iterable[str]) -> None:
        rows = {str(id): self._row(str(id), doc) for id, doc in documents}
        gone = [i for i in dict.fromkeys(str(d) for d in deleted) if i not in rows]
        with transaction.atomic(), connection.cursor() as cursor:
            delta = Counter()
            delta.subtract(self._terms_of([*rows, *gone]))
            for batch in _batched(rows.values(), BATCH):
                self._insert(cursor, batch)
                for row in batch:
                    delta.update(row.terms)
            if gone:
                cursor.execute(
                    f"DELETE FROM {DOCUMENTS} WHERE index = %s AND object_id = ANY(%s)",  # noqa: S608
                    [self.index.name, gone],
                )
            self._count_terms(cursor, delta)

    def rebuild(self, documents: Iterator[tuple[str, dict]], total: int, progress=None) -> None:
        # One transaction: readers see the old rows until the commit (MVCC), and a
        # failure or a killed process rolls everything back.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {DOCUMENTS} WHERE index = %s", [self.index.name])  # noqa: S608
            cursor.execute(f"DELETE FROM {TERMS} WHERE index = %s", [self.index.name])  # noqa: S608
            counts: Counter = Counter()
            seen: set[str] = set()
            done = 0
            for batch in _batched(documents, BATCH):
                rows = {}
                for id, doc in batch:
                    if str(id) not in seen:
                        seen.add(str(id))
                        rows[str(id)] = self._row(str(id), doc)
                if rows:
                    self._insert(cursor, list(rows.values()))
                for row in rows.values():
                    counts.update(row.terms)
                done += len(batch)
                if progress is not None:
                    progress(done)
            self._count_terms(cursor, counts)

    def hashes(self) -> dict[str, str]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT object_id, hash FROM {DOCUMENTS} WHERE index = %s",  # noqa: S608
                [self.index.name],
            )
            return dict(cursor.fetchall())

    # -- queries ------------------------------------------------------------------

    @staticmethod
    def _clause(clause) -> str | None:
        if isinstance(clause, AnyOf):
            parts = [p for p in (PostgresBackend._clause(o) for o in clause.options) if p]
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

    @staticmethod
    def _exact_clause(clause) -> list[str]:
        """The exact-words version of a positive clause (for the ranking boost)."""
        if isinstance(clause, AnyOf):
            return [p for o in clause.options for p in PostgresBackend._exact_clause(o)]
        if isinstance(clause, Phrase):
            phrase = PostgresBackend._clause(clause)
            return [f"( {phrase} )"] if phrase else []
        return [_quote(EXACT_PREFIX + clause.folded)] if clause.folded else []

    def _tsqueries(self, query: Query) -> tuple[str | None, str | None, str | None]:
        """(the match query, the ranking query, the exact-words query)."""
        positive = [p for p in (self._clause(c) for c in query.must) if p]
        negative = [p for p in (self._clause(c) for c in query.must_not) if p]
        rank = " & ".join(positive) or None
        match = " & ".join(positive + [f"!( {n} )" for n in negative]) or None
        exact = " | ".join(e for c in query.must for e in self._exact_clause(c)) or None
        return match, rank, exact

    def _conditions(self, query: Query, refinements: Refinements | None):
        """SQL conditions and parameters for the query's filters and the refinements,
        or None when they cannot match anything (a filter this index lacks)."""
        refinements = refinements or Refinements()
        wanted: dict[str, list[str]] = {}

        def want(key: str, value: str) -> None:
            folded = fold_value(value)
            values = wanted.setdefault(key + FOLDED, [])
            if folded not in values:
                values.append(folded)

        for name, values in query.filters.as_dict().items():
            if name == "years" or not values:
                continue
            key = self.filter_keys.get(FIELD_NAMES[name])
            if key is None:
                return None
            for value in values:
                want(key, value)
        facets = self.index.facets
        for name, values in refinements.values.items():
            if not values:
                continue
            if name not in facets:
                return None
            for value in values:
                want(name, str(value))

        conditions, params = ["index = %s"], [self.index.name]
        if wanted:
            conditions.append("keywords @> %s::jsonb")
            params.append(json.dumps(wanted, ensure_ascii=False))
        years = query.filters.years
        starts = [y for y in (refinements.year_from, years and years.start) if y is not None]
        ends = [y for y in (refinements.year_to, years and years.end) if y is not None]
        start, end = max(starts, default=None), min(ends, default=None)
        if start is not None or end is not None:
            if self.date_field is None:
                return None
            if start is not None:
                conditions.append("date >= %s")
                params.append(self._new_year(start))
            if end is not None:
                conditions.append("date < %s")
                params.append(self._new_year(end + 1))
        return conditions, params

    @staticmethod
    def _new_year(year: int) -> datetime.datetime:
        year = min(max(year, 1), 9999)
        return timezone.make_aware(datetime.datetime(year, 1, 1))

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
        refined = refinements is not None and (
            any(refinements.values.values())
            or refinements.year_from is not None
            or refinements.year_to is not None
        )
        if query.is_empty and not refined:
            if page > 1:
                raise PageOutOfRange(page)
            return empty
        match, rank, exact = self._tsqueries(query)
        found = self._conditions(query, refinements)
        if found is None or (match is None and (query.must or query.must_not)):
            if page > 1:
                raise PageOutOfRange(page)
            empty.suggestion = self._suggest(query, 0) if query.must else None
            return empty
        conditions, params = found
        if match:
            conditions.append("vector @@ %s::tsquery")
            params.append(match)
        where = " AND ".join(conditions)

        with transaction.atomic():
            if match:
                # The planner reads every vector (TOASTed, large) when most rows
                # match; the GIN bitmap answers a plain tsquery without them.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL enable_seqscan = off")
            count, facet_counts = self._count(where, params, facets)
            pages = max(1, math.ceil(count / per_page))
            if page > pages:
                raise PageOutOfRange(page)
            rows = self._hits(where, params, rank, exact, sort, highlight, page, per_page, count)

        marks = _Marks(query) if highlight else None
        hits = []
        for object_id, stored, texts_value, value in rows:
            stored = self._stored(stored)
            snippet = ""
            if marks is not None and texts_value is not None:
                if isinstance(texts_value, str):
                    texts_value = json.loads(texts_value)
                snippet = marks.snippet(
                    [texts_value.get(f.name, "") for f in self.highlight_fields]
                )
            hits.append(Hit(id=object_id, score=float(value), stored=stored, snippet=snippet))
        return Results(
            count=count,
            page=page,
            per_page=per_page,
            hits=hits,
            facets=facet_counts,
            suggestion=self._suggest(query, count) if query.must else None,
        )

    def _hits(self, where, params, rank, exact, sort, highlight, page, per_page, count) -> list:
        score, score_params = "0", []
        if rank:
            score = "ts_rank_cd(%s::float4[], vector, %s::tsquery, 2)"
            score_params = [self.rank_weights, rank]
            if exact:
                score += " + %s * ts_rank_cd(%s::float4[], vector, %s::tsquery, 2)"
                score_params += [EXACT_BOOST, self.rank_weights, exact]
        texts = "texts" if highlight and self.highlight_fields else "NULL"
        select = f"SELECT object_id, stored, {texts}, {score} AS score FROM {DOCUMENTS}"  # noqa: S608
        by_date = "date DESC NULLS LAST, id DESC"
        offset = (page - 1) * per_page
        with connection.cursor() as cursor:
            if sort == "date" or not rank:
                # The (index, date) index gives the page's ids; only they are scored.
                cursor.execute(
                    f"{select} WHERE id IN (SELECT id FROM {DOCUMENTS} WHERE {where}"  # noqa: S608
                    f" ORDER BY {by_date} LIMIT %s OFFSET %s) ORDER BY {by_date}",
                    [*score_params, *params, per_page, offset],
                )
                return cursor.fetchall()
            if count <= RANK_WINDOW:
                cursor.execute(
                    f"{select} WHERE {where} ORDER BY score DESC, {by_date} LIMIT %s OFFSET %s",
                    [*score_params, *params, per_page, offset],
                )
                return cursor.fetchall()
            # Ranking reads each match's (large) vector: past RANK_WINDOW matches,
            # the newest RANK_WINDOW come first by relevance, then the others by date.
            rows = []
            if offset < RANK_WINDOW:
                cursor.execute(
                    f"{select} WHERE {where} AND id IN (SELECT id FROM {DOCUMENTS}"  # noqa: S608
                    f" WHERE {where} ORDER BY {by_date} LIMIT %s)"
                    f" ORDER BY score DESC, {by_date} LIMIT %s OFFSET %s",
                    [
                        *score_params,
                        *params,
                        *params,
                        RANK_WINDOW,
                        min(per_page, RANK_WINDOW - offset),
                        offset,
                    ],
                )
                rows = cursor.fetchall()
            if len(rows) < per_page:
                cursor.execute(
                    f"{select} WHERE id IN (SELECT id FROM {DOCUMENTS} WHERE {where}"  # noqa: S608
                    f" ORDER BY {by_date} LIMIT %s OFFSET %s) ORDER BY {by_date}",
                    [*score_params, *params, per_page - len(rows), max(offset, RANK_WINDOW)],
                )
                rows += cursor.fetchall()
            return rows

    def _stored(self, stored) -> dict:
        stored = json.loads(stored) if isinstance(stored, str) else dict(stored or {})
        for f in self.stored_fields:
            if isinstance(f, Date) and stored.get(f.name):
                stored[f.name] = _as_datetime(stored[f.name])
        return stored

    def _count(self, where: str, params: list, facets: bool) -> tuple[int, dict]:
        """The number of matches and, if asked, the facet counts: one statement."""
        names = list(self.index.facets) if facets else []
        parts = ["(SELECT '', '', count(*) FROM matched)"]
        part_params: list = []
        for name in names:
            parts.append(
                "(SELECT %s, v, count(*) FROM matched,"  # noqa: S608 - constants only
                " jsonb_array_elements_text(matched.keywords -> %s) AS v"
                f" GROUP BY v ORDER BY count(*) DESC, v LIMIT {FACET_SIZE})"
            )
            part_params += [name, name]
        select = "keywords" if names else "1"
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH matched AS MATERIALIZED (SELECT {select} AS keywords"  # noqa: S608
                f" FROM {DOCUMENTS} WHERE {where}) " + " UNION ALL ".join(parts),
                [*params, *part_params],
            )
            rows = cursor.fetchall()
        count = 0
        found: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
        for name, value, n in rows:
            if name == "":
                count = n
            else:
                found[name].append((value, n))
        for values in found.values():
            values.sort(key=lambda p: (-p[1], p[0]))
        return count, found

    # -- suggestions ----------------------------------------------------------------

    def suggest(self, query: Query) -> str | None:
        return self._suggest(query, None)

    def _suggest(self, query: Query, count: int | None) -> str | None:
        """Correct unknown words; under SUGGEST_BELOW results (``count``), also
        rare words that have a far more frequent neighbour."""
        words: dict[str, tuple[str, list[str]]] = {}  # exact form -> (word, its terms)
        for clause in query.must:
            for option in clause.options if isinstance(clause, AnyOf) else (clause,):
                for word in option.words:
                    folded = exact_form(word)
                    if folded and not folded.isdigit() and folded not in STOP_WORDS:
                        words.setdefault(folded, (word, Term(word).terms))
        if not words:
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, documents FROM {TERMS}"  # noqa: S608
                " WHERE index = %s AND term = ANY(%s)",
                [self.index.name, sorted({t for _, terms in words.values() for t in terms})],
            )
            known = dict(cursor.fetchall())
        corrections = {}
        for folded, (word, terms) in words.items():
            held = any(t in known for t in terms)
            if held and (count is None or count >= SUGGEST_BELOW):
                continue
            correction = self._closest(word, known.get(EXACT_PREFIX + folded, 0))
            if correction:
                corrections[folded] = correction
        if not corrections:
            return None
        return str(_corrected(query, corrections))

    def _closest(self, word: str, frequency: int) -> str | None:
        """The nearest known word (edit distance 1 for short words, else 2), at
        least five times as frequent, that is not a form of the same word."""
        folded = exact_form(word)
        limit = 1 if len(folded) <= 4 else 2
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, documents FROM {TERMS}"  # noqa: S608
                " WHERE index = %s AND bucket = %s AND length BETWEEN %s AND %s"
                " AND documents > %s",
                [
                    self.index.name,
                    EXACT_PREFIX + folded[0],
                    len(folded) - limit,
                    len(folded) + limit,
                    frequency * 5,
                ],
            )
            candidates = cursor.fetchall()
        ranked = []
        for term, documents in candidates:
            candidate = term[len(EXACT_PREFIX) :]
            if candidate != folded:
                distance = _levenshtein(folded, candidate, limit)
                if distance <= limit:
                    ranked.append((distance, -documents, candidate))
        own = set(stems(word))
        for _, _, candidate in sorted(ranked):
            if not own.intersection(stems(candidate)):
                return candidate
        return None

    # -- autocomplete ---------------------------------------------------------------

    def autocomplete(self, prefix: str, limit: int = 8) -> list[str]:
        words = [exact_form(t.text) for t in tokenize(prefix or "")]
        words = [w for w in words if w][:10]
        if not words or limit < 1:
            return []
        wanted = " ".join(words)
        starting: list[str] = []  # keyword values, most frequent first
        containing: list[str] = []
        titles: list[str] = []  # newest first
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, folded FROM {TERMS} WHERE index = %s AND bucket = %s"  # noqa: S608
                " AND (folded LIKE %s OR folded LIKE %s) ORDER BY documents DESC, term LIMIT 100",
                [self.index.name, KEYWORD_TERM, wanted + "%", "% " + wanted + "%"],
            )
            for term, folded in cursor.fetchall():
                value = term.split(":", 1)[1]
                (starting if folded.startswith(wanted) else containing).append(value)
            if self.title_field is not None:
                # Titles holding every word, the last one as a prefix (GIN-friendly).
                weight = self.field_class[self.title_field.name]
                tsquery = " & ".join(
                    [f"{_quote(EXACT_PREFIX + w)}:{weight}" for w in words[:-1]]
                    + [f"{_quote(EXACT_PREFIX + words[-1])}:*{weight}"]
                )
                cursor.execute(
                    f"SELECT stored ->> %s FROM {DOCUMENTS}"  # noqa: S608
                    " WHERE index = %s AND vector @@ %s::tsquery"
                    " ORDER BY date DESC NULLS LAST, id DESC LIMIT %s",
                    [self.title_field.name, self.index.name, tsquery, limit * 4],
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

    # -- more like this ------------------------------------------------------------

    def more_like_this(self, id: str, limit: int = 4) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT u.lexeme, u.weights, t.documents"  # noqa: S608
                f" FROM {DOCUMENTS} d CROSS JOIN LATERAL unnest(d.vector) AS u"
                f" LEFT JOIN {TERMS} t ON t.index = d.index AND t.term = u.lexeme"
                " WHERE d.index = %s AND d.object_id = %s AND u.lexeme LIKE 's%%'",
                [self.index.name, str(id)],
            )
            lexemes = cursor.fetchall()
            if not lexemes:
                return []
            cursor.execute(
                f"SELECT count(*) FROM {DOCUMENTS} WHERE index = %s",  # noqa: S608
                [self.index.name],
            )
            (total,) = cursor.fetchone()
            class_weight = dict(zip(reversed(CLASSES), self.rank_weights, strict=True))
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
            cursor.execute(
                f"SELECT object_id FROM {DOCUMENTS}"  # noqa: S608
                " WHERE index = %s AND object_id <> %s AND vector @@ %s::tsquery"
                " ORDER BY ts_rank(%s::float4[], vector, %s::tsquery) DESC,"
                " date DESC NULLS LAST, id DESC LIMIT %s",
                [self.index.name, str(id), tsquery, self.rank_weights, tsquery, limit],
            )
            return [object_id for (object_id,) in cursor.fetchall()]


def _corrected(query: Query, corrections: dict[str, str]) -> Query:
    def word(text: str) -> str:
        return corrections.get(exact_form(text), text)

    def option(clause):
        if isinstance(clause, Term):
            return Term(word(clause.text), clause.exact)
        return Phrase(tuple(word(w) for w in clause.words))

    def rewrite(clause):
        if isinstance(clause, AnyOf):
            return AnyOf(tuple(option(o) for o in clause.options))
        return option(clause)

    return Query(
        must=tuple(rewrite(c) for c in query.must),
        must_not=query.must_not,
        filters=query.filters,
        raw=query.raw,
    )


class _Marks:
    """What to highlight for a query: tokens whose exact form is a wanted word,
    or which share a stem with a plain (unquoted) wanted word, and the words
    of phrases where the whole phrase occurs."""

    def __init__(self, query: Query):
        self.exact: set[str] = set()
        self.stems: set[str] = set()
        self.phrases: list[tuple[str, ...]] = []
        for clause in query.must:
            for option in clause.options if isinstance(clause, AnyOf) else (clause,):
                if isinstance(option, Phrase):
                    words = tuple(w for w in option.folded if w)
                    if words:
                        self.phrases.append(words)
                elif option.folded:
                    self.exact.add(option.folded)
                    self.stems.update(option.stems)

    def marked(self, tokens) -> set[int]:
        folded = [exact_form(t.text) for t in tokens]
        marked = set()
        for i, (token, form) in enumerate(zip(tokens, folded, strict=True)):
            if form in self.exact or (
                self.stems and form not in STOP_WORDS and self.stems.intersection(stems(token.text))
            ):
                marked.add(i)
        for phrase in self.phrases:
            n = len(phrase)
            for i in range(len(folded) - n + 1):
                if tuple(folded[i : i + n]) == phrase:
                    marked.update(range(i, i + n))
        return marked

    def snippet(self, texts: list[str]) -> str:
        """About SNIPPET_WORDS words of the text that holds the most wanted words,
        starting a little before the first one; HTML with <mark>."""
        best = None
        for text in texts:
            if not text:
                continue
            tokens = tokenize(text)
            marked = self.marked(tokens)
            if not tokens:
                continue
            # The window with the most marked tokens.
            window_start, window_count = 0, 0
            ordered = sorted(marked)
            right = 0
            for left, first in enumerate(ordered):
                while right < len(ordered) and ordered[right] < first + SNIPPET_WORDS:
                    right += 1
                if right - left > window_count:
                    window_start, window_count = first, right - left
            key = (window_count, -len(text) if not marked else 0)
            if best is None or key > best[0]:
                best = (key, text, tokens, marked, window_start)
        if best is None:
            return ""
        _, text, tokens, marked, start = best
        start = max(0, start - 3) if marked else 0
        end = min(len(tokens), start + SNIPPET_WORDS)
        if end - start < SNIPPET_WORDS:
            start = max(0, end - SNIPPET_WORDS)
        begin = 0 if start == 0 else tokens[start].start
        finish = len(text) if end == len(tokens) else tokens[end - 1].end
        parts = ["…" if begin > 0 else ""]
        cursor = begin
        for i in range(start, end):
            token = tokens[i]
            if i in marked:
                parts.append(html.escape(text[cursor : token.start]))
                parts.append(f"<mark>{html.escape(text[token.start : token.end])}</mark>")
                cursor = token.end
        parts.append(html.escape(text[cursor:finish]))
        if finish < len(text):
            parts.append("…")
        return "".join(parts).strip()
