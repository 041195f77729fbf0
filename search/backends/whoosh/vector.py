"""Query evaluation for the Whoosh backend with arrays, one operation per term.

Whoosh evaluates a query one document at a time, in Python: on an archive of
100,000 articles a frequent word matches tens of thousands of documents, and
counting them, scoring them for the first page and counting the facets costs
hundreds of milliseconds. The index files are fine; only the evaluation is
slow. So this module reads each term's postings block by block straight into
NumPy arrays and does everything else as whole-array operations:

* a word is the union of its terms (stems and exact form in each field), a
  query the intersection of its words, minus its exclusions, times its
  filters: boolean masks over every document number;
* scores are Whoosh's BM25F (same idf, field lengths, boosts), summed over the
  terms that match, as Whoosh's ``Or``/``And`` do;
* facet counts are one ``bincount`` per facet over per-document value codes;
* the date order and the year facet come from the stored columns, read once.

What does not depend on the query (per-document lengths, dates, years, facet
values, postings of frequent terms) is cached per *segment*: Whoosh never
changes a segment once written (only its deletions, handled apart), so a write
that adds a small segment keeps the large segments' caches.

Phrases are evaluated in search.backends.whoosh.phrases, on the same arrays.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

from search.backends.whoosh.matches import Matches
from search.spelling import Vocabulary

B = 0.75  # BM25F parameters, Whoosh's defaults
K1 = 1.2
# Postings kept in memory, per process, over all segments (least recently used
# go first): a word found in most of 100,000 documents takes about 1 MB.
POSTINGS_CACHE_BYTES = 96 * 2**20
# Scored matches of recently searched words, per searcher: 5 bytes a document
# each (a mask and a score), 0.5 MB on an archive of 100,000 articles.
CLAUSE_CACHE_BYTES = 32 * 2**20

_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


@dataclass
class Postings:
    """A term's postings in one segment: sorted local document numbers and the
    weight (term frequency times field boost) of each."""

    ids: np.ndarray
    weights: np.ndarray

    @property
    def nbytes(self) -> int:
        return self.ids.nbytes + self.weights.nbytes


_EMPTY = Postings(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))


class SegmentCache:
    """What one segment's arrays cost to read, read once."""

    def __init__(self, key: str, doc_count_all: int):
        self.key = key
        self.size = doc_count_all
        self.lock = threading.Lock()
        self.lengths: dict[str, np.ndarray] = {}
        self.columns: dict[str, np.ndarray] = {}
        self.values: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}
        self.fields: set[str] | None = None  # fields with terms
        self.vocabulary: dict[tuple[str, ...], Vocabulary] = {}  # spelling candidates


_segments: OrderedDict[str, SegmentCache] = OrderedDict()
_segments_lock = threading.Lock()
MAX_SEGMENTS = 64


def _segment_cache(reader) -> SegmentCache:
    segment = reader._segment  # the (immutable) segment behind a SegmentReader
    # Segment ids are random (16 letters) and a segment never changes.
    key = f"{segment.segment_id()}:{reader.doc_count_all()}"
    with _segments_lock:
        cache = _segments.get(key)
        if cache is None:
            cache = _segments[key] = SegmentCache(key, reader.doc_count_all())
            while len(_segments) > MAX_SEGMENTS:
                _segments.popitem(last=False)
        else:
            _segments.move_to_end(key)
        return cache


def vocabularies(searcher, fields: list[str]) -> list[Vocabulary]:
    """The words of ``fields`` in each segment, with their document counts
    (deleted documents included), read once per segment: the spelling
    candidates of search.spelling."""
    out = []
    key = tuple(fields)
    for leaf, _offset in searcher.reader().leaf_readers():
        if not leaf.doc_count_all():
            continue
        cache = _segment_cache(leaf)
        with cache.lock:
            found = cache.vocabulary.get(key)
            if found is None:
                found = cache.vocabulary[key] = Vocabulary(_terms(leaf, fields))
        out.append(found)
    return out


def _terms(leaf, fields: list[str]):
    names = set(leaf.indexed_field_names())
    for field in fields:
        if field in names:
            for text, info in leaf.iter_field(field):
                yield (text.decode() if isinstance(text, bytes) else text), info.doc_frequency()


def _read_postings(reader, field: str, term: str, values: list | None = None) -> Postings:
    """All postings of ``term`` in one segment, deleted documents included.
    With ``values``, each block's encoded values (e.g. positions) are appended
    to it too, from the same read."""
    btext = term.encode("utf-8")
    if (field, btext) not in reader:
        return _EMPTY
    matcher = reader._terms.matcher(field, btext, reader.schema[field].format)
    ids, weights = [], []
    while True:
        ids.append(_block_ids(matcher).astype(np.int32))
        matcher._read_weights()
        weights.append(np.asarray(matcher._weights, dtype=np.float32))
        if values is not None:
            matcher._read_values()
            values.append(matcher._values)
        if matcher._lastblock:
            break
        matcher._next_block()
    return Postings(np.concatenate(ids), np.concatenate(weights))


class _PostingsCache:
    """Arrays of recently searched terms (anything with ``nbytes``), bounded in bytes."""

    def __init__(self, budget: int):
        self.budget = budget
        self.size = 0
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple, Postings] = OrderedDict()

    def get(self, key: tuple):
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def __contains__(self, key: tuple) -> bool:
        with self.lock:
            return key in self.entries

    def put(self, key: tuple, entry) -> None:
        size = entry.nbytes
        with self.lock:
            if key in self.entries or size > self.budget:
                return
            self.entries[key] = entry
            self.size += size
            while self.size > self.budget:
                _key, old = self.entries.popitem(last=False)
                self.size -= old.nbytes


_postings_cache = _PostingsCache(POSTINGS_CACHE_BYTES)


class Snapshot:
    """A searcher's documents as arrays: one per search, shared by threads."""

    def __init__(self, searcher):
        self.searcher = searcher
        reader = searcher.reader()
        # (An empty index has an EmptyReader, with no segment.)
        self.leaves = [
            (leaf, offset) for leaf, offset in reader.leaf_readers() if leaf.doc_count_all()
        ]
        self.caches = [_segment_cache(leaf) for leaf, _offset in self.leaves]
        self.size = reader.doc_count_all()
        self.doc_count = reader.doc_count()
        live = np.ones(self.size, dtype=bool)
        for leaf, offset in self.leaves:
            if leaf.has_deletions():
                deleted = np.fromiter(leaf._segment.deleted_docs(), dtype=np.int64)
                live[offset + deleted] = False
        self.live = live
        self._lock = threading.Lock()
        self._global: dict = {}
        self._clauses = _PostingsCache(CLAUSE_CACHE_BYTES)

    def matches(self, key: tuple, compute) -> Matches:
        """The matches of a clause (a word, a phrase) named by ``key``: ``compute()``
        once per searcher, then a copy (callers combine matches in place).

        A word's documents and scores depend on the index alone, not on the
        rest of the query, and readers search the same words again and again:
        a frequent word costs a BM25 pass and a scatter over tens of thousands
        of postings in each of its fields, a copy costs two memory copies."""
        found = self._clauses.get(key)
        if found is None:
            found = compute()
            self._clauses.put(key, found)
        return found.copy()

    # -- per term -------------------------------------------------------------------
    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, weights) of a term over every segment."""
        ids, weights = [], []
        key = (field, term)
        for (leaf, offset), cache in zip(self.leaves, self.caches, strict=True):
            found = _postings_cache.get((cache.key, *key))
            if found is None:
                found = _read_postings(leaf, field, term)
                _postings_cache.put((cache.key, *key), found)
            if len(found.ids):
                ids.append(found.ids + offset)
                weights.append(found.weights)
        if not ids:
            return _EMPTY.ids, _EMPTY.weights
        if len(ids) == 1:
            return ids[0], weights[0]
        return np.concatenate(ids), np.concatenate(weights)

    def every_segment_has(self, field: str) -> bool:
        """Whether every segment holds terms of ``field`` (a segment written
        before the field existed has none)."""
        for (leaf, _offset), cache in zip(self.leaves, self.caches, strict=True):
            with cache.lock:
                if cache.fields is None:
                    cache.fields = set(leaf.indexed_field_names())
                if field not in cache.fields:
                    return False
        return True

    def doc_frequency(self, field: str, term: str) -> int:
        return self.searcher.doc_frequency(field, term)

    def score_term(self, field: str, term: str, boost: float) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, BM25F score) of the documents holding a term."""
        ids, weights = self.postings(field, term)
        if not len(ids):
            return ids, weights
        searcher = self.searcher
        idf = math.log(searcher.doc_count_all() / (self.doc_frequency(field, term) + 1)) + 1
        avgfl = searcher.avg_field_length(field) or 1
        lengths = self.lengths(field)[ids]
        scores = idf * (weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / avgfl))
        return ids, (scores * boost).astype(np.float32)

    # -- per document ---------------------------------------------------------------
    def derived(self, key: tuple, build, *args):
        """``build(*args)``, once per searcher: arrays derived from the others."""
        with self._lock:
            found = self._global.get(key)
        if found is None:
            found = build(*args)
            with self._lock:
                found = self._global.setdefault(key, found)
        return found

    def _concat(self, key, read_segment, dtype):
        """``read_segment(leaf, cache)`` of every segment, end to end, once per searcher."""

        def concatenated():
            parts = [
                read_segment(leaf, cache)
                for (leaf, _offset), cache in zip(self.leaves, self.caches, strict=True)
            ]
            return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

        return self.derived(key, concatenated)

    def lengths(self, field: str) -> np.ndarray:
        """The length of ``field`` in each document, as Whoosh scores it."""

        def read(leaf, cache):
            with cache.lock:
                if field not in cache.lengths:
                    column = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
                    if column is None:
                        raw = np.zeros(cache.size, dtype=np.uint8)
                    else:
                        raw = np.fromiter(column, dtype=np.uint8, count=cache.size)
                    cache.lengths[field] = _BYTE_TO_LENGTH[raw]
                return cache.lengths[field]

        return self._concat(("lengths", field), read, np.float32)

    def column(self, field: str, *, translate: bool = False) -> np.ndarray:
        """A numeric sortable column: raw sortable values (order only: dates),
        or translated integers (years), 0 where a document has none."""

        def read(leaf, cache):
            key = (field, translate)
            with cache.lock:
                if key not in cache.columns:
                    dtype = np.int64 if translate else np.uint64
                    if leaf.has_column(field):
                        reader = leaf.column_reader(field, translate=translate)
                        values = np.fromiter(
                            (v if v and v > 0 else 0 for v in reader), dtype=dtype, count=cache.size
                        )
                    else:
                        values = np.zeros(cache.size, dtype=dtype)
                    cache.columns[key] = values
                return cache.columns[key]

        return self._concat(("column", field, translate), read, np.int64)

    def values(self, field: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        """A keyword field's values: (labels, document numbers, label codes),
        one (document, code) pair per value a document holds."""
        return self.derived(("values", field), self._read_values, field)

    def _read_values(self, field: str) -> tuple[list[str], np.ndarray, np.ndarray]:
        labels: list[str] = []
        codes_of: dict[str, int] = {}
        docs, codes = [], []
        for (leaf, offset), cache in zip(self.leaves, self.caches, strict=True):
            with cache.lock:
                if field not in cache.values:
                    cache.values[field] = _segment_values(leaf, field)
                seg_labels, seg_docs, seg_codes = cache.values[field]
            mapping = np.array(
                [codes_of.setdefault(label, len(codes_of)) for label in seg_labels],
                dtype=np.int64,
            )
            if len(seg_docs):
                docs.append(seg_docs + offset)
                codes.append(mapping[seg_codes])
        labels = list(codes_of)
        return (
            labels,
            np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64),
            np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64),
        )


def _segment_values(leaf, field: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    labels, docs, codes = [], [], []
    if field in leaf.indexed_field_names():
        for btext in leaf.lexicon(field):
            label = btext.decode("utf-8")
            found = _read_postings(leaf, field, label)
            docs.append(found.ids)
            codes.append(np.full(len(found.ids), len(labels), dtype=np.int64))
            labels.append(label)
    if not docs:
        return labels, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return labels, np.concatenate(docs), np.concatenate(codes)


def _block_ids(matcher) -> np.ndarray:
    """The document numbers of the matcher's current block (stored as deltas)."""
    if matcher._data is None:
        matcher._read_data()
    ids = np.asarray(matcher._data[0], dtype=np.int64)
    return ids if matcher._byteids else np.cumsum(ids)
