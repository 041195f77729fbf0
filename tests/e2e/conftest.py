"""Browser tests: Debian's chromium driven by Playwright, never a downloaded browser.

Without /usr/bin/chromium they are skipped, unless E2E_REQUIRED is set (as CI does),
in which case they fail."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses
# to run inside one unless told that this thread is synchronous test code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail(f"{CHROMIUM} is missing and E2E_REQUIRED is set")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _data_migrations_rows(request):
    """Browser tests are transactional: the database is flushed after each one,
    rows written by data migrations included (default sections, roles). Each test
    starts with them, whatever ran before it."""
    if "django_db" not in {mark.name for mark in request.node.iter_markers()}:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    from importlib import import_module

    from django.apps import apps

    from tests.factories import ensure_roles

    import_module("articles.migrations.0002_default_sections").create_sections(apps, None)
    ensure_roles()
    yield


@pytest.fixture
def isolated_site(settings, tmp_path, live_server):
    """A live server whose private files, search index, cache, outbox and picture
    index belong to this test alone (tests of photos and rights holders' pages)."""
    from django.core import mail
    from django.core.cache import cache

    from photos import lookup
    from search import backends

    settings.SITE_URL = live_server.url
    settings.PHOTO_PRIVATE_ROOT = tmp_path / "private" / "photos"
    settings.TAKEDOWN_PRIVATE_ROOT = tmp_path / "private" / "takedowns"
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    backends.reset()
    lookup.reset()
    cache.clear()
    mail.outbox.clear()
    yield live_server
    cache.clear()
    lookup.reset()
