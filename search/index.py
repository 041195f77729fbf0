"""What content apps declare, and the registry the engine reads.

A content app describes each searchable model once, in its ``search_indexes.py``
(imported by ``SearchConfig.ready``)::

    register(Index(
        name="articles",
        model=Article,
        fields=[Text("title", weight=5, stored=True), Keyword("tags", facet="tags"), ...],
        queryset=lambda: Article.objects.published(),
        document=lambda article: {"title": article.title, ...},
        watches=[Watch(Photo, lambda photo: photo.articles_using_ids())],
        schedule=Schedule("published_at", lambda: Article.objects.filter(status="scheduled")),
    ))

The engine owns the schema, the analysis, the backends and the keeping of the
index true; it imports no content app.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from search.analysis import ANALYSIS_VERSION

_REGISTRY: dict[str, Index] = {}


@dataclass(frozen=True)
class Field:
    name: str
    stored: bool = False  # returned with each result
    kind: str = "text"


@dataclass(frozen=True)
class Text(Field):
    """Full text, analysed in French (stemmed, with an exact twin for phrases,
    ranking of exact words, highlights and suggestions)."""

    weight: float = 1.0
    highlight: bool = False  # snippets come from this field
    kind: str = "text"


@dataclass(frozen=True)
class Keyword(Field):
    """Exact values (a list of strings): filters and facets. ``facet`` names the
    facet and the API/URL parameter; ``filter`` the query-language filter
    (``auteur``, ``tag``, ``rubrique``) it answers."""

    facet: str | None = None
    filter: str | None = None
    searchable: bool = True  # its words also match plain query words
    kind: str = "keyword"


@dataclass(frozen=True)
class Date(Field):
    """A datetime; sortable. ``year_facet`` adds a facet/filter on its year."""

    year_facet: str | None = None
    kind: str = "date"


@dataclass(frozen=True)
class Stored(Field):
    """Returned with results, not searched (an URL, an id)."""

    stored: bool = True
    kind: str = "stored"


@dataclass(frozen=True)
class Watch:
    """A model whose changes alter documents of this index: ``affected(instance)``
    returns the primary keys of the indexed objects to refresh."""

    model: type
    affected: Callable[[Any], Iterable[int]]


@dataclass(frozen=True)
class Schedule:
    """Objects that enter the index's queryset by time alone (a scheduled article
    at its publication time): ``waiting()`` is a queryset of them, ``field`` the
    datetime at which each becomes findable. ``search.due`` writes them to the
    index at that time, on the first request after it."""

    field: str
    waiting: Callable[[], Any]


@dataclass(frozen=True)
class Index:
    name: str
    model: type
    fields: list[Field]
    queryset: Callable[[], Any]  # a QuerySet of what readers may find
    document: Callable[[Any], dict[str, Any]]
    watches: list[Watch] = field(default_factory=list)
    # Related objects ``document`` reads, so that a rebuild runs a constant number of queries.
    prefetch: list[str] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    # When what ``queryset`` returns changes with time alone (see ``Schedule``).
    schedule: Schedule | None = None

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def of_kind(self, kind: str) -> list[Field]:
        return [f for f in self.fields if f.kind == kind]

    @property
    def facets(self) -> dict[str, Field]:
        """Facet name -> field (keywords with ``facet``, dates with ``year_facet``)."""
        found: dict[str, Field] = {}
        for f in self.fields:
            name = getattr(f, "facet", None) or getattr(f, "year_facet", None)
            if name:
                found[name] = f
        return found

    def documents(self, pks: Iterable[int] | None = None):
        """(id, document) for every findable object, or for those among ``pks``."""
        queryset = self.queryset().select_related(*self.select).prefetch_related(*self.prefetch)
        if pks is not None:
            queryset = queryset.filter(pk__in=list(pks))
        for obj in queryset.order_by("pk").iterator(chunk_size=500):
            yield str(obj.pk), self.document(obj)


def register(index: Index) -> Index:
    _REGISTRY[index.name] = index
    return index


def get(name: str) -> Index:
    return _REGISTRY[name]


def all_indexes() -> list[Index]:
    return list(_REGISTRY.values())


def document_hash(document: dict[str, Any]) -> str:
    """A stable fingerprint of a document, stored beside it so that
    ``check_index`` can tell a stale document from a current one. It holds
    the analysis version: a document indexed by an older analysis is stale."""

    def default(value):
        if isinstance(value, datetime.datetime | datetime.date):
            return value.isoformat()
        raise TypeError(type(value))

    payload = json.dumps(document, sort_keys=True, ensure_ascii=False, default=default)
    payload = f"{ANALYSIS_VERSION}:{payload}"
    return hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()
