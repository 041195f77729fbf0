"""Objects that become findable with time alone, written to the index at their time
by the web process itself: no cron, no worker needed.

An index whose queryset changes with the clock declares a
:class:`~search.index.Schedule` (for articles: scheduled articles enter
``published()`` at their publication time, and nothing is saved then, so no
queue row is written). Each request asks :func:`run_due` (the site's
middleware, ``config.due``), which costs one cache read: the cache
(``django.core.cache``) holds, per such index, the next time something becomes
due (``next``) and the time of the last check (``since``).
On the first request after ``next``, the objects that fell due since the last
check are queued and drained, by one process, holding the index writer lock; a
request never fails because of it (errors are logged, the queue rows stay for
the next drain). Where a cron or worker runs ``index_due``, it may do the same
earlier.

The state is recomputed at least every :data:`RECHECK` (so a schedule set by
another process with a per-process cache is seen), and a save of a waiting
object moves ``next`` earlier at once. Without a state (a new process with a
per-process cache, a cleared cache), the check looks back :data:`COLD_WINDOW`;
anything older that was missed is for ``index_due --since``.
"""

from __future__ import annotations

import datetime
import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from search import draining, locks, queue
from search.index import Index, all_indexes

logger = logging.getLogger(__name__)

RECHECK = datetime.timedelta(minutes=5)
COLD_WINDOW = datetime.timedelta(days=1)


def _key(index: Index) -> str:
    return f"search:due:{index.name}"


def scheduled_indexes() -> list[Index]:
    return [index for index in all_indexes() if index.schedule is not None]


def _is_due(state: dict | None, now: datetime.datetime) -> bool:
    if state is None or state["since"] + RECHECK <= now:
        return True
    return state["next"] is not None and state["next"] <= now


def run_due(now: datetime.datetime | None = None) -> int:
    """Write what has fallen due to the index; returns how many objects were
    queued. Cheap when nothing is due (one cache read); never raises."""
    try:
        indexes = scheduled_indexes()
        if not indexes:
            return 0
        now = now or timezone.now()
        states = cache.get_many([_key(index) for index in indexes])
        return sum(
            catch_up(index, now) for index in indexes if _is_due(states.get(_key(index)), now)
        )
    except Exception:  # a reader's request must not fail because of the index
        logger.exception("Search index: writing the due objects failed; retried later.")
        return 0


def catch_up(index: Index, now: datetime.datetime) -> int:
    """Queue and drain the objects of ``index`` that fell due since the last
    check, then remember when the next one falls due. One process at a time:
    when another holds the writer lock, it is left to the next request."""
    try:
        with locks.writer_lock(index.name, timeout=0):
            state = cache.get(_key(index))  # another process may have done it
            if not _is_due(state, now):
                return 0
            since = state["since"] if state else now - COLD_WINDOW
            due, upcoming = _waiting_since(index, since, now)
            if due:
                with queue.deferred(), transaction.atomic():
                    queue.enqueue(index.name, due)
                draining.drain(index.name)
            cache.set(_key(index), {"since": now, "next": upcoming}, None)
            return len(due)
    except locks.LockTimeout:
        return 0


def _waiting_since(index: Index, since, now) -> tuple[list, datetime.datetime | None]:
    """The ids due in (since, now], and the earliest time after now."""
    name = index.schedule.field
    rows = index.schedule.waiting().filter(**{f"{name}__gt": since}).values_list("pk", name)
    due = [pk for pk, at in rows if at <= now]
    upcoming = min((at for _pk, at in rows if at > now), default=None)
    return due, upcoming


def noticed(sender, instance, raw=False, **kwargs) -> None:
    """A waiting object was saved: its time may come before the cached ``next``."""
    for index in scheduled_indexes():
        if index.model is sender and not raw:
            at = getattr(instance, index.schedule.field, None)
            if at is None or at <= timezone.now():
                continue
            transaction.on_commit(lambda index=index, at=at: _earlier(index, at))


def _earlier(index: Index, at: datetime.datetime) -> None:
    state = cache.get(_key(index))
    if state is None or at <= state["since"]:
        return
    if state["next"] is None or at < state["next"]:
        cache.set(_key(index), {**state, "next": at}, None)
