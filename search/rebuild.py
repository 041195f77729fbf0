"""Rebuilding an index while saves go on, and repairing one: what it lacks
or holds stale (:func:`drift`), queued and written again (see
:mod:`search.indexer`)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from search.backends import backend_for
from search.draining import BATCH_SIZE, JOURNAL_SUFFIX, MARKER, drain, drain_locked
from search.index import document_hash, get
from search.locks import LockTimeout, rebuild_lock, writer_lock
from search.models import PendingUpdate
from search.queue import enqueue


class RebuildRunning(Exception):
    pass


def rebuild(
    index_name: str,
    progress: Callable[[int], object] | None = None,
    *,
    absorb_queue: bool = False,
) -> int:
    """Build ``index_name`` afresh and swap it in, losing no concurrent update
    (see :mod:`search.indexer`). Returns the number of documents indexed.

    With ``absorb_queue``, the queue rows already committed when the rebuild
    starts are removed after the swap instead of being drained one batch at a
    time: the rebuild read the database after they were committed, so the new
    index holds their changes. Rows committed later stay queued and are drained."""
    index = get(index_name)
    backend = backend_for(index_name)
    journal = index_name + JOURNAL_SUFFIX
    try:
        lock = rebuild_lock(index_name)
        lock.__enter__()
    except LockTimeout:
        raise RebuildRunning(f"A rebuild of {index_name} is already running.") from None
    try:
        with transaction.atomic():
            PendingUpdate.objects.filter(index=journal).delete()
            PendingUpdate.objects.create(index=journal, object_id=MARKER)
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
                PendingUpdate.objects.filter(index=journal, object_id=MARKER).delete()
                PendingUpdate.objects.filter(index=journal).update(index=index_name)
            drain_locked(index)
        return total
    finally:
        lock.__exit__(None, None, None)


def drift(index_name: str) -> dict[str, list[str]]:
    """Compare what the index should hold with what it holds:
    ``missing``, ``stale`` and ``extra`` ids (sorted)."""
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
