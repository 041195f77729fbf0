"""Anonymous page cache, per language, invalidated by any editorial change.

Every cached page's key carries a site-wide *version*. Saving or deleting
anything readers can see (articles, photos, tags, authors, sections, takedown
decisions) bumps the version after commit, so the next anonymous response is
rendered afresh: a withdrawn photo or an unpublished article is gone at once.
Changes that come with time alone (a scheduled article's hour, a photo licence's
end) cap how long a page is kept. The version also makes a cheap ETag, so
browsers and feed readers revalidate without the page being rendered.

Only anonymous GET/HEAD requests without a session are served from the cache,
never the admin, previews, rights holders' forms or tracking pages.
"""

import datetime
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date

VERSION_KEY = "pagecache:version"
WATCHED_APPS = {"articles", "photos", "takedowns", "taggit"}
# Rows derived from what readers see, written when a page is viewed (an article's
# stored "À lire aussi"): writing them changes no page.
DERIVED_MODELS = {"articles.RelatedList", "articles.RelatedArticle"}


def version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 1, None)
        value = cache.get(VERSION_KEY, 1)
    return value


def invalidate() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def connect_signals() -> None:
    for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
        signal.connect(_on_change, dispatch_uid=f"pagecache-{name}")


def is_content_change(sender, raw=False) -> bool:
    """Whether a save or delete of ``sender`` changes what readers may see."""
    meta = getattr(sender, "_meta", None)
    if meta is None or raw or meta.label in DERIVED_MODELS:
        return False
    return meta.app_label in WATCHED_APPS


def _on_change(sender, raw=False, **kwargs):
    if is_content_change(sender, raw):
        transaction.on_commit(invalidate)


def is_cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    path = request.path_info
    excluded = settings.PAGE_CACHE_EXCLUDE
    return not any(path.startswith(p) or path.startswith("/en" + p) for p in excluded)


def seconds_until_next_change(now: datetime.datetime) -> float:
    """Until the next scheduled publication or licence end, capped by the setting."""
    from articles.models import Article
    from photos.models import Photo

    limit = settings.PAGE_CACHE_SECONDS
    moments = [
        Article.objects.filter(status=Article.Status.SCHEDULED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    ]
    licence_end = (
        Photo.objects.filter(licence_end__gte=timezone.localdate(now))
        .order_by("licence_end")
        .values_list("licence_end", flat=True)
        .first()
    )
    if licence_end is not None:
        moments.append(
            timezone.make_aware(datetime.datetime.combine(licence_end, datetime.time.max))
        )
    for moment in filter(None, moments):
        limit = min(limit, max(1.0, (moment - now).total_seconds()))
    return limit


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable(request):
            return self.get_response(request)
        current = request.content_version = version()
        digest = hashlib.blake2b(request.get_full_path().encode(), digest_size=8).hexdigest()
        etag = f'W/"{current}-{digest}"'
        if etag in request.headers.get("If-None-Match", ""):
            return HttpResponseNotModified(headers={"ETag": etag})
        key = f"pagecache:page:{current}:{request.get_host()}:{request.get_full_path()}"
        cached = cache.get(key) if settings.PAGE_CACHE_SECONDS else None
        # The entry carries its own end of life, read with the site's clock: the
        # cache's expiry is only a backstop.
        if cached is not None and cached[2] > timezone.now():
            return self.rebuild(cached, etag)
        response = self.get_response(request)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            response["ETag"] = etag
            self.store(key, response)
        return response

    def store(self, key, response):
        if not settings.PAGE_CACHE_SECONDS or "Cookie" in response.get("Vary", ""):
            return
        now = timezone.now()
        timeout = seconds_until_next_change(now)
        headers = {k: v for k, v in response.items() if k.lower() not in ("set-cookie", "date")}
        expires = now + datetime.timedelta(seconds=timeout)
        cache.set(key, (response.content, headers, expires), timeout)
        response["Cache-Control"] = (
            response.get("Cache-Control") or "public, max-age=0, must-revalidate"
        )

    @staticmethod
    def rebuild(cached, etag):
        content, headers, _expires = cached
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        response["ETag"] = etag
        response["X-Page-Cache"] = "hit"
        response["Date"] = http_date()
        return response
