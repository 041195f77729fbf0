"""Values derived from what readers see, kept in this process for as long as the
content does not change: the menu's sections, the home page's cards, the
archive's calendar, the number of articles of each section, genre and author.

Each is computed once per *content version*, the page cache's version
(``config.pagecache``), which every editorial change bumps after commit, and
which a scheduled article bumps at its time (``config.due``). So a value is
never older than the last change the site knows of.

The version is shared by every process only when the cache is (``REDIS_URL``).
With a per-process cache, a change made in one process is not seen by the
others' versions: there a value is also kept at most ``LOCAL_SECONDS``.

A change made in this process drops every value at once, without waiting for
the commit (``connect_signals``; bulk writers call ``forget``).

Nothing kept here depends on the clock otherwise: a value showing photos (the
home page's cards) has the site's date in its key, as a photo's licence ends
with the day.
"""

import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save

from config import pagecache

LOCAL_SECONDS = 5.0
MAX_ENTRIES = 2048

_lock = threading.Lock()
_state: dict[str, Any] = {"version": None, "values": {}}


def shared_cache() -> bool:
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def content_version(request=None) -> int:
    """The current content version, read once per request (the page cache's
    middleware reads it first, for its ETag)."""
    if request is None:
        return pagecache.version()
    current = getattr(request, "content_version", None)
    if current is None:
        current = request.content_version = pagecache.version()
    return current


def kept(key: tuple, compute: Callable[[], Any], request=None) -> Any:
    """``compute()``, kept for the current content version under ``key``."""
    current = content_version(request)
    now = time.monotonic()
    with _lock:
        if _state["version"] != current:
            _state["version"], _state["values"] = current, {}
        entry = _state["values"].get(key)
    if entry is not None and (shared_cache() or now - entry[1] < LOCAL_SECONDS):
        return entry[0]
    value = compute()
    with _lock:
        if _state["version"] == current:
            values = _state["values"]
            if len(values) >= MAX_ENTRIES:
                values.clear()
            values[key] = (value, now)
    return value


def forget() -> None:
    """Drop every kept value (tests, and a process that changed the content)."""
    with _lock:
        _state["version"], _state["values"] = None, {}


def connect_signals() -> None:
    for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
        signal.connect(_on_change, dispatch_uid=f"derived-{name}")


def _on_change(sender, raw=False, **kwargs):
    if pagecache.is_content_change(sender, raw):
        forget()
