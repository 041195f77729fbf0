"""The embedded backend: a Whoosh index per search index, on local disk.

Layout: ``SEARCH_INDEX_DIR/<index>/gen-<time>-<pid>/`` holds one complete Whoosh
index (a *generation*); ``SEARCH_INDEX_DIR/<index>/CURRENT`` names the one
readers and writers use. A rebuild fills a new generation then replaces
``CURRENT`` atomically (``os.replace``): readers keep the old generation until
their next search, a crash leaves the old one in place, and the next rebuild
removes half-built generations. Writers are serialised by
``search.indexer.writer_lock`` (a cross-process ``flock``).

Schema, for an :class:`~search.index.Index`:

* ``Text(name)``: ``name`` (French stems, no stop words, weighted by
  ``field_boost``) and ``name_exact`` (folded words, stop words kept, positions
  for phrases; stores the original text when the field is stored or
  highlighted).
* ``Keyword(name)``: ``name`` (the values as displayed, a list column for facets;
  stored when asked), ``name_folded`` (folded values, for filters) and
  ``name_words`` (their words, searched by plain query words).
* ``Date(name)``: a sortable ``DATETIME`` (UTC) and, with ``year_facet``, a
  ``NUMERIC`` column named after the facet (year in the site's time zone).
* ``Stored(name)``: ``STORED``; plus ``id`` (unique) and ``hash``.

Queries are built from the :mod:`search.query` AST, never by Whoosh's parser.
"""

from __future__ import annotations

import datetime
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from django.conf import settings
from django.utils import timezone
from whoosh import columns, fields, formats, index, multiproc, sorting
from whoosh import query as wq
from whoosh.analysis import Filter, RegexTokenizer
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.scoring import BM25F
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from search import ranking, spelling
from search.analysis import (
    analyse,
    exact_form,
    fold,
    french_exact_analyzer,
    french_stemmed_analyzer,
    tokenize,
)
from search.backends import whoosh_vector as vector
from search.backends.base import Backend, Hit, PageOutOfRange, Refinements, Results
from search.backends.whoosh_phrases import PAIRS, indexed_pair, phrase_in
from search.backends.whoosh_snippets import highlight_terms, snippet_html
from search.filters import fold_value, matching_values
from search.index import Date, Index, Keyword, Stored, Text, document_hash
from search.query import AnyOf, Phrase, Query, Term

EXACT_BOOST = 2.0  # an exact word ranks above a word sharing only its stem
FACET_SIZE = 20
SEP = "\x1f"  # between keyword values
CURRENT = "CURRENT"

# more_like_this ignores words present in a larger share of the documents than this.
MLT_MAX_DOC_SHARE = 0.05
MLT_MIN_CEILING = 10  # small archives: every word counts


# --- Schema ---------------------------------------------------------------------


class _FoldValue(Filter):
    def __call__(self, tokens):
        for token in tokens:
            token.text = normalise_value(token.text)
            if token.text:
                yield token


#: A keyword value as filters compare it (see search.filters.fold_value).
normalise_value = fold_value


def _values_tokenizer():
    return RegexTokenizer(f"[^{SEP}]+")


class KeywordValues(fields.FieldType):
    """Whole values (no analysis), with a list column for overlapping facets."""

    def __init__(self, stored=False, folded=False):
        analyzer = _values_tokenizer() | _FoldValue() if folded else _values_tokenizer()
        super().__init__(
            fields.formats.Existence(),
            analyzer,
            scorable=False,
            stored=stored,
            sortable=False if folded else columns.VarBytesListColumn(),
        )

    def to_column_value(self, value):
        if isinstance(value, str):
            value = value.split(SEP)
        return [v.encode("utf-8") for v in value if v]

    def from_column_value(self, value):
        return [v.decode("utf-8") for v in value]


class FrenchText(fields.TEXT):
    """A text field indexed through :func:`search.analysis.analyse`.

    The analyzer (kept for Whoosh's own uses, e.g. key terms) gives the same
    terms, but one token at a time through a chain of generators; indexing a
    text is the bulk of a rebuild, so ``index`` builds the postings from the
    cached per-word analysis instead. The stemmed field and the exact field of a
    text get the same string one after the other: it is analysed once.
    """

    def __init__(self, *, stemmed: bool, weight: float, phrase=False, stored=False):
        analyzer = french_stemmed_analyzer() if stemmed else french_exact_analyzer()
        super().__init__(
            analyzer=analyzer, field_boost=weight, phrase=phrase, stored=stored, spelling=False
        )
        self.stemmed = stemmed

    def index(self, value, **kwargs):
        fmt = self.format
        if not isinstance(value, str) or type(fmt) not in (formats.Frequency, formats.Positions):
            return super().index(value, **kwargs)
        words = _analysed(value)
        boost = fmt.field_boost
        if self.stemmed and type(fmt) is formats.Frequency:
            freqs: dict[str, int] = {}
            for word in words:
                for stem in word.stems:
                    freqs[stem] = freqs.get(stem, 0) + 1
            return [(s.encode(), n, n * boost, pack_uint(n)) for s, n in freqs.items()]
        if self.stemmed or type(fmt) is not formats.Positions:
            return super().index(value, **kwargs)
        encode = fmt.encode
        positions: dict[str, list[int]] = {}
        for position, word in enumerate(words):
            found = positions.get(word.exact)
            if found is None:
                positions[word.exact] = [position]
            else:
                found.append(position)
        return [(w.encode(), len(p), len(p) * boost, encode(p)) for w, p in positions.items()]


class WordPairs(fields.FieldType):
    """Pairs of consecutive words of a text where one is a stop word ("common
    grams"), as "word word" terms of their exact forms.

    Checking word positions is what makes a phrase cost: "à une" has tens of
    thousands of candidate documents, each word's positions to read in each. A
    two-word phrase with a stop word is one term lookup instead, and a longer
    one has few candidates left to check. Phrases of content words already
    have few candidates; indexing their pairs too would triple the index."""

    def __init__(self):
        super().__init__(formats.Existence(), french_exact_analyzer(), scorable=False)

    def index(self, value, **kwargs):
        words = [word.exact for word in _analysed(value)]
        pairs = {f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if indexed_pair(a, b)}
        return [(pair.encode(), 1, 1.0, b"") for pair in pairs]


_last_analysed: tuple[str, list] = ("", [])


def _analysed(text: str) -> list:
    global _last_analysed
    last_text, words = _last_analysed
    if text is not last_text and text != last_text:
        words = analyse(text)
        _last_analysed = (text, words)
    return words


def build_schema(idx: Index) -> fields.Schema:
    schema = fields.Schema(
        id=fields.ID(unique=True, stored=True, sortable=True),
        hash=fields.ID(stored=True, sortable=True),
    )
    for f in idx.fields:
        if isinstance(f, Text):
            schema.add(f.name, FrenchText(stemmed=True, weight=f.weight))
            schema.add(
                f.name + "_exact",
                FrenchText(
                    stemmed=False, weight=f.weight, phrase=True, stored=f.stored or f.highlight
                ),
            )
            schema.add(f.name + PAIRS, WordPairs())
        elif isinstance(f, Keyword):
            schema.add(f.name, KeywordValues(stored=f.stored))
            schema.add(f.name + "_folded", KeywordValues(folded=True))
            if f.searchable:
                schema.add(f.name + "_words", FrenchText(stemmed=False, weight=1.0, phrase=True))
        elif isinstance(f, Date):
            schema.add(f.name, fields.DATETIME(stored=f.stored, sortable=True))
            if f.year_facet:
                schema.add(f.year_facet, fields.NUMERIC(int, sortable=True, stored=False))
        elif isinstance(f, Stored):
            schema.add(f.name, fields.STORED())
    return schema


def _utc_naive(value: datetime.datetime | datetime.date) -> datetime.datetime:
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    if timezone.is_aware(value):
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value


def _year(value) -> int:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).year
    return value.year


def _as_list(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v not in (None, "")]


def whoosh_document(idx: Index, doc_id: str, document: dict) -> dict:
    out = {"id": doc_id, "hash": document_hash(document)}
    for f in idx.fields:
        value = document.get(f.name)
        if isinstance(f, Text):
            text = "" if value is None else str(value)
            out[f.name] = text
            out[f.name + "_exact"] = text
            out[f.name + PAIRS] = text
        elif isinstance(f, Keyword):
            values = [v.replace(SEP, " ") for v in _as_list(value)]
            out[f.name] = SEP.join(values)
            out["_stored_" + f.name] = values
            out[f.name + "_folded"] = SEP.join(values)
            if f.searchable:
                out[f.name + "_words"] = "\n".join(values)
        elif isinstance(f, Date):
            if value is not None:
                out[f.name] = _utc_naive(value)
                if f.year_facet:
                    out[f.year_facet] = _year(value)
        elif isinstance(f, Stored) and value is not None:
            out[f.name] = value
    return out


# --- Rebuild writers -----------------------------------------------------------

PARALLEL_FROM = 5000  # documents; below, one process is quicker than starting others


def _rebuild_writer(ix, total: int):
    """A writer for a whole new index: with several CPUs and many documents, one
    sub-writer process per CPU (up to 4), each writing a segment of its own
    (analysis and postings are CPU-bound Python: about twice as fast on 2
    cores). The segments are not merged: merging costs what was gained, and a
    search over a few segments costs little more."""
    procs = min(os.cpu_count() or 1, 4)
    if procs < 2 or total < PARALLEL_FROM:
        return _SegmentWriter(ix, limitmb=256)
    return _ParallelWriter(ix, procs=procs, limitmb=256, multisegment=True)


class _PreloadedLengths:
    """A new segment's per-document reader whose field lengths are read once
    per field: Whoosh asks for a document's length for every posting it writes
    (block statistics), reading the column file each time, a sixth of a
    rebuild's time."""

    def __init__(self, reader):
        self._reader = reader
        self._lengths: dict[str, list | None] = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        if fieldname not in self._lengths:
            column = self._reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            self._lengths[fieldname] = (
                None if column is None else [byte_to_length(b) if b else None for b in column]
            )
        lengths = self._lengths[fieldname]
        return default if lengths is None else lengths[docnum]

    def __getattr__(self, name):
        return getattr(self._reader, name)


class _SegmentWriter(SegmentWriter):
    def per_document_reader(self):
        return _PreloadedLengths(super().per_document_reader())


class _SubWriter(SubWriterTask):
    """A sub-writer process that exits when its parent is gone (e.g. a killed
    rebuild) instead of waiting for work for ever."""

    def run(self):
        parent = os.getppid()

        def watch():
            while os.getppid() == parent:
                time.sleep(1)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
        # SubWriterTask.run makes a whoosh.multiproc.SegmentWriter: ours, in this
        # (forked, single-purpose) process only.
        multiproc.SegmentWriter = _SegmentWriter
        super().run()


class _ParallelWriter(MpWriter):
    """Whoosh's MpWriter, with all its processes started at once.

    MpWriter starts a process when it first hands it documents, i.e. after the
    job queue's feeder thread exists: forking then can copy a lock that thread
    holds, and the new process waits for ever (seen as a rebuild that hangs).
    Cancelling also stops the processes, which MpWriter leaves waiting.
    """

    def __init__(self, ix, procs: int, **kwargs):
        super().__init__(ix, procs=procs, **kwargs)
        for _ in range(procs):
            self._new_task()

    def _new_task(self):
        task = _SubWriter(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        return task

    def commit(self, *args, **kwargs):
        self._added_sub = True  # the processes exist, with or without documents
        super().commit(*args, **kwargs)

    def cancel(self):
        for task in self.tasks:
            task.terminate()
            task.join()
        SegmentWriter.cancel(self)


# --- Generations on disk --------------------------------------------------------


class WhooshBackend(Backend):
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

    # paths
    @property
    def root(self) -> Path:
        return Path(settings.SEARCH_INDEX_DIR) / self.index.name

    def _read_current(self) -> str | None:
        try:
            name = (self.root / CURRENT).read_text().strip()
        except FileNotFoundError:
            return None
        return name if name and (self.root / name).is_dir() else None

    def _writer_lock(self):
        from search.indexer import writer_lock

        return writer_lock(self.index.name)

    def _new_generation(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / f"gen-{time.time_ns():020d}-{os.getpid()}-{os.urandom(3).hex()}"
        path.mkdir()
        return path

    def _point_to(self, generation: Path) -> None:
        tmp = self.root / f"{CURRENT}.{os.getpid()}.tmp"
        with open(tmp, "w") as out:
            out.write(generation.name)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.root / CURRENT)
        fd = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def _current(self) -> Path:
        """The current generation's directory, created (empty) on first use."""
        name = self._read_current()
        if name is None:
            with self._writer_lock():
                name = self._read_current()
                if name is None:
                    path = self._new_generation()
                    index.create_in(str(path), self.schema)
                    self._point_to(path)
                    name = path.name
        return self.root / name

    def _open(self) -> index.Index:
        return index.open_dir(str(self._current()), schema=self.schema)

    # -- writing -------------------------------------------------------------------
    def write(self, documents: Iterable[tuple[str, dict]], deleted: Iterable[str]) -> None:
        documents, deleted = list(documents), list(deleted)
        if not documents and not deleted:
            return
        with self._writer_lock():
            writer = self._open().writer(procs=1, limitmb=64)
            try:
                for doc_id in deleted:
                    writer.delete_by_term("id", str(doc_id))
                for doc_id, document in documents:
                    writer.update_document(**whoosh_document(self.index, str(doc_id), document))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def rebuild(self, documents: Iterator[tuple[str, dict]], total: int, progress=None) -> None:
        from search.indexer import file_lock

        with file_lock(self.root.parent / f"{self.index.name}.whoosh-rebuild.lock", timeout=0):
            self._remove_generations(keep={self._read_current()})
            path = self._new_generation()
            ix = index.create_in(str(path), self.schema)
            writer = _rebuild_writer(ix, total)
            try:
                for done, (doc_id, document) in enumerate(documents, 1):
                    writer.add_document(**whoosh_document(self.index, str(doc_id), document))
                    if progress is not None:
                        progress(done)  # documents written so far
            except BaseException:
                writer.cancel()
                shutil.rmtree(path, ignore_errors=True)
                raise
            writer.commit()
            with self._writer_lock():
                previous = self._read_current()
                self._point_to(path)
                # Keep the generation just replaced: a reader may still be on it.
                self._remove_generations(keep={path.name, previous})

    def _remove_generations(self, keep: set) -> None:
        if not self.root.is_dir():
            return
        for child in self.root.iterdir():
            if child.name.startswith("gen-") and child.name not in keep and child.is_dir():
                shutil.rmtree(child, ignore_errors=True)

    def hashes(self) -> dict[str, str]:
        searcher = self._get_searcher()
        reader = searcher.reader()
        if reader.doc_count() == 0:
            return {}
        ids = reader.column_reader("id", translate=True)
        hashes = reader.column_reader("hash", translate=True)
        return {ids[n]: hashes[n] for n in reader.all_doc_ids()}

    # -- reading -------------------------------------------------------------------
    def _get_snapshot(self):
        """The searcher and its documents as arrays (built once per searcher)."""
        searcher = self._get_searcher()
        with self._lock:
            if self._snapshot is None or self._snapshot.searcher is not searcher:
                self._snapshot = vector.Snapshot(searcher)
            return searcher, self._snapshot

    def _get_searcher(self):
        """One searcher per process and index, refreshed at each use (cheap when
        nothing changed; a new generation opens a new searcher)."""
        with self._lock:
            current = self._current()
            if self._searcher is None or self._generation != current.name:
                self._ix = index.open_dir(str(current), schema=self.schema)
                self._searcher = self._ix.searcher(weighting=BM25F())
                self._generation = current.name
            elif not self._searcher.up_to_date():
                # Not Searcher.refresh(): its reused segment readers miss the
                # deletions of documents replaced since (and it fails on an
                # empty index). Opening anew happens only after a write; the
                # old searcher is left to the garbage collector, as another
                # thread may still be using it.
                self._searcher = self._ix.searcher(weighting=BM25F())
            return self._searcher

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = None
            self._generation = None

    # Whoosh's own evaluation: the reference for the arrays
    def whoosh_query(self, query: Query, refinements: Refinements | None = None):
        """The query as Whoosh query objects, for Whoosh's own (slow) evaluation:
        the reference the array evaluation is tested against, and a second
        opinion when a result looks wrong. None when nothing is asked."""
        filter_parts = self._filter(query, refinements)
        if not (query.must or query.must_not or filter_parts):
            return None
        q = wq.And([self._clause(c) for c in query.must]) if query.must else wq.Every()
        if query.must_not:
            q = wq.AndNot(q, wq.Or([self._clause(c) for c in query.must_not]))
        return wq.And([q, *filter_parts]) if filter_parts else q

    def whoosh_facets(self) -> dict:
        """Facets for ``Searcher.search(groupedby=...)``: see :meth:`whoosh_query`."""
        return self._facets()

    def _term(self, term: Term) -> wq.Query:
        exact = [
            wq.Term(f, form, boost=EXACT_BOOST) for f in self.exact_fields for form in term.forms
        ]
        if not term.stems:
            return wq.Or(exact)
        stemmed = [wq.Term(f, s) for f in self.stemmed_fields for s in term.stems]
        return wq.Or(stemmed + exact)

    def _phrase(self, phrase: Phrase) -> wq.Query:
        words = [w for w in phrase.folded if w]
        return wq.Or([wq.Phrase(f, words) for f in self.exact_fields])

    def _clause(self, clause) -> wq.Query:
        if isinstance(clause, AnyOf):
            return wq.Or([self._clause(option) for option in clause.options])
        if isinstance(clause, Phrase):
            return self._phrase(clause)
        return self._term(clause)

    def _keyword_field(self, filter_name: str) -> str | None:
        for f in self.index.of_kind("keyword"):
            if f.filter == filter_name:
                return f.name
        return None

    def _filter(self, query: Query, refinements: Refinements | None) -> list[wq.Query]:
        parts: list[wq.Query] = []
        filters = query.filters
        for attr, name in (("authors", "auteur"), ("tags", "tag"), ("sections", "rubrique")):
            values = getattr(filters, attr)
            if not values:
                continue
            field = self._keyword_field(name)
            if field is None:
                return [wq.NullQuery]
            known = self._folded_values(field + "_folded")
            for value in values:
                found = matching_values(name, value, known)
                terms = [wq.Term(field + "_folded", v) for v in found]
                parts.append(wq.Or(terms) if terms else wq.NullQuery)
        if filters.years:
            if self.year_field is None:
                return [wq.NullQuery]
            parts.append(wq.NumericRange(self.year_field, filters.years.start, filters.years.end))
        if refinements is not None:
            facets = self.index.facets
            for name, values in refinements.values.items():
                field = facets.get(name)
                if field is None:
                    return [wq.NullQuery]
                for value in values:
                    if isinstance(field, Date):
                        year = int(value) if str(value).isdigit() else -1
                        parts.append(wq.NumericRange(name, year, year))
                    else:
                        parts.append(wq.Term(field.name + "_folded", normalise_value(value)))
            if refinements.year_from is not None or refinements.year_to is not None:
                if self.year_field is None:
                    return [wq.NullQuery]
                parts.append(
                    wq.NumericRange(self.year_field, refinements.year_from, refinements.year_to)
                )
        return parts

    def _folded_values(self, field: str) -> list[str]:
        """Every folded value of a keyword field (filters resolve into them)."""
        reader = self._get_searcher().reader()
        if field not in reader.indexed_field_names():
            return []
        return [v.decode() if isinstance(v, bytes) else v for v in reader.lexicon(field)]

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
            matches = vector.Matches(snapshot.live.copy(), np.zeros(snapshot.size, np.float32))
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

    # evaluation with arrays (search.backends.whoosh_vector)
    def _matches(self, snapshot, clause, exact_fields=None, stemmed_fields=None) -> vector.Matches:
        """A clause's matches, in every text field or in those given."""
        matches = vector.Matches.empty(snapshot.size)
        if isinstance(clause, AnyOf):
            for option in clause.options:
                matches.union(self._matches(snapshot, option, exact_fields, stemmed_fields))
        elif isinstance(clause, Phrase):
            words = [w for w in clause.folded if w]
            for field in (exact_fields or self.exact_fields) if words else ():
                ids, scores = phrase_in(snapshot, field, words)
                matches.add(ids, scores)
        else:
            for form in (f for f in clause.forms if f):
                for field in exact_fields or self.exact_fields:
                    matches.add(*snapshot.score_term(field, form, EXACT_BOOST))
            for field in stemmed_fields or self.stemmed_fields:
                for stem in clause.stems:
                    matches.add(*snapshot.score_term(field, stem, 1.0))
        return matches

    def _whole_title_first(self, snapshot, query: Query, matches: vector.Matches) -> None:
        """A document whose title holds the whole query ranks first (see
        search.ranking): its score is raised by the best score."""
        clauses = ranking.whole_title_clauses(query)
        if not clauses or self.title_field is None or not matches.mask.any():
            return
        exact, stemmed = [self.title_field + "_exact"], [self.title_field]
        held = self._matches(snapshot, clauses[0], exact, stemmed).mask
        for clause in clauses[1:]:
            held &= self._matches(snapshot, clause, exact, stemmed).mask
        held &= matches.mask
        if held.any():
            matches.scores[held] += matches.scores[matches.mask].max()

    def _filter_mask(self, snapshot, part: wq.Query) -> np.ndarray:
        mask = np.zeros(snapshot.size, dtype=bool)
        if isinstance(part, wq.Or):
            for option in part.subqueries:
                mask |= self._filter_mask(snapshot, option)
        elif isinstance(part, wq.Term):
            mask[snapshot.postings(part.fieldname, part.text)[0]] = True
        elif isinstance(part, wq.NumericRange):
            years = snapshot.column(part.fieldname, translate=True)
            mask = years > 0
            if part.start is not None:
                mask &= years >= part.start
            if part.end is not None:
                mask &= years <= part.end
        return mask

    def _top(self, snapshot, matches, matched: np.ndarray, k: int, by_date: bool) -> np.ndarray:
        """The first ``k`` matched document numbers, best (or newest) first."""
        if not len(matched) or k <= 0:
            return matched[:0]
        if by_date:
            dates = snapshot.column(self.date_field)[matched]
            if len(matched) > k:
                cut = np.argpartition(dates, len(matched) - k)[len(matched) - k :]
                matched, dates = matched[cut], dates[cut]
            return matched[np.lexsort((matched, dates))[::-1][:k]]
        scores = matches.scores[matched]
        if len(matched) > k:
            cut = np.argpartition(-scores, k - 1)[:k]
            matched, scores = matched[cut], scores[cut]
        return matched[np.lexsort((matched, -scores))][:k]

    def _facet_counts(self, snapshot, mask, matched) -> dict[str, list[tuple[str, int]]]:
        out = {}
        for name, field in self.index.facets.items():
            if isinstance(field, Date):
                years = snapshot.column(name, translate=True)[matched]
                years = years[years > 0]
                values, counts = np.unique(years, return_counts=True)
                pairs = [
                    (str(v), int(n)) for v, n in zip(values.tolist(), counts.tolist(), strict=True)
                ]
            else:
                labels, docs, codes = snapshot.values(field.name)
                counts = np.bincount(codes[mask[docs]], minlength=len(labels))
                pairs = [(labels[i], int(counts[i])) for i in np.flatnonzero(counts).tolist()]
            pairs = [(key, n) for key, n in pairs if key]
            out[name] = sorted(pairs, key=lambda kv: (-kv[1], kv[0]))[:FACET_SIZE]
        return out

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
        exact, stemmed = highlight_terms(query)
        first_text = ""
        for name in self.highlight_fields:
            text = stored.get(name + "_exact") or ""
            if not text:
                continue
            first_text = first_text or text
            snippet = snippet_html(text, exact, stemmed)
            if snippet is not None:
                return snippet
        return snippet_html(first_text, set(), set(), fallback=True) or ""

    # suggestions
    def suggest(self, query: Query) -> str | None:
        return self._suggest(self._get_searcher(), query, None)

    def _suggest(self, searcher, query: Query, count: int | None) -> str | None:
        """See search.spelling. Candidates come from each segment's vocabulary,
        bucketed once (whoosh_vector.vocabularies): Whoosh's ``terms_within``
        walks the lexicon in Python, 0.3-2 s per query on a large archive."""
        reader = searcher.reader()
        names = set(reader.indexed_field_names())
        exact = [f for f in self.exact_fields if f in names]
        stemmed = [f for f in self.stemmed_fields if f in names]
        if not exact:
            return None

        def frequency(word: str, folded: str) -> tuple[int, bool]:
            documents = sum(reader.doc_frequency(f, folded) for f in exact)
            known = documents > 0 or any(
                reader.doc_frequency(f, stem) for f in stemmed for stem in Term(word).stems
            )
            return documents, known

        def candidates(folded: str, least: int):
            found: dict[str, int] = {}
            for vocabulary in vector.vocabularies(searcher, exact):
                for term, documents in vocabulary.near(folded, 0):
                    found[term] = found.get(term, 0) + documents
            return [(term, n) for term, n in found.items() if n > least]

        return spelling.correct(query, count, frequency, candidates)

    def autocomplete(self, prefix: str, limit: int = 8) -> list[str]:
        words = [exact_form(t.text) for t in tokenize(prefix or "")]
        words = [w for w in words if w]
        if not words or limit <= 0:
            return []
        searcher = self._get_searcher()
        reader = searcher.reader()
        folded_prefix = " ".join(words)
        starting, containing = [], []
        for f in self.index.of_kind("keyword"):
            if not f.searchable or f.name not in reader.indexed_field_names():
                continue
            for btext in reader.lexicon(f.name):
                value = btext.decode("utf-8") if isinstance(btext, bytes) else btext
                norm = " ".join(exact_form(t.text) for t in tokenize(value))
                freq = reader.doc_frequency(f.name, value)
                if norm.startswith(folded_prefix):
                    starting.append((-freq, value))
                elif (" " + norm).find(" " + folded_prefix) >= 0:
                    containing.append((-freq, value))
        titles = []
        title = next((f for f in self.index.of_kind("text") if f.stored), None)
        if title is not None:
            field = title.name + "_exact"
            parts = [wq.Term(field, w) for w in words[:-1]] + [wq.Prefix(field, words[-1])]
            kwargs = {"sortedby": self.date_field, "reverse": True} if self.date_field else {}
            for hit in searcher.search(wq.And(parts), limit=limit * 2, **kwargs):
                text = hit.get(field)
                if text:
                    titles.append(text)
        out, seen = [], set()
        for value in (
            [v for _f, v in sorted(starting)] + titles + [v for _f, v in sorted(containing)]
        ):
            key = fold(value)
            if key not in seen:
                seen.add(key)
                out.append(value)
        return out[:limit]

    def more_like_this(self, id: str, limit: int = 4) -> list[str]:
        searcher = self._get_searcher()
        docnum = searcher.document_number(id=str(id))
        if docnum is None:
            return []
        stored = searcher.stored_fields(docnum)
        # Words found in more than a few percent of the documents say little about
        # likeness and make every document a candidate (slow, and no better).
        # (doc_frequency also counts replaced documents until segments merge.)
        ceiling = max(MLT_MIN_CEILING, int(searcher.doc_count_all() * MLT_MAX_DOC_SHARE))
        terms = []
        for f in self.index.of_kind("text"):
            text = stored.get(f.name + "_exact")
            if not text:
                continue
            for word, weight in searcher.key_terms_from_text(f.name, text, numterms=10):
                if searcher.doc_frequency(f.name, word) <= ceiling:
                    terms.append(wq.Term(f.name, word, boost=weight))
        if not terms:
            return []
        results = searcher.search(wq.Or(terms), limit=limit, mask={docnum})
        return [hit["id"] for hit in results]
