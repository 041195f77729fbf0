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
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from search.backends import backend_for
from search.index import Index, all_indexes, get
from search.models import PendingUpdate

logger = logging.getLogger(__name__)

LOCK_TIMEOUT = 30.0  # seconds a drainer waits for the writer lock
BATCH_SIZE = 500
JOURNAL_SUFFIX = "@rebuild"
_MARKER = ""  # object_id of the journal's marker row


class LockTimeout(Exception):
    """The index writer lock could not be had in time."""


# --- Cross-process lock (fcntl.flock), reentrant within a process ---------------


class _FileLock:
    def __init__(self, path: Path):
        self.path = path
        self.thread_lock = threading.RLock()
        self.depth = 0
        self.fd: int | None = None

    def acquire(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        if not self.thread_lock.acquire(timeout=max(timeout, 0)):
            raise LockTimeout(str(self.path))
        try:
            if self.depth == 0:
                self._flock(deadline)
            self.depth += 1
        except BaseException:
            self.thread_lock.release()
            raise

    def _flock(self, deadline: float) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        delay = 0.005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockTimeout(str(self.path)) from None
                time.sleep(min(delay, max(deadline - time.monotonic(), 0)))
                delay = min(delay * 2, 0.25) * (0.5 + random.random())  # noqa: S311
                continue
            self.fd = fd
            return

    def release(self) -> None:
        self.depth -= 1
        if self.depth == 0 and self.fd is not None:
            fd, self.fd = self.fd, None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        self.thread_lock.release()


_locks: dict[str, _FileLock] = {}
_locks_guard = threading.Lock()


@contextlib.contextmanager
def file_lock(path: Path | str, timeout: float = LOCK_TIMEOUT):
    """Hold an exclusive ``flock`` on ``path`` (created if needed). Reentrant in
    a process; raises :class:`LockTimeout` after ``timeout`` seconds."""
    key = os.path.abspath(path)
    with _locks_guard:
        lock = _locks.setdefault(key, _FileLock(Path(key)))
    lock.acquire(timeout)
    try:
        yield
    finally:
        lock.release()


def index_dir() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def writer_lock(index_name: str, timeout: float = LOCK_TIMEOUT):
    """The lock every writer of ``index_name`` holds (drains, the swap of a rebuild).

    A backend may provide its own (``backend.writer_lock(timeout)``), e.g. an
    advisory lock shared by several machines; the default is a lock file.
    """
    backend = backend_for(index_name)
    own = getattr(backend, "writer_lock", None)
    if own is not None:
        return own(timeout)
    return file_lock(index_dir() / f"{index_name}.write.lock", timeout)


def _rebuild_lock(index_name: str):
    return file_lock(index_dir() / f"{index_name}.rebuild.lock", timeout=0)


# --- Queue ----------------------------------------------------------------------

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
    the end, with :func:`catch_up`). The queue rows are written as always, in
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
    from search.tasks import drain_search_index

    try:
        # Inline with the default (immediate) task backend, else in a worker.
        drain_search_index.enqueue()
    except Exception:  # a failed drain must not fail the request that saved
        logger.exception("Search index update failed; the queue is kept for the next drain.")


def drain(index_name: str | None = None, *, timeout: float = LOCK_TIMEOUT) -> int:
    """Write every queued update to the index (all indexes by default).

    Returns the number of objects written. When the writer lock cannot be had
    in ``timeout`` seconds, logs a warning and leaves the queue as it is.
    """
    names = [index_name] if index_name else [index.name for index in all_indexes()]
    done = 0
    for name in names:
        if not _has_pending(name):
            continue
        try:
            with writer_lock(name, timeout):
                done += _drain_locked(get(name))
        except LockTimeout:
            logger.warning(
                "Search index %s busy for %ss: its pending updates are left for the next drain.",
                name,
                timeout,
            )
    return done


def _has_pending(name: str) -> bool:
    return PendingUpdate.objects.filter(index=name).exists()


def _drain_locked(index: Index, batch_size: int = BATCH_SIZE) -> int:
    backend = backend_for(index.name)
    done = 0
    while True:
        rows = list(
            PendingUpdate.objects.filter(index=index.name)
            .order_by("id")
            .values_list("id", "object_id")[:batch_size]
        )
        if not rows:
            return done
        ids = list(dict.fromkeys(object_id for _pk, object_id in rows))
        documents = list(index.documents(_pks(index, ids)))
        found = {doc_id for doc_id, _doc in documents}
        backend.write(documents, [i for i in ids if i not in found])
        with transaction.atomic():
            PendingUpdate.objects.filter(id__in=[pk for pk, _oid in rows]).delete()
            journal = index.name + JOURNAL_SUFFIX
            if PendingUpdate.objects.filter(index=journal, object_id=_MARKER).exists():
                PendingUpdate.objects.bulk_create(
                    [PendingUpdate(index=journal, object_id=i) for i in ids], batch_size=500
                )
        done += len(ids)


def _pks(index: Index, ids: list[str]) -> list:
    to_python = index.model._meta.pk.to_python
    pks = []
    for i in ids:
        try:
            pks.append(to_python(i))
        except Exception:  # noqa: BLE001 - a malformed id is simply not found
            logger.warning("Search queue: ignoring the malformed id %r of %s.", i, index.name)
    return pks


# --- Rebuild and repair ------------------------------------------------------------


class RebuildRunning(Exception):
    pass


def rebuild(
    index_name: str,
    progress: Callable[[int], object] | None = None,
    *,
    absorb_queue: bool = False,
) -> int:
    """Build ``index_name`` afresh and swap it in, losing no concurrent update
    (see the module docstring). Returns the number of documents indexed.

    With ``absorb_queue``, the queue rows already committed when the rebuild
    starts are removed after the swap instead of being drained one batch at a
    time: the rebuild read the database after they were committed, so the new
    index holds their changes. Rows committed later stay queued and are drained."""
    index = get(index_name)
    backend = backend_for(index_name)
    journal = index_name + JOURNAL_SUFFIX
    try:
        lock = _rebuild_lock(index_name)
        lock.__enter__()
    except LockTimeout:
        raise RebuildRunning(f"A rebuild of {index_name} is already running.") from None
    try:
        with transaction.atomic():
            PendingUpdate.objects.filter(index=journal).delete()
            PendingUpdate.objects.create(index=journal, object_id=_MARKER)
        absorbed = []
        if absorb_queue:
            absorbed = list(
                PendingUpdate.objects.filter(index=index_name).values_list("id", flat=True)
            )
        total = index.queryset().count()
        backend.rebuild(index.documents(), total, progress)
        with writer_lock(index_name):
            with transaction.atomic():
                for start in range(0, len(absorbed), BATCH_SIZE):
                    chunk = absorbed[start : start + BATCH_SIZE]
                    PendingUpdate.objects.filter(id__in=chunk).delete()
                PendingUpdate.objects.filter(index=journal, object_id=_MARKER).delete()
                PendingUpdate.objects.filter(index=journal).update(index=index_name)
            _drain_locked(index)
        return total
    finally:
        lock.__exit__(None, None, None)


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


def drift(index_name: str) -> dict[str, list[str]]:
    """Compare what the index should hold with what it holds:
    ``missing``, ``stale`` and ``extra`` ids (sorted)."""
    from search.index import document_hash

    index = get(index_name)
    stored = backend_for(index_name).hashes()
    expected = {doc_id: document_hash(doc) for doc_id, doc in index.documents()}
    missing = [i for i in expected if i not in stored]
    stale = [i for i in expected if i in stored and stored[i] != expected[i]]
    extra = [i for i in stored if i not in expected]
    return {
        key: sorted(ids, key=_id_order)
        for key, ids in [("missing", missing), ("stale", stale), ("extra", extra)]
    }


def _id_order(value: str):
    return (0, int(value), "") if value.isdigit() else (1, 0, value)


def repair(index_name: str, found: dict[str, list[str]] | None = None) -> int:
    """Queue and write the ids :func:`drift` reports (recomputed when not given)."""
    found = drift(index_name) if found is None else found
    ids = [i for kind in ("missing", "stale", "extra") for i in found.get(kind, [])]
    with transaction.atomic():
        enqueue(index_name, ids)
    drain(index_name)
    return len(ids)


def enqueue_due(index_name: str, since=None) -> int:
    """Queue the objects whose document is missing or stale (and documents of
    objects no longer findable), then drain. ``since``: for an index with a
    date, only objects dated after it are compared (plus the extras)."""
    from search.index import document_hash

    index = get(index_name)
    stored = backend_for(index_name).hashes()
    queryset = index.queryset()
    date = next((f.name for f in index.of_kind("date")), None)
    pks = None
    if since is not None and date and _model_has_field(index.model, date):
        pks = list(queryset.filter(**{f"{date}__gte": since}).values_list("pk", flat=True))
    findable = {str(pk) for pk in queryset.values_list("pk", flat=True)}
    todo = [
        doc_id for doc_id, doc in index.documents(pks) if stored.get(doc_id) != document_hash(doc)
    ]
    todo += [i for i in stored if i not in findable]
    with transaction.atomic():
        enqueue(index_name, todo)
    return len(todo)


def _model_has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:  # noqa: BLE001
        return False
    return True


# --- Signals ------------------------------------------------------------------------


def _indexes_of(model) -> list[Index]:
    return [index for index in all_indexes() if index.model is model]


def _watches_of(model) -> list[tuple[Index, Callable]]:
    return [
        (index, watch.affected)
        for index in all_indexes()
        for watch in index.watches
        if watch.model is model
    ]


def _saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the fixture's own rebuild follows
        return
    _changed(sender, instance)


def _changed(sender, instance) -> None:
    for index in _indexes_of(sender):
        enqueue(index.name, [instance.pk])
    for index, affected in _watches_of(sender):
        enqueue(index.name, list(affected(instance)))


def _deleting(sender, instance, **kwargs):
    # Before the delete, while the relations that say what is affected exist.
    for index, affected in _watches_of(sender):
        enqueue(index.name, list(affected(instance)))


def _deleted(sender, instance, **kwargs):
    for index in _indexes_of(sender):
        enqueue(index.name, [instance.pk])


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    for index in all_indexes():
        ids: list = []
        if isinstance(instance, index.model):
            ids = [instance.pk]
        elif model is index.model:
            if action == "pre_clear":
                ids = _related_through(sender, instance, index.model)
            else:
                ids = list(pk_set or ())
        if ids:
            enqueue(index.name, ids)


def _related_through(through, instance, target) -> list:
    source = next(
        (
            f
            for f in through._meta.fields
            if f.is_relation and isinstance(instance, f.related_model)
        ),
        None,
    )
    dest = next(
        (f for f in through._meta.fields if f.is_relation and f.related_model is target), None
    )
    if source is None or dest is None:
        return []
    return list(
        through._default_manager.filter(**{source.attname: instance.pk}).values_list(
            dest.attname, flat=True
        )
    )


def _through_models(model) -> set:
    throughs = set()
    for f in model._meta.get_fields():
        if f.many_to_many and not f.auto_created:
            through = getattr(f.remote_field, "through", None)
            if isinstance(through, type) and issubclass(through, models.Model):
                throughs.add(through)
    return throughs


_connected = False


def connect_signals() -> None:
    """Connect every registered index's model, watched models and M2M through
    models (called by ``SearchConfig.ready``)."""
    global _connected
    if _connected:
        return
    _connected = True
    indexed = {index.model for index in all_indexes()}
    watched = {watch.model for index in all_indexes() for watch in index.watches}
    for model in indexed | watched:
        uid = f"search.indexer.{model._meta.label}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid + ".save")
        pre_delete.connect(_deleting, sender=model, dispatch_uid=uid + ".pre_delete")
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid + ".delete")
    _connect_schedules()
    for model in indexed:
        for through in _through_models(model):
            m2m_changed.connect(
                _m2m_changed,
                sender=through,
                dispatch_uid=f"search.indexer.m2m.{through._meta.label}",
            )


def _connect_schedules() -> None:
    # A save of an object that becomes findable later may bring the next due
    # time earlier (``search.due``).
    from search import due

    for index in due.scheduled_indexes():
        post_save.connect(
            due.noticed, sender=index.model, dispatch_uid=f"search.due.{index.model._meta.label}"
        )
