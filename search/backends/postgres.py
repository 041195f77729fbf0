"""The PostgreSQL backend: documents in ``SearchDocument`` rows, found through a
GIN index, so that several machines share one index.

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
* **Shortcuts.** Positions and weights can only be checked by reading the
  vector (large, stored out of line); the GIN index alone says which lexemes a
  document holds. So each document also gets ``shortcuts``, lexemes without
  positions, derived from the vector's positions and weights, and the GIN index
  is built on ``vector || shortcuts``:

  - ``p<w1>_<w2>`` and ``p<w1>_<w2>_<w3>``: two or three words that follow
    each other (what ``'ew1' <3> 'ew2'`` finds), for the frequent phrases
    only: the ones found in PHRASE_SHARE of the first documents a rebuild
    reads, kept in the vocabulary until the next rebuild so that every
    document holds the same ones (all phrases would make millions of GIN
    keys). A frequent phrase is answered by the GIN index alone; another is
    checked on the positions of the documents holding its words (and its
    frequent parts), which are few unless its words are frequent. A document
    too large to hold its phrases gets ``p`` alone instead, and its phrases
    are checked on positions (:data:`PARTIAL`).
  - ``<class><lexeme>`` (``Aefilms``): the lexeme occurs in a field of that
    weight class, for the classes heavier than the lightest (``head``): the
    first candidates of a large ranking, titles for autocomplete.
  - ``f<id>``: the folded keyword value ``SearchKeyword`` ``id`` (filters).

  "_" never occurs in an exact form (letters and digits only), and vector
  lexemes start with "e" or "s", so none of these can be mistaken for another.
* **Queries** are written here from the parsed :class:`~search.query.Query`,
  as ``tsquery`` text passed as a parameter (``%s::tsquery``: lexemes are
  quoted, and only ever letters and digits): a word is ``('e<exact>' |
  's<stem1>' | 's<stem2>')``, a quoted word ``'e<exact>'``, a phrase its
  shortcut if it has one, ``a OU b`` ``(a | b)``, an exclusion ``& !(…)``, a
  filter ``'f<id>'``. Matching is then answered by the GIN index alone (no
  row's vector is read), except for the phrases without a shortcut.
* **Ranking:** ``ts_rank_cd(weights, vector, query, 2)`` (length normalised)
  plus :data:`EXACT_BOOST` times the same rank for the exact words alone,
  where the query's phrases are positional again, plus :data:`TITLE_BONUS`
  when the title holds the whole query (:mod:`search.ranking`: length
  normalisation alone ranks a long article below shorter ones on the same
  story when its headline is pasted). When the vocabulary says
  there are :data:`RANK_WINDOW` matches at most, every match is ranked.
  Beyond, reading every match's vector would cost too much: the candidates
  are the newest :data:`RANK_WINDOW` matches holding every query word in the
  heaviest field (the title), then in a heavy field (title, standfirst,
  keywords), then holding any of them there, then any match; they come first
  by relevance, then the other matches by date. Snippets are made in a thread
  while the server counts the matches.
* **Keywords** (``SearchDocument.keywords``): facet name -> values as displayed,
  and ``<facet>_folded`` -> the same values folded (:func:`fold_value`). The
  year facet is stored there too, in the site's time zone. Each value is also
  numbered in ``SearchKeyword`` (never deleted, so that an id read once stays
  valid): ``facets`` holds the ids of a document's facet values, so one pass
  over the matches' small integer arrays gives the count and every facet. Its
  first id is the combination of the document's values of the facets with few
  values (articles: section and year; see ``_combined``), or 0 without one:
  counting them counts the matches. The folded values are the ``f<id>``
  shortcuts filters look up.
* **Vocabulary** (``SearchTerm``): how many documents hold each lexeme and each
  keyword value, maintained by every write in the same transaction, and the
  frequent phrases (bucket :data:`PHRASE`, replaced by rebuilds only). It answers
  "is this word known" with one index lookup, lists the known words of similar
  length and the same first letter for corrections (rules in
  :mod:`search.spelling`), and weighs the terms of
  "more like this" (tf-idf). Autocomplete reads the keyword values from it and
  the titles through the title-class shortcuts.
* **Plans.** Reading a match's vector costs a TOAST fetch, which the planner
  does not count; left alone it would check ``@@`` row by row behind an index
  on ``index``. A query with words therefore compares ``index`` in a form no
  index serves (:meth:`PostgresBackend._where`) and disables sequential scans,
  so that the GIN index is the only way in.

The ``fr`` text search configuration created by migration 0002 (unaccent +
french_stem) is for ad-hoc SQL only: nothing here depends on it.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime
import gc
import html
import json
import math
import multiprocessing
import re
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, islice
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from search import ranking, spelling
from search.analysis import (
    EXACT_PREFIX,
    POSTGRES_POSITIONS_PER_WORD,
    Token,
    Word,
    analyse,
    exact_form,
    lexemes_for_postgres,
    tokenize,
)
from search.backends.base import Backend, Hit, PageOutOfRange, Refinements, Results
from search.filters import fold_value, matching_values
from search.index import Date, Index, Keyword, Text, document_hash
from search.query import FIELD_NAMES, AnyOf, Phrase, Query, Term

__all__ = ["PostgresBackend", "fold_value"]

DOCUMENTS = "search_searchdocument"
TERMS = "search_searchterm"
KEYWORDS = "search_searchkeyword"
MATCHED = "(vector || shortcuts)"  # the expression the GIN index is built on
MATCHED_INDEX = "search_document_matched_gin"

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
PARALLEL_FROM = 5000  # documents: a smaller rebuild analyses them in its own process
KEYWORD_TERM = "k"
MAX_TERM_LENGTH = 255
MLT_TERMS = 12
RANK_WINDOW = 300  # matches ranked at most, see _candidates
BY_DATE = "date DESC NULLS LAST, id DESC"
TITLE_BONUS = 10.0  # added to a whole-title match's rank (see search.ranking)
PHRASE = "p"  # shortcut prefix of a frequent phrase of two or three words
PARTIAL = PHRASE  # alone: this document's phrases are checked on positions
FILTER = "f"  # shortcut prefix of a folded keyword value's id
COMBINATION = "+"  # SearchKeyword key of a combination of facet values (see _combined)
MAX_COMBINATIONS = 1024
PHRASE_SAMPLE = 1000  # documents a rebuild reads to choose the frequent phrases
PHRASE_SHARE = 0.005  # a phrase in this share of the sample is frequent
MAX_PHRASES = 50_000
MAX_LEXEME_BYTES = 2046  # tsvector's limit for one lexeme
MAX_PHRASE_BYTES = 512 * 1024  # phrase shortcuts of one document (tsvector: 1 MB in all)
# A rebuild writes the whole index in one transaction: GIN entries gather in
# the pending list and are merged in large sorted batches.
REBUILD_SETTINGS = {
    "work_mem": "64MB",
    "maintenance_work_mem": "256MB",
    "gin_pending_list_limit": "64MB",
}


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _plain(lexemes: Iterable[str]) -> bool:
    """Whether no lexeme needs escaping (the usual case: letters and digits)."""
    joined = "\x00".join(lexemes)
    return "'" not in joined and "\\" not in joined


def _literal(lexemes: list[str]) -> str:
    """A tsvector literal of lexemes without positions."""
    if _plain(lexemes):
        return "'" + "' '".join(lexemes) + "'" if lexemes else ""
    return " ".join(map(_quote, lexemes))


@cache
def _labels(weight: str) -> tuple[str, ...]:
    """Position labels of a weight class ("12A"; D is the default, unlabelled),
    indexed by position: formatting each position costs more than a lookup."""
    suffix = "" if weight == "D" else weight
    return tuple(f"{at}{suffix}" for at in range(MAX_POSITION + 1))


@dataclass
class _Row:
    """A document as it is written: JSON and tsvector text made where it is
    analysed (text is quick to pass from a worker process), keyword values
    still to number."""

    id: str
    hash: str
    stored: str  # JSON
    keywords: str  # JSON
    texts: str  # JSON
    date: datetime.datetime | None
    vector: str
    shortcuts: set[str]  # class shortcuts
    phrases: set[tuple[str, ...]]  # every phrase of two and three words (exact forms)
    facets: list[tuple[str, str]]  # (facet, value as displayed)
    filters: list[tuple[str, str]]  # (<facet>_folded, folded value)
    terms: set[str] = field(default_factory=set)
    kept: str = ""  # once kept (see keep): the shortcuts but filters, as tsvector text

    def keep(self, frequent: dict[tuple[str, ...], str]) -> None:
        """Keep the shortcuts of the ``frequent`` phrases (words -> shortcut, see
        _frequent_phrases) only, or PARTIAL if they do not fit."""
        phrases = set(map(frequent.__getitem__, frequent.keys() & self.phrases))
        if not _fits(phrases):
            phrases = {PARTIAL}
        self.kept = _literal([*self.shortcuts, *phrases])
        self.shortcuts, self.phrases = set(), set()

    def combination(self, ids: dict, combined: frozenset[str]) -> str:
        """The ids of this document's values of the ``combined`` facets, as the
        value of their combination (see PostgresBackend._combined)."""
        parts = sorted(ids[p] for p in self.facets if p[0] in combined and p in ids)
        return ",".join(map(str, parts))

    def values(self, index: str, numbers: _Numbers) -> list:
        """Column values, keyword values numbered (see _Numbers), once ``keep``
        has chosen the phrases."""
        ids, combined = numbers.ids, numbers.combined
        combination = self.combination(ids, combined)
        facets = [ids[(COMBINATION, combination)] if combination else 0]
        facets += [ids[p] for p in self.facets if p[0] not in combined and p in ids]
        filters = _literal([f"{FILTER}{ids[p]}" for p in self.filters if p in ids])
        return [
            index,
            self.id,
            self.hash,
            self.stored,
            self.keywords,
            self.texts,
            self.date,
            self.vector,
            " ".join(text for text in (self.kept, filters) if text),
            facets,
        ]


@dataclass
class _Numbers:
    """SearchKeyword ids of keyword values and combinations, for one transaction
    only (a number made in a transaction that rolls back does not exist), and
    the facets combined in this transaction's documents."""

    ids: dict = field(default_factory=dict)  # (key, value) -> id
    combined: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Ranking:
    rank: str | None  # the ranking tsquery (on positions); None: by date
    exact: str | None  # the exact words, for EXACT_BOOST
    heads: list[str]  # narrowings for the candidates of a large ranking (_candidates)
    title: str | None = None  # the whole query in the title (search.ranking)


COLUMNS = "index, object_id, hash, stored, keywords, texts, date, vector, shortcuts, facets"
PLACEHOLDERS = (
    "(%s, %s, %s, %s::jsonb, %s::jsonb, %s::jsonb, %s, %s::tsvector, %s::tsvector, %s::int[])"
)


@contextlib.contextmanager
def _fewer_collections():
    """Run the cyclic garbage collector less often: analysing a document makes
    thousands of lists and tuples that die young, and collections that kept
    scanning the batch in hand doubled the time of an analysis. Only the first
    threshold is raised: the older generations are still collected as usual,
    or the cycles left by reading documents would pile up (a gigabyte on
    100,000 articles)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _analyse(backend, frequent: dict, batch: list) -> tuple[list[_Row], Counter]:
    """Rows of a batch of documents (only their frequent phrases kept), and how
    many of them hold each vocabulary term."""
    rows, terms = [], Counter()
    for id, document in batch:
        row = backend._row(id, document)
        row.keep(frequent)
        terms.update(row.terms)
        row.terms = set()
        rows.append(row)
    return rows, terms


_forked: tuple = ()  # (backend, frequent phrases) of the rebuild a worker was forked from


def _analyse_forked(batch: list) -> tuple[list[_Row], Counter]:
    return _analyse(*_forked, batch)


_threads: list = []  # the pool of _in_thread, made on first use in each process


def _in_thread(function, *args) -> concurrent.futures.Future:
    """Run pure Python work (no database) in a thread, while this one waits for
    the server: the wait releases the GIL."""
    if not _threads:
        _threads.append(ThreadPoolExecutor(max_workers=4, thread_name_prefix="search"))
    return _threads[0].submit(function, *args)


class _Later:
    """The analysis of a batch here, when its rows are asked for."""

    def __init__(self, backend, frequent: dict, batch: list):
        self.args = (backend, frequent, batch)

    def get(self) -> tuple[list[_Row], Counter]:
        return _analyse(*self.args)


class _Analysis:
    """Turns batches of documents into rows for a rebuild. Analysis is CPU-bound
    Python; with ``workers``, batches are analysed by forked processes, beside
    this one's reading and writing and the server's storing (on 2 cores, a
    third faster). The workers never touch the database connection they
    inherit, and are killed on the way out."""

    def __init__(self, backend, frequent: dict, workers: int):
        self.backend, self.frequent = backend, frequent
        self.workers = workers if "fork" in multiprocessing.get_all_start_methods() else 0
        self.pool = None

    def __enter__(self):
        global _forked
        if self.workers:
            _forked = (self.backend, self.frequent)
            self.pool = multiprocessing.get_context("fork").Pool(self.workers)
        return self

    def submit(self, batch: list):
        if self.pool is None:
            return _Later(self.backend, self.frequent, batch)
        return self.pool.apply_async(_analyse_forked, (batch,))

    def __exit__(self, *exc):
        global _forked
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            _forked = ()


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


# --- positions and shortcuts ---------------------------------------------------

# A searched text as it enters the vector: (weight class, position before its
# first lexeme, its lexemes).
_Field = tuple[str, int, list[str]]


def _recorded(fields: list[_Field]) -> dict[str, list[tuple[int, str]]]:
    """Lexeme -> (position, class) as the vector records them: positions stop at
    MAX_POSITION (a lexeme is recorded there once) and at
    MAX_POSITIONS_PER_LEXEME per lexeme."""
    recorded: dict[str, list[tuple[int, str]]] = {}
    for weight, start, lexemes in fields:
        for offset, lexeme in enumerate(lexemes, 1):
            at = min(start + offset, MAX_POSITION)
            found = recorded.setdefault(lexeme, [])
            if (not found or found[-1][0] != at) and len(found) < MAX_POSITIONS_PER_LEXEME:
                found.append((at, weight))
    return recorded


def _phrase(words: Iterable[str]) -> str:
    """The shortcut of a phrase of exact forms."""
    return PHRASE + "_".join(words)


def _phrases_of_fields(fields: list[_Field]) -> set[tuple[str, ...]]:
    """Every phrase of two and three words (exact forms), read from the words
    themselves: right when each exact form is recorded at its own position
    (see _phrases_of_positions). Each word is three lexemes, its exact form
    first."""
    phrases: set[tuple[str, ...]] = set()
    for _weight, _start, lexemes in fields:
        words = [lexeme[len(EXACT_PREFIX) :] for lexeme in lexemes[::POSTGRES_POSITIONS_PER_WORD]]
        phrases.update(zip(words, words[1:], strict=False))
        phrases.update(zip(words, words[1:], words[2:], strict=False))
    return phrases


def _phrases_of_positions(recorded: dict[str, list[tuple[int, str]]]) -> set[tuple[str, ...]]:
    """Every phrase of two and three words the vector holds: (a, b) for exact
    forms at p and p+3 (what ``'ea' <3> 'eb'`` finds), (a, b, c) with c at p+6.
    Stop words repeat their exact form at three positions: their phrases are
    also read from the first ones, so the words of each field in order give
    the same set as long as no position was lost."""
    words_at: dict[int, list[str]] = {}
    for lexeme, found in recorded.items():
        if lexeme.startswith(EXACT_PREFIX):
            for at, _weight in found:
                words_at.setdefault(at, []).append(lexeme[len(EXACT_PREFIX) :])
    step = POSTGRES_POSITIONS_PER_WORD
    phrases: set[tuple[str, ...]] = set()
    for at, firsts in words_at.items():
        for second in words_at.get(at + step, ()):
            phrases.update((first, second) for first in firsts)
            for third in words_at.get(at + 2 * step, ()):
                phrases.update((first, second, third) for first in firsts)
    return phrases


def _fits(phrases: set[str]) -> bool:
    """Whether phrase shortcuts fit in a tsvector (per lexeme and in all)."""
    lengths = list(map(len, phrases))
    if 4 * sum(lengths) <= MAX_PHRASE_BYTES and 4 * max(lengths, default=0) <= MAX_LEXEME_BYTES:
        return True  # four bytes a character at most
    sizes = [len(p.encode()) for p in phrases]
    return sum(sizes) <= MAX_PHRASE_BYTES and max(sizes, default=0) <= MAX_LEXEME_BYTES


def _runs(words: list[str]) -> list[str]:
    """The shortcuts of the phrases of three and two words within a phrase."""
    triples = zip(words, words[1:], words[2:], strict=False)
    return [*map(_phrase, triples), *map(_phrase, zip(words, words[1:], strict=False))]


def _phrase_words(clause) -> list[list[str]]:
    """The exact forms of each phrase of two words or more in a clause."""
    options = clause.options if isinstance(clause, AnyOf) else (clause,)
    phrases = [[w for w in o.folded if w] for o in options if isinstance(o, Phrase)]
    return [words for words in phrases if len(words) > 1]


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
        vector, lexemes, shortcuts, phrases = self._vector(document)
        terms.update(lexemes)
        facets = self.index.facets
        return _Row(
            id=str(id),
            hash=document_hash(document),
            stored=json.dumps(stored, ensure_ascii=False),
            keywords=json.dumps(keywords, ensure_ascii=False),
            texts=json.dumps(texts, ensure_ascii=False),
            date=date,
            vector=vector,
            shortcuts=shortcuts,
            phrases=phrases,
            facets=[(key, v) for key, values in keywords.items() if key in facets for v in values],
            filters=[
                (k, v) for k, values in keywords.items() if k.endswith(FOLDED) for v in values
            ],
            terms=terms,
        )

    @staticmethod
    def _keyword_term(key: str, value: str) -> str:
        return f"{KEYWORD_TERM}{key}:{value}"[:MAX_TERM_LENGTH]

    def _fields(self, document: dict) -> list[_Field]:
        """The searched texts of a document, heaviest first, as the vector holds them."""
        fields = []
        position = 0
        for f, weight in self.searched:
            value = document.get(f.name)
            for text in _as_list(value) if isinstance(f, Keyword) else [value]:
                lexemes = lexemes_for_postgres(str(text or "")).split()
                if lexemes:
                    fields.append((weight, position, lexemes))
                    position += len(lexemes) + GAP
        return fields

    def _vector(self, document: dict) -> tuple[str, set[str], set[str], set[str]]:
        """The tsvector literal of a document, its lexemes, its class shortcuts
        and its phrases."""
        fields = self._fields(document)
        recorded = None
        if fields and fields[-1][1] + len(fields[-1][2]) > MAX_POSITION:
            recorded = _recorded(fields)
            positions = {
                lexeme: [_labels(weight)[at] for at, weight in found]
                for lexeme, found in recorded.items()
            }
        else:
            # The usual case, written for speed: positions only grow, so a
            # lexeme is never recorded twice at one; the first positions of a
            # lexeme are kept.
            positions = defaultdict(list)
            for weight, start, lexemes in fields:
                labels = _labels(weight)[start + 1 : start + 1 + len(lexemes)]
                for lexeme, label in zip(lexemes, labels, strict=True):
                    positions[lexeme].append(label)
            for found in positions.values():
                if len(found) > MAX_POSITIONS_PER_LEXEME:
                    del found[MAX_POSITIONS_PER_LEXEME:]
                    recorded = recorded or _recorded(fields)
        if _plain(positions):
            literal = " ".join(f"'{lexeme}':{','.join(at)}" for lexeme, at in positions.items())
        else:
            literal = " ".join(
                f"{_quote(lexeme)}:{','.join(at)}" for lexeme, at in positions.items()
            )
        return literal, set(positions), *self._shortcuts(fields, recorded)

    def _shortcuts(self, fields: list[_Field], recorded: dict | None):
        """Class shortcuts and phrases. From the fields themselves unless some
        positions were lost (``recorded``: then from what the vector holds)."""
        shortcuts: set[str] = set()
        if recorded is None:
            for weight, _start, lexemes in fields:
                if weight in self.head:
                    shortcuts.update(map(weight.__add__, lexemes))
            return shortcuts, _phrases_of_fields(fields)
        for lexeme, found in recorded.items():
            shortcuts.update(weight + lexeme for _at, weight in found if weight in self.head)
        return shortcuts, _phrases_of_positions(recorded)

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

    def _keyword_ids(
        self, cursor, pairs: Iterable[tuple[str, str]], ids: dict, create: bool = True
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
                [self.index.name, keys, values],
            )
        cursor.execute(
            f"SELECT key, value, id FROM {KEYWORDS} WHERE index = %s AND (key, digest) IN"  # noqa: S608
            " (SELECT k, md5(v) FROM unnest(%s::text[], %s::text[]) AS x(k, v))",
            [self.index.name, keys, values],
        )
        ids.update(((key, value), id) for key, value, id in cursor.fetchall())
        return ids

    def _number(self, cursor, rows: list[_Row], numbers: _Numbers) -> None:
        """Number the keyword values of ``rows`` and their combinations."""
        ids = numbers.ids
        self._keyword_ids(cursor, (p for row in rows for p in (*row.facets, *row.filters)), ids)
        combinations = {row.combination(ids, numbers.combined) for row in rows} - {""}
        self._keyword_ids(cursor, ((COMBINATION, c) for c in combinations), ids)

    def _combined(self, cursor) -> frozenset[str]:
        """The facets whose values a document holds as one combination id: those
        with the fewest distinct values, as long as their combinations number
        MAX_COMBINATIONS at most (articles: section and year). Counting reads a
        few ids less per match; a document's combination is expanded into its
        values once per query. Any choice counts right: each document says what
        it holds."""
        names = list(self.index.facets)
        cursor.execute(
            f"SELECT key, count(*) FROM {KEYWORDS} WHERE index = %s AND key = ANY(%s)"  # noqa: S608
            " GROUP BY key",
            [self.index.name, names],
        )
        known = dict(cursor.fetchall())
        combined, product = [], 1
        for name in sorted(names, key=lambda n: known.get(n, 0)):
            product *= max(known.get(name, 0), 1)
            if product > MAX_COMBINATIONS:
                break
            combined.append(name)
        return frozenset(combined)

    def _insert(self, cursor, rows: list[_Row], numbers: _Numbers, frequent: dict) -> None:
        for row in rows:
            row.keep(frequent)
        self._number(cursor, rows, numbers)
        values = ", ".join([PLACEHOLDERS] * len(rows))
        cursor.execute(
            f"INSERT INTO {DOCUMENTS} ({COLUMNS}) VALUES {values}"  # noqa: S608 - constants only
            " ON CONFLICT (index, object_id) DO UPDATE SET hash = EXCLUDED.hash,"
            " stored = EXCLUDED.stored, keywords = EXCLUDED.keywords, texts = EXCLUDED.texts,"
            " date = EXCLUDED.date, vector = EXCLUDED.vector, shortcuts = EXCLUDED.shortcuts,"
            " facets = EXCLUDED.facets",
            [p for row in rows for p in row.values(self.index.name, numbers)],
        )

    def _frequent_phrases(self, cursor) -> dict[tuple[str, ...], str]:
        """The phrases the last rebuild found frequent (SearchTerm rows of bucket
        PHRASE): every document of the index has their shortcuts. Read again
        only when a rebuild has replaced them."""
        cursor.execute(
            f"SELECT count(*), max(id) FROM {TERMS} WHERE index = %s AND bucket = %s",  # noqa: S608
            [self.index.name, PHRASE],
        )
        version = cursor.fetchone()
        cached = getattr(self, "_phrases", None)
        if cached is not None and cached[0] == version:
            return cached[1]
        cursor.execute(
            f"SELECT term FROM {TERMS} WHERE index = %s AND bucket = %s",  # noqa: S608
            [self.index.name, PHRASE],
        )
        frequent = {tuple(term[len(PHRASE) :].split("_")): term for (term,) in cursor.fetchall()}
        self._phrases = (version, frequent)
        return frequent

    def _choose_phrases(self, cursor, counts: Counter, sample: int) -> dict[tuple[str, ...], str]:
        """The phrases found in PHRASE_SHARE of the ``sample`` documents (``counts``
        of each; MAX_PHRASES at most, the most frequent), kept as SearchTerm
        rows of bucket PHRASE. A phrase query with one of them is answered by
        the GIN index alone; the others are rarer, and checked on the positions
        of the few documents holding their words."""
        least = max(2, math.ceil(PHRASE_SHARE * sample))
        chosen = [(n, _phrase(p), p) for p, n in counts.items() if n >= least]
        chosen = sorted(c for c in chosen if len(c[1]) <= MAX_TERM_LENGTH)[::-1][:MAX_PHRASES]
        for batch in _batched(chosen, 5000):
            cursor.execute(
                f"INSERT INTO {TERMS} (index, term, documents, bucket, length, folded)"  # noqa: S608
                " SELECT %s, t, d, %s, length(t) - 1, '' FROM unnest(%s::text[], %s::int[])"
                " AS x(t, d)",
                [self.index.name, PHRASE, [t for _, t, _ in batch], [n for n, _, _ in batch]],
            )
        return {words: term for _, term, words in chosen}

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
            frequent, numbers = {}, _Numbers()
            if rows:
                frequent = self._frequent_phrases(cursor)
                numbers.combined = self._combined(cursor)
            for batch in _batched(rows.values(), BATCH):
                self._insert(cursor, batch, numbers, frequent)
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
        with _fewer_collections(), transaction.atomic(), connection.cursor() as cursor:
            settings = ", ".join(["set_config(%s, %s, true)"] * len(REBUILD_SETTINGS))
            cursor.execute(
                f"SELECT {settings}", [p for item in REBUILD_SETTINGS.items() for p in item]
            )
            cursor.execute(f"DELETE FROM {DOCUMENTS} WHERE index = %s", [self.index.name])  # noqa: S608
            cursor.execute(f"DELETE FROM {TERMS} WHERE index = %s", [self.index.name])  # noqa: S608
            batches = _batched(documents, BATCH)  # reading one queries the database
            seen: set[str] = set()
            done = 0

            def fresh(batch: list) -> list[tuple[str, dict]]:
                """The batch without documents seen before; reports progress."""
                nonlocal done
                done += len(batch)
                if progress is not None and batch:
                    progress(done)
                unseen = [(str(id), doc) for id, doc in batch if str(id) not in seen]
                seen.update(id for id, _ in unseen)
                return unseen

            # A sample chooses the frequent phrases and the combined facets; its
            # documents are analysed again below (keeping their rows, phrases
            # and all, would cost hundreds of megabytes).
            sample: list[tuple[str, dict]] = []
            phrases: Counter = Counter()
            pairs: set[tuple[str, str]] = set()
            for batch in batches:
                for id, doc in fresh(batch):
                    row = self._row(id, doc)
                    phrases.update(row.phrases)
                    pairs.update(row.facets)
                    sample.append((id, doc))
                if len(sample) >= PHRASE_SAMPLE:
                    break
            frequent = self._choose_phrases(cursor, phrases, len(sample))
            numbers = _Numbers()
            self._keyword_ids(cursor, pairs, numbers.ids)
            numbers.combined = self._combined(cursor)
            del phrases, pairs
            counts: Counter = Counter()
            queue = chain(_batched(sample, BATCH), (fresh(batch) for batch in batches))
            workers = 1 if total >= PARALLEL_FROM else 0
            with _Analysis(self, frequent, workers) as analysis:
                # Two batches ahead: the worker never waits for this process.
                ahead = deque(analysis.submit(next(queue, [])) for _ in range(2))
                rows, terms = ahead.popleft().get()
                counts.update(terms)
                ahead.append(analysis.submit(next(queue, [])))
                while rows:
                    self._number(cursor, rows, numbers)
                    with cursor.cursor.copy(f"COPY {DOCUMENTS} ({COLUMNS}) FROM STDIN") as copy:  # noqa: S608
                        for row in rows:
                            copy.write_row(row.values(self.index.name, numbers))
                        # The server stores these rows while the next ones are analysed.
                        rows, terms = ahead.popleft().get()
                    counts.update(terms)
                    ahead.append(analysis.submit(next(queue, [])))
            self._count_terms(cursor, counts)
            # Merge what the pending list still holds: queries would scan it.
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [MATCHED_INDEX])

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
        """A clause on the vector's lexemes and positions (ranking)."""
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

    def _match_clause(self, clause, frequent: frozenset[str]) -> str | None:
        """A clause as the GIN index answers it alone: a ``frequent`` phrase
        through its shortcut (on positions only in a PARTIAL document); another
        phrase on positions, among the documents holding the frequent phrases
        within it if any."""
        if isinstance(clause, AnyOf):
            parts = [p for p in (self._match_clause(o, frequent) for o in clause.options) if p]
            return f"( {' | '.join(parts)} )" if parts else None
        positional = self._clause(clause)
        words = [w for w in clause.folded if w] if isinstance(clause, Phrase) else []
        if len(words) < 2:
            return positional
        whole = _phrase(words)
        if len(words) <= 3 and whole in frequent:
            return f"( {_quote(whole)} | ( '{PARTIAL}' & {positional} ) )"
        within = [_quote(run) for run in _runs(words) if run in frequent]
        if not within:
            return positional
        return f"( ( {' & '.join(within)} | '{PARTIAL}' ) & {positional} )"

    def _frequent_of(self, query: Query) -> frozenset[str]:
        """Which phrases within the query's phrases are frequent (see
        _choose_phrases)."""
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
                [self.index.name, PHRASE, sorted(runs)],
            )
            return frozenset(term for (term,) in cursor.fetchall())

    @staticmethod
    def _exact_clause(clause) -> list[str]:
        """The exact-words version of a positive clause (for the ranking boost)."""
        if isinstance(clause, AnyOf):
            return [p for o in clause.options for p in PostgresBackend._exact_clause(o)]
        if isinstance(clause, Phrase):
            phrase = PostgresBackend._clause(clause)
            return [f"( {phrase} )"] if phrase else []
        return [_quote(EXACT_PREFIX + form) for form in clause.forms if form]

    def _tsqueries(
        self, query: Query, frequent: frozenset[str] = frozenset()
    ) -> tuple[str | None, str | None, str | None]:
        """(the match query, the ranking query, the exact-words query), phrases
        in ``frequent`` answered by their shortcuts."""
        positive = [p for p in (self._match_clause(c, frequent) for c in query.must) if p]
        negative = [p for p in (self._match_clause(c, frequent) for c in query.must_not) if p]
        match = " & ".join(positive + [f"!( {n} )" for n in negative]) or None
        rank = " & ".join(p for p in (self._clause(c) for c in query.must) if p) or None
        exact = " | ".join(e for c in query.must for e in self._exact_clause(c)) or None
        return match, rank, exact

    def _head_words(self, clause, classes: str) -> list[str]:
        """Each word of a clause as class shortcuts: ``( 'Aew' | 'Bew' | … )``."""
        if isinstance(clause, AnyOf):
            return [w for option in clause.options for w in self._head_words(option, classes)]
        if isinstance(clause, Phrase):
            alternatives = [[EXACT_PREFIX + w] for w in clause.folded if w]
        else:
            alternatives = [clause.terms] if clause.terms else []
        return [
            "( " + " | ".join(_quote(c + t) for t in terms for c in classes) + " )"
            for terms in alternatives
        ]

    def _heads(self, query: Query) -> list[str]:
        """Ranking candidates come first from these narrowings: every positive
        clause holds a word in the heaviest field (a phrase: all its words),
        then in a heavy field, then any of their words is in a heavy field."""
        if not self.head:
            return []
        heads = []
        for classes in (self.head[:1], self.head):
            clauses = [self._head_words(c, classes) for c in query.must]
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

    def _conditions(self, query: Query, refinements: Refinements | None):
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
            key = self.filter_keys.get(FIELD_NAMES[name])
            if key is None:
                return None
            for value in values:
                found = self._filter_values(FIELD_NAMES[name], key + FOLDED, value)
                if not found:
                    return None
                chosen.append([(key + FOLDED, v) for v in found])
        facets = self.index.facets
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
            if self.date_field is None:
                return None
            if start is not None:
                conditions.append("date >= %s")
                params.append(self._new_year(start))
            if end is not None:
                conditions.append("date < %s")
                params.append(self._new_year(end + 1))
        filters = []
        if wanted or chosen:
            pairs = wanted + [pair for pairs in chosen for pair in pairs]
            with connection.cursor() as cursor:
                ids = self._keyword_ids(cursor, pairs, {}, create=False)
            if any(pair not in ids for pair in wanted):
                return None
            filters = [_quote(f"{FILTER}{ids[pair]}") for pair in wanted]
            for pairs in chosen:
                known = [_quote(f"{FILTER}{ids[pair]}") for pair in pairs if pair in ids]
                if not known:
                    return None
                filters.append("( " + " | ".join(known) + " )")
        return conditions, params, filters

    def _filter_values(self, name: str, key: str, value: str) -> list[str]:
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
                [self.index.name, key, f"%{longest}%"],
            )
            known = [v for (v,) in cursor.fetchall()]
        return matching_values(name, value, known)

    @staticmethod
    def _new_year(year: int) -> datetime.datetime:
        year = min(max(year, 1), 9999)
        return timezone.make_aware(datetime.datetime(year, 1, 1))

    def _where(self, conditions: list[str], params: list, tsquery: str | None):
        """The WHERE clause and its parameters. With a tsquery, the other
        conditions (``index``, dates) are written in a form no index serves (IS
        TRUE): the planner would otherwise walk the (index, date) index and
        check ``@@`` row by row, reading every vector on its way."""
        if tsquery is None:
            return " AND ".join(["index = %s", *conditions]), [self.index.name, *params]
        unindexed = [f"({condition}) IS TRUE" for condition in ["index = %s", *conditions]]
        where = " AND ".join([*unindexed, f"{MATCHED} @@ %s::tsquery"])
        return where, [self.index.name, *params, tsquery]

    @staticmethod
    def _plan(cursor, words: bool) -> None:
        """Settings for one search transaction: no JIT (compiling costs more than
        these queries) and, with words, the GIN index as the only way in."""
        cursor.execute(
            "SELECT set_config('jit', 'off', true), set_config('enable_seqscan', %s, true)",
            ["off" if words else "on"],
        )

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
        match, rank, exact = self._tsqueries(query, self._frequent_of(query))
        found = self._conditions(query, refinements)
        if found is None or (match is None and (query.must or query.must_not)):
            if page > 1:
                raise PageOutOfRange(page)
            empty.suggestion = self._suggest(query, 0) if query.must else None
            return empty
        conditions, params, filters = found
        tsquery = " & ".join([match, *filters] if match else filters) or None
        scope = (conditions, params, tsquery)

        with transaction.atomic(), connection.cursor() as cursor:
            self._plan(cursor, tsquery is not None)
            # The page first (its ranking does not need the count), then its
            # snippets in a thread while the server counts the matches.
            few = rank is not None and sort != "date" and self._most(cursor, query) <= RANK_WINDOW
            heads = [] if few else self._heads(query)
            title = self._whole_title(query) if sort != "date" else None
            ranking = _Ranking(rank, exact, heads, title)
            rows = self._hits(cursor, scope, ranking, sort, highlight, page, per_page, few)
            snippets = _in_thread(self._snippets, query, rows) if highlight else None
            count, facet_counts = self._count(cursor, scope, facets)
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
            suggestion=self._suggest(query, count) if query.must else None,
        )

    def _snippets(self, query: Query, rows: list) -> list[str]:
        marks = _Marks(query)
        snippets = []
        for _object_id, _stored, texts, _score in rows:
            if isinstance(texts, str):
                texts = json.loads(texts)
            fields = [(texts or {}).get(f.name, "") for f in self.highlight_fields]
            snippets.append(marks.snippet(fields) if texts is not None else "")
        return snippets

    def _most(self, cursor, query: Query) -> float:
        """At most how many documents the query's words match, read from the
        vocabulary: a word no more than its terms hold together, a query no
        more than its rarest clause (infinity when a clause has no term)."""
        options = [c.options if isinstance(c, AnyOf) else (c,) for c in query.must]
        terms = {
            t
            for clause in options
            for o in clause
            for t in (
                [EXACT_PREFIX + w for w in o.folded if w] if isinstance(o, Phrase) else o.terms
            )
        }
        cursor.execute(
            f"SELECT term, documents FROM {TERMS} WHERE index = %s AND term = ANY(%s)",  # noqa: S608
            [self.index.name, sorted(terms)],
        )
        documents = dict(cursor.fetchall())

        def most(option) -> float:
            if isinstance(option, Phrase):
                words = [EXACT_PREFIX + w for w in option.folded if w]
                return min((documents.get(w, 0) for w in words), default=math.inf)
            return sum(documents.get(t, 0) for t in option.terms) if option.terms else math.inf

        return min((sum(map(most, clause)) for clause in options), default=math.inf)

    def _score(self, ranking: _Ranking) -> tuple[str, list]:
        if not ranking.rank:
            return "0", []
        score = "ts_rank_cd(%s::float4[], vector, %s::tsquery, 2)"
        params = [self.rank_weights, ranking.rank]
        if ranking.exact:
            score += " + %s * ts_rank_cd(%s::float4[], vector, %s::tsquery, 2)"
            params += [EXACT_BOOST, self.rank_weights, ranking.exact]
        if ranking.title:
            score += " + CASE WHEN vector @@ %s::tsquery THEN %s ELSE 0 END"
            params += [ranking.title, TITLE_BONUS]
        return score, params

    def _whole_title(self, query: Query) -> str | None:
        """A tsquery of the query's clauses, each in the title (search.ranking)."""
        clauses = ranking.whole_title_clauses(query)
        if not clauses or self.title_field is None:
            return None
        weight = self.field_class[self.title_field.name]
        parts = []
        for clause in clauses:
            if isinstance(clause, Phrase):
                words = [_quote(EXACT_PREFIX + w) + ":" + weight for w in clause.folded if w]
                parts.append(f" <{POSTGRES_POSITIONS_PER_WORD}> ".join(words))
            elif clause.terms:
                parts.append(" | ".join(f"{_quote(t)}:{weight}" for t in clause.terms))
        parts = [f"( {part} )" for part in parts if part]
        return " & ".join(parts) or None

    def _hits(self, cursor, scope, ranking, sort, highlight, page, per_page, few: bool) -> list:
        """The page's rows: by date, or by relevance, every match ranked when
        they are ``few`` (RANK_WINDOW at most), else the candidates first."""
        score, score_params = self._score(ranking)
        texts = "texts" if highlight and self.highlight_fields else "NULL"
        select = f"SELECT object_id, stored, {texts}, {score} AS score FROM {DOCUMENTS}"  # noqa: S608
        where, params = self._where(*scope)
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
        candidates = self._candidates(cursor, scope, ranking.heads)
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

    def _candidates(self, cursor, scope, heads: list[str]) -> list[int]:
        """The ids of the matches to rank (RANK_WINDOW at most): the newest of
        those narrowed by each of ``heads`` in turn, then the newest of all. Only
        the GIN index and the rows' dates are read."""
        conditions, params, tsquery = scope
        chosen: dict[int, None] = {}
        for head in [*heads, None]:
            if len(chosen) >= RANK_WINDOW:
                break
            narrowed = tsquery if head is None else f"{tsquery} & ( {head} )"
            where, where_params = self._where(conditions, params, narrowed)
            cursor.execute(
                f"SELECT id FROM {DOCUMENTS} WHERE {where} ORDER BY {BY_DATE} LIMIT %s",  # noqa: S608
                [*where_params, RANK_WINDOW + len(chosen)],
            )
            for (id,) in cursor.fetchall():
                if len(chosen) < RANK_WINDOW:
                    chosen.setdefault(id)
        return list(chosen)

    def _stored(self, stored) -> dict:
        stored = json.loads(stored) if isinstance(stored, str) else dict(stored or {})
        for f in self.stored_fields:
            if isinstance(f, Date) and stored.get(f.name):
                stored[f.name] = _as_datetime(stored[f.name])
        return stored

    def _count(self, cursor, scope, facets: bool) -> tuple[int, dict]:
        """The number of matches and, if asked, the facet counts: one pass over
        the matches' ``facets`` arrays. Each array starts with a combination id
        (expanded here into its values) or 0: together they count the matches."""
        where, params = self._where(*scope)
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
        found: dict[str, list[tuple[str, int]]] = {name: [] for name in self.index.facets}
        for key, value, n in cursor.fetchall():
            if key is None:
                count = n
            elif key in found:
                found[key].append((value, n))
        for values in found.values():
            values.sort(key=lambda p: (-p[1], p[0]))
        return count, found

    # -- suggestions ----------------------------------------------------------------

    def suggest(self, query: Query) -> str | None:
        return self._suggest(query, None)

    def _suggest(self, query: Query, count: int | None) -> str | None:
        """See search.spelling; the vocabulary (SearchTerm) answers."""
        words = spelling.plain_words(query)
        if not words:
            return None
        terms = {word: Term(word).terms for word in words.values()}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, documents FROM {TERMS}"  # noqa: S608
                " WHERE index = %s AND term = ANY(%s)",
                [self.index.name, sorted({t for found in terms.values() for t in found})],
            )
            known = dict(cursor.fetchall())

        def frequency(word: str, folded: str) -> tuple[int, bool]:
            return known.get(EXACT_PREFIX + folded, 0), any(t in known for t in terms[word])

        return spelling.correct(query, count, frequency, self._near)

    def _near(self, folded: str, least: int) -> list[tuple[str, int]]:
        """Known words of the same first letter and a near length (see
        spelling.Vocabulary), in more than ``least`` documents."""
        limit = spelling.max_distance(folded)
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
                    least,
                ],
            )
            return [(term[len(EXACT_PREFIX) :], n) for term, n in cursor.fetchall()]

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
        with transaction.atomic(), connection.cursor() as cursor:
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
                self._plan(cursor, words=True)
                where, params = self._where([], [], self._title_query(words))
                cursor.execute(
                    f"SELECT stored ->> %s FROM {DOCUMENTS} WHERE {where}"  # noqa: S608
                    f" ORDER BY {BY_DATE} LIMIT %s",
                    [self.title_field.name, *params, limit * 4],
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

    def _title_query(self, words: list[str]) -> str:
        """Every word in the title's weight class, the last one as a prefix:
        through class shortcuts (no vector is read), or on the positions'
        weights for the lightest class, which has none."""
        weight = self.field_class[self.title_field.name]
        if weight in self.head:
            lexemes, suffix = [_quote(weight + EXACT_PREFIX + w) for w in words], ""
        else:
            lexemes, suffix = [_quote(EXACT_PREFIX + w) for w in words], weight
        items = [f"{lexeme}:{suffix}" if suffix else lexeme for lexeme in lexemes[:-1]]
        return " & ".join([*items, f"{lexemes[-1]}:*{suffix}"])

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
        with transaction.atomic(), connection.cursor() as cursor:
            self._plan(cursor, words=True)
            where, params = self._where(["object_id <> %s"], [str(id)], tsquery)
            cursor.execute(
                f"SELECT object_id FROM {DOCUMENTS} WHERE {where}"  # noqa: S608
                " ORDER BY ts_rank(%s::float4[], vector, %s::tsquery) DESC,"
                f" {BY_DATE} LIMIT %s",
                [*params, self.rank_weights, tsquery, limit],
            )
            return [object_id for (object_id,) in cursor.fetchall()]


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
                    self.exact.update(option.forms)
                    self.stems.update(option.stems)

    def marked(self, words: list[Word]) -> list[int]:
        """Indices of the words to mark, in order."""
        exact, wanted_stems = self.exact, self.stems
        marked = [
            i
            for i, word in enumerate(words)
            if word.exact in exact or (wanted_stems and not wanted_stems.isdisjoint(word.stems))
        ]
        if not self.phrases:
            return marked
        found = set(marked)
        folded = [word.exact for word in words]
        for phrase in self.phrases:
            n = len(phrase)
            for i, form in enumerate(folded):
                if form == phrase[0] and tuple(folded[i : i + n]) == phrase:
                    found.update(range(i, i + n))
        return sorted(found)

    def snippet(self, texts: list[str]) -> str:
        """About SNIPPET_WORDS words of the text that holds the most wanted words,
        starting a little before the first one; HTML with <mark>. Words are
        analysed without their offsets (the fast path), which are then read
        for the chosen window's text only."""
        best = None
        for text in texts:
            if not text:
                continue
            words = analyse(text)
            if not words:
                continue
            ordered = self.marked(words)
            # The window with the most marked words.
            window_start, window_count = 0, 0
            right = 0
            for left, first in enumerate(ordered):
                while right < len(ordered) and ordered[right] < first + SNIPPET_WORDS:
                    right += 1
                if right - left > window_count:
                    window_start, window_count = first, right - left
            key = (window_count, -len(text) if not ordered else 0)
            if best is None or key > best[0]:
                best = (key, text, len(words), ordered, window_start)
        if best is None:
            return ""
        _, text, count, ordered, start = best
        start = max(0, start - 3) if ordered else 0
        end = min(count, start + SNIPPET_WORDS)
        if end - start < SNIPPET_WORDS:
            start = max(0, end - SNIPPET_WORDS)
        tokens = _first_tokens(text, end, count)
        marked = set(ordered)
        begin = 0 if start == 0 else tokens[start].start
        finish = len(text) if end == count else tokens[end - 1].end
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


_SPACE = re.compile(r"\s")


def _first_tokens(text: str, n: int, count: int) -> list[Token]:
    """At least the first ``n`` of the ``count`` tokens of ``text``: the text is
    cut at a space (no word holds one) a little past where they should end."""
    if n < count:
        space = _SPACE.search(text, len(text) * (n + 10) // count)
        if space is not None:
            tokens = tokenize(text[: space.start()])
            if len(tokens) >= n:
                return tokens
    return tokenize(text)
