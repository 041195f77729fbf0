"""Facet counts of the Whoosh backend: years and keyword values of the matched documents.

Each facet is a table read once per searcher: the codes of each document's
values, a row per document, and each value's count over the whole archive.
A search counts the values of its matched documents or, when they are more
than half of the archive, those of the documents it did not match, subtracted
from the whole archive's counts: a frequent word costs what a rare one does."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

import numpy as np
from whoosh import sorting

from search.index import Date

FACET_SIZE = 20


@dataclass(frozen=True)
class Table:
    """A facet's values by document: ``codes[doc]`` holds the codes of a
    document's values (``labels[code]``), padded with ``len(labels)``; a
    section or a year has one column, genres and authors as many as a
    document holds at most. ``totals``: each value's count over the live
    documents. ``ranks``: each value's place in alphabetical order (ties
    between counts are read in that order)."""

    labels: list[str]
    codes: np.ndarray
    totals: np.ndarray
    ranks: np.ndarray

    @classmethod
    def of(cls, snapshot, labels: list[str], docs: np.ndarray, codes: np.ndarray) -> Table:
        """The table of the (document, value code) pairs ``docs``, ``codes``."""
        width = int(np.bincount(docs, minlength=1).max()) if len(docs) else 1
        dtype = np.int16 if len(labels) < 2**15 else np.int32
        table = np.full((snapshot.size, width), len(labels), dtype=dtype)
        order = np.argsort(docs, kind="stable")
        docs, codes = docs[order], codes[order]
        # Each pair's column: its rank among the pairs of its document.
        firsts = np.searchsorted(docs, docs)
        table[docs, np.arange(len(docs)) - firsts] = codes
        ranks = np.empty(len(labels), dtype=np.int64)
        ranks[sorted(range(len(labels)), key=labels.__getitem__)] = np.arange(len(labels))
        return cls(labels, table, _count(table, np.flatnonzero(snapshot.live), len(labels)), ranks)

    def count(self, docs: np.ndarray) -> np.ndarray:
        """How many of the documents ``docs`` hold each value."""
        return _count(self.codes, docs, len(self.labels))

    def most(self, counts: np.ndarray, size: int) -> list[tuple[str, int]]:
        """The ``size`` values counted most (alphabetical order on a tie), none
        counted 0, none empty."""
        found = np.flatnonzero(counts)
        found = found[np.lexsort((self.ranks[found], -counts[found]))]
        labels = self.labels
        pairs = ((labels[i], int(counts[i])) for i in found.tolist() if labels[i])
        return list(islice(pairs, size))


def _count(codes: np.ndarray, docs: np.ndarray, size: int) -> np.ndarray:
    """How many of the documents ``docs`` hold each of the ``size`` value codes
    (``size`` itself pads the rows)."""
    found = np.take(codes, docs, axis=0).ravel()  # (much faster than codes[docs])
    return np.bincount(found, minlength=size + 1)[:size]


def keyword_table(snapshot, field: str) -> Table:
    labels, docs, codes = snapshot.values(field)
    return Table.of(snapshot, labels, docs, codes)


def year_table(snapshot, field: str) -> Table:
    years = snapshot.column(field, translate=True)
    docs = np.flatnonzero(years > 0)
    present, codes = np.unique(years[docs], return_inverse=True)
    return Table.of(snapshot, [str(y) for y in present.tolist()], docs, codes)


class Facets:
    """Facets of :class:`~search.backends.whoosh.backend.WhooshBackend`."""

    def _facets(self) -> dict:
        groups = {}
        for name, field in self.index.facets.items():
            if isinstance(field, Date):
                groups[name] = sorting.FieldFacet(name, maptype=sorting.Count)
            else:
                groups[name] = sorting.FieldFacet(
                    field.name, allow_overlap=True, maptype=sorting.Count
                )
        return groups

    def _facet_counts(self, snapshot, mask, matched) -> dict[str, list[tuple[str, int]]]:
        """The most frequent values of each facet among the ``matched``
        documents (live ones, ``mask`` as an array)."""
        complement = 2 * len(matched) > snapshot.doc_count
        docs = np.flatnonzero(snapshot.live & ~mask) if complement else matched
        out = {}
        for name, field in self.index.facets.items():
            if isinstance(field, Date):
                table = snapshot.derived(("year table", name), year_table, snapshot, name)
            else:
                table = snapshot.derived(
                    ("keyword table", field.name), keyword_table, snapshot, field.name
                )
            counts = table.count(docs)
            out[name] = table.most(table.totals - counts if complement else counts, FACET_SIZE)
        return out
