"""Draining the queue: writing the queued updates of an index to its backend,
a batch at a time, holding the writer lock (see :mod:`search.indexer`)."""

from __future__ import annotations

import logging

from django.db import transaction

from search.backends import backend_for
from search.index import Index, all_indexes, get
from search.locks import LOCK_TIMEOUT, LockTimeout, writer_lock
from search.models import PendingUpdate

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
JOURNAL_SUFFIX = "@rebuild"
MARKER = ""  # object_id of the journal's marker row


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
                done += drain_locked(get(name))
        except LockTimeout:
            logger.warning(
                "Search index %s busy for %ss: its pending updates are left for the next drain.",
                name,
                timeout,
            )
    return done


def _has_pending(name: str) -> bool:
    return PendingUpdate.objects.filter(index=name).exists()


def drain_locked(index: Index, batch_size: int = BATCH_SIZE) -> int:
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
            if PendingUpdate.objects.filter(index=journal, object_id=MARKER).exists():
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
