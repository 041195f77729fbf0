"""The contract every backend honours. One test suite runs against each."""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from search.index import Index
from search.query import Query


@dataclass(frozen=True)
class Refinements:
    """Filters chosen outside the query text (facet links, API parameters);
    combined (AND) with the query's own filters. Values as displayed."""

    values: dict[str, tuple[str, ...]] = field(default_factory=dict)  # facet name -> values
    year_from: int | None = None
    year_to: int | None = None


@dataclass
class Hit:
    id: str
    score: float
    stored: dict[str, Any]  # the index's stored fields
    snippet: str = ""  # HTML: escaped text with <mark> around matched words


@dataclass
class Results:
    count: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]  # facet name -> (value, count), most frequent first
    suggestion: str | None = None  # "Vouliez-vous dire …" (a corrected query string)


class Backend(abc.ABC):
    def __init__(self, index: Index):
        self.index = index

    # -- writing (called only by search.indexer, which serialises writers) --------
    @abc.abstractmethod
    def write(self, documents: Iterable[tuple[str, dict]], deleted: Iterable[str]) -> None:
        """Add or replace ``documents`` (id, fields) and remove ``deleted`` ids, as
        one commit. Stores each document's ``search.index.document_hash``."""

    @abc.abstractmethod
    def rebuild(self, documents: Iterator[tuple[str, dict]], total: int, progress=None) -> None:
        """Build a complete new index from ``documents`` and swap it in atomically:
        readers keep the old one until the swap; a crash leaves the old one."""

    @abc.abstractmethod
    def hashes(self) -> dict[str, str]:
        """id -> stored document hash, for every document in the index."""

    # -- reading -----------------------------------------------------------------
    @abc.abstractmethod
    def search(
        self,
        query: Query,
        *,
        refinements: Refinements | None = None,
        sort: str = "relevance",  # or "date" (newest first)
        page: int = 1,
        per_page: int = 20,
        facets: bool = True,
        highlight: bool = True,
    ) -> Results:
        """Raise ``search.backends.base.PageOutOfRange`` for a page past the end."""

    @abc.abstractmethod
    def suggest(self, query: Query) -> str | None:
        """A corrected query string when some words are unknown, else None."""

    @abc.abstractmethod
    def autocomplete(self, prefix: str, limit: int = 8) -> list[str]:
        """Titles and keyword values starting with (or containing a word starting
        with) ``prefix``, for the search box."""

    @abc.abstractmethod
    def more_like_this(self, id: str, limit: int = 4) -> list[str]:
        """Ids of the documents most similar to ``id`` (excluding it)."""

    def close(self) -> None:  # noqa: B027 - optional hook, nothing to release by default
        """Release open files or connections (tests, rebuilds)."""


class PageOutOfRange(Exception):
    pass
