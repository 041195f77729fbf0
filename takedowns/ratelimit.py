"""Notices per address (IP and email) per window, and picture lookups per
IP, counted with the Django cache API: with a shared cache (Redis, Memcached)
the limit holds across processes and machines; with the default local-memory
cache, per process."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"takedowns:rate:{kind}:{digest}"


def client_ip(request) -> str:
    header = settings.TAKEDOWN_CLIENT_IP_HEADER
    value = request.META.get(header, "") if header else ""
    return (value.split(",")[0].strip() if value else "") or request.META.get("REMOTE_ADDR", "")


def exceeded(kind: str, value: str, limit: int | None = None) -> bool:
    """Whether this address already sent its allowance (reading only)."""
    if not value:
        return False
    if limit is None:
        limit = settings.TAKEDOWN_RATE_LIMIT
    return (cache.get(_key(kind, value)) or 0) >= limit


def hit(kind: str, value: str) -> int:
    """Count one notice and return the count in the current window (atomic
    with caches whose incr is: Redis, Memcached)."""
    if not value:
        return 0
    key = _key(kind, value)
    cache.add(key, 0, timeout=settings.TAKEDOWN_RATE_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.TAKEDOWN_RATE_WINDOW_SECONDS)
        return 1
