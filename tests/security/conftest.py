"""Shared set-up for the security tests: private folders under tmp_path, a
clean rate-limit cache, and a "snapshot" of everything a request could change
(database rows of every project app, files in media and private storage) so a
test can prove that a refused request changed nothing at all."""

import hashlib
import json
import os
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

# Apps left out of the snapshot: sessions (logging in and out writes them) and
# content types (a cache of model names). Every other app's rows are in it.
UNSNAPPED_APPS = {"sessions", "contenttypes"}


@pytest.fixture(scope="session")
def security_settings(tmp_path_factory) -> dict:
    """Private folders shared by the whole run (module-scoped data lives there)."""
    private = tmp_path_factory.mktemp("security-private")
    return {
        "PHOTO_PRIVATE_ROOT": private / "photos",
        "TAKEDOWN_PRIVATE_ROOT": private / "takedowns",
        "SITE_URL": "http://testserver",
    }


@pytest.fixture(autouse=True)
def _security_settings(settings, security_settings):
    for name, value in security_settings.items():
        setattr(settings, name, value)
    cache.clear()
    yield
    cache.clear()


def _rows(model) -> list[dict]:
    return list(model._default_manager.order_by("pk").values())


def _files(root) -> list[str]:
    found = []
    for folder, _dirs, names in os.walk(root):
        found += [os.path.relpath(os.path.join(folder, name), root) for name in names]
    return sorted(found)


def snapshot() -> dict[str, tuple[int, str]]:
    """(row count, sha256 of all rows) per model, and the same for stored files."""
    state = {}
    for config in apps.get_app_configs():
        if config.label in UNSNAPPED_APPS:
            continue
        for model in config.get_models():
            rows = _rows(model)
            digest = hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode())
            state[model._meta.label] = (len(rows), digest.hexdigest())
    for name in ("MEDIA_ROOT", "PHOTO_PRIVATE_ROOT", "TAKEDOWN_PRIVATE_ROOT"):
        files = _files(getattr(settings, name))
        state[f"files:{name}"] = (len(files), hashlib.sha256("\n".join(files).encode()).hexdigest())
    return state


def changes(before: dict, after: dict) -> list[str]:
    """The models (or file stores) whose content differs between two snapshots."""
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


_TOKEN = {}


def valid_csrf_token() -> str:
    """A CSRF token from a real form page (the cookie secret the page set): any
    client presenting it as cookie and form field passes the CSRF check."""
    if "value" not in _TOKEN:
        client = Client(enforce_csrf_checks=True)
        client.get("/signaler-une-photo/")  # a page with a form sets the csrftoken cookie
        _TOKEN["value"] = client.cookies["csrftoken"].value
    return _TOKEN["value"]


def csrf_client(user=None) -> Client:
    """A client that enforces CSRF like a browser, logged in as ``user`` (or
    anonymous), holding a valid CSRF token (``client.csrf_token``)."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.csrf_token = valid_csrf_token()
    client.cookies["csrftoken"] = client.csrf_token
    return client


@contextmanager
def module_transaction(django_db_blocker, security_settings):
    """For module-scoped data: everything created inside is rolled back when the
    module ends, and each test runs in a savepoint of it (as Django's
    ``TestCase.setUpTestData``), so tests stay independent but the data is built
    once."""
    with (
        django_db_blocker.unblock(),
        override_settings(**security_settings),
        translation.override("fr"),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
