"""Writing a Whoosh index: generations on disk, updates, rebuilds (in parallel
processes for a large archive), and the searcher readers share.

Layout: ``SEARCH_INDEX_DIR/<index>/gen-<time>-<pid>/`` holds one complete Whoosh
index (a *generation*); ``SEARCH_INDEX_DIR/<index>/CURRENT`` names the one
readers and writers use. A rebuild fills a new generation then replaces
``CURRENT`` atomically (``os.replace``): readers keep the old generation until
their next search, a crash leaves the old one in place, and the next rebuild
removes half-built generations. Writers are serialised by
``search.indexer.writer_lock`` (a cross-process ``flock``).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from whoosh import index, multiproc
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from search.backends.whoosh import vector
from search.backends.whoosh.schema import whoosh_document

CURRENT = "CURRENT"
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


class Generations:
    """Where an index's generations live, writing to the current one, rebuilding
    into a new one, and the searcher (and array snapshot) reading it."""

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
