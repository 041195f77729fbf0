"""Tests: fast hashing, in-memory mail, files under a throw-away DATA_DIR."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="pressarchive-media-"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="pressarchive-static-"))
SERVE_MEDIA = True
