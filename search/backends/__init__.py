"""Search backends behind one interface: ``whoosh`` (embedded, the default) and
``postgres`` (for several machines). ``SEARCH_BACKEND`` chooses."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from search.index import get

BACKENDS = {
    "whoosh": "search.backends.whoosh.WhooshBackend",
    "postgres": "search.backends.postgres.PostgresBackend",
}


@cache
def backend_class(name: str | None = None):
    return import_string(BACKENDS[name or settings.SEARCH_BACKEND])


def backend_for(index_name: str, name: str | None = None):
    """The backend instance for an index (one per process and index: the Whoosh
    backend keeps its searcher open between requests)."""
    return _instance(index_name, name or settings.SEARCH_BACKEND)


@cache
def _instance(index_name: str, name: str):
    return backend_class(name)(get(index_name))


def reset():
    """Forget open backends (tests that switch DATA_DIR or backend)."""
    _instance.cache_clear()
    backend_class.cache_clear()
