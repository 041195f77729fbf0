"""Background work of the search app, through the project's one task interface
(django-tasks; ``django.tasks`` from Django 6)."""

import logging

from django_tasks import task

from search import draining

logger = logging.getLogger(__name__)


@task()
def drain_search_index(index_name: str | None = None) -> int:
    """Write the queued index updates (all indexes by default); returns how many
    objects were written. The queue and its writer lock are the indexer's
    (:mod:`search.draining`): this task only says *where* the drain runs
    (inline, or in a worker)."""
    try:
        return draining.drain(index_name)
    except Exception:
        logger.exception("Search index update failed; the queue is kept for the next drain.")
        raise
