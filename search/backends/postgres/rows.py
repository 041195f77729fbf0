"""A document as it is written: its analysis into a row (JSON, tsvector text,
shortcuts, phrases, keyword values, vocabulary terms) and the column values
of that row once its keyword values are numbered."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from django.utils import timezone

from search.backends.postgres.schema import (
    COMBINATION,
    FILTER,
    FOLDED,
    KEYWORD_TERM,
    MAX_TERM_LENGTH,
    PARTIAL,
    _as_datetime,
    _as_list,
    _jsonable,
    _literal,
)
from search.backends.postgres.vector import _fits, document_vector
from search.filters import fold_value
from search.index import document_hash


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
        vocabulary.frequent_phrases) only, or PARTIAL if they do not fit."""
        phrases = set(map(frequent.__getitem__, frequent.keys() & self.phrases))
        if not _fits(phrases):
            phrases = {PARTIAL}
        self.kept = _literal([*self.shortcuts, *phrases])
        self.shortcuts, self.phrases = set(), set()

    def combination(self, ids: dict, combined: frozenset[str]) -> str:
        """The ids of this document's values of the ``combined`` facets, as the
        value of their combination (see vocabulary.combined)."""
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


def document_row(backend, id: str, document: dict) -> _Row:
    stored = {f.name: _jsonable(document.get(f.name)) for f in backend.stored_fields}
    keywords: dict[str, list[str]] = {}
    terms: set[str] = set()
    for f, key in backend.keywords:
        values = _as_list(document.get(f.name))
        keywords[key] = values
        keywords[key + FOLDED] = sorted({fold_value(v) for v in values} - {""})
        terms.update(keyword_term(key, v) for v in values)
    date = _as_datetime(document.get(backend.date_field.name)) if backend.date_field else None
    if backend.year_key:
        years = [str(timezone.localtime(date).year)] if date else []
        keywords[backend.year_key] = keywords[backend.year_key + FOLDED] = years
    texts = {f.name: str(document.get(f.name) or "") for f in backend.highlight_fields}
    vector, lexemes, shortcuts, phrases = document_vector(backend, document)
    terms.update(lexemes)
    facets = backend.index.facets
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
        filters=[(k, v) for k, values in keywords.items() if k.endswith(FOLDED) for v in values],
        terms=terms,
    )


def keyword_term(key: str, value: str) -> str:
    return f"{KEYWORD_TERM}{key}:{value}"[:MAX_TERM_LENGTH]
