"""Rebuilding an index: its rows and vocabulary replaced in one transaction.
A sample of the documents chooses the frequent phrases and the combined
facets; the documents are then analysed into rows (by a forked worker
process on a large rebuild) while this process numbers and copies the rows
of the batch before and the server stores them."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
from collections import Counter, deque
from collections.abc import Iterator
from itertools import chain

from django.db import connection, transaction

from search.backends.postgres import schema
from search.backends.postgres.rows import _Numbers, _Row, document_row
from search.backends.postgres.schema import (
    COLUMNS,
    DOCUMENTS,
    MATCHED_INDEX,
    REBUILD_SETTINGS,
    TERMS,
    _batched,
)
from search.backends.postgres.vocabulary import (
    choose_phrases,
    combined,
    count_terms,
    keyword_ids,
    number,
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
        row = document_row(backend, id, document)
        row.keep(frequent)
        terms.update(row.terms)
        row.terms = set()
        rows.append(row)
    return rows, terms


_forked: tuple = ()  # (backend, frequent phrases) of the rebuild a worker was forked from


def _analyse_forked(batch: list) -> tuple[list[_Row], Counter]:
    return _analyse(*_forked, batch)


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


def rebuild_index(
    backend, documents: Iterator[tuple[str, dict]], total: int, progress=None
) -> None:
    # One transaction: readers see the old rows until the commit (MVCC), and a
    # failure or a killed process rolls everything back.
    with _fewer_collections(), transaction.atomic(), connection.cursor() as cursor:
        settings = ", ".join(["set_config(%s, %s, true)"] * len(REBUILD_SETTINGS))
        cursor.execute(f"SELECT {settings}", [p for item in REBUILD_SETTINGS.items() for p in item])
        cursor.execute(f"DELETE FROM {DOCUMENTS} WHERE index = %s", [backend.index.name])  # noqa: S608
        cursor.execute(f"DELETE FROM {TERMS} WHERE index = %s", [backend.index.name])  # noqa: S608
        reader = _Reader(documents, progress)
        sample, frequent, numbers = _sample(backend, cursor, reader)
        queue = chain(_batched(sample, schema.BATCH), reader.rest())
        workers = 1 if total >= schema.PARALLEL_FROM else 0
        counts = _copy(backend, cursor, queue, frequent, numbers, workers)
        count_terms(backend, cursor, counts)
        # Merge what the pending list still holds: queries would scan it.
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [MATCHED_INDEX])


class _Reader:
    """The documents of a rebuild, batch by batch, each one once; reports
    progress."""

    def __init__(self, documents: Iterator[tuple[str, dict]], progress):
        self.batches = _batched(documents, schema.BATCH)  # reading one queries the database
        self.progress = progress
        self.seen: set[str] = set()
        self.done = 0

    def fresh(self, batch: list) -> list[tuple[str, dict]]:
        """The batch without documents seen before; reports progress."""
        self.done += len(batch)
        if self.progress is not None and batch:
            self.progress(self.done)
        unseen = [(str(id), doc) for id, doc in batch if str(id) not in self.seen]
        self.seen.update(id for id, _ in unseen)
        return unseen

    def rest(self) -> Iterator[list[tuple[str, dict]]]:
        """The batches not read yet."""
        return (self.fresh(batch) for batch in self.batches)


def _sample(backend, cursor, reader: _Reader) -> tuple[list, dict, _Numbers]:
    """The first documents (PHRASE_SAMPLE at least), the frequent phrases they
    choose, and the numbers of their facet values and of the combined facets.
    The sample's documents are analysed again later: keeping their rows,
    phrases and all, would cost hundreds of megabytes."""
    sample: list[tuple[str, dict]] = []
    phrases: Counter = Counter()
    pairs: set[tuple[str, str]] = set()
    for batch in reader.batches:
        for id, doc in reader.fresh(batch):
            row = document_row(backend, id, doc)
            phrases.update(row.phrases)
            pairs.update(row.facets)
            sample.append((id, doc))
        if len(sample) >= schema.PHRASE_SAMPLE:
            break
    frequent = choose_phrases(backend, cursor, phrases, len(sample))
    numbers = _Numbers()
    keyword_ids(backend, cursor, pairs, numbers.ids)
    numbers.combined = combined(backend, cursor)
    return sample, frequent, numbers


def _copy(
    backend, cursor, queue: Iterator[list], frequent: dict, numbers: _Numbers, workers: int
) -> Counter:
    """Analyse the batches of ``queue`` and copy their rows; how many documents
    hold each vocabulary term."""
    counts: Counter = Counter()
    with _Analysis(backend, frequent, workers) as analysis:
        # Two batches ahead: the worker never waits for this process.
        ahead = deque(analysis.submit(next(queue, [])) for _ in range(2))
        rows, terms = ahead.popleft().get()
        counts.update(terms)
        ahead.append(analysis.submit(next(queue, [])))
        while rows:
            number(backend, cursor, rows, numbers)
            with cursor.cursor.copy(f"COPY {DOCUMENTS} ({COLUMNS}) FROM STDIN") as copy:  # noqa: S608
                for row in rows:
                    copy.write_row(row.values(backend.index.name, numbers))
                # The server stores these rows while the next ones are analysed.
                rows, terms = ahead.popleft().get()
            counts.update(terms)
            ahead.append(analysis.submit(next(queue, [])))
    return counts
