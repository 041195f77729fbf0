"""Tests: fast hashing, in-memory mail, files under a throw-away DATA_DIR."""

import tempfile
from pathlib import Path

from config.env import env_str

from .base import *  # noqa: F403

DEBUG = False
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="pressarchive-media-"))
# Hiding a photo moves its original to private storage: never into DATA_DIR.
PHOTO_PRIVATE_ROOT = Path(tempfile.mkdtemp(prefix="pressarchive-private-photos-"))
TAKEDOWN_PRIVATE_ROOT = Path(tempfile.mkdtemp(prefix="pressarchive-private-takedowns-"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="pressarchive-static-"))
SERVE_MEDIA = True

# TEST_MEDIA_STORAGE=memory runs the suite with media in InMemoryStorage, whose
# path() raises as object storage's does: no code may assume a local file.
if env_str("TEST_MEDIA_STORAGE", "filesystem") == "memory":
    STORAGES = {
        **STORAGES,  # noqa: F405
        "default": {"BACKEND": "tests.storage.ObjectLikeStorage"},
    }
# Background tasks run inline whatever the environment says; tests that need a
# queue switch to django-tasks' DummyBackend themselves.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
