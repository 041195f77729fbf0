"""Settings shared by every environment. Values come from the environment
(documented in .env.example) with safe development defaults."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR))).resolve()

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = env_str("SITE_NAME", "La Revue des Écrans")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
OLD_SITE_DOMAINS = env_list("OLD_SITE_DOMAINS")
EDITOR_IN_CHIEF = env_str("EDITOR_IN_CHIEF", "la rédaction en chef")
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "redaction@example.org")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "config.apps.SiteConfig",
    "taggit",
    "simple_history",
    "django_prose_editor",
    "csp",
    "notifications",
    "search",
    "photos",
    "takedowns",
    "articles",
    "imports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Absolute links follow the request's address in development (config/site_url.py).
    "config.site_url.CurrentRequestMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # What falls due with time (a scheduled article in search) is done on the first
    # request after its time (config/due.py): no cron needed.
    "config.due.DueMiddleware",
    "config.pagecache.AnonymousPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "imports.middleware.OldAddressMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
                "articles.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes write (web workers, imports, the index queue): wait for
    # the lock instead of failing, take it at the start of a transaction, and let
    # readers go on while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL;",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Password reset links (volunteers' "mot de passe oublié") are valid one day.
PASSWORD_RESET_TIMEOUT = 24 * 3600
# The sender of the site's emails (password resets included).
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", CONTACT_EMAIL)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "site" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# A shared cache (Redis) in production: rate limits and the page cache then hold
# across every process and machine. Without REDIS_URL, a per-process memory cache.
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
         "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "pressarchive")}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}  # fmt: skip
# Anonymous pages are kept this many seconds (0: no page cache); any editorial
# change invalidates them at once (config/pagecache.py).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0)
PAGE_CACHE_EXCLUDE = ["/admin/", "/apercu/", "/healthz", "/i18n/", "/signaler-une-photo/"]

# Content Security Policy for reader pages: no inline script or style, nothing
# from elsewhere. The admin (whose rich-text editor needs an inline import map)
# is excluded; it is only for signed-in editors.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Development and tests only: in production the web server serves media.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
# Uploaded media (photos and renditions) go through the Storage API only, so any
# Django storage will do: "filesystem" (MEDIA_ROOT), "s3" (any S3-compatible
# service, through django-storages, installed separately: docs/deploying.md), or
# the dotted path of a storage class.
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem")
MEDIA_STORAGE_BACKENDS = {
    "filesystem": "django.core.files.storage.FileSystemStorage",
    "s3": "storages.backends.s3.S3Storage",
}
STORAGES = {
    "default": {"BACKEND": MEDIA_STORAGE_BACKENDS.get(MEDIA_STORAGE, MEDIA_STORAGE)},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if MEDIA_STORAGE == "s3":
    _media_domain = env_str("AWS_S3_CUSTOM_DOMAIN", "")
    STORAGES["default"]["OPTIONS"] = {
        "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
        "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
        "custom_domain": _media_domain or None,
        "location": env_str("AWS_LOCATION", ""),
        # Public, stable URLs (pages are cached); names are unguessable already.
        "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
        "file_overwrite": False,
    }
    # Pages load photos from the bucket's (or CDN's) host: the CSP must allow it.
    MEDIA_ORIGIN = env_str("MEDIA_ORIGIN", f"https://{_media_domain}" if _media_domain else None)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(MEDIA_ORIGIN)

# Background work (search index updates, photo renditions, emails) goes through
# django-tasks (the API Django 6 adopted as django.tasks). "immediate" (default):
# run inline, in the process that asks; "database": queued in the database and
# run by `manage.py db_worker` (docs/deploying.md); or a backend's dotted path.
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
TASKS_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS = {"default": {"BACKEND": TASKS_BACKENDS.get(TASKS_BACKEND, TASKS_BACKEND)}}
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]

# Uploads larger than this are refused before Django reads them into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Full-text search: "whoosh" (embedded, one machine) or "postgres" (several machines).
SEARCH_BACKEND = env_str("SEARCH_BACKEND", "whoosh")
SEARCH_INDEX_DIR = Path(env_str("SEARCH_INDEX_DIR", str(DATA_DIR / "index")))

FORMS_URLFIELD_ASSUME_HTTPS = True
TAGGIT_CASE_INSENSITIVE = True
TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING = True

ARTICLES_PER_PAGE = 20
FEED_ITEMS = 30

# Photos (photos/validation.py, photos/services.py). Uploads above these limits are
# refused with a message; the pixel limit is read from the header, before decoding.
PHOTO_MAX_UPLOAD_BYTES = env_int("PHOTO_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 40_000_000)
PHOTO_RENDITION_WIDTHS = (480, 960, 1600)
# Perceptual hashes differing by at most this many bits (of 64) are "the same picture".
PHOTO_DUPLICATE_DISTANCE = 10
PHOTO_CREDITS_PER_PAGE = 24
# Originals of photos withdrawn at a rights holder's request, kept (never served,
# never under MEDIA_ROOT) until the case is closed, so a mistake can be undone.
PHOTO_PRIVATE_ROOT = Path(env_str("PHOTO_PRIVATE_ROOT", str(DATA_DIR / "private" / "photos")))

# Rights holders' requests (takedowns/). Deadlines are counted from the moment
# the claimant confirms their email address.
TAKEDOWN_PRIVATE_ROOT = Path(
    env_str("TAKEDOWN_PRIVATE_ROOT", str(DATA_DIR / "private" / "takedowns"))
)
TAKEDOWN_INTERIM_DEADLINE_DAYS = 0  # interim measure (e.g. hiding) the day it arrives
TAKEDOWN_DECISION_DEADLINE_DAYS = env_int("TAKEDOWN_DECISION_DEADLINE_DAYS", 7)
TAKEDOWN_REMINDER_DAYS = env_int("TAKEDOWN_REMINDER_DAYS", 2)
TAKEDOWN_RETENTION_DAYS = env_int("TAKEDOWN_RETENTION_DAYS", 730)
# Never-confirmed notices are anonymised after this many days.
TAKEDOWN_UNVERIFIED_RETENTION_DAYS = env_int("TAKEDOWN_UNVERIFIED_RETENTION_DAYS", 30)
TAKEDOWN_RECONSIDERATION_DAYS = env_int("TAKEDOWN_RECONSIDERATION_DAYS", 183)
TAKEDOWN_VERIFY_MAX_AGE_DAYS = 7
# Notices per address (IP and email) per window; counted in the cache, so a
# shared cache (Redis) applies the limit across processes.
TAKEDOWN_RATE_LIMIT = env_int("TAKEDOWN_RATE_LIMIT", 5)
TAKEDOWN_RATE_WINDOW_SECONDS = 3600
# Request header holding the client IP when behind a trusted proxy, e.g.
# "HTTP_X_REAL_IP"; empty: REMOTE_ADDR.
TAKEDOWN_CLIENT_IP_HEADER = env_str("TAKEDOWN_CLIENT_IP_HEADER", "")
TAKEDOWN_MAX_FILE_BYTES = 5 * 1024 * 1024
TAKEDOWN_MAX_FILES = 5
# Senders with at least this many rejected notices are flagged in the queue.
TAKEDOWN_REPEAT_REJECTIONS = 2

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # One line per background task run is noise at INFO; failures still show.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}
