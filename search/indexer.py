"""The one path from saves to the index.

Queue
-----
Every change to an indexed model (or to a model an index *watches*) inserts
:class:`~search.models.PendingUpdate` rows, one per affected (index, object id),
**in the transaction of the change**: the queue commits with the change, or not
at all, so an update can never be lost between a save and the index. After the
transaction commits, an ``on_commit`` callback enqueues the drain as a task
(``search.tasks.drain_search_index``): with the default, immediate task backend
it runs right there, as before; with a worker backend (``TASKS_BACKEND``), in
the worker.

Draining
--------
Writers are serialised by a cross-process lock: an ``fcntl.flock`` on
``SEARCH_INDEX_DIR/<index>.write.lock``, taken with retry and backoff up to
:data:`LOCK_TIMEOUT` seconds (reentrant within a process). Holding it, the
drainer loops: take a batch of queued rows (by id), recompute their documents
from ``index.documents(pks)`` (an id no longer in the queryset is deleted from
the index), ``backend.write(documents, deleted)`` (one commit), then delete
exactly those rows by id, so that rows queued meanwhile stay. It stops when the
queue is empty, then releases the lock. A change committed while another process
drains is therefore picked up by that process, or by its own callback right
after. If the lock cannot be had, the rows stay (a warning is logged) for the
next drain: another save, ``index_due`` (run every minute) or a rebuild.

Time alone
----------
Objects that enter an index's queryset by time alone (a scheduled article)
are written on the first request after their time by ``search.due``, whose
middleware queues them here and drains; ``index_due`` does the same from cron.

Rebuilds
--------
A rebuild reads the whole queryset for minutes while saves go on. So that
nothing drained during that time is lost when the new index replaces the old
one, :func:`rebuild` first writes a *journal marker* (a ``PendingUpdate`` row
of index ``<index>@rebuild``); while it exists, every drainer copies the ids it
wrote into that journal (in the transaction that deletes their queue rows).
After the backend has swapped the new index in, the rebuild takes the writer
lock, turns the journal back into queue rows, removes the marker, and drains:
every change made since the rebuild began is re-applied to the new index.

Tests
-----
With ``on_commit``, updates reach the index when the test's transaction commits:
use ``@pytest.mark.django_db(transaction=True)`` or
``django_capture_on_commit_callbacks(execute=True)``. :func:`synchronous` (or
the setting ``SEARCH_INDEX_SYNCHRONOUS = True``) instead drains right in the
signal, inside the transaction, for tests that only want the index to follow.

Modules
-------
:mod:`search.locks` (the writer and rebuild locks), :mod:`search.queue`
(queueing, and when the drain runs), :mod:`search.draining` (writing the queue
to the backend), :mod:`search.rebuild` (rebuild, drift and repair),
:mod:`search.signals` (the handlers that queue). This module is their public
face, and decides how a bulk write catches up (:func:`catch_up`).
"""

from __future__ import annotations

from collections.abc import Callable

from search.draining import BATCH_SIZE, JOURNAL_SUFFIX, drain
from search.index import get
from search.locks import LOCK_TIMEOUT, LockTimeout, file_lock, index_dir, writer_lock
from search.models import PendingUpdate
from search.queue import deferred, enqueue, synchronous
from search.rebuild import RebuildRunning, drift, enqueue_due, rebuild, repair
from search.signals import connect_signals

__all__ = [
    "BATCH_SIZE",
    "JOURNAL_SUFFIX",
    "LOCK_TIMEOUT",
    "REBUILD_AT_LEAST",
    "REBUILD_SHARE",
    "LockTimeout",
    "RebuildRunning",
    "catch_up",
    "connect_signals",
    "deferred",
    "drain",
    "drift",
    "enqueue",
    "enqueue_due",
    "file_lock",
    "index_dir",
    "rebuild",
    "repair",
    "synchronous",
    "writer_lock",
]

# A queue longer than this share of the index (and than REBUILD_AT_LEAST rows) is
# cheaper to absorb with a rebuild than to drain: each drained batch is one
# backend commit, and a commit costs more as the index grows.
REBUILD_SHARE = 0.2
REBUILD_AT_LEAST = 5_000


def catch_up(index_name: str, progress: Callable[[int], object] | None = None) -> str:
    """Bring ``index_name`` up to date after a bulk write: drain its queue, or
    rebuild it (absorbing the queue) when the queue is large. Searches answer
    from the current index meanwhile. Returns "rebuilt", "drained" or "clean"."""
    queued = PendingUpdate.objects.filter(index=index_name).count()
    if not queued:
        return "clean"
    if queued >= REBUILD_AT_LEAST and queued >= REBUILD_SHARE * get(index_name).queryset().count():
        try:
            rebuild(index_name, progress, absorb_queue=True)
            return "rebuilt"
        except RebuildRunning:
            pass  # the running rebuild re-applies the queue when it swaps
    drain(index_name)
    return "drained"
