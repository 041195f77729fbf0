import tempfile
from pathlib import Path

import pytest
from django.utils import translation

from search import backends


@pytest.fixture(autouse=True)
def _french(settings):
    """Tests see the site as its readers do by default: in French."""
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate limits and cached pages never leak from one test to the next (CI runs
    the PostgreSQL suite against a real Redis)."""
    from django.core.cache import cache

    from config import derived

    cache.clear()
    derived.forget()
    yield


@pytest.fixture(autouse=True)
def _search_index(settings, tmp_path):
    """Each test gets its own, empty, search index directory: every save of an
    article or photo goes through the indexer."""
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    backends.reset()
    yield
    backends.reset()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """SQLite: a test database in a file (not in memory), so that the concurrency
    tests' subprocesses share it."""
    from django.db import connections

    db = connections["default"].settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db.setdefault("TEST", {})["NAME"] = str(
            Path(tempfile.mkdtemp(prefix="pressarchive-test-db-")) / "test.sqlite3"
        )
