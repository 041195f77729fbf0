"""The queue of index updates: rows written in the transaction of each change,
and the drain that follows its commit (as a task), in the signal itself
(:func:`synchronous`) or not at all until a bulk writer catches up
(:func:`deferred`)."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction

from search.draining import drain
from search.models import PendingUpdate
from search.tasks import drain_search_index

logger = logging.getLogger(__name__)

_state = threading.local()


def _synchronous() -> bool:
    return getattr(_state, "synchronous", False) or getattr(
        settings, "SEARCH_INDEX_SYNCHRONOUS", False
    )


@contextlib.contextmanager
def synchronous(enabled: bool = True):
    """Drain in the signal itself (inside the transaction) instead of on commit."""
    previous = getattr(_state, "synchronous", False)
    _state.synchronous = enabled
    try:
        yield
    finally:
        _state.synchronous = previous


@contextlib.contextmanager
def deferred():
    """Queue updates without draining them after each commit (bulk writers: an
    import commits a batch at a time and brings the index up to date once, at
    the end, with :func:`search.indexer.catch_up`). The queue rows are written as always, in
    the transaction of each change: a bulk writer killed half-way loses nothing."""
    previous = getattr(_state, "deferred", False)
    _state.deferred = True
    try:
        yield
    finally:
        _state.deferred = previous


def enqueue(index_name: str, ids: Iterable) -> int:
    """Queue ``ids`` of ``index_name`` in the current transaction and arrange for
    a drain after it commits. Returns the number of rows queued."""
    ids = list(dict.fromkeys(str(i) for i in ids if i is not None))
    if not ids:
        return 0
    PendingUpdate.objects.bulk_create(
        [PendingUpdate(index=index_name, object_id=i) for i in ids], batch_size=500
    )
    if _synchronous():
        drain(index_name)
    elif not getattr(_state, "deferred", False):
        _drain_on_commit()
    return len(ids)


def _drain_on_commit() -> None:
    # One drain per commit: every callback of a connection gets a sequence
    # number; the first to run drains everything queued so far and the others
    # registered before that drain started do nothing (not even a query).
    # Identity-based deduplication ("is our callback already registered?")
    # would fail under django_capture_on_commit_callbacks, which only runs the
    # callbacks registered inside its block.
    conn = connection
    seq = getattr(conn, "_search_seq", 0) + 1
    conn._search_seq = seq
    transaction.on_commit(lambda: _after_commit(conn, seq))


def _after_commit(conn, seq: int) -> None:
    if seq <= getattr(conn, "_search_drained", 0):
        return
    conn._search_drained = getattr(conn, "_search_seq", seq)
    try:
        # Inline with the default (immediate) task backend, else in a worker.
        drain_search_index.enqueue()
    except Exception:  # a failed drain must not fail the request that saved
        logger.exception("Search index update failed; the queue is kept for the next drain.")
